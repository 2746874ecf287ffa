"""Writes on development cases. `development_record_step` runs the generic checks of steps.py (stage, order,
who may record it) and then the step's own validator and effect from VALIDATORS / EFFECTS: one function per
regulation rule, each raising a DomainError that names the field, or returning a warning that is stored."""

import calendar
from collections.abc import Callable, Iterable
from datetime import date, timedelta

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError
from hongyin.common.fields import index_of, mask_id_number, mask_name
from hongyin.common.identifiers import validate_id_number
from hongyin.common.notification_texts import text
from hongyin.common.notifications import notify
from hongyin.common.permissions import check_in_scope
from hongyin.common.roles import roles_with
from hongyin.common.uploads import attachment_save
from hongyin.members import services as member_services
from hongyin.members.choices import ETHNICITIES, Education, MemberCategory, MemberStatus
from hongyin.members.models import Member
from hongyin.members.validation import age_on, validate_name, validate_phone
from hongyin.orgs.models import BRANCH_KINDS, Organization
from hongyin.orgs.permissions import ORG_SCOPE
from hongyin.workflows.engine import Transition, Workflow

from .models import DevelopmentCase, StepDocument, StepRecord
from .steps import STEP_BY_NUMBER, STEPS, Stage, Step

MANAGE = "development.manage"
APPROVE = "development.approve"
# Steps the higher committee does (filing, pre-review, talk, approval): a branch secretary cannot record them.
HIGHER_STEPS = frozenset({4, 8, 13, 16, 17, 18, 24})
MIN_AGE = 18
ACTIVIST_YEARS = 1
TRAINING_DAYS = 3
TRAINING_HOURS = 24
APPROVAL_MONTHS = 3
MAX_EXTENSION_MONTHS = 12


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _today() -> date:
    return timezone.localdate()


def is_higher_committee(actor, branch: Organization) -> bool:
    """The actor holds an approving role on an organization strictly above the branch."""
    if actor is None:
        return True  # seed and system jobs
    allowed = roles_with(APPROVE)
    return any(
        a.role in allowed and a.org_id and branch.path.startswith(a.org.path) and a.org.path != branch.path
        for a in actor.assignments
    )


def _manages(user, case) -> bool:
    try:
        _check_branch(user, case.branch)
    except (Http404, DomainError):
        return False
    return True


def _approves(user, case) -> bool:
    return _manages(user, case) and user.has_role_perm(APPROVE) and is_higher_committee(user, case.branch)


OPEN_STAGES = frozenset({Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY})

# The stages and who moves a case between them. A step is an action: the branch records most, the committee above
# the HIGHER_STEPS; a step with `advances_to` moves the case on. The StepRecord is the event row (written first).
DEVELOPMENT_FLOW = Workflow(
    key="development",
    model=DevelopmentCase,
    state_field="stage",
    transitions=[
        *(
            Transition(
                f"step_{s.number}",
                {s.stage},
                s.advances_to,
                s.title,
                may=_approves if s.number in HIGHER_STEPS else _manages,
            )
            for s in STEPS
            if s.number > 1
        ),
        Transition("extend_probation", {Stage.PROBATIONARY}, None, gettext_lazy("延长预备期"), _manages),
        Transition("close", OPEN_STAGES, Stage.CLOSED, gettext_lazy("终止档案"), _manages),
    ],
    record_event=lambda case, **event: None,
    audit_org=lambda case: case.branch,
    stale_message=gettext_lazy("该发展党员档案已被他人更新，请刷新后重试。"),
)


def _check_branch(actor, branch: Organization) -> None:
    if actor is not None:
        check_in_scope(actor, branch, MANAGE, ORG_SCOPE)
    if branch.kind not in BRANCH_KINDS or branch.dissolved_on:
        raise DomainError(_("发展党员须由党支部（含联合党支部）办理。"), field="branch")


def full_members_of(branch: Organization):
    return Member.objects.filter(org=branch, status=MemberStatus.FULL, left_on__isnull=True)


# --- the case -----------------------------------------------------------------------------------------------------


