"""The benchmark's hand-written SQL computes the compliance selector's figures (the same numbers)."""

from datetime import date

import pytest

from hongyin.devtools.bench.orglife import compliance_sql, report_figures
from hongyin.orglife import services
from hongyin.orglife.models import Exemption
from hongyin.orglife.selectors import compliance, default_org

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("start", "end", "today"),
    [(date(2025, 1, 1), date(2025, 7, 1), date(2025, 7, 10)), (None, None, None)],
)
def test_the_sql_and_the_selector_agree(users, fresh_branch, people, start, end, today):
    from django.utils import timezone

    from hongyin.orglife.selectors import default_range

    if today is None:  # the demo year, as the benchmark reads it
        today = timezone.localdate()
        start, end = default_range(today)
        start = date(today.year - 1, today.month, 1) if start == end else start
    services.meetings_record_bulk(
        actor=None,
        meetings=[
            {"org": fresh_branch, "kind": "committee", "title": "支委会", "held_on": date(2025, 2, 3)},
            {"org": fresh_branch, "kind": "committee", "title": "支委会", "held_on": date(2025, 2, 13)},
            {"org": fresh_branch, "kind": "general", "title": "党员大会", "held_on": date(2025, 3, 3)},
        ],
        status="submitted",
    )
    Exemption.objects.create(
        org=fresh_branch, kind="lecture", reason="合并", start=date(2025, 1, 1), end=date(2025, 6, 1)
    )
    zone = users["zone_admin"]
    org = default_org(zone)
    report = compliance(user=zone, org=org, start=start, end=end, today=today)
    assert report_figures(report.totals()) == compliance_sql(org, start, end, today)
