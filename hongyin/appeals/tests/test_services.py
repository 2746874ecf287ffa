from datetime import date

import pytest

from hongyin.appeals import services as s
from hongyin.appeals.models import Appeal, AppealEvent, AppealStatus
from hongyin.audit.models import AuditEvent
from hongyin.common.errors import DomainError, NotFound
from hongyin.common.models import Notification
from hongyin.directory.models import Department

from .conftest import TODAY

pytestmark = pytest.mark.django_db(transaction=False)


def test_submit_numbers_tokens_and_audit(new_appeal, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        a = new_appeal()
    assert a.number.startswith("GD20261120") and len(a.number) == 14
    b = new_appeal()
    assert int(b.number[-4:]) == int(a.number[-4:]) + 1
    assert "研发" in a.tokens.split()
    assert a.status == AppealStatus.SUBMITTED
    assert AuditEvent.objects.filter(action="appeal.submit", object_id=str(a.pk)).exists()
    assert Notification.objects.filter(user__username="zone_admin", title__contains=a.number).exists()


def test_full_loop_with_clocks(new_appeal, users):
    a = new_appeal()
    zone, handler, contact = users["zone_admin"], users["dept_handler"], users["enterprise_contact"]
    s.appeal_dispatch(actor=zone, appeal=a, today=TODAY)  # routed by category
    assert a.department.code == "science" and a.status == AppealStatus.DISPATCHED
    assert a.accept_due == date(2026, 11, 23) and a.reply_due == date(2026, 11, 25)
    assert a.resolve_due == date(2026, 12, 11) and a.due_on == a.accept_due
    s.appeal_accept(actor=handler, appeal=a, today=date(2026, 11, 23))
    assert a.accepted_in_time and a.status == AppealStatus.IN_PROGRESS and a.due_kind == "reply"
    s.appeal_reply(actor=handler, appeal=a, text="已联系企业", today=date(2026, 11, 24))
    assert a.due_kind == "resolve" and a.due_on == a.resolve_due
    s.appeal_reply(actor=handler, appeal=a, text="补贴已拨付", final=True, resolved=True, today=date(2026, 12, 1))
    assert a.status == AppealStatus.REPLIED
    s.appeal_close(actor=zone, appeal=a, today=date(2026, 12, 2))
    assert a.status == AppealStatus.CLOSED and a.closed_in_time and a.due_on is None
    s.appeal_follow_up(actor=zone, appeal=a, note="电话回访", today=date(2026, 12, 3))
    s.appeal_rate(actor=contact, appeal=a, rating="satisfied")
    kinds = list(a.events.values_list("kind", flat=True))
    assert kinds == ["submit", "dispatch", "accept", "reply", "reply_final", "close", "follow_up", "rate"]
    assert AuditEvent.objects.filter(object_id=str(a.pk), action__startswith="appeal.").count() == 8


def test_transition_from_the_wrong_state_writes_nothing(new_appeal, users):
    a = new_appeal()
    events = AppealEvent.objects.count()
    with pytest.raises(DomainError) as exc:
        s.appeal_close(actor=users["zone_admin"], appeal=a, today=TODAY)
    assert "待派单" in exc.value.message
    a.refresh_from_db()
    assert a.status == AppealStatus.SUBMITTED and AppealEvent.objects.count() == events


def test_third_return_goes_to_arbitration_which_cannot_be_returned(new_appeal, users):
    a = new_appeal()
    zone, handler = users["zone_admin"], users["dept_handler"]
    for i in range(2):
        s.appeal_dispatch(actor=zone, appeal=a, today=TODAY)
        s.appeal_return(actor=handler, appeal=a, reason=f"不属本部门职责 {i}", today=TODAY)
        assert a.status == AppealStatus.SUBMITTED
    s.appeal_dispatch(actor=zone, appeal=a, today=TODAY)
    s.appeal_return(actor=handler, appeal=a, reason="第三次退回", today=TODAY)
    assert a.status == AppealStatus.ARBITRATION and a.return_count == 3
    s.appeal_dispatch(actor=zone, appeal=a, today=TODAY)
    assert a.final_dispatch
    with pytest.raises(DomainError, match="仲裁"):
        s.appeal_return(actor=handler, appeal=a, reason="再退", today=TODAY)


def test_return_needs_a_reason(new_appeal, users):
    a = new_appeal()
    s.appeal_dispatch(actor=users["zone_admin"], appeal=a, today=TODAY)
    with pytest.raises(DomainError) as exc:
        s.appeal_return(actor=users["dept_handler"], appeal=a, reason=" ", today=TODAY)
    assert exc.value.field == "reason"


def _in_progress(new_appeal, users):
    a = new_appeal()
    s.appeal_dispatch(actor=users["zone_admin"], appeal=a, today=TODAY)
    s.appeal_accept(actor=users["dept_handler"], appeal=a, today=TODAY)
    return a


def test_extension_before_the_deadline_is_approved(new_appeal, users):
    a = _in_progress(new_appeal, users)
    s.appeal_request_extension(actor=users["dept_handler"], appeal=a, days=10, reason="需多部门会商", today=TODAY)
    s.appeal_decide_extension(actor=users["zone_admin"], appeal=a, approve=True, today=TODAY)
    assert a.extended and a.resolve_due == date(2026, 12, 25)


def test_extension_after_the_deadline_is_refused(new_appeal, users):
    a = _in_progress(new_appeal, users)
    late = date(2026, 12, 14)  # resolve_due was Dec 11
    with pytest.raises(DomainError, match="已过"):
        s.appeal_request_extension(actor=users["dept_handler"], appeal=a, days=5, reason="来不及", today=late)
    a.refresh_from_db()
    assert a.extension_requested_days == 0 and not a.events.filter(kind="extension_request").exists()


def test_extension_beyond_the_cap_is_refused(new_appeal, users):
    a = _in_progress(new_appeal, users)
    with pytest.raises(DomainError, match="15"):
        s.appeal_request_extension(actor=users["dept_handler"], appeal=a, days=16, reason="很复杂", today=TODAY)


def _closed(new_appeal, users):
    a = _in_progress(new_appeal, users)
    s.appeal_reply(actor=users["dept_handler"], appeal=a, text="已办", final=True, resolved=False, today=TODAY)
    s.appeal_close(actor=users["zone_admin"], appeal=a, today=TODAY)
    return a


def test_rating_by_someone_else_is_refused(new_appeal, users):
    a = _closed(new_appeal, users)
    for name in ("zone_admin", "dept_handler", "instructor"):
        with pytest.raises(DomainError, match="企业联络员"):
            s.appeal_rate(actor=users[name], appeal=a, rating="satisfied")
    a.refresh_from_db()
    assert a.rating == "" and not a.events.filter(kind="rate").exists()


def test_dissatisfied_then_reopen(new_appeal, users):
    a = _closed(new_appeal, users)
    with pytest.raises(DomainError):
        s.appeal_reopen(actor=users["zone_admin"], appeal=a, reason="x", today=TODAY)
    s.appeal_rate(actor=users["enterprise_contact"], appeal=a, rating="dissatisfied", comment="补贴仍未到账")
    s.appeal_reopen(actor=users["zone_admin"], appeal=a, reason="实质问题未解决", today=date(2026, 11, 23))
    assert a.status == AppealStatus.IN_PROGRESS and a.reopen_count == 1 and a.resolve_due == date(2026, 12, 14)


def test_handler_of_another_department_cannot_accept(new_appeal, users):
    a = new_appeal()
    other = Department.objects.exclude(code="science").first()
    s.appeal_dispatch(actor=users["zone_admin"], appeal=a, department=other, today=TODAY)
    with pytest.raises((NotFound, DomainError)):
        s.appeal_accept(actor=users["dept_handler"], appeal=a, today=TODAY)
    assert Appeal.objects.get(pk=a.pk).status == AppealStatus.DISPATCHED


def test_transfer_restarts_the_clocks(new_appeal, users):
    a = _in_progress(new_appeal, users)
    other = Department.objects.get(code="finance")
    s.appeal_transfer(actor=users["zone_admin"], appeal=a, department=other, reason="资金类", today=date(2026, 11, 23))
    assert a.status == AppealStatus.DISPATCHED and a.department == other and a.accept_due == date(2026, 11, 24)


def test_similar_appeal_warning(new_appeal):
    a = new_appeal(title="研发费用补贴兑现", content="研发费用补贴一直没有兑现")
    b = new_appeal(title="研发费用补贴何时兑现", content="再次询问研发费用补贴兑现")
    assert a in s.similar_for(b, viewer=None)
    c = new_appeal(title="园区道路照明", content="夜间路灯不亮")
    assert a not in s.similar_for(c, viewer=None)


def test_submit_and_dispatch_in_an_unpublished_year(new_appeal, users):
    a = new_appeal(today=date(2032, 3, 1))  # no calendar confirms 2032: the service is not refused
    s.appeal_dispatch(actor=users["zone_admin"], appeal=a, today=date(2032, 3, 1))
    assert a.resolve_due > date(2032, 3, 1) and a.deadlines_provisional
