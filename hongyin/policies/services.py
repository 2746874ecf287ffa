from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hongyin.accounts.models import User
from hongyin.appeals.permissions import enterprises_in_scope
from hongyin.appeals.text import tokens_of
from hongyin.audit import services as audit
from hongyin.common.errors import DomainError, NotFound
from hongyin.common.notification_texts import text
from hongyin.common.notifications import notify
from hongyin.common.roles import Role

from .models import Briefing, BriefingAttendee, Policy, PolicyPush

POLICY_FIELDS = (
    "title", "issuer", "doc_number", "issued_on", "effective_from", "effective_to", "full_text", "benefits",
    "industry_codes", "size_classes", "founded_after", "employees_min", "employees_max",
)  # fmt: skip


def _validate(data: dict) -> None:
    if not (data.get("title") or "").strip():
        raise DomainError(_("请填写政策名称。"), field="title")
    if not (data.get("issuer") or "").strip():
        raise DomainError(_("请填写发布机关。"), field="issuer")
    start, end = data.get("effective_from"), data.get("effective_to")
    if start and end and end < start:
        raise DomainError(_("失效日期不能早于生效日期。"), field="effective_to")
    lo, hi = data.get("employees_min"), data.get("employees_max")
    if lo is not None and hi is not None and hi < lo:
        raise DomainError(_("从业人数上限不能小于下限。"), field="employees_max")


@transaction.atomic
def policy_save(*, actor, policy: Policy | None = None, data: dict, tags=None, chain_nodes=None, buildings=None,
                grid_cells=None) -> Policy:  # fmt: skip
    if actor is not None and not actor.has_role_perm("policies.manage"):
        raise NotFound
    _validate(data)
    policy = policy or Policy()
    for name in POLICY_FIELDS:
        if name in data:
            value = data[name]
            setattr(policy, name, value.strip() if isinstance(value, str) else value)
    policy.tokens = " ".join(tokens_of(f"{policy.title} {policy.benefits} {policy.full_text[:2000]}"))
    created = policy.pk is None
    policy.save()
    for rel, values in (
        ("tags", tags),
        ("chain_nodes", chain_nodes),
        ("buildings", buildings),
        ("grid_cells", grid_cells),
    ):
        if values is not None:
            getattr(policy, rel).set(values)
    audit.record(actor=actor, action="policy.create" if created else "policy.update", obj=policy,
                 details={"title": policy.title})  # fmt: skip
    return policy


@transaction.atomic
def policy_push(*, actor, policy: Policy, enterprise_ids: list[int]) -> int:
    """Push to the chosen enterprises in the actor's scope; enterprises already pushed are skipped."""
    if actor is not None and not actor.has_role_perm("policies.push"):
        raise NotFound
    if not policy.is_active or (policy.effective_to and policy.effective_to < timezone.localdate()):
        raise DomainError(_("该政策已失效，不能推送。"), field="policy")
    if not enterprise_ids:
        raise DomainError(_("请选择要推送的企业。"), field="enterprises")
    scope = enterprises_in_scope(actor, "policies.push") if actor is not None else None
    from hongyin.enterprises.models import Enterprise

    qs = (scope if scope is not None else Enterprise.objects.all()).filter(pk__in=enterprise_ids)
    allowed = set(qs.values_list("pk", flat=True))
    if len(allowed) != len(set(enterprise_ids)):
        raise DomainError(_("所选企业中有不在您服务范围内的企业。"), field="enterprises")
    already = set(
        PolicyPush.objects.filter(policy=policy, enterprise_id__in=allowed).values_list("enterprise_id", flat=True)
    )
    new_ids = sorted(allowed - already)
    PolicyPush.objects.bulk_create(
        [PolicyPush(policy=policy, enterprise_id=e, pushed_by=actor) for e in new_ids], batch_size=2000
    )
    contacts = User.objects.filter(
        role_assignments__role=Role.ENTERPRISE_CONTACT, role_assignments__enterprise_id__in=new_ids, is_active=True
    ).distinct()
    for user in contacts:
        notify(user=user, title=text("policy.pushed", t=policy.title), url=policy.get_absolute_url())
    audit.record(actor=actor, action="policy.push", obj=policy, details={"enterprises": len(new_ids)})
    return len(new_ids)


def _own_push(actor, policy: Policy) -> PolicyPush:
    ent_ids = [a.enterprise_id for a in actor.assignments if a.role == Role.ENTERPRISE_CONTACT and a.enterprise_id]
    push = PolicyPush.objects.filter(policy=policy, enterprise_id__in=ent_ids).first()
    if push is None:
        raise DomainError(_("该政策没有推送给您的企业。"), field="policy")
    return push


@transaction.atomic
def policy_mark_read(*, actor, policy: Policy) -> PolicyPush | None:
    try:
        push = _own_push(actor, policy)
    except DomainError:
        return None
    if push.read_at is None:
        push.read_at = timezone.now()
        push.save(update_fields=["read_at"])
        audit.record(actor=actor, action="policy.read", obj=policy, details={"enterprise": push.enterprise_id})
    return push


@transaction.atomic
def policy_mark_applied(*, actor, policy: Policy) -> PolicyPush:
    push = _own_push(actor, policy)
    if push.applied_at is not None:
        raise DomainError(_("已经登记过申报。"), field="policy")
    now = timezone.now()
    push.applied_at = now
    push.read_at = push.read_at or now
    push.save(update_fields=["applied_at", "read_at"])
    audit.record(actor=actor, action="policy.applied", obj=policy, details={"enterprise": push.enterprise_id})
    return push


@transaction.atomic
def briefing_create(*, actor, title: str, held_on: date, place: str = "", speaker: str = "", policies=(),
                    attendees: list[tuple[int, str]] = ()) -> Briefing:  # fmt: skip
    if actor is not None and not actor.has_role_perm("policies.push"):
        raise NotFound
    if not (title or "").strip():
        raise DomainError(_("请填写宣讲主题。"), field="title")
    if held_on is None:
        raise DomainError(_("请填写宣讲日期。"), field="held_on")
    ids = {e for e, _p in attendees}
    if actor is not None and ids:
        known = set(enterprises_in_scope(actor, "policies.push").filter(pk__in=ids).values_list("pk", flat=True))
        if ids - known:  # an enterprise outside the scope is answered like an unknown one
            raise DomainError(_("找不到所列的部分企业。"), field="attendees")
    b = Briefing.objects.create(title=title.strip(), held_on=held_on, place=place, speaker=speaker, organizer=actor)
    b.policies.set(policies)
    BriefingAttendee.objects.bulk_create(
        [BriefingAttendee(briefing=b, enterprise_id=e, person=p[:60]) for e, p in attendees], ignore_conflicts=True
    )
    audit.record(actor=actor, action="briefing.create", obj=b, details={"attendees": len(attendees)})
    return b
