"""The development workflow: its numbers, who may move a case (the branch; the committee above for the
HIGHER_STEPS) and the declared DEVELOPMENT_FLOW."""

import calendar
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongyin.common.errors import DomainError, NotFound
from hongyin.common.permissions import check_in_scope
from hongyin.common.roles import roles_with
from hongyin.members.choices import MemberStatus
from hongyin.members.models import Member
from hongyin.orgs.models import BRANCH_KINDS, Organization
from hongyin.orgs.permissions import ORG_SCOPE
from hongyin.workflows.engine import Transition, Workflow

from ..models import DevelopmentCase
from ..steps import STEPS, Stage

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


def local_today() -> date:
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
        check_branch(user, case.branch)
    except (NotFound, DomainError):
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


def check_branch(actor, branch: Organization) -> None:
    if actor is not None:
        check_in_scope(actor, branch, MANAGE, ORG_SCOPE)
    if branch.kind not in BRANCH_KINDS or branch.dissolved_on:
        raise DomainError(_("发展党员须由党支部（含联合党支部）办理。"), field="branch")


def full_members_of(branch: Organization):
    return Member.objects.filter(org=branch, status=MemberStatus.FULL, left_on__isnull=True)


def user_or_none(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def review_due_on(case: DevelopmentCase) -> date | None:
    """Activists are reviewed every six months."""
    last = case.last_review_on or case.activist_on
    return add_months(last, 6) if last else None
