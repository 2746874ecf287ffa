"""Writes of roadshows and one-stop services.

Events: create and edit, presenting projects, invited institutions, sign-ups and attendance (the organizer's mark
or the event's signed QR code, hongyin.common.checkin), held or cancelled through EVENT_FLOW. Outcomes: recorded
and followed through OUTCOME_FLOW (intention -> agreement -> landed, or dropped; each follow-up sets the next due
date). Service requests: each is an appeal submitted through hongyin.appeals' own service, routed to the
department of the catalogue entry; a package request is one service request per part.

Every write checks the actor's scope and writes its audit event in the same transaction; refused input raises a
DomainError in the user's language and writes nothing."""

from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongyin.appeals import services as appeal_services
from hongyin.appeals.models import AppealSource
from hongyin.appeals.permissions import enterprises_in_scope
from hongyin.audit import services as audit
from hongyin.common.checkin import make_code, verify_code
from hongyin.common.errors import DomainError, NotFound
from hongyin.enterprises.models import Enterprise
from hongyin.workflows.engine import Transition, Workflow

from .models import (
    OPEN_STAGES,
    Event,
    EventEvent,
    EventKind,
    EventStatus,
    GuestKind,
    Invitation,
    Offering,
    Outcome,
    OutcomeEvent,
    OutcomeStage,
    Package,
    PackageRequest,
    Presentation,
    Registration,
    ServiceRequest,
)
from .permissions import MANAGE, REQUEST, can_manage, events_managed_by, organizer_choices

CHECKIN_PURPOSE = "roadshow"
CHECKIN_KIND = "roadshows.event"
MAX_AMOUNT = Decimal("10000000")  # 万元: a thousand billion yuan, far above any project


def _first_org(event: Event):
    return event.organizers.order_by("path").first()


def _record_event(event, *, actor, action, before, after, note):
    return EventEvent.objects.create(event=event, actor=actor, action=action, before=before, after=after, note=note)


EVENT_FLOW = Workflow(
    key="roadshow",
    model=Event,
    transitions=[
        Transition("hold", {EventStatus.PLANNED}, EventStatus.HELD, gettext_lazy("确认已举办"), can_manage),
        Transition("cancel", {EventStatus.PLANNED}, EventStatus.CANCELLED, gettext_lazy("取消活动"), can_manage),
    ],
    record_event=_record_event,
    audit_org=_first_org,
    audit_details=lambda event: {"title": event.title},
    stale_message=gettext_lazy("该活动已被他人修改，请刷新后重试。"),
)


def _manages_outcome(user, outcome) -> bool:
    return can_manage(user, outcome.event)


def _record_outcome(outcome, *, actor, action, before, after, note):
    return OutcomeEvent.objects.create(
        outcome=outcome, actor=actor, action=action, before=before, after=after, note=note[:300]
    )


ST = OutcomeStage
OUTCOME_FLOW = Workflow(
    key="roadshow_outcome",
    model=Outcome,
    state_field="stage",
    transitions=[
        Transition("follow_up", OPEN_STAGES, None, gettext_lazy("登记跟进"), _manages_outcome),
        Transition("agree", {ST.INTENTION}, ST.AGREEMENT, gettext_lazy("签约"), _manages_outcome),
        Transition("land", OPEN_STAGES, ST.LANDED, gettext_lazy("项目落地"), _manages_outcome),
        Transition("drop", OPEN_STAGES, ST.DROPPED, gettext_lazy("终止跟进"), _manages_outcome),
    ],
    record_event=_record_outcome,
    audit_org=lambda outcome: _first_org(outcome.event),
    audit_details=lambda outcome: {"project": outcome.project, "event": outcome.event_id},
    stale_message=gettext_lazy("该成果已被他人更新，请刷新后重试。"),
)


# --- checks ---------------------------------------------------------------------------------------------------------


def _text(value, *, field: str, label, limit: int, required: bool = False) -> str:
    value = str(value or "").strip()
    if required and not value:
        raise DomainError(_("请填写%(l)s。") % {"l": label}, field=field)
    if len(value) > limit:
        raise DomainError(_("%(l)s不能超过 %(n)d 个字。") % {"l": label, "n": limit}, field=field)
    if "\x00" in value:
        raise DomainError(_("%(l)s含有无法保存的字符。") % {"l": label}, field=field)
    return value


