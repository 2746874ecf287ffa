"""The system admin's account figures are the user list's own counts, each linking to the list in that state."""

import pytest
from django.urls import reverse

from hongyin.accounts.models import User

pytestmark = pytest.mark.django_db


def test_each_account_figure_is_the_count_of_the_list_it_links_to(as_user):
    User.objects.filter(username="member").update(must_change_password=True)
    client = as_user("system_admin")
    panels = client.get(reverse("accounts:workbench")).context["panels"]
    panel = next(p for section in panels.values() for p in section if p["key"] == "user_figures")
    assert [str(f[0]) for f in panel["figures"]] == ["启用账号", "停用账号", "须修改密码"]
    for label, count, url in panel["figures"]:
        page = client.get(url)
        assert page.status_code == 200, url
        assert page.context["page"].paginator.count == count, (str(label), url)
        assert f'value="{url.rpartition("=")[2]}" selected' in page.content.decode(), "the filter shows as chosen"
    assert panel["figures"][2][1] >= 1
    everyone = client.get(reverse("accounts:user_list"), {"state": "nonsense"})
    assert everyone.context["page"].paginator.count == User.objects.count()
