"""Permission-crawler samples (hongyin.common.crawl): a post on a chain of the canary committee (only the zone sees
it), a post of the demo contact's enterprise, a withdrawn post of another firm, contact requests, and numbers that
exist nowhere. Who may see or act is the app's own selectors and rules."""

from datetime import timedelta

from django.utils import timezone

from hongyin.common.crawl import CANARY, Sample, crawl_samples

MISSING = 10**9


def _posts(ctx):
    made = getattr(ctx, "_matching_posts", None)
    if made is not None:
        return made
    from hongyin.enterprises.models import ChainNode, IndustryChain

    from . import services
    from .models import Post, PostKind, PostStatus

    chain = IndustryChain.objects.create(name="爬虫隔离产业链", party_committee=ctx.canary.committee)
    node = ChainNode.add_root(chain=chain, name="隔离环节", segment="upstream")
    canary = services.post_create(
        actor=None,
        kind=PostKind.DEMAND,
        chain=chain,
        node=node,
        outside_name=f"{CANARY}外部光电公司",
        title=f"{CANARY}采购光学镜头",
        product="光学镜头",
        deadline=timezone.localdate() + timedelta(days=30),
        match=False,
    )
    ctx.canary.names[canary.title] = {"zone_admin", "audit_admin"}
    ctx.canary.names[canary.outside_name] = {"zone_admin", "audit_admin"}
    contact = ctx.users["enterprise_contact"]
    own = contact.assignments[0].enterprise_id
    mine = Post.objects.filter(enterprise_id=own).order_by("id").first()
    withdrawn = Post.objects.filter(status=PostStatus.WITHDRAWN).exclude(enterprise_id=own).order_by("id").first()
    made = [p for p in (canary, mine, withdrawn) if p is not None]
    ctx._matching_posts = made
    return made


def _contacts(ctx):
    from .models import ContactRequest, ContactStatus

    own = ctx.users["enterprise_contact"].assignments[0].enterprise_id
    picks = [
        ContactRequest.objects.filter(from_enterprise_id=own).order_by("id").first(),
        ContactRequest.objects.filter(to_enterprise_id=own).order_by("id").first(),
        ContactRequest.objects.filter(status=ContactStatus.ACCEPTED)
        .exclude(from_enterprise_id=own)
        .order_by("id")
        .first(),
    ]
    return [c for c in picks if c is not None]


def _who(ctx, test) -> set[str]:
    return {name for name, user in ctx.users.items() if user.has_role_perm(ctx.perm) and test(user)}


@crawl_samples("matching:detail", "GET /api/v1/matching/posts/{post_id}")
def post_samples(ctx):
    from .permissions import posts_visible_to

    out = [Sample({"pk": MISSING, "post_id": MISSING}, set())]
    for p in _posts(ctx):
        out.append(
            Sample(
                {"pk": p.pk, "post_id": p.pk}, _who(ctx, lambda u, p=p: posts_visible_to(u).filter(pk=p.pk).exists())
            )
        )
    return out


@crawl_samples(
    "matching:withdraw",
    "matching:refresh",
    "matching:contact_new",
    "GET /api/v1/matching/posts/{post_id}/matches",
    "POST /api/v1/matching/posts/{post_id}/withdraw",
    "POST /api/v1/matching/posts/{post_id}/contacts",
)
def act_samples(ctx):
    from .permissions import can_act_for_post, posts_visible_to

    out = [Sample({"pk": MISSING, "post_id": MISSING}, set())]
    for p in _posts(ctx):
        who = _who(ctx, lambda u, p=p: posts_visible_to(u).filter(pk=p.pk).exists() and can_act_for_post(u, p))
        out.append(Sample({"pk": p.pk, "post_id": p.pk}, who))
    return out


@crawl_samples("matching:attachment")
def attachment_samples(ctx):
    return [Sample({"pk": p.pk, "att_pk": MISSING}, set()) for p in _posts(ctx)]


@crawl_samples("matching:contact_answer", "POST /api/v1/matching/contacts/{contact_id}/{action}")
def answer_samples(ctx):
    from .permissions import can_answer, contacts_visible_to

    out = [Sample({"pk": MISSING, "contact_id": MISSING, "action": "accept"}, set())]
    for c in _contacts(ctx):
        who = _who(ctx, lambda u, c=c: contacts_visible_to(u).filter(pk=c.pk).exists() and can_answer(u, c))
        out.append(Sample({"pk": c.pk, "contact_id": c.pk, "action": "accept"}, who))
    return out


@crawl_samples("matching:deal_new", "POST /api/v1/matching/contacts/{contact_id}/deals")
def deal_samples(ctx):
    from .permissions import can_record_deal, contacts_visible_to

    out = [Sample({"pk": MISSING, "contact_id": MISSING}, set())]
    for c in _contacts(ctx):
        who = _who(ctx, lambda u, c=c: contacts_visible_to(u).filter(pk=c.pk).exists() and can_record_deal(u, c))
        out.append(Sample({"pk": c.pk, "contact_id": c.pk}, who))
    return out
