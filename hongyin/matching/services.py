"""Writes of supply-demand matching: publish and withdraw a post (with its attachments), keep its ten best matches,
send a contact request from a match, accept or decline it, record a deal after an accepted contact.

Every write checks the actor's scope and writes its audit event in the same transaction; refused input raises a
DomainError in the user's language and writes nothing."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError, NotFound
from hongyin.common.uploads import attachment_save
from hongyin.enterprises.models import ChainNode, Enterprise, IndustryChain
from hongyin.workflows.engine import Transition, Workflow

from . import engine
from .models import ContactRequest, ContactStatus, Deal, Match, Post, PostKind, PostStatus, Visibility
from .permissions import (
    MANAGE,
    can_act_for_post,
    can_answer,
    can_record_deal,
    managed_chain_ids,
    own_enterprise_ids,
    posts_visible_to,
)

LIMITS = {"title": 120, "product": 200, "quantity": 60, "region": 60, "outside_name": 120, "description": 5000}
MAX_BUDGET = Decimal("9999999999")
MAX_AMOUNT = Decimal("999999999999")


def _noop_event(obj, **_kwargs):
    return None


POST_FLOW = Workflow(
    key="matching_post",
    model=Post,
    transitions=[
        Transition("withdraw", {PostStatus.OPEN}, PostStatus.WITHDRAWN, gettext_lazy("撤回"), may=can_act_for_post),
    ],
    record_event=_noop_event,
    audit_details=lambda post: {"kind": post.kind, "chain": post.chain_id},
    stale_message=gettext_lazy("该供需信息已被他人处理，请刷新后重试。"),
)

CONTACT_FLOW = Workflow(
    key="matching_contact",
    model=ContactRequest,
    transitions=[
        Transition("accept", {ContactStatus.PENDING}, ContactStatus.ACCEPTED, gettext_lazy("接受"), may=can_answer),
        Transition("decline", {ContactStatus.PENDING}, ContactStatus.DECLINED, gettext_lazy("婉拒"), may=can_answer),
    ],
    record_event=_noop_event,
    audit_details=lambda c: {"post": c.post_id, "chain": c.chain_id},
    stale_message=gettext_lazy("该对接请求已被处理，请刷新后重试。"),
)


# --- checks ---------------------------------------------------------------------------------------------------------


def _text(value, *, field: str, label, required: bool = False) -> str:
    value = str(value or "").strip()
    if required and not value:
        raise DomainError(_("请填写%(l)s。") % {"l": label}, field=field)
    if len(value) > LIMITS[field]:
        raise DomainError(_("%(l)s不能超过 %(n)d 个字。") % {"l": label, "n": LIMITS[field]}, field=field)
    if "\x00" in value:
        raise DomainError(_("%(l)s含有无法保存的字符。") % {"l": label}, field=field)
    return value


def _money(value, *, field: str, label, limit: Decimal = MAX_BUDGET) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        raise DomainError(_("%(l)s请填写数字（万元）。") % {"l": label}, field=field) from None
    if not amount.is_finite() or amount < 0 or amount > limit:
        raise DomainError(_("%(l)s不正确。") % {"l": label}, field=field)
    return amount.quantize(Decimal("0.01"))


def _date(value, *, field: str, label) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise DomainError(_("请填写正确的%(l)s。") % {"l": label}, field=field) from None


def _check_budget(budget_min, budget_max) -> tuple[Decimal | None, Decimal | None]:
    low = _money(budget_min, field="budget_min", label=_("预算下限"))
    high = _money(budget_max, field="budget_max", label=_("预算上限"))
    if (low is None) != (high is None):
        raise DomainError(_("预算区间请同时填写下限和上限，或都不填。"), field="budget_max")
    if low is not None and low > high:
        raise DomainError(
            _("预算下限（%(a)s 万元）高于上限（%(b)s 万元），请检查预算区间。") % {"a": low, "b": high},
            field="budget_max",
        )
    return low, high


def _check_deadline(value) -> date:
    deadline = _date(value, field="deadline", label=_("截止日期"))
    today = timezone.localdate()
    if deadline < today:
        raise DomainError(
            _("截止日期 %(d)s 已过，请填写今天或以后的日期。") % {"d": deadline.isoformat()}, field="deadline"
        )
    if deadline.year > today.year + 5:
        raise DomainError(_("截止日期请在五年以内。"), field="deadline")
    return deadline


def _check_side(actor, *, chain: IndustryChain, enterprise: Enterprise | None, outside_name: str) -> None:
    """An enterprise contact posts for its own enterprise; a chain's admin for an enterprise of the zone or a firm
    outside it; the zone for any."""
    if actor is None:
        return
    own = own_enterprise_ids(actor)
    if enterprise is not None and enterprise.pk in own:
        return
    managed = managed_chain_ids(actor) if actor.has_role_perm(MANAGE) else set()
    if managed is None or chain.pk in (managed or set()):
        if enterprise is None and not outside_name:
            raise DomainError(_("请选择发布企业，或填写园区外企业名称。"), field="enterprise")
        return
    if enterprise is None and own:
        raise DomainError(_("请选择发布企业。"), field="enterprise")
    raise NotFound


# --- posts ----------------------------------------------------------------------------------------------------------


@transaction.atomic
def post_create(
    *,
    actor,
    kind: str,
    chain: IndustryChain,
    title: str,
    product: str,
    deadline,
    node: ChainNode | None = None,
    enterprise: Enterprise | None = None,
    outside_name: str = "",
    description: str = "",
    quantity: str = "",
    budget_min=None,
    budget_max=None,
    region: str = "",
    visibility: str = Visibility.CHAIN,
    attachments=(),
    match: bool = True,
) -> Post:
    if kind not in PostKind.values:
        raise DomainError(_("请选择供需类型。"), field="kind")
    if visibility not in Visibility.values:
        raise DomainError(_("请选择公开范围。"), field="visibility")
    if node is not None and node.chain_id != chain.pk:
        raise DomainError(_("所选环节不属于该产业链。"), field="node")
    outside_name = _text(outside_name, field="outside_name", label=_("园区外企业"))
    if enterprise is not None:
        outside_name = ""
    _check_side(actor, chain=chain, enterprise=enterprise, outside_name=outside_name)
    low, high = _check_budget(budget_min, budget_max)
    post = Post(
        kind=kind,
        chain=chain,
        node=node,
        enterprise=enterprise,
        outside_name=outside_name,
        title=_text(title, field="title", label=_("标题"), required=True),
        product=_text(product, field="product", label=_("产品或能力"), required=True),
        description=_text(description, field="description", label=_("详细说明")),
        quantity=_text(quantity, field="quantity", label=_("数量")),
        budget_min=low,
        budget_max=high,
        deadline=_check_deadline(deadline),
        region=_text(region, field="region", label=_("地区")),
        visibility=visibility,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    post.tokens = engine.post_tokens(post)
    post.save()
    for upload in attachments or ():
        attachment_save(actor=actor, upload=upload, owner=post)
    audit.record(
        actor=actor,
        action="matching_post.create",
        obj=post,
        org=chain.party_committee,
        details={"kind": kind, "chain": chain.pk, "enterprise": enterprise.pk if enterprise else None},
    )
    if match:
        matches_refresh(post=post, counterparts=True)
    return post


def post_withdraw(*, actor, post: Post, version=None) -> Post:
    if actor is not None and not can_act_for_post(actor, post):
        raise NotFound
    POST_FLOW.expect_version(post, version)
    if post.status != PostStatus.OPEN:
        raise DomainError(_("该供需信息已撤回。"), field="status")
    return POST_FLOW.move(actor=actor, obj=post, action="withdraw", changes={"withdrawn_at": timezone.now()})


# --- matches --------------------------------------------------------------------------------------------------------


def _store(post: Post, posts, firms) -> list[Match]:
    now = timezone.now()
    existing = {(m.other_post_id, m.other_enterprise_id): m for m in Match.objects.filter(post=post)}
    keep, rows = set(), []
    for c in posts + firms:
        key = (c.id, None) if c.kind == "post" else (None, c.id)
        keep.add(key)
        m = existing.get(key)
        if m is not None:
            if m.score != c.score or m.reasons != c.reasons:
                m.score, m.reasons = c.score, c.reasons
                m.save(update_fields=["score", "reasons"])
            rows.append(m)
            continue
        rows.append(
            Match(
                post=post,
                other_post_id=key[0],
                other_enterprise_id=key[1],
                chain_id=post.chain_id,
                score=c.score,
                reasons=c.reasons,
                created_at=now,
            )
        )
    stale = [m.pk for k, m in existing.items() if k not in keep]
    # a match someone already wrote to keeps its row (the contact request names the other side, not the match)
    if stale:
        Match.objects.filter(pk__in=stale).delete()
    Match.objects.bulk_create([m for m in rows if m.pk is None])
    return rows


@transaction.atomic
def matches_refresh(*, post: Post, counterparts: bool = False) -> list[Match]:
    """Find the post's ten best counterpart posts and enterprises and keep them (an open post only). With
    `counterparts`, the posts found are matched again too, so the new post appears among theirs."""
    if not post.open:
        return []
    posts, firms = engine.match_post(post)
    rows = _store(post, posts, firms)
    if counterparts and posts:
        others = Post.objects.filter(pk__in=[c.id for c in posts])
        for other in others:
            if other.open:
                o_posts, o_firms = engine.match_post(other)
                _store(other, o_posts, o_firms)
    return rows


# --- contacts -------------------------------------------------------------------------------------------------------


@transaction.atomic
def contact_request(
    *, actor, post: Post, other_post: Post | None = None, other_enterprise: Enterprise | None = None, message: str = ""
) -> ContactRequest:
    """From a post's side, to a matched post or enterprise."""
    if actor is not None and not can_act_for_post(actor, post):
        raise NotFound
    if (other_post is None) == (other_enterprise is None):
        raise DomainError(_("请选择要联系的对象。"), field="other")
    if other_post is not None:
        if actor is not None and not posts_visible_to(actor).filter(pk=other_post.pk).exists():
            raise NotFound
        to_enterprise = other_post.enterprise
        if other_post.pk == post.pk or (to_enterprise is not None and to_enterprise.pk == post.enterprise_id):
            raise DomainError(_("不能向自己发布的供需信息发起对接。"), field="other")
        if not other_post.open:
            raise DomainError(_("对方的供需信息已撤回或过期，不能发起对接。"), field="other")
    else:
        to_enterprise = other_enterprise
        if to_enterprise.pk == post.enterprise_id:
            raise DomainError(_("不能向本企业发起对接。"), field="other")
        if not Match.objects.filter(post=post, other_enterprise=to_enterprise).exists():
            raise NotFound
    if actor is not None and to_enterprise is not None and to_enterprise.pk in own_enterprise_ids(actor):
        raise DomainError(_("不能向自己发布的供需信息发起对接。"), field="other")
    if not post.open:
        raise DomainError(_("本条供需信息已撤回或过期，不能发起对接。"), field="post")
    pending = ContactRequest.objects.filter(post=post, status=ContactStatus.PENDING)
    if other_post is not None:
        pending = pending.filter(other_post=other_post)
    else:
        pending = pending.filter(other_post=None, to_enterprise=to_enterprise)
    if pending.exists():
        raise DomainError(_("已向对方发起对接，正在等待回复。"), field="other")
    message = str(message or "").strip()
    if len(message) > 500 or "\x00" in message:
        raise DomainError(_("留言不能超过 500 个字。"), field="message")
    contact = ContactRequest.objects.create(
        post=post,
        other_post=other_post,
        from_enterprise_id=post.enterprise_id,
        to_enterprise=to_enterprise,
        chain_id=post.chain_id,
        message=message,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action="matching_contact.request",
        obj=contact,
        org=post.chain.party_committee,
        details={"post": post.pk, "other_post": other_post.pk if other_post else None},
    )
    return contact