def _amount(value, *, field: str, label, required: bool = False) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise DomainError(_("请填写%(l)s。") % {"l": label}, field=field)
        return None
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        raise DomainError(_("%(l)s须为数字（万元）。") % {"l": label}, field=field) from None
    if not amount.is_finite() or amount < 0 or amount > MAX_AMOUNT:
        raise DomainError(_("%(l)s须在 0 至 10,000,000 万元之间。") % {"l": label}, field=field)
    return amount


def _day(value, *, field: str, label, required: bool = True) -> date | None:
    if value in (None, ""):
        if required:
            raise DomainError(_("请填写%(l)s。") % {"l": label}, field=field)
        return None
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise DomainError(_("%(l)s格式不正确。") % {"l": label}, field=field) from None
    if not (2000 <= value.year <= timezone.localdate().year + 5):
        raise DomainError(_("请填写正确的%(l)s。") % {"l": label}, field=field)
    return value


def _require_manage(actor, event: Event) -> None:
    if actor is None:
        return
    if not actor.has_role_perm(MANAGE) or not events_managed_by(actor).filter(pk=event.pk).exists():
        raise NotFound


def _check_open(event: Event) -> None:
    if event.status == EventStatus.CANCELLED:
        raise DomainError(_("活动已取消，不能再修改。"), field="status")


def _organizers(actor, organizers) -> list:
    organizers = list(organizers or [])
    if not organizers:
        raise DomainError(_("请至少选择一个主办党组织。"), field="organizers")
    if actor is not None:
        allowed = set(organizer_choices(actor).filter(pk__in=[o.pk for o in organizers]).values_list("pk", flat=True))
        if any(o.pk not in allowed for o in organizers):
            raise DomainError(_("主办党组织须在您的管理范围内。"), field="organizers")
    return organizers


def _enterprise_in_scope(actor, enterprise, perm: str = MANAGE) -> None:
    """An organizer names a firm its committees serve (the zone: any firm)."""
    if actor is None or enterprise is None:
        return
    if not enterprises_in_scope(actor, "appeals.view").filter(pk=enterprise.pk).exists():
        raise DomainError(_("该企业不在您的服务范围内。"), field="enterprise")


