"""Posts, matching (scores, reasons, adjacency, the same ten as scoring every post), contacts and deals: the rules,
the refusals (nothing written) and the scope."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from hongyin.audit.models import AuditEvent
from hongyin.common.errors import DomainError, NotFound
from hongyin.matching import engine, selectors, services
from hongyin.matching.models import ContactRequest, ContactStatus, Deal, Match, Post, PostKind, PostStatus, Visibility
from hongyin.matching.permissions import posts_visible_to

pytestmark = pytest.mark.django_db


def _post(actor, chain, node, enterprise, soon, **kw):
    data = {
        "kind": PostKind.DEMAND,
        "title": "采购高功率半导体激光器",
        "product": "976nm半导体激光器泵浦源",
        "description": "用于光纤激光器，长期合作",
        "budget_min": 50,
        "budget_max": 200,
        "deadline": soon,
        "visibility": Visibility.CHAIN,
    }
    data.update(kw)
    return services.post_create(actor=actor, chain=chain, node=node, enterprise=enterprise, **data)


# --- posts: rules and refusals ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"budget_min": 300, "budget_max": 100}, "预算下限"),
        ({"deadline": timezone.localdate() - timedelta(days=1)}, "已过"),
        ({"budget_min": 10, "budget_max": None}, "同时填写"),
        ({"title": ""}, "标题"),
        ({"kind": "rent"}, "类型"),
    ],
)
def test_bad_post_is_refused_and_writes_nothing(contact, own, chain, leaves, soon, change, message):
    before = (Post.objects.count(), Match.objects.count(), AuditEvent.objects.count())
    with pytest.raises(DomainError) as exc:
        _post(contact, chain, leaves["光纤激光器"], own, soon, **change)
    assert message in exc.value.message
    assert (Post.objects.count(), Match.objects.count(), AuditEvent.objects.count()) == before


def test_a_contact_posts_only_for_its_own_enterprise(contact, chain, leaves, supplier, soon):
    with pytest.raises(NotFound):
        _post(contact, chain, leaves["光纤激光器"], supplier, soon)


def test_post_is_audited_matched_and_can_be_withdrawn_once(contact, own, chain, leaves, soon):
    post = _post(contact, chain, leaves["光纤激光器"], own, soon)
    assert AuditEvent.objects.filter(action="matching_post.create", object_id=str(post.pk)).exists()
    assert post.tokens and "激光器" in post.tokens.split()
    assert Match.objects.filter(post=post).exists()
    services.post_withdraw(actor=contact, post=post, version=post.version)
    post.refresh_from_db()
    assert post.status == PostStatus.WITHDRAWN and not post.open
    with pytest.raises(DomainError):
        services.post_withdraw(actor=contact, post=post)


def test_a_post_expires_at_its_deadline(contact, own, chain, leaves, soon):
    post = _post(contact, chain, leaves["光纤激光器"], own, soon)
    Post.objects.filter(pk=post.pk).update(deadline=timezone.localdate() - timedelta(days=1))
    post.refresh_from_db()
    assert post.expired and not post.open
    f = selectors.PostFilter(state="expired", mine=True)
    assert post in selectors.post_list(user=contact, filters=f)


def test_a_chain_public_post_is_hidden_from_a_firm_off_the_chain(contact, own, chain, leaves, soon, users):
    post = _post(contact, chain, leaves["光纤激光器"], own, soon)
    assert posts_visible_to(users["chain_admin"]).filter(pk=post.pk).exists()
    assert posts_visible_to(users["zone_admin"]).filter(pk=post.pk).exists()
    # the building committee runs no chain: only zone-public posts
    assert not posts_visible_to(users["building_admin"]).filter(pk=post.pk).exists()
    assert not posts_visible_to(users["branch_secretary"]).exists()
    Post.objects.filter(pk=post.pk).update(visibility=Visibility.ZONE)
    assert posts_visible_to(users["building_admin"]).filter(pk=post.pk).exists()


# --- matching -----------------------------------------------------------------------------------------------------


def test_adjacency_from_the_chain_tree(leaves):
    nodes = engine._nodes()
    laser = nodes[leaves["半导体激光器"].pk]
    fiber = nodes[leaves["光纤激光器"].pk]
    module = nodes[leaves["光通信模块"].pk]
    device = nodes[leaves["光通信设备"].pk]
    top = next(n for n in nodes.values() if n.path == laser.top)
    assert engine.node_relation(PostKind.DEMAND, laser, laser, True) == ("same", 1.0)
    assert engine.node_relation(PostKind.DEMAND, laser, top, True)[0] == "parent"
    assert engine.node_relation(PostKind.DEMAND, laser, fiber, True)[0] == "sibling"
    # a demand in the midstream looks upstream for its suppliers: preferred to a downstream one
    up = engine.node_relation(PostKind.DEMAND, module, laser, True)
    down = engine.node_relation(PostKind.DEMAND, module, device, True)
    assert up[0] == "upstream" and down[0] == "downstream" and up[1] > down[1]
    # a supply looks downstream for its buyers
    assert (
        engine.node_relation(PostKind.SUPPLY, module, device, True)[1]
        > engine.node_relation(PostKind.SUPPLY, module, laser, True)[1]
    )
    assert engine.node_relation(PostKind.DEMAND, laser, device, True)[0] == "chain"  # two segments apart
    assert engine.node_relation(PostKind.DEMAND, laser, laser, False) == ("", 0.0)


def test_the_best_match_comes_with_readable_reasons(contact, own, chain, leaves, supplier, soon):
    supply = _post(
        None,
        chain,
        leaves["光纤激光器"],
        supplier,
        soon,
        kind=PostKind.SUPPLY,
        title="供应976nm高功率半导体激光器泵浦源",
        product="976nm半导体激光器泵浦源",
        budget_min=80,
        budget_max=150,
    )
    demand = _post(contact, chain, leaves["光纤激光器"], own, soon)
    posts, firms = engine.match_post(demand)
    assert posts[0].id == supply.pk
    best = posts[0]
    assert 0 < best.score <= 100
    codes = {r["code"] for r in best.reasons}
    assert {"chain_same", "text", "budget_overlap"} <= codes
    texts = [engine.reason_text(r) for r in best.reasons]
    assert any("关键词相关" in t and "激光器" in t for t in texts)
    assert any("预算区间重合" in t for t in texts)
    assert all(c.kind == "post" for c in posts) and len(posts) <= 10
    assert firms and all(c.id != own.pk for c in firms) and len(firms) <= 10
    # the stored matches of the demand: the supply first, with its reasons
    stored = Match.objects.filter(post=demand, other_post__isnull=False).order_by("-score").first()
    assert stored.other_post_id == supply.pk and stored.reasons


def test_own_withdrawn_and_expired_posts_are_never_matched(contact, own, chain, leaves, supplier, soon):
    mine = _post(contact, chain, leaves["半导体激光器"], own, soon, kind=PostKind.SUPPLY)
    gone = _post(None, chain, leaves["半导体激光器"], supplier, soon, kind=PostKind.SUPPLY)
    services.post_withdraw(actor=None, post=gone)
    late = _post(None, chain, leaves["半导体激光器"], supplier, soon, kind=PostKind.SUPPLY)
    Post.objects.filter(pk=late.pk).update(deadline=timezone.localdate() - timedelta(days=1), updated_at=timezone.now())
    demand = _post(contact, chain, leaves["光纤激光器"], own, soon)
    ids = {c.id for c in engine.match_post(demand)[0]}
    assert not ids & {mine.pk, gone.pk, late.pk}


def test_local_sourcing_and_past_deals_add_to_the_score(contact, own, chain, leaves, supplier, supplier_contact, soon):
    supply = _post(None, chain, leaves["半导体激光器"], supplier, soon, kind=PostKind.SUPPLY)
    demand = _post(contact, chain, leaves["光纤激光器"], own, soon)
    first = next(c for c in engine.match_post(demand)[0] if c.id == supply.pk)
    assert first.parts["local"] == 1.0 and first.parts["history"] == 0.0
    c = services.contact_request(actor=contact, post=demand, other_post=supply)
    services.contact_answer(actor=supplier_contact, contact=c, accept=True)
    services.deal_record(actor=contact, contact=c, amount="120", signed_on=timezone.localdate())
    again = next(c for c in engine.match_post(demand)[0] if c.id == supply.pk)
    assert again.parts["history"] > 0 and again.score > first.score
    assert any(r["code"] == "history" for r in again.reasons)


def test_weights_are_settings(contact, own, chain, leaves, supplier, soon):
    _post(None, chain, leaves["光电传感器"], supplier, soon, kind=PostKind.SUPPLY, title="供应光电传感器")
    demand = _post(contact, chain, leaves["光纤激光器"], own, soon)
    with override_settings(HONGYIN_MATCHING_WEIGHTS={"chain": 0, "text": 0, "fit": 0, "local": 0, "history": 0}):
        assert all(c.score == 0 for c in engine.match_post(demand)[0])
    with override_settings(HONGYIN_MATCHING_WEIGHTS={"chain": 1, "text": 0, "fit": 0, "local": 0, "history": 0}):
        best = engine.match_post(demand)[0][0]
        assert best.score == pytest.approx(100 * best.parts["chain"])


def test_the_index_finds_the_same_ten_as_scoring_every_post(users, chain):
    """On the demo's few hundred posts: for each sampled post, the kept index and the one-by-one scoring agree."""
    open_posts = list(
        Post.objects.filter(status=PostStatus.OPEN, deadline__gte=timezone.localdate(), chain=chain).order_by("id")
    )
    assert len(open_posts) >= 20
    idx = engine.index()
    for post in open_posts[::7][:12]:
        ours = engine.top_posts(engine.Query.of(post), idx=idx)
        brute = engine.brute_force_top(post)
        assert [c.id for c in ours] == [pk for pk, _s in brute]
        assert [c.score for c in ours] == [s for _pk, s in brute]


