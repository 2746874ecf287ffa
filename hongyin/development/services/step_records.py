"""Recording steps 2-25: the generic checks, each step's rule (VALIDATORS) and effect (EFFECTS)."""

from collections.abc import Callable, Iterable
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from hongyin.common.errors import DomainError
from hongyin.common.notification_texts import text
from hongyin.common.notifications import notify
from hongyin.common.uploads import attachment_save
from hongyin.members import services as member_services
from hongyin.members.choices import MemberStatus
from hongyin.members.models import Member

from ..models import DevelopmentCase, StepDocument, StepRecord
from ..steps import STEP_BY_NUMBER, Step
from .flow import (
    ACTIVIST_YEARS,
    APPROVAL_MONTHS,
    APPROVE,
    DEVELOPMENT_FLOW,
    HIGHER_STEPS,
    TRAINING_DAYS,
    TRAINING_HOURS,
    add_months,
    check_branch,
    full_members_of,
    is_higher_committee,
    local_today,
    user_or_none,
)

# --- steps: the rules --------------------------------------------------------------------------------------------


def _int(data: dict, key: str, label: str) -> int:
    try:
        value = int(str(data.get(key, "")).strip() or "x")
    except ValueError:
        raise DomainError(_("请填写%(l)s（整数）。") % {"l": label}, field=key)
    if value < 0 or value > 100000:
        raise DomainError(_("%(l)s不合理。") % {"l": label}, field=key)
    return value


def _full_people(case: DevelopmentCase, people: list[Member], low: int, high: int, label: str) -> None:
    if not low <= len(people) <= high:
        count = str(low) if low == high else f"{low}-{high}"
        raise DomainError(_("%(l)s应为 %(n)s 名正式党员。") % {"l": label, "n": count}, field="people")
    for p in people:
        if p.status != MemberStatus.FULL or p.left_on:
            raise DomainError(_("%(p)s 不是正式党员，不能担任%(l)s。") % {"p": p.name, "l": label}, field="people")


def _talk(case, rec, data, people):
    if rec.done_on > add_months(case.applied_on, 1):
        return _("谈话晚于收到入党申请后一个月（申请日期 %(d)s）。") % {"d": case.applied_on}
    return ""


def _sponsors(case, rec, data, people):
    _full_people(case, people, 1, 2, _("培养联系人"))
    return ""


def _candidate(case, rec, data, people):
    ready = add_months(case.activist_on, 12 * ACTIVIST_YEARS)
    if rec.done_on < ready:
        raise DomainError(
            _("确定为入党积极分子满一年后方可确定为发展对象（%(d)s 之后）。") % {"d": ready}, field="done_on"
        )
    return ""


def _introducers(case, rec, data, people):
    _full_people(case, people, 2, 2, _("入党介绍人"))
    return ""


def _political_review(case, rec, data, people):
    if data.get("conclusion") != "qualified":
        raise DomainError(_("政治审查结论为“合格”方可继续发展。"), field="conclusion")
    return ""


def _training(case, rec, data, people):
    days = _int(data, "training_days", _("培训天数")) if str(data.get("training_days", "")).strip() else 0
    hours = _int(data, "training_hours", _("培训学时")) if str(data.get("training_hours", "")).strip() else 0
    if days < TRAINING_DAYS and hours < TRAINING_HOURS:
        raise DomainError(_("集中培训时间一般不少于 3 天或不少于 24 个学时。"), field="training_days")
    data.update(training_days=days, training_hours=hours)
    return ""


def vote_passes(yes: int, entitled: int) -> bool:
    """Yes votes must exceed half of the full members entitled to vote."""
    return yes * 2 > entitled


def _vote(case, rec, data, people):
    entitled = full_members_of(case.branch).count()
    yes = _int(data, "yes_votes", _("赞成票数"))
    if yes > entitled:
        raise DomainError(
            _("赞成票数不能多于有表决权的正式党员人数（%(n)d 人）。") % {"n": entitled}, field="yes_votes"
        )
    if not vote_passes(yes, entitled):
        raise DomainError(
            _("赞成票 %(y)d 票未超过应到会有表决权正式党员 %(n)d 人的半数，决议未通过。") % {"y": yes, "n": entitled},
            field="yes_votes",
        )
    data.update(yes_votes=yes, entitled=entitled)
    return ""


def _full_vote(case, rec, data, people):
    if rec.done_on < case.probation_ends_on:
        raise DomainError(_("预备期 %(d)s 期满后方可讨论转正。") % {"d": case.probation_ends_on}, field="done_on")
    return _vote(case, rec, data, people)


def _approval_in_time(resolution: date, rec) -> None:
    limit = add_months(resolution, APPROVAL_MONTHS)
    if rec.done_on > limit:
        raise DomainError(
            _("上级党委应在支部大会决议后三个月内审批（%(d)s 前），已超期。") % {"d": limit}, field="done_on"
        )


def _admission_approval(case, rec, data, people):
    _approval_in_time(case.admitted_on, rec)
    return ""


def _full_approval(case, rec, data, people):
    vote = case.steps.filter(step=23).order_by("-done_on").first()
    _approval_in_time(vote.done_on, rec)
    return ""