# --- events ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def event_create(
    *, actor, title: str, kind: str, held_on, organizers, place: str = "", description: str = "", chain=None
) -> Event:
    if actor is not None and not actor.has_role_perm(MANAGE):
        raise NotFound
    if kind not in EventKind.values:
        raise DomainError(_("请选择活动类型。"), field="kind")
    organizers = _organizers(actor, organizers)
    event = Event.objects.create(
        title=_text(title, field="title", label=_("活动名称"), limit=120, required=True),
        kind=kind,
        held_on=_day(held_on, field="held_on", label=_("举办日期")),
        place=_text(place, field="place", label=_("地点"), limit=120),
        description=_text(description, field="description", label=_("活动简介"), limit=5000),
        chain=chain,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    event.organizers.set(organizers)
    audit.record(
        actor=actor,
        action="roadshow.create",
        obj=event,
        org=organizers[0],
        details={"title": event.title, "organizers": [o.pk for o in organizers]},
    )
    return event


@transaction.atomic
def event_update(
    *, actor, event: Event, version, title: str, kind: str, held_on, organizers, place: str = "", description: str = ""
) -> Event:
    _require_manage(actor, event)
    EVENT_FLOW.expect_version(event, version)
    _check_open(event)
    if kind not in EventKind.values:
        raise DomainError(_("请选择活动类型。"), field="kind")
    organizers = _organizers(actor, organizers)
    fields = {
        "title": _text(title, field="title", label=_("活动名称"), limit=120, required=True),
        "kind": kind,
        "held_on": _day(held_on, field="held_on", label=_("举办日期")),
        "place": _text(place, field="place", label=_("地点"), limit=120),
        "description": _text(description, field="description", label=_("活动简介"), limit=5000),
    }
    updated = Event.objects.filter(pk=event.pk, version=event.version).update(**fields, version=event.version + 1)
    if not updated:
        raise DomainError(str(EVENT_FLOW.stale_message), field="version", code="stale")
    event.refresh_from_db()
    event.organizers.set(organizers)
    audit.record(actor=actor, action="roadshow.update", obj=event, org=organizers[0], details={"title": event.title})
    return event


def event_hold(*, actor, event: Event, version=None) -> Event:
    EVENT_FLOW.expect_version(event, version)
    return _event_move(actor, event, "hold")


def event_cancel(*, actor, event: Event, version=None, reason: str = "") -> Event:
    EVENT_FLOW.expect_version(event, version)
    return _event_move(actor, event, "cancel", note=_text(reason, field="reason", label=_("原因"), limit=300))


def _event_move(actor, event, action, note=""):
    _require_manage(actor, event)
    EVENT_FLOW.check(event, action)
    return EVENT_FLOW.move(actor=actor, obj=event, action=action, note=note)


@transaction.atomic
def presentation_add(*, actor, event: Event, enterprise, project: str, financing_sought=None) -> Presentation:
    _require_manage(actor, event)
    _check_open(event)
    if enterprise is None:
        raise DomainError(_("请选择路演企业。"), field="enterprise")
    _enterprise_in_scope(actor, enterprise)
    project = _text(project, field="project", label=_("路演项目"), limit=120, required=True)
    if event.presentations.filter(enterprise=enterprise, project=project).exists():
        raise DomainError(_("该企业的这个项目已在本次活动的路演名单中。"), field="project")
    p = Presentation.objects.create(
        event=event,
        enterprise=enterprise,
        project=project,
        financing_sought=_amount(financing_sought, field="financing_sought", label=_("拟融资金额")),
    )
    audit.record(
        actor=actor,
        action="roadshow.presentation_add",
        obj=event,
        org=_first_org(event),
        details={"enterprise": enterprise.pk, "project": project},
    )
    return p


@transaction.atomic
def presentation_remove(*, actor, event: Event, presentation: Presentation) -> None:
    _require_manage(actor, event)
    _check_open(event)
    if presentation.event_id != event.pk:
        raise NotFound
    details = {"enterprise": presentation.enterprise_id, "project": presentation.project}
    presentation.delete()
    audit.record(actor=actor, action="roadshow.presentation_remove", obj=event, org=_first_org(event), details=details)


@transaction.atomic
def invitation_add(*, actor, event: Event, kind: str, institution=None, name: str = "") -> Invitation:
    _require_manage(actor, event)
    _check_open(event)
    if kind not in (GuestKind.INSTITUTION, GuestKind.INVESTOR):
        raise DomainError(_("请选择邀请类型：金融机构或投资人。"), field="kind")
    if kind == GuestKind.INSTITUTION and institution is None:
        raise DomainError(_("请选择邀请的金融机构。"), field="institution")
    name = institution.name if institution is not None else _text(name, field="name", label=_("名称"), limit=100)
    if not name:
        raise DomainError(_("请填写投资人或机构名称。"), field="name")
    if event.invitations.filter(name=name).exists():
        raise DomainError(_("“%(n)s”已在邀请名单中。") % {"n": name}, field="name")
    invitation = Invitation.objects.create(event=event, kind=kind, institution=institution, name=name)
    audit.record(
        actor=actor, action="roadshow.invite", obj=event, org=_first_org(event), details={"name": name, "kind": kind}
    )
    return invitation


@transaction.atomic
def registration_add(
    *, actor, event: Event, name: str, unit: str = "", kind: str = GuestKind.ENTERPRISE, enterprise=None
) -> Registration:
    """A sign-up the organizer takes (by phone, from a list)."""
    _require_manage(actor, event)
    _check_open(event)
    if kind not in GuestKind.values:
        raise DomainError(_("请选择报名类型。"), field="kind")
    _enterprise_in_scope(actor, enterprise)
    reg = Registration.objects.create(
        event=event,
        kind=kind,
        name=_text(name, field="name", label=_("姓名"), limit=40, required=True),
        unit=_text(unit or (enterprise.name if enterprise else ""), field="unit", label=_("单位"), limit=100),
        enterprise=enterprise,
    )
    audit.record(actor=actor, action="roadshow.register", obj=event, org=_first_org(event), details={"name": reg.name})
    return reg


@transaction.atomic
def registration_attend(*, actor, event: Event, registration: Registration) -> Registration:
    """The organizer marks a signed-up guest present."""
    _require_manage(actor, event)
    if registration.event_id != event.pk:
        raise NotFound
    if event.status == EventStatus.CANCELLED:
        raise DomainError(_("活动已取消，不能签到。"), field="status")
    if registration.attended_at is not None:
        raise DomainError(_("%(n)s 已签到。") % {"n": registration.name})
    registration.attended_at = timezone.now()
    registration.method = Registration.Method.MANUAL
    registration.save(update_fields=["attended_at", "method"])
    audit.record(
        actor=actor, action="roadshow.attend", obj=event, org=_first_org(event), details={"name": registration.name}
    )
    return registration


def checkin_code(event: Event, *, minutes: int = 15) -> str:
    """The signed code the event's QR carries (valid for `minutes`; the page refreshes it)."""
    return make_code(CHECKIN_PURPOSE, CHECKIN_KIND, event.pk, minutes=minutes)


def event_for_code(code: str) -> Event:
    """The event a scanned code is for; DomainError on a forged, altered or expired code."""
    token = verify_code(code, CHECKIN_PURPOSE, kind=CHECKIN_KIND)
    event = Event.objects.filter(pk=token.pk).first()
    if event is None:
        raise NotFound
    return event


@transaction.atomic
def checkin_by_code(*, actor, code: str) -> Registration:
    """A signed-in guest scans the event's QR: its sign-up (by account, or its enterprise's) is marked present;
    a guest who did not sign up is registered on the spot."""
    event = event_for_code(code)
    if event.status == EventStatus.CANCELLED:
        raise DomainError(_("活动已取消，不能签到。"), field="status")
    reg = event.registrations.filter(user=actor).first()
    firms = [a.enterprise_id for a in actor.assignments if a.enterprise_id]
    if reg is None and firms:
        reg = event.registrations.filter(enterprise_id__in=firms, user__isnull=True, attended_at__isnull=True).first()
    if reg is not None and reg.attended_at is not None:
        raise DomainError(_("您已签到，无需重复签到。"))
    now = timezone.now()
    if reg is None:
        enterprise = next((a.enterprise for a in actor.assignments if a.enterprise_id), None)
        reg = Registration(
            event=event,
            kind=GuestKind.ENTERPRISE if enterprise else GuestKind.OTHER,
            name=(actor.get_full_name() or actor.get_username())[:40],
            unit=(enterprise.name if enterprise else "")[:100],
            enterprise=enterprise,
        )
    reg.user, reg.attended_at, reg.method = actor, now, Registration.Method.QR
    try:
        with transaction.atomic():
            reg.save()
    except IntegrityError:
        raise DomainError(_("您已签到，无需重复签到。")) from None
    audit.record(
        actor=actor, action="roadshow.checkin", obj=event, org=_first_org(event), details={"registration": reg.pk}
    )
    return reg


# --- outcomes -------------------------------------------------------------------------------------------------------


def _check_landed(*, amount, department, occurred_on) -> None:
    if department is None:
        raise DomainError(_("落地项目须填写跟进部门。"), field="department")
    if amount is None:
        raise DomainError(_("落地项目须填写金额（万元）。"), field="amount")
    if occurred_on is None:
        raise DomainError(_("落地项目须填写落地日期。"), field="occurred_on")


def _check_due(due: date | None, occurred_on: date | None) -> None:
    if due is not None and occurred_on is not None and due < occurred_on:
        raise DomainError(_("下次跟进日期不能早于成果日期。"), field="follow_up_due")


@transaction.atomic
def outcome_record(
    *,
    actor,
    event: Event,
    stage: str,
    project: str,
    enterprise,
    occurred_on,
    amount=None,
    department=None,
    institution=None,
    follow_up_due=None,
    note: str = "",
) -> Outcome:
    _require_manage(actor, event)
    if event.status != EventStatus.HELD:
        raise DomainError(_("活动举办后才能登记成果，请先确认活动已举办。"), field="status")
    if stage not in (ST.INTENTION, ST.AGREEMENT, ST.LANDED):
        raise DomainError(_("请选择成果进展：意向、签约或落地。"), field="stage")
    if enterprise is None:
        raise DomainError(_("请选择企业。"), field="enterprise")
    _enterprise_in_scope(actor, enterprise)
    occurred_on = _day(occurred_on, field="occurred_on", label=_("日期"))
    if occurred_on < event.held_on:
        raise DomainError(_("成果日期不能早于活动举办日期（%(d)s）。") % {"d": event.held_on}, field="occurred_on")
    if occurred_on > timezone.localdate():
        raise DomainError(_("成果日期不能晚于今天。"), field="occurred_on")
    amount = _amount(amount, field="amount", label=_("金额"))
    follow_up_due = _day(follow_up_due, field="follow_up_due", label=_("下次跟进日期"), required=False)
    if stage == ST.LANDED:
        _check_landed(amount=amount, department=department, occurred_on=occurred_on)
        follow_up_due = None
    elif follow_up_due is None:
        raise DomainError(_("意向和签约须约定下次跟进日期。"), field="follow_up_due")
    _check_due(follow_up_due, occurred_on)
    outcome = Outcome.objects.create(
        event=event,
        stage=stage,
        project=_text(project, field="project", label=_("项目"), limit=120, required=True),
        enterprise=enterprise,
        institution=institution,
        amount=amount,
        occurred_on=occurred_on,
        department=department,
        follow_up_due=follow_up_due,
        note=_text(note, field="note", label=_("说明"), limit=300),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    OutcomeEvent.objects.create(
        outcome=outcome, actor=outcome.created_by, action="record", after=stage, note=outcome.note
    )
    audit.record(
        actor=actor,
        action="roadshow.outcome_record",
        obj=outcome,
        org=_first_org(event),
        details={"stage": stage, "project": outcome.project, "amount": str(amount or "")},
    )
    return outcome


def _outcome_move(actor, outcome, action, *, version, note, changes):
    OUTCOME_FLOW.expect_version(outcome, version)
    _require_manage(actor, outcome.event)
    OUTCOME_FLOW.check(outcome, action)
    return OUTCOME_FLOW.move(actor=actor, obj=outcome, action=action, note=note, changes=changes)


@transaction.atomic
def outcome_follow_up(
    *, actor, outcome: Outcome, note: str, next_due, version=None, today: date | None = None
) -> Outcome:
    """A follow-up of an open outcome: what was found, and when to follow it next."""
    today = today or timezone.localdate()
    note = _text(note, field="note", label=_("跟进情况"), limit=300, required=True)
    next_due = _day(next_due, field="follow_up_due", label=_("下次跟进日期"))
    if next_due <= today:
        raise DomainError(_("下次跟进日期须晚于今天。"), field="follow_up_due")
    return _outcome_move(
        actor,
        outcome,
        "follow_up",
        version=version,
        note=note,
        changes={"follow_up_due": next_due, "followed_up_on": today},
    )


@transaction.atomic
def outcome_agree(
    *, actor, outcome: Outcome, occurred_on, next_due, amount=None, note: str = "", version=None
) -> Outcome:
    occurred_on = _day(occurred_on, field="occurred_on", label=_("签约日期"))
    next_due = _day(next_due, field="follow_up_due", label=_("下次跟进日期"))
    _check_due(next_due, occurred_on)
    changes = {"occurred_on": occurred_on, "follow_up_due": next_due}
    if amount not in (None, ""):
        changes["amount"] = _amount(amount, field="amount", label=_("金额"))
    return _outcome_move(
        actor,
        outcome,
        "agree",
        version=version,
        note=_text(note, field="note", label=_("说明"), limit=300),
        changes=changes,
    )


@transaction.atomic
def outcome_land(*, actor, outcome: Outcome, occurred_on, amount, department, note: str = "", version=None) -> Outcome:
    """The project landed in the zone: its amount, date and the department that followed it; no follow-up due."""
    occurred_on = _day(occurred_on, field="occurred_on", label=_("落地日期"))
    amount = _amount(amount, field="amount", label=_("金额"), required=True)
    _check_landed(amount=amount, department=department, occurred_on=occurred_on)
    if occurred_on > timezone.localdate():
        raise DomainError(_("落地日期不能晚于今天。"), field="occurred_on")
    changes = {"occurred_on": occurred_on, "amount": amount, "department": department, "follow_up_due": None}
    return _outcome_move(
        actor,
        outcome,
        "land",
        version=version,
        note=_text(note, field="note", label=_("说明"), limit=300),
        changes=changes,
    )


@transaction.atomic
def outcome_drop(*, actor, outcome: Outcome, reason: str, version=None) -> Outcome:
    reason = _text(reason, field="note", label=_("终止原因"), limit=300, required=True)
    return _outcome_move(actor, outcome, "drop", version=version, note=reason, changes={"follow_up_due": None})


# --- one-stop services ----------------------------------------------------------------------------------------------


def _check_requester(actor, enterprise) -> None:
    if actor is None:
        return
    if not actor.has_role_perm(REQUEST):
        raise NotFound
    if enterprise is None or not enterprises_in_scope(actor, "appeals.submit").filter(pk=enterprise.pk).exists():
        raise DomainError(_("该企业不在您的服务范围内。"), field="enterprise")


def _submit_part(*, actor, offering: Offering, enterprise, note: str, today: date, package_request=None):
    if not offering.is_active:
        raise DomainError(_("服务“%(n)s”已停用。") % {"n": offering.name}, field="offering")
    content = note or offering.description or offering.name
    if package_request is not None:
        content = _("服务包“%(p)s”的组成部分。") % {"p": package_request.package.name} + "\n" + content
    appeal = appeal_services.appeal_submit(
        actor=actor,
        enterprise=enterprise,
        category=offering.category,
        title=(_("一站式服务：%(n)s") % {"n": offering.name})[:120],
        content=content,
        source=AppealSource.PORTAL,
        today=today,
        department=offering.department,
    )
    return ServiceRequest.objects.create(
        offering=offering, enterprise=enterprise, appeal=appeal, package_request=package_request, requested_on=today
    )


@transaction.atomic
def service_request(*, actor, offering: Offering, enterprise, note: str = "", today: date | None = None):
    """An enterprise requests a catalogue service: an appeal routed to the service's department."""
    today = today or timezone.localdate()
    _check_requester(actor, enterprise)
    enterprise = Enterprise.objects.select_related("org").get(pk=enterprise.pk)
    note = _text(note, field="note", label=_("需求说明"), limit=500)
    req = _submit_part(actor=actor, offering=offering, enterprise=enterprise, note=note, today=today)
    audit.record(
        actor=actor,
        action="service_request.create",
        obj=req,
        org=enterprise.org,
        details={"offering": offering.pk, "appeal": req.appeal.number},
    )
    return req


@transaction.atomic
def package_request(*, actor, package: Package, enterprise, note: str = "", today: date | None = None):
    """A package request: one service request (one appeal) per part of the package, each followed to its end."""
    today = today or timezone.localdate()
    _check_requester(actor, enterprise)
    enterprise = Enterprise.objects.select_related("org").get(pk=enterprise.pk)
    if not package.is_active:
        raise DomainError(_("服务包“%(n)s”已停用。") % {"n": package.name}, field="package")
    offerings = [p.offering for p in package.package_parts.select_related("offering__category", "offering__department")]
    if not offerings:
        raise DomainError(_("服务包“%(n)s”尚未配置服务内容。") % {"n": package.name}, field="package")
    note = _text(note, field="note", label=_("需求说明"), limit=500)
    pr = PackageRequest.objects.create(
        package=package,
        enterprise=enterprise,
        note=note,
        requested_by=actor if getattr(actor, "is_authenticated", False) else None,
        requested_on=today,
    )
    for offering in offerings:
        _submit_part(actor=actor, offering=offering, enterprise=enterprise, note=note, today=today, package_request=pr)
    audit.record(
        actor=actor,
        action="package_request.create",
        obj=pr,
        org=enterprise.org,
        details={"package": package.pk, "parts": len(offerings)},
    )
    return pr


def default_follow_up(day: date) -> date:
    return day + timedelta(days=30)