def test_the_index_follows_new_and_withdrawn_posts_without_a_full_rebuild(contact, own, chain, leaves, supplier, soon):
    idx = engine.index()
    rebuilds = idx.rebuilds
    supply = _post(None, chain, leaves["半导体激光器"], supplier, soon, kind=PostKind.SUPPLY, match=False)
    idx = engine.index()
    assert supply.pk in idx.row and idx.rebuilds == rebuilds  # into the delta
    demand = _post(contact, chain, leaves["光纤激光器"], own, soon, match=False)
    assert supply.pk in {c.id for c in engine.match_post(demand)[0]}
    services.post_withdraw(actor=None, post=supply)
    assert supply.pk not in {c.id for c in engine.match_post(demand)[0]}
    assert engine.index().rebuilds == rebuilds


# --- contacts and deals -------------------------------------------------------------------------------------------


def test_contact_accept_and_deal(contact, own, chain, leaves, supplier, supplier_contact, soon):
    supply = _post(None, chain, leaves["半导体激光器"], supplier, soon, kind=PostKind.SUPPLY)
    demand = _post(contact, chain, leaves["光纤激光器"], own, soon)
    c = services.contact_request(actor=contact, post=demand, other_post=supply, message="请报价")
    assert c.to_enterprise_id == supplier.pk and c.status == ContactStatus.PENDING
    assert c in selectors.pending_for(user=supplier_contact)
    # the requester cannot answer its own request; nor record a deal before it is accepted
    with pytest.raises(NotFound):
        services.contact_answer(actor=contact, contact=c, accept=True)
    with pytest.raises(DomainError, match="尚未被对方接受"):
        services.deal_record(actor=contact, contact=c, amount="10", signed_on=timezone.localdate())
    assert not Deal.objects.filter(contact=c).exists()
    c = services.contact_answer(actor=supplier_contact, contact=c, accept=True, reply="欢迎来访", version=c.version)
    assert c.status == ContactStatus.ACCEPTED
    deal = services.deal_record(actor=supplier_contact, contact=c, amount="88.5", signed_on=timezone.localdate())
    assert deal.amount == Decimal("88.50") and deal.is_local and deal.month == timezone.localdate().replace(day=1)
    assert AuditEvent.objects.filter(action="matching_deal.record", object_id=str(deal.pk)).exists()


