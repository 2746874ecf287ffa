"""Each figure of the appeal and visit panels is a link to the list it counts, and that list, opened by the link,
counts the same number (one selector for both; issue 11 item 4)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _panel(client, key):
    panels = client.get(reverse("accounts:workbench")).context["panels"]
    return next((p for section in panels.values() for p in section if p["key"] == key), None)


@pytest.mark.parametrize("username", ["zone_admin", "building_admin", "dept_handler", "enterprise_contact"])
def test_appeal_todo_figures_are_the_counts_of_the_lists_they_link_to(as_user, username):
    client = as_user(username)
    panel = _panel(client, "appeal_todo")
    assert [str(f[0]) for f in panel["figures"]] == ["未办结", "已超期", "今日到期", "待评价"]
    for label, value, url in panel["figures"]:
        assert url.startswith(reverse("appeals:list") + "?"), label
        page = client.get(url)
        assert page.status_code == 200
        assert page.context["page"].paginator.count == value, (username, str(label), url)
    assert panel["figures"][0][1] > 0 or username != "zone_admin"


def test_the_list_filters_of_the_figures_narrow_the_list(as_user):
    client = as_user("zone_admin")
    count = {
        q: client.get(reverse("appeals:list") + q).context["page"].paginator.count
        for q in (
            "?status=open",
            "?status=open&overdue=1",
            "?status=open&due=today",
            "?status=closed",
            "?status=closed&rated=no",
        )
    }
    assert count["?status=open&overdue=1"] < count["?status=open"]
    assert count["?status=open&due=today"] <= count["?status=open"]
    assert count["?status=closed&rated=no"] < count["?status=closed"]
    # the filter survives the list's own filter form
    body = client.get(reverse("appeals:list") + "?status=closed&rated=no").content.decode()
    assert 'name="rated" value="no"' in body


@pytest.mark.parametrize("username", ["zone_admin", "grid_officer", "instructor"])
def test_visit_figures_are_the_counts_of_the_pages_they_link_to(as_user, username):
    client = as_user(username)
    (_l1, not_visited, coverage_url), (_l2, planned, calendar_url) = _panel(client, "visit_todo")["figures"]
    coverage = client.get(coverage_url)
    assert coverage.context["missing_count"] == not_visited
    assert f'data-testid="not-visited-count">{not_visited}<' in coverage.content.decode()
    calendar = client.get(calendar_url)
    assert calendar.context["count"] == planned
    assert sum(len(v) for _day, v in calendar.context["days"]) == planned


def test_appeal_rate_figures_link_to_the_statistics(as_user):
    client = as_user("zone_admin")
    panel = _panel(client, "appeal_figures")
    assert {f[2] for f in panel["figures"]} == {reverse("appeals:stats")}
    assert client.get(reverse("appeals:stats")).status_code == 200
