"""Visits (走访): plan or record one, optionally raising an appeal from it in the same form."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError, NotFound
from hongyin.common.uploads import attachment_save

from .models import AppealSource, Visit
from .permissions import enterprises_in_scope


@transaction.atomic
def visit_record(
    *,
    actor,
    enterprise,
    visited_on: date,
    status: str = Visit.Status.DONE,
    people: str = "",
    topics: str = "",
    findings: str = "",
    upload=None,
    appeal_category=None,
    appeal_title: str = "",
    appeal_content: str = "",
):
    if actor is not None:
        if not actor.has_role_perm("visits.manage"):
            raise NotFound
        if not enterprises_in_scope(actor, "visits.manage").filter(pk=enterprise.pk).exists():
            raise DomainError(_("该企业不在您的服务范围内。"), field="enterprise")
    if status not in (Visit.Status.PLANNED, Visit.Status.DONE):
        raise DomainError(_("走访状态无效。"), field="status")
    from django.utils import timezone

    today = timezone.localdate()
    if status == Visit.Status.DONE and visited_on > today:
        raise DomainError(_("已走访的日期不能晚于今天；未来的走访请选择“计划”。"), field="visited_on")
    if status == Visit.Status.DONE and not (findings or "").strip():
        raise DomainError(_("请填写走访情况。"), field="findings")
    wants_appeal = bool(appeal_category or (appeal_title or "").strip() or (appeal_content or "").strip())
    if wants_appeal and status != Visit.Status.DONE:
        raise DomainError(_("只有已完成的走访可以同时提出诉求。"), field="appeal_title")
    roles = sorted({a.role for a in actor.assignments}) if actor is not None else []
    visit = Visit.objects.create(
        enterprise=enterprise,
        visited_on=visited_on,
        status=status,
        visitor=actor,
        visitor_role=roles[0] if roles else "",
        people=people.strip()[:300],
        topics=topics.strip()[:300],
        findings=findings.strip(),
    )
    if upload is not None:
        visit.attachment = str(attachment_save(actor=actor, upload=upload, owner=visit).uid)
        visit.save(update_fields=["attachment"])
    audit.record(actor=actor, action="visit.record", obj=visit, org=enterprise.org, details={"status": status})
    appeal = None
    if wants_appeal:
        from .services import appeal_submit

        if appeal_category is None:
            raise DomainError(_("请选择诉求类别。"), field="appeal_category")
        appeal = appeal_submit(
            actor=actor,
            enterprise=enterprise,
            category=appeal_category,
            title=appeal_title,
            content=appeal_content,
            source=AppealSource.VISIT,
            visit=visit,
            today=today,
        )
    return visit, appeal