def test_contact_refusals(contact, own, chain, leaves, supplier, supplier_contact, soon, users):
    mine = _post(contact, chain, leaves["半导体激光器"], own, soon, kind=PostKind.SUPPLY)
    demand = _post(contact, chain, leaves["光纤激光器"], own, soon)
    before = ContactRequest.objects.count()
    with pytest.raises(DomainError, match="自己发布"):
        services.contact_request(actor=contact, post=demand, other_post=mine)
    with pytest.raises(DomainError, match="自己发布"):
        services.contact_request(actor=contact, post=demand, other_post=demand)
    # someone else's post is not the contact's to act for
    supply = _post(None, chain, leaves["半导体激光器"], supplier, soon, kind=PostKind.SUPPLY)
    with pytest.raises(NotFound):
        services.contact_request(actor=contact, post=supply, other_post=demand)
    assert ContactRequest.objects.count() == before
    c = services.contact_request(actor=contact, post=demand, other_post=supply)
    with pytest.raises(DomainError, match="等待回复"):
        services.contact_request(actor=contact, post=demand, other_post=supply)
    services.contact_answer(actor=supplier_contact, contact=c, accept=False)
    c.refresh_from_db()
    with pytest.raises(DomainError):
        services.contact_answer(actor=supplier_contact, contact=c, accept=True)
    with pytest.raises(DomainError, match="尚未被对方接受"):
        services.deal_record(actor=contact, contact=c, amount="10", signed_on=timezone.localdate())


