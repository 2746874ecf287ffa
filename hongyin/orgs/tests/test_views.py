from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hongyin.orgs.models import CommitteePost, Organization, OrgKind

pytestmark = pytest.mark.django_db


def test_tree_redirects_and_remembers_last_node(as_user, demo):
    client = as_user("zone_admin")
    r = client.get("/orgs/")
    assert r.status_code == 302 and r["Location"] == f"/orgs/{demo.root.pk}/"
    client.get(f"/orgs/{demo.buildings[0].pk}/")
    r = client.get("/orgs/")
    assert r["Location"] == f"/orgs/{demo.buildings[0].pk}/"


def test_children_lazy_with_counts_constant_queries(as_user, demo):
    client = as_user("zone_admin")
    r = client.get(f"/orgs/{demo.buildings[0].pk}/children/")
    body = r.content.decode()
    assert r.status_code == 200 and "人" in body
    with CaptureQueriesContext(connection) as small:
        client.get(f"/orgs/{demo.chain.pk}/children/")
    with CaptureQueriesContext(connection) as big:
        client.get(f"/orgs/{demo.buildings[0].pk}/children/")
    assert len(small) == len(big)


@pytest.mark.parametrize("tab", ["basics", "committee", "members", "children", "history", "figures"])
def test_org_page_tabs(as_user, demo, tab):
    client = as_user("building_admin")
    r = client.get(f"/orgs/{demo.buildings[0].pk}/", {"tab": tab})
    assert r.status_code == 200
    body = r.content.decode()
    assert "第一楼宇党委" in body
    if tab == "figures":
        assert "hy-chart" in body and "表格视图" in body


def test_first_building_growth_visible(as_user, demo):
    from hongyin.accounts.models import User
    from hongyin.members.selectors import member_growth
    from hongyin.orgs.selectors import org_growth

    user = User.objects.get(username="zone_admin")
    b = demo.buildings[0]
    orgs = dict(org_growth(user, b, date(2021, 2, 1), date(2025, 6, 30)))
    members = dict(member_growth(user, b, date(2021, 2, 1), date(2025, 6, 30)))
    assert orgs["2021-02"] == 21 and orgs["2025-06"] == 65
    assert 200 <= members["2021-02"] <= 210 and members["2025-06"] >= 1000


def test_out_of_scope_org_is_404(as_user, demo):
    client = as_user("chain_admin")
    assert client.get(f"/orgs/{demo.buildings[0].pk}/").status_code == 404
    assert client.get(f"/orgs/{demo.buildings[0].pk}/edit/").status_code == 404


def test_member_role_sees_basics_not_figures(as_user, demo):
    client = as_user("member")
    secretary_branch = client.get("/orgs/")
    assert secretary_branch.status_code == 302
    r = client.get(secretary_branch["Location"], {"tab": "figures"})
    assert r.status_code == 200 and "hy-chart" not in r.content.decode()


def test_tabs_of_other_apps_sit_in_order_and_only_for_their_permission(as_user, demo):
    """The member and figures tabs come from the members app (orgs.detail_tabs), in the page's order."""
    from hongyin.orgs.views import TABS

    body = as_user("zone_admin").get(f"/orgs/{demo.buildings[0].pk}/").content.decode()
    keys = ["basics", "committee", "members", "children", "history", "figures"]
    positions = [body.index(f'href="?tab={k}"') for k in keys]
    assert positions == sorted(positions)
    assert "members" not in dict((k, label) for k, label, _order in TABS)  # orgs does not know the tab itself
    client = as_user("member")
    page = client.get("/orgs/")["Location"]
    body = client.get(page, {"tab": "members"}).content.decode()
    assert 'href="?tab=members"' not in body and "在党员名册中查看全部" not in body


def test_forms_create_rename_and_rule_errors(as_user, demo):
    client = as_user("zone_admin")
    r = client.post(f"/orgs/{demo.buildings[0].pk}/new/", {"name": "", "kind": "branch", "category": "enterprise"})
    assert r.status_code == 422
    r = client.post(
        f"/orgs/{demo.buildings[0].pk}/new/",
        {
            "name": "表单联合党支部",
            "kind": "joint_branch",
            "category": "enterprise",
            "covered_units": "a\nb\nc\nd\ne\nf",
        },
    )
    assert r.status_code == 422 and "5" in r.content.decode()
    r = client.post(
        f"/orgs/{demo.buildings[0].pk}/new/", {"name": "表单党支部", "kind": "branch", "category": "enterprise"}
    )
    assert r.status_code == 302
    org = Organization.objects.get(name="表单党支部")
    r = client.post(f"/orgs/{org.pk}/edit/", {"name": "表单党支部（更名）", "category": "enterprise"})
    assert r.status_code == 302
    org.refresh_from_db()
    assert org.name == "表单党支部（更名）"
    r = client.get(f"/orgs/{org.pk}/", {"tab": "history"})
    assert "更名" in r.content.decode()
    assert "3 名以上正式党员" in r.content.decode()


def test_dissolve_form_refuses_with_members(as_user, demo):
    client = as_user("zone_admin")
    branch = Organization.objects.filter(path__startswith=demo.buildings[0].path, kind=OrgKind.BRANCH).first()
    r = client.post(f"/orgs/{branch.pk}/dissolve/", {"on": date.today().isoformat()})
    assert r.status_code == 422 and "党员" in r.content.decode()
    branch.refresh_from_db()
    assert branch.dissolved_on is None


def test_committee_forms(as_user, demo):
    client = as_user("building_admin")
    post = CommitteePost.objects.filter(org__path__startswith=demo.buildings[0].path, to_on__isnull=True).first()
    r = client.get(f"/orgs/{post.org_id}/posts/new/")
    assert r.status_code == 200
    r = client.post(f"/orgs/posts/{post.pk}/end/")
    assert r.status_code == 302
    post.refresh_from_db()
    assert post.to_on == date.today()
    r = client.post(f"/orgs/{post.org_id}/term/", {"started_on": "2099-01-01"})
    assert r.status_code == 422


def test_workbench_term_panel_and_global_search(as_user, demo):
    from hongyin.members.models import Member

    client = as_user("building_admin")
    r = client.get("/")
    assert r.status_code == 200
    body = r.content.decode()
    assert "换届提醒" in body
    m = Member.objects.filter(org__path__startswith=demo.buildings[0].path).first()
    r = client.get("/search/", {"q": m.name_pinyin})
    assert r.status_code == 200 and m.name in r.content.decode()
    r = as_user("chain_admin").get("/search/", {"q": m.name_pinyin})
    assert f"/members/{m.pk}/" not in r.content.decode()


def test_figures_tab_shows_first_building_growth(as_user, demo):
    r = as_user("building_admin").get(f"/orgs/{demo.buildings[0].pk}/", {"tab": "figures"})
    start, end = r.context["growth_start"], dict((m, (o, n)) for m, o, n in r.context["growth"])["2025-06"]
    assert start[0] == "2021-02" and start[1] == 21 and 200 <= start[2] <= 210
    assert end[0] == 65 and end[1] >= 1000


def test_tree_pane_opens_the_path_to_the_current_node(as_user, demo):
    branch = Organization.objects.filter(path__startswith=demo.buildings[0].path, kind=OrgKind.BRANCH).first()
    body = as_user("zone_admin").get(f"/orgs/{branch.pk}/").content.decode()
    assert 'aria-current="true"' in body and branch.name in body
    assert body.count("bi-caret-down-fill") >= 2  # the root and the building are open
