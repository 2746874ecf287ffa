import pytest
from django.urls import reverse

from hongyin.accounts.models import User
from hongyin.devtools.demo import DEMO_USERNAMES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_every_demo_role_reaches_its_workbench(as_user, username):
    client = as_user(username)
    response = client.get(reverse("accounts:workbench"))
    assert response.status_code == 200
    body = response.content.decode()
    user = User.objects.get(username=username)
    assert user.assignments[0].get_role_display() in body


def test_navigation_shows_only_what_the_role_can_use(as_user):
    member = as_user("member").get(reverse("accounts:workbench")).content.decode()
    assert reverse("audit:list") not in member
    auditor = as_user("audit_admin").get(reverse("accounts:workbench")).content.decode()
    assert reverse("audit:list") in auditor
    assert reverse("orgs:tree") not in auditor


def test_english_is_available(as_user):
    client = as_user("member")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("accounts:workbench")).content.decode()
    assert "Workbench" in body


@pytest.mark.parametrize(
    ("username", "url", "status"),
    [
        ("member", "/audit/", 403),
        ("system_admin", "/audit/", 403),
        ("audit_admin", "/orgs/", 403),
        ("zone_admin", "/admin/", 302),
        ("system_admin", "/admin/", 200),
    ],
)
def test_pages_a_role_lacks_are_refused(as_user, username, url, status):
    assert as_user(username).get(url).status_code == status


def test_themed_404(as_user):
    response = as_user("member").get("/no/such/page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_only_the_closest_navigation_entry_is_active():
    from hongyin.accounts.models import User
    from hongyin.common.navigation import nav_for

    user = User.objects.get(username="zone_admin")
    urls = [i["url"] for i in nav_for(user, "/")]
    nested = [(a, b) for a in urls for b in urls if a != b and a != "/" and b.startswith(a)]
    assert nested, "expected a section whose page lives under another entry (e.g. appeals and appeal statistics)"
    parent, child = nested[0]
    active = [i["url"] for i in nav_for(user, child) if i["active"]]
    assert active == [child]
    assert [i["url"] for i in nav_for(user, parent + "zzz/") if i["active"]] == [parent]
    assert not any(i["active"] for i in nav_for(user, "/no-such-section/"))