def test_a_stale_answer_is_refused(contact, own, chain, leaves, supplier, supplier_contact, soon):
    supply = _post(None, chain, leaves["半导体激光器"], supplier, soon, kind=PostKind.SUPPLY)
    demand = _post(contact, chain, leaves["光纤激光器"], own, soon)
    c = services.contact_request(actor=contact, post=demand, other_post=supply)
    seen = c.version
    services.contact_answer(actor=supplier_contact, contact=c, accept=True, version=seen)
    c.refresh_from_db()
    with pytest.raises(DomainError):
        services.contact_answer(actor=supplier_contact, contact=c, accept=False, version=seen)


@pytest.mark.parametrize(
    ("amount", "days", "message"),
    [("0", 0, "大于 0"), ("-5", 0, "不正确"), ("abc", 0, "数字"), ("10", -3, "晚于今天")],
)
def test_bad_deal_is_refused(contact, own, chain, leaves, supplier, supplier_contact, soon, amount, days, message):
    supply = _post(None, chain, leaves["半导体激光器"], supplier, soon, kind=PostKind.SUPPLY)
    demand = _post(contact, chain, leaves["光纤激光器"], own, soon)
    c = services.contact_request(actor=contact, post=demand, other_post=supply)
    services.contact_answer(actor=supplier_contact, contact=c, accept=True)
    with pytest.raises(DomainError, match=message):
        services.deal_record(
            actor=contact, contact=c, amount=amount, signed_on=timezone.localdate() - timedelta(days=days)
        )
    assert not Deal.objects.filter(contact=c).exists()


# --- figures ------------------------------------------------------------------------------------------------------


def test_chain_figures_by_month_and_the_local_sourcing_rate(users, chain):
    zone = selectors.chain_figures(user=users["zone_admin"])
    mine = selectors.chain_figures(user=users["chain_admin"], chain=chain)
    assert mine.total.posts > 100 and mine.total.deals > 10
    assert len(zone.months) == 12
    deals = Deal.objects.filter(chain=chain, month__gte=zone.start)
    value = sum(d.amount for d in deals)
    local = sum(d.amount for d in deals if d.is_local)
    assert mine.total.deals == deals.count() and mine.total.value == value
    assert mine.total.local_rate == round(float(local / value) * 100, 1)
    assert not list(selectors.chain_figures(user=users["building_admin"]).chains)
    assert selectors.chain_figures(user=users["enterprise_contact"]).total.posts == 0
