"""The workbench's 两个覆盖 figures are the coverage page's own (one selector), each links to it, and roles for
whom zone coverage means nothing do not get the panel."""

import pytest
from django.urls import reverse

from hongyin.grid.workbench import _pct

pytestmark = pytest.mark.django_db


def _panel(client, key):
    panels = client.get(reverse("accounts:workbench")).context["panels"]
    return next((p for section in panels.values() for p in section if p["key"] == key), None)


@pytest.mark.parametrize("username", ["zone_admin", "chain_admin", "building_admin", "grid_officer"])
def test_the_coverage_figures_on_the_workbench_are_the_coverage_pages(username, as_user):
    client = as_user(username)
    panel = _panel(client, "enterprise_coverage")
    figures = {str(label): (value, url) for label, value, url in panel["figures"]}
    page = client.get(figures["企业"][1])
    assert page.status_code == 200
    total = page.context["report"].total
    assert figures["企业"][0] == total.total
    assert figures["组织覆盖率"][0] == _pct(total.org_pct)
    assert figures["工作覆盖率"][0] == _pct(total.instructor_pct)
    assert figures["近90天走访率"][0] == _pct(total.visited_pct)
    assert figures["未建党组织"][0] == total.total - total.with_org
    lacking = client.get(figures["未建党组织"][1])
    assert lacking.context["page"].paginator.count == figures["未建党组织"][0]


@pytest.mark.parametrize("username", ["enterprise_contact", "instructor", "member"])
def test_roles_without_a_grid_do_not_get_zone_coverage_percentages(username, as_user):
    assert _panel(as_user(username), "enterprise_coverage") is None
