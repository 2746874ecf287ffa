"""Issue 11 item 2: a year chinese_calendar does not know never blocks the service; its deadlines are provisional
until the system admin enters the State Council's notice, which recomputes them."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from freezegun import freeze_time

from hongyin.appeals import services as s
from hongyin.appeals.models import Appeal, AppealEvent
from hongyin.appeals.sla import sla_sweep
from hongyin.audit.models import AuditEvent
from hongyin.common.calendar import get_calendar
from hongyin.common.errors import DomainError
from hongyin.directory.models import CalendarOverride, CalendarYear
from hongyin.directory.services import calendar_year_confirm

pytestmark = pytest.mark.django_db

NOTICE_HOLIDAYS = {date(2027, 1, 1): "元旦", **{date(2027, 2, 5) + timedelta(days=i): "春节" for i in range(8)}}
NOTICE_WORKDAYS = {date(2027, 2, 20): "春节调休"}


@pytest.fixture(autouse=True)
def no_2027(db):
    CalendarYear.objects.filter(year__gte=2027).delete()
    CalendarOverride.objects.filter(date__year__gte=2027).delete()


def _dispatch(new_appeal, users, day):
    a = new_appeal(today=day)
    return s.appeal_dispatch(actor=users["zone_admin"], appeal=a, today=day)


def test_every_day_of_2027_gets_provisional_deadlines():
    cal = get_calendar()
    d = date(2027, 1, 1)
    while d.year == 2027:
        due = cal.add_working_days(d, 15)
        assert d + timedelta(days=15) <= due <= d + timedelta(days=35), d
        assert cal.provisional(d, due), d
        d += timedelta(days=1)
    assert not cal.is_workday(date(2027, 2, 9))  # Spring Festival from the holidays package
    assert not cal.is_workday(date(2027, 10, 1))
    assert cal.is_workday(date(2027, 1, 4))
    assert not cal.is_workday(date(2027, 1, 9))  # plain weekend


def test_dispatch_on_2026_12_11_crosses_into_2027(new_appeal, users):
    a = _dispatch(new_appeal, users, date(2026, 12, 11))
    assert a.resolve_due == date(2027, 1, 4)  # Jan 1 off
    assert a.deadlines_provisional
    b = _dispatch(new_appeal, users, date(2026, 11, 20))
    assert b.resolve_due == date(2026, 12, 11) and not b.deadlines_provisional


def test_dispatch_in_2027_through_the_service(new_appeal, users):
    a = _dispatch(new_appeal, users, date(2027, 2, 4))
    assert (a.accept_due, a.reply_due, a.resolve_due) == (date(2027, 2, 11), date(2027, 2, 15), date(2027, 3, 3))
    assert a.deadlines_provisional and a.due_on == a.accept_due
    with freeze_time("2027-06-15 10:00:00"):
        b = s.appeal_dispatch(actor=users["zone_admin"], appeal=new_appeal(today=None))
    assert b.dispatched_on == date(2027, 6, 15) and b.deadlines_provisional
    assert b.resolve_due == get_calendar().add_working_days(date(2027, 6, 15), 15)


def test_provisional_badge_on_the_queue_and_the_appeal_page(new_appeal, users, as_user):
    a = _dispatch(new_appeal, users, date(2026, 12, 11))
    c = as_user("zone_admin")
    assert 'data-testid="provisional"' in c.get(a.get_absolute_url()).content.decode()
    html = c.get(reverse("appeals:queue")).content.decode()
    assert a.number in html and 'data-testid="provisional"' in html


def test_sla_sweep_on_new_years_eve_and_in_2027(new_appeal, users):
    Appeal.objects.update(status="closed", due_on=None)
    a = _dispatch(new_appeal, users, date(2026, 12, 30))  # accept due Dec 31
    assert sla_sweep(today=date(2026, 12, 31))["urged"] == 1
    assert sla_sweep(today=date(2027, 1, 4))["overdue"] == 1
    assert sla_sweep(today=date(2027, 1, 11))["escalated"] == 1  # 5 working days after Dec 31, Jan 1 off
    for day in (date(2027, 2, 9), date(2027, 9, 30), date(2027, 12, 31)):
        sla_sweep(today=day)
    assert AppealEvent.objects.filter(appeal=a, kind="escalate").count() == 1


def test_working_days_between_across_2026_and_2027():
    cal = get_calendar()
    assert cal.working_days_between(date(2026, 12, 25), date(2027, 1, 8)) == 9  # Dec 28-31, Jan 4-8
    assert cal.working_days_between(date(2027, 1, 8), date(2026, 12, 25)) == -9
    assert cal.working_days_between(date(2026, 12, 31), date(2027, 2, 11)) == 25


def test_entering_the_notice_recomputes_provisional_appeals(new_appeal, users):
    a = _dispatch(new_appeal, users, date(2027, 2, 4))
    a.sla_level = 1
    a.save(update_fields=["sla_level"])
    late = _dispatch(new_appeal, users, date(2027, 12, 20))  # its deadlines reach into 2028
    closed = _dispatch(new_appeal, users, date(2027, 3, 1))
    Appeal.objects.filter(pk=closed.pk).update(status="closed")
    calendar_year_confirm(
        actor=users["system_admin"], year=2027, holidays=NOTICE_HOLIDAYS, workdays=NOTICE_WORKDAYS, note="国办发明电"
    )
    a.refresh_from_db()
    cal = get_calendar()
    assert a.accept_due == date(2027, 2, 15)  # Feb 5-12 off, then the weekend
    assert a.reply_due == cal.add_working_days(date(2027, 2, 4), 3)
    assert a.resolve_due == cal.add_working_days(date(2027, 2, 4), 15)
    assert cal.is_workday(date(2027, 2, 20))  # make-up Saturday
    assert a.due_on == a.accept_due and a.sla_level == 0 and not a.deadlines_provisional
    assert AppealEvent.objects.filter(appeal=a, kind="recalculate").exists()
    late.refresh_from_db()
    assert late.deadlines_provisional  # 2028 is still unconfirmed
    assert Appeal.objects.get(pk=closed.pk).deadlines_provisional  # history is not rewritten
    event = AuditEvent.objects.filter(action="calendar.confirm_year").latest("id")
    assert event.details["year"] == 2027 and event.details["appeals_recomputed"] >= 2
    assert a.number in event.details["appeals_moved"]
    assert CalendarYear.objects.get(year=2027).note == "国办发明电"


def test_the_notice_is_validated_and_needs_the_system_admin(users):
    with pytest.raises(DomainError) as exc:
        calendar_year_confirm(actor=None, year=2027, holidays={date(2028, 1, 1): ""}, workdays={})
    assert "2028-01-01" in exc.value.message
    with pytest.raises(DomainError):
        calendar_year_confirm(actor=None, year=2027, holidays=NOTICE_HOLIDAYS, workdays={date(2027, 2, 22): ""})
    from hongyin.common.errors import NotFound

    with pytest.raises(NotFound):
        calendar_year_confirm(actor=users["zone_admin"], year=2027, holidays=NOTICE_HOLIDAYS, workdays={})
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_system_admin_enters_the_notice_in_the_admin(client, new_appeal, users):
    from hongyin.devtools.sessions import login_as

    a = _dispatch(new_appeal, users, date(2027, 2, 4))
    c = login_as(client, "system_admin")
    home = c.get("/")
    panel = [p for p in home.context["panels"]["todo"] if p["key"] == "calendar_years"]
    assert panel and 2027 in panel[0]["provisional_years"]
    changelist = c.get(reverse("admin:directory_calendaryear_changelist")).content.decode()
    url = reverse("admin:directory_calendaryear_confirm")
    assert url in changelist
    assert c.get(url).status_code == 200
    bad = c.post(url, {"year": "2027", "holidays": "2027-13-01 元旦", "workdays": ""})
    assert bad.status_code == 200 and "第 1 行无法识别日期" in bad.content.decode()
    bad = c.post(url, {"year": "2027", "holidays": "2027-01-01", "workdays": "2027-02-22"})
    assert bad.status_code == 200 and "调休上班日应是周六或周日" in bad.content.decode()
    r = c.post(
        url,
        {
            "year": "2027",
            "note": "国务院办公厅通知",
            "holidays": "2027-01-01 元旦\n2027-02-05 ~ 2027-02-12 春节",
            "workdays": "2027-02-20 春节调休",
        },
    )
    assert r.status_code == 302
    a.refresh_from_db()
    assert a.accept_due == date(2027, 2, 15) and not a.deadlines_provisional
    assert CalendarOverride.objects.filter(date__year=2027).count() == 10
    panel = [p for p in c.get("/").context["panels"]["todo"] if p["key"] == "calendar_years"]
    assert panel[0]["provisional_years"] == []


def test_confirm_page_is_not_for_business_roles(as_user):
    r = as_user("zone_admin").get(reverse("admin:directory_calendaryear_confirm"))
    assert r.status_code in (302, 403, 404)


def test_api_says_when_deadlines_are_provisional(new_appeal, users):
    from hongyin.appeals.api import AppealDetailOut

    a = _dispatch(new_appeal, users, date(2026, 12, 11))
    assert AppealDetailOut.from_orm(a).deadlines_provisional is True