VALIDATORS: dict[int, Callable] = {
    2: _talk,
    5: _sponsors,
    7: _candidate,
    9: _introducers,
    10: _political_review,
    11: _training,
    15: _vote,
    17: _admission_approval,
    23: _full_vote,
    24: _full_approval,
}


# --- steps: the effects --------------------------------------------------------------------------------------------


def _eff_activist(case, rec, actor):
    case.activist_on = rec.done_on


def _eff_review(case, rec, actor):
    case.last_review_on = max(filter(None, [case.last_review_on, rec.done_on]))


def _eff_candidate(case, rec, actor):
    case.candidate_on = rec.done_on


def _eff_admission_vote(case, rec, actor):
    case.admitted_on = rec.done_on
    case.probation_ends_on = add_months(rec.done_on, 12)


def _eff_admitted(case, rec, actor):
    """Approval: the applicant becomes a probationary member, through the members service."""
    case.member = member_services.member_create(
        actor=actor,
        org=case.branch,
        name=case.name,
        gender=case.gender,
        birth_date=case.birth_date,
        id_number=case.id_number,
        joined_on=case.admitted_on,
        ethnicity=case.ethnicity,
        phone=case.phone,
        education=case.education,
        category=case.category,
        status=MemberStatus.PROBATIONARY,
        employer_name=case.employer_name,
        history_summary=_("经支部大会 %(d)s 通过、上级党委批准，接收为预备党员") % {"d": case.admitted_on},
    )


def _eff_full(case, rec, actor):
    """Full membership dates from the day probation ends."""
    case.full_on = case.probation_ends_on
    if case.member_id:
        member_services.member_convert(actor=actor, member=case.member, full_member_on=case.probation_ends_on)


EFFECTS: dict[int, Callable] = {
    3: _eff_activist,
    6: _eff_review,
    7: _eff_candidate,
    15: _eff_admission_vote,
    17: _eff_admitted,
    24: _eff_full,
}


def _check_step_allowed(actor, case: DevelopmentCase, step: Step, done_on: date) -> None:
    if step.number == 1:
        raise DomainError(_("入党申请在建立档案时登记。"), field="step")
    if case.stage != step.stage:
        raise DomainError(
            _("当前阶段为“%(s)s”，不能办理“%(t)s”。") % {"s": case.get_stage_display(), "t": step.title},
            field="step",
        )
    if step.number in HIGHER_STEPS and (
        actor is not None and (not actor.has_role_perm(APPROVE) or not is_higher_committee(actor, case.branch))
    ):
        raise DomainError(_("“%(t)s”须由上级党委办理。") % {"t": step.title}, field="step")
    done = dict(case.steps.values_list("step", "done_on").order_by("done_on"))
    if step.number in done and not step.repeatable:
        raise DomainError(_("“%(t)s”已经办理。") % {"t": step.title}, field="step")
    missing = [STEP_BY_NUMBER[n] for n in step.requires if n not in done]
    if missing:
        raise DomainError(
            _("请先办理：%(s)s。") % {"s": "、".join(f"{m.number}. {m.title}" for m in missing)}, field="step"
        )
    if done_on is None:
        raise DomainError(_("请填写日期。"), field="done_on")
    if done_on > local_today():
        raise DomainError(_("日期不能晚于今天。"), field="done_on")
    earliest = max((done[n] for n in step.requires), default=case.applied_on)
    if done_on < earliest:
        raise DomainError(_("日期不能早于前一步骤的日期（%(d)s）。") % {"d": earliest}, field="done_on")


@transaction.atomic
def development_record_step(
    *,
    actor,
    case: DevelopmentCase,
    step: int,
    done_on: date,
    note: str = "",
    people: Iterable[Member] = (),
    data: dict | None = None,
    files: Iterable = (),
) -> StepRecord:
    """Record one of steps 2-25: generic checks, then the step's rule (VALIDATORS) and effect (EFFECTS); the case
    moves through DEVELOPMENT_FLOW (locked, version-checked, audited) in the same transaction."""
    check_branch(actor, case.branch)
    definition = STEP_BY_NUMBER.get(step)
    if definition is None:
        raise DomainError(_("步骤不存在。"), field="step")
    _check_step_allowed(actor, case, definition, done_on)
    people = list(people)
    data = dict(data or {})
    record = StepRecord(
        case=case, step=step, done_on=done_on, note=(note or "").strip()[:2000], actor=user_or_none(actor)
    )
    validator = VALIDATORS.get(step)
    warning = validator(case, record, data, people) if validator else ""
    record.data = {k: v for k, v in data.items() if isinstance(v, str | int | float | bool)}
    record.warning = warning[:300]
    record.save()
    if people:
        record.people.set(people)
    for upload in files:
        StepDocument.objects.create(record=record, attachment=attachment_save(actor=actor, upload=upload, owner=record))
    effect = EFFECTS.get(step)
    if effect:
        effect(case, record, actor)
    DEVELOPMENT_FLOW.move(
        actor=actor,
        obj=case,
        action=f"step_{step}",
        note=record.note,
        details={"step": step, "title": str(definition.title), "on": done_on, "warning": record.warning, **record.data},
    )
    if case.member_id and case.member.user_id and definition.advances_to:
        notify(user=case.member.user, title=text("development.step", t_msg=definition.title))
    return record
