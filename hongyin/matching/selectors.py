"""Reads of supply-demand matching: the post list, a post's matches, the contacts, and the figures per chain and
month (posts, matches, contacts, deals, deal value, local sourcing rate). Each starts from the user's scope."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from .models import ContactRequest, ContactStatus, Deal, Match, Post, PostKind, PostStatus
from .permissions import (
    MANAGE,
    chains_for_figures,
    contacts_visible_to,
    deals_visible_to,
    managed_chain_ids,
    own_enterprise_ids,
    posts_visible_to,
)

CENT = Decimal("0.01")


@dataclass(frozen=True)
class PostFilter:
    kind: str = ""
    chain_id: int | None = None
    node_id: int | None = None
    state: str = ""  # "open", "expired", "withdrawn"
    q: str = ""
    mine: bool = False
    unmatched: bool = False


def post_list(*, user, filters: PostFilter | None = None) -> QuerySet[Post]:
    f = filters or PostFilter()
    qs = posts_visible_to(user)
    today = timezone.localdate()
    if f.kind in PostKind.values:
        qs = qs.filter(kind=f.kind)
    if f.chain_id:
        qs = qs.filter(chain_id=f.chain_id)
    if f.node_id:
        qs = qs.filter(node_id=f.node_id)
    if f.state == "open":
        qs = qs.filter(status=PostStatus.OPEN, deadline__gte=today)
    elif f.state == "expired":
        qs = qs.filter(status=PostStatus.OPEN, deadline__lt=today)
    elif f.state == "withdrawn":
        qs = qs.filter(status=PostStatus.WITHDRAWN)
    if f.q:
        qs = qs.filter(Q(title__icontains=f.q) | Q(product__icontains=f.q) | Q(outside_name__icontains=f.q))
    if f.mine:
        qs = qs.filter(enterprise_id__in=sorted(own_enterprise_ids(user)))
    if f.unmatched:
        qs = unmatched(qs)
    return qs.select_related("enterprise", "chain", "node").order_by("-created_at", "-id")


def unmatched(qs: QuerySet[Post]) -> QuerySet[Post]:
    """Open posts without any counterpart post found for them."""
    today = timezone.localdate()
    matched = Match.objects.filter(other_post__isnull=False).values("post_id")
    return qs.filter(status=PostStatus.OPEN, deadline__gte=today).exclude(pk__in=matched)


def stored_matches(post: Post) -> tuple[list[Match], list[Match]]:
    rows = list(
        Match.objects.filter(post=post)
        .select_related("other_post__enterprise", "other_post__node", "other_enterprise")
        .order_by("-score", "id")
    )
    return [m for m in rows if m.other_post_id], [m for m in rows if m.other_enterprise_id]


def new_matches(*, user, days: int = 7) -> QuerySet[Match]:
    """Matches found in the last week for the user's enterprises' open posts."""
    own = sorted(own_enterprise_ids(user))
    since = timezone.now() - timedelta(days=days)
    return Match.objects.filter(
        post__enterprise_id__in=own, post__status=PostStatus.OPEN, created_at__gte=since
    ).select_related("post")


def contact_list(*, user, box: str = "") -> QuerySet[ContactRequest]:
    qs = contacts_visible_to(user)
    own = sorted(own_enterprise_ids(user))
    if box == "in":
        qs = qs.filter(to_enterprise_id__in=own)
    elif box == "out":
        qs = qs.filter(from_enterprise_id__in=own)
    elif box == "pending":
        qs = qs.filter(pk__in=pending_for(user=user).values("pk"))
    return qs.select_related("post", "other_post", "from_enterprise", "to_enterprise").order_by("-created_at", "-id")


def pending_for(*, user) -> QuerySet[ContactRequest]:
    """Contact requests waiting for the user's answer: to its enterprises, or (a chain's admin) to firms outside the
    zone that posted on its chains."""
    own = sorted(own_enterprise_ids(user))
    q = Q(to_enterprise_id__in=own)
    if user.has_role_perm(MANAGE):
        managed = managed_chain_ids(user)
        outside = Q(to_enterprise__isnull=True)
        q |= outside if managed is None else outside & Q(chain_id__in=sorted(managed))
    return contacts_visible_to(user).filter(q, status=ContactStatus.PENDING)


# --- figures --------------------------------------------------------------------------------------------------------


@dataclass
class MonthRow:
    month: date
    posts: int = 0
    matches: int = 0
    contacts: int = 0
    deals: int = 0
    value: Decimal = Decimal(0)
    local_value: Decimal = Decimal(0)

    @property
    def local_rate(self) -> float | None:
        return round(float(self.local_value / self.value) * 100, 1) if self.value else None


@dataclass
class ChainFigures:
    chains: list
    months: list[MonthRow]
    start: date
    end: date

    @property
    def total(self) -> MonthRow:
        t = MonthRow(month=self.start)
        for r in self.months:
            t.posts += r.posts
            t.matches += r.matches
            t.contacts += r.contacts
            t.deals += r.deals
            t.value += r.value
            t.local_value += r.local_value
        return t


def month_range(today: date, months: int = 12) -> tuple[date, date]:
    end = today.replace(day=1)
    y, m = end.year, end.month - (months - 1)
    while m <= 0:
        y, m = y - 1, m + 12
    return date(y, m, 1), end


def _months(start: date, end: date) -> list[date]:
    out, d = [], start
    while d <= end:
        out.append(d)
        d = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return out


def _aware(day: date):
    return timezone.make_aware(datetime.combine(day, time.min))


def _counts_by_month(qs, field: str, months: list[date]) -> dict:
    """One query: a filtered count per month over an index range of `field` (no per-row date function)."""
    bounds = [*months, date(months[-1].year + (months[-1].month == 12), months[-1].month % 12 + 1, 1)]
    edges = [_aware(d) for d in bounds]
    counts = qs.filter(**{f"{field}__gte": edges[0], f"{field}__lt": edges[-1]}).aggregate(
        **{
            f"m{i}": Count("id", filter=Q(**{f"{field}__gte": edges[i], f"{field}__lt": edges[i + 1]}))
            for i in range(len(months))
        }
    )
    return {(m.year, m.month): counts[f"m{i}"] or 0 for i, m in enumerate(months)}


def deal_figures(*, chain_ids: list[int] | None, start: date, end: date) -> dict:
    """Deals, value and local value per month (one grouped query on the stored month)."""
    qs = Deal.objects.filter(month__gte=start, month__lte=end)
    if chain_ids is not None:
        qs = qs.filter(chain_id__in=chain_ids)
    rows = qs.values("month").annotate(n=Count("id"), value=Sum("amount"), local=Sum("amount", filter=Q(is_local=True)))
    return {(r["month"].year, r["month"].month): (r["n"], r["value"] or 0, r["local"] or 0) for r in rows}


def chain_figures(*, user, chain=None, start: date | None = None, end: date | None = None) -> ChainFigures:
    """Per month: posts, matches, contacts, deals, deal value and the local sourcing rate of the user's chains (or
    one of them)."""
    chains = list(chains_for_figures(user))
    if chain is not None:
        chains = [c for c in chains if c.pk == chain.pk]
    ids = [c.pk for c in chains]
    start, end = start or month_range(timezone.localdate())[0], end or timezone.localdate().replace(day=1)
    months = _months(start, end)
    posts = _counts_by_month(Post.objects.filter(chain_id__in=ids), "created_at", months)
    matches = _counts_by_month(Match.objects.filter(chain_id__in=ids), "created_at", months)
    contacts = _counts_by_month(ContactRequest.objects.filter(chain_id__in=ids), "created_at", months)
    deals = deal_figures(chain_ids=ids, start=start, end=end)
    rows = []
    for m in _months(start, end):
        key = (m.year, m.month)
        n, value, local = deals.get(key, (0, 0, 0))
        rows.append(
            MonthRow(
                month=m,
                posts=posts.get(key, 0),
                matches=matches.get(key, 0),
                contacts=contacts.get(key, 0),
                deals=n,
                value=Decimal(value).quantize(CENT),
                local_value=Decimal(local).quantize(CENT),
            )
        )
    return ChainFigures(chains=chains, months=rows, start=start, end=end)


def deals_of(*, user) -> QuerySet[Deal]:
    return deals_visible_to(user).select_related("enterprise_a", "enterprise_b", "contact").order_by("-signed_on")
