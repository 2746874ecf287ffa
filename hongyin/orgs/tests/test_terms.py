"""The workbench's 换届提醒 panel: the same rule as the organization page, and date arithmetic that cannot raise."""

from datetime import date, timedelta

import pytest
from freezegun import freeze_time

from hongyin.accounts.models import User
from hongyin.common.dates import add_years
from hongyin.orgs.models import Organization, terms_due_by
from hongyin.orgs.permissions import orgs_visible_to
from hongyin.orgs.workbench import org_terms

pytestmark = pytest.mark.django_db


def _due_by_the_page_rule(user, today: date) -> int:
    live = orgs_visible_to(user).filter(dissolved_on__isnull=True, term_started_on__isnull=False)
    return sum(1 for o in live if o.term_state(today) in ("due", "overdue"))


def test_the_panel_counts_what_the_organization_pages_flag(demo):
    zone_admin = User.objects.get(username="zone_admin")
    expected = _due_by_the_page_rule(zone_admin, date.today())
    assert expected > 0  # the demo zone has overdue and due terms
    panel = org_terms(zone_admin)
    assert len(panel["items"]) + panel["more"] == expected
    states = [state for _o, state in panel["items"]]
    assert states == sorted(states, key=lambda s: s != "overdue")  # overdue first


@pytest.mark.parametrize("years", [1, 2, 3, 4, 5, None])
@pytest.mark.parametrize("today", [date(2027, 2, 28), date(2028, 2, 29), date(2028, 3, 1), date(2029, 2, 28)])
def test_terms_started_on_a_leap_day_agree_with_the_page_and_never_raise(demo, years, today):
    org = Organization.objects.filter(dissolved_on__isnull=True).exclude(depth=1).order_by("pk").first()
    Organization.objects.filter(pk=org.pk).update(term_started_on=date(2024, 2, 29), term_years=years)
    org.refresh_from_db()
    zone_admin = User.objects.get(username="zone_admin")
    with freeze_time(today):
        panel = org_terms(zone_admin)  # raised ValueError on some dates before
        listed = {o.pk for o, _s in panel["items"]}
        flagged = org.term_state(today) in ("due", "overdue")
        in_sql = Organization.objects.filter(terms_due_by(today + timedelta(days=90)), pk=org.pk).exists()
    assert in_sql or not flagged  # the SQL pre-filter never drops what the page flags
    if flagged and panel["more"] == 0:
        assert org.pk in listed
    if not flagged:
        assert org.pk not in listed


def test_add_years_cannot_raise():
    assert add_years(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2024, 2, 29), -1) == date(2023, 2, 28)
    day = date(2020, 1, 1)
    while day < date(2025, 1, 1):
        for years in (-4, -3, -1, 1, 3, 5):
            assert add_years(day, years).month == day.month
        day += timedelta(days=1)