def contact_answer(*, actor, contact: ContactRequest, accept: bool, reply: str = "", version=None) -> ContactRequest:
    if actor is not None and not can_answer(actor, contact):
        raise NotFound
    CONTACT_FLOW.expect_version(contact, version)
    if contact.status != ContactStatus.PENDING:
        raise DomainError(_("该对接请求已回复。"), field="status")
    reply = str(reply or "").strip()
    if len(reply) > 300 or "\x00" in reply:
        raise DomainError(_("回复不能超过 300 个字。"), field="reply")
    changes = {"reply": reply, "decided_at": timezone.now()}
    if accept:
        return CONTACT_FLOW.move(actor=actor, obj=contact, action="accept", changes=changes)
    return CONTACT_FLOW.move(actor=actor, obj=contact, action="decline", changes=changes)


# --- deals ----------------------------------------------------------------------------------------------------------


def in_zone(enterprise: Enterprise | None) -> bool:
    return bool(enterprise is not None and (enterprise.grid_cell_id or enterprise.building_id))


@transaction.atomic
def deal_record(*, actor, contact: ContactRequest, amount, signed_on, note: str = "") -> Deal:
    if actor is not None and not can_record_deal(actor, contact):
        raise NotFound
    if contact.status != ContactStatus.ACCEPTED:
        raise DomainError(_("对接请求尚未被对方接受，不能登记成交。"), field="contact")
    value = _money(amount, field="amount", label=_("成交金额"), limit=MAX_AMOUNT)
    if value is None or value <= 0:
        raise DomainError(_("请填写成交金额（万元，大于 0）。"), field="amount")
    day = _date(signed_on, field="signed_on", label=_("成交日期"))
    if day > timezone.localdate():
        raise DomainError(_("成交日期不能晚于今天。"), field="signed_on")
    if day < contact.created_at.date():
        raise DomainError(_("成交日期早于对接请求的日期。"), field="signed_on")
    note = str(note or "").strip()
    if len(note) > 300 or "\x00" in note:
        raise DomainError(_("备注不能超过 300 个字。"), field="note")
    a, b = contact.from_enterprise, contact.to_enterprise
    deal = Deal.objects.create(
        contact=contact,
        chain_id=contact.chain_id,
        amount=value,
        signed_on=day,
        month=day.replace(day=1),
        is_local=in_zone(a) and in_zone(b),
        enterprise_a=a,
        enterprise_b=b,
        note=note,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(
        actor=actor,
        action="matching_deal.record",
        obj=deal,
        org=contact.chain.party_committee,
        details={"contact": contact.pk, "amount": str(value), "signed_on": day.isoformat()},
    )
    return deal