@transaction.atomic
def development_case_create(
    *,
    actor,
    branch: Organization,
    name: str,
    id_number: str,
    applied_on: date,
    gender: str = "",
    birth_date: date | None = None,
    phone: str = "",
    ethnicity: str = "汉族",
    education: str = "",
    category: str = "employed",
    employer_name: str = "",
    note: str = "",
) -> DevelopmentCase:
    """Step 1: the written application. The applicant must be 18 or older on the day of application."""
    _check_branch(actor, branch)
    name = validate_name(name)
    number, id_birth, _warnings = validate_id_number(id_number)
    if birth_date is not None and birth_date != id_birth:
        raise DomainError(
            _("出生日期 %(b)s 与身份证号码中的出生日期 %(i)s 不一致。") % {"b": birth_date, "i": id_birth},
            field="birth_date",
        )
    if gender not in ("", "male", "female"):
        raise DomainError(_("性别应为“男”或“女”。"), field="gender")
    gender = gender or ("male" if int(number[16]) % 2 else "female")
    phone = validate_phone(phone or "")
    if (category or "employed") not in MemberCategory.values:
        raise DomainError(_("人员类别不正确。"), field="category")
    if education and education not in Education.values:
        raise DomainError(_("学历不正确。"), field="education")
    if (ethnicity or "汉族") not in ETHNICITIES:
        raise DomainError(_("民族“%(e)s”不在 56 个民族名称之列。") % {"e": ethnicity}, field="ethnicity")
    if applied_on is None:
        raise DomainError(_("请填写申请日期。"), field="applied_on")
    if applied_on > _today():
        raise DomainError(_("申请日期不能晚于今天。"), field="applied_on")
    if age_on(id_birth, applied_on) < MIN_AGE:
        raise DomainError(_("申请入党须年满 18 周岁：申请人申请时未满 18 岁。"), field="applied_on")
    blind = index_of(number)
    if Member.objects.filter(id_number_index=blind, left_on__isnull=True).exists():
        raise DomainError(_("该身份证号码已是党员，不能重复申请。"), field="id_number")
    if DevelopmentCase.objects.filter(id_number_index=blind).exclude(stage__in=[Stage.FULL, Stage.CLOSED]).exists():
        raise DomainError(_("该申请人已有正在进行的发展档案。"), field="id_number")
    case = DevelopmentCase.objects.create(
        branch=branch,
        name=name,
        gender=gender,
        birth_date=id_birth,
        id_number=number,
        id_number_index=blind,
        phone=phone,
        ethnicity=ethnicity or "汉族",
        education=education or "",
        category=category or "employed",
        employer_name=(employer_name or "")[:200],
        applied_on=applied_on,
    )
    StepRecord.objects.create(case=case, step=1, done_on=applied_on, note=(note or "")[:2000], actor=_user(actor))
    audit.record(
        actor=actor,
        action="development.case_create",
        obj=case,
        org=branch,
        details={"name": mask_name(name), "id_number": mask_id_number(number), "applied_on": applied_on},
    )
    return case


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def development_case_close(*, actor, case: DevelopmentCase, reason: str) -> DevelopmentCase:
    _check_branch(actor, case.branch)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写终止原因。"), field="reason")
    DEVELOPMENT_FLOW.check(case, "close")
    return DEVELOPMENT_FLOW.move(
        actor=actor, obj=case, action="close", note=reason, changes={"closed_reason": reason[:200]}
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
    if done_on > _today():
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
    _check_branch(actor, case.branch)
    definition = STEP_BY_NUMBER.get(step)
    if definition is None:
        raise DomainError(_("步骤不存在。"), field="step")
    _check_step_allowed(actor, case, definition, done_on)
    people = list(people)
    data = dict(data or {})
    record = StepRecord(case=case, step=step, done_on=done_on, note=(note or "").strip()[:2000], actor=_user(actor))
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


@transaction.atomic
def development_extend_probation(
    *, actor, case: DevelopmentCase, months: int, decided_on: date, reason: str
) -> DevelopmentCase:
    """Probation may be extended once, by at most one year (branch general meeting, higher approval)."""
    _check_branch(actor, case.branch)
    if case.stage != Stage.PROBATIONARY:
        raise DomainError(_("只有预备党员可以延长预备期。"))
    if case.probation_extended:
        raise DomainError(_("预备期只能延长一次。"), field="months")
    try:
        months = int(months)
    except (TypeError, ValueError):
        raise DomainError(_("请填写延长的月数。"), field="months")
    if not 1 <= months <= MAX_EXTENSION_MONTHS:
        raise DomainError(_("延长预备期最短 1 个月，最长不超过一年。"), field="months")
    if not (reason or "").strip():
        raise DomainError(_("请填写延长预备期的理由。"), field="reason")
    if decided_on is None or decided_on > _today():
        raise DomainError(_("请填写正确的决定日期。"), field="decided_on")
    before = case.probation_ends_on
    DEVELOPMENT_FLOW.move(
        actor=actor,
        obj=case,
        action="extend_probation",
        note=reason.strip()[:200],
        changes={"probation_ends_on": add_months(case.probation_ends_on, months), "probation_extended": True},
        details={"months": months, "from": before, "to": add_months(before, months)},
    )
    StepRecord.objects.create(
        case=case,
        step=21,
        done_on=decided_on,
        note=_("延长预备期 %(m)d 个月：%(r)s") % {"m": months, "r": reason.strip()[:200]},
        data={"extension_months": months},
        actor=_user(actor),
    )
    return case


def review_due_on(case: DevelopmentCase) -> date | None:
    """Activists are reviewed every six months."""
    last = case.last_review_on or case.activist_on
    return add_months(last, 6) if last else None


DUE_SOON = timedelta(days=30)
