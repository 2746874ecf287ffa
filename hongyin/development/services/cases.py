"""A development case: opened with the application (step 1), closed, its probation extended."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError
from hongyin.common.fields import index_of, mask_id_number, mask_name
from hongyin.common.identifiers import validate_id_number
from hongyin.members.choices import ETHNICITIES, Education, MemberCategory
from hongyin.members.models import Member
from hongyin.members.validation import age_on, validate_name, validate_phone
from hongyin.orgs.models import Organization

from ..models import DevelopmentCase, StepRecord
from ..steps import Stage
from .flow import DEVELOPMENT_FLOW, MAX_EXTENSION_MONTHS, MIN_AGE, add_months, check_branch, local_today, user_or_none


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
    check_branch(actor, branch)
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
    if applied_on > local_today():
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
    StepRecord.objects.create(
        case=case, step=1, done_on=applied_on, note=(note or "")[:2000], actor=user_or_none(actor)
    )
    audit.record(
        actor=actor,
        action="development.case_create",
        obj=case,
        org=branch,
        details={"name": mask_name(name), "id_number": mask_id_number(number), "applied_on": applied_on},
    )
    return case


@transaction.atomic
def development_case_close(*, actor, case: DevelopmentCase, reason: str) -> DevelopmentCase:
    check_branch(actor, case.branch)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("请填写终止原因。"), field="reason")
    DEVELOPMENT_FLOW.check(case, "close")
    return DEVELOPMENT_FLOW.move(
        actor=actor, obj=case, action="close", note=reason, changes={"closed_reason": reason[:200]}
    )


@transaction.atomic
def development_extend_probation(
    *, actor, case: DevelopmentCase, months: int, decided_on: date, reason: str
) -> DevelopmentCase:
    """Probation may be extended once, by at most one year (branch general meeting, higher approval)."""
    check_branch(actor, case.branch)
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
    if decided_on is None or decided_on > local_today():
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
        actor=user_or_none(actor),
    )
    return case
