"""Reads on members: the filtered list, the timeline, statistics. Always scoped through permissions.py."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, CharField, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Lower, Substr
from django.utils.translation import gettext as _

from hongyin.audit.labels import action_label
from hongyin.audit.models import AuditEvent
from hongyin.common import hooks
from hongyin.common.monthly import cumulate, per_month
from hongyin.orgs.models import Organization

from .models import Member, MemberEventKind, MemberHistory
from .permissions import members_visible_to

# The dues app registers `(member_id) -> the last month paid in full, or None` (a transfer letter prints it).
DUES_PAID_UNTIL = hooks.define("members.dues_paid_until")


def dues_paid_until(member_id: int | None) -> date | None:
    providers = hooks.registered(DUES_PAID_UNTIL)
    return providers[0](member_id) if providers and member_id is not None else None


AGE_BANDS = {
    "18-30": (18, 30),
    "31-40": (31, 40),
    "41-50": (41, 50),
    "51-60": (51, 60),
    "61+": (61, 150),
}
SORTS = {
    "name": ("name_pinyin", "id"),
    "-name": ("-name_pinyin", "-id"),
    "joined": ("joined_on", "id"),
    "-joined": ("-joined_on", "-id"),
    "birth": ("birth_date", "id"),
    "-birth": ("-birth_date", "-id"),
    "org": ("org__path", "name_pinyin", "id"),
    "-org": ("-org__path", "-name_pinyin", "-id"),
}


def birth_range(band: str, today: date | None = None) -> tuple[date, date] | None:
    """The birth dates of people whose age today is inside the band."""
    if band not in AGE_BANDS:
        return None
    today = today or date.today()
    low, high = AGE_BANDS[band]
    latest = _years_before(today, low)
    earliest = _years_before(today, high + 1)
    return earliest, latest


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass
class MemberFilter:
    q: str = ""
    org: Organization | None = None
    category: str = ""
    status: str = ""
    education: str = ""
    age: str = ""
    joined_year: int | None = None
    include_left: bool = False
    sort: str = "org"


def search_q(q: str) -> Q:
    """Name, full pinyin or initials (zhangwei, zw, 张伟)."""
    q = q.strip()
    if not q:
        return Q()
    if q.isascii():
        key = q.lower().replace(" ", "")
        if not key.isalnum():
            return Q(pk__in=[])
        # prefix as a range on the lower-case columns: index-friendly, unlike a case-insensitive LIKE
        upper = key[:-1] + chr(ord(key[-1]) + 1)
        return Q(name_initials__gte=key, name_initials__lt=upper) | Q(name_pinyin__gte=key, name_pinyin__lt=upper)
    return Q(name__contains=q)


def scoped_members(user, org: Organization | None = None, perm: str = "members.view") -> QuerySet[Member]:
    """Members whose branch is visible (and inside `org`'s subtree). A join on the path prefix: on SQLite it
    measured 4x faster at zone scale than `org_id IN (visible organizations)`."""
    qs = members_visible_to(user, perm)
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    return qs


def member_list(user, f: MemberFilter) -> QuerySet[Member]:
    qs = scoped_members(user, f.org).select_related("org").defer("id_number", "phone")
    if not f.include_left:
        qs = qs.filter(left_on__isnull=True)
    if f.q:
        qs = qs.filter(search_q(f.q))
    for key in ("category", "status", "education"):
        value = getattr(f, key)
        if value:
            qs = qs.filter(**{key: value})
    if f.age:
        span = birth_range(f.age)
        if span:
            qs = qs.filter(birth_date__gt=span[0], birth_date__lte=span[1])
    if f.joined_year:
        qs = qs.filter(joined_on__year=f.joined_year)
    order = SORTS.get(f.sort, SORTS["org"])
    if f.q and order[0].lstrip("-") == "name_pinyin":
        # A search matches few members, and they may all sit at one end of the alphabet (zh...): sorting by an
        # expression keeps PostgreSQL from walking the name index from "a", filtering 50,000 rows to find 20
        key = Lower("name_pinyin")
        order = (key.desc() if order[0].startswith("-") else key.asc(), *order[1:])
    return qs.order_by(*order)


def timeline(member: Member) -> list[dict]:
    """History rows and audit events, newest first."""
    items = []
    for h in MemberHistory.objects.filter(member=member).select_related("from_org", "to_org", "actor"):
        items.append(
            {
                "on": h.on,
                "at": h.at,
                "kind": h.get_kind_display(),
                "summary": h.display_summary,
                "actor": h.actor.get_username() if h.actor else "",
                "source": "history",
            }
        )
    events = AuditEvent.objects.filter(object_type="members.member", object_id=str(member.pk)).only(
        "at", "action", "actor_name"
    )
    for e in events[:200]:
        items.append(
            {
                "on": e.at.date(),
                "at": e.at,
                "kind": action_label(e.action),
                "summary": "",
                "actor": e.actor_name,
                "source": "audit",
            }
        )
    if not any(i["source"] == "history" and i["kind"] == str(MemberEventKind.CREATED.label) for i in items):
        items.append(
            {
                "on": member.created_at.date(),
                "at": member.created_at,
                "kind": str(MemberEventKind.CREATED.label),
                "summary": _("批量登记入库，编入“%(o)s”") % {"o": member.org.name},
                "actor": "",
                "source": "history",
            }
        )
    items.sort(key=lambda i: (i["on"], i["at"]), reverse=True)
    return items


def member_stats(user, org: Organization) -> dict:
    """Every breakdown of §7 for one subtree, a handful of grouped queries on the member table alone."""
    base = scoped_members(user, org).filter(left_on__isnull=True).order_by()
    keys = ("category", "status", "gender", "education", "ethnicity")
    result: dict = {k: {} for k in keys}
    today = date.today()
    # one scan: the age band and the joining year are computed in the GROUP BY, not per row in Python
    age_band = Case(
        *(
            When(birth_date__gt=earliest, birth_date__lte=latest, then=Value(i))
            for i, (earliest, latest) in enumerate(birth_range(band, today) for band in AGE_BANDS)
        ),
        default=Value(-1),
        output_field=IntegerField(),
    )
    join_year = Substr(Cast("joined_on", CharField()), 1, 4)
    rows = (
        base.annotate(age_band=age_band, join_year=join_year)
        .values_list(*keys, "age_band", "join_year")
        .annotate(n=Count("pk"))
        .values_list(*keys, "age_band", "join_year", "n")
    )
    total = 0
    bands = list(AGE_BANDS)
    ages = dict.fromkeys(bands, 0)
    years: dict[int, int] = {}
    for *values, band, year, n in rows:
        total += n
        for key, value in zip(keys, values, strict=True):
            result[key][value] = result[key].get(value, 0) + n
        if band >= 0:
            ages[bands[band]] += n
        years[int(year)] = years.get(int(year), 0) + n
    for key in keys:
        result[key] = dict(sorted(result[key].items(), key=lambda kv: (kv[0] is None, str(kv[0]))))
    return {"total": total, **result, "age": ages, "joined_year": dict(sorted(years.items()))}


def member_growth(user, org: Organization, start: date, end: date) -> list[tuple[str, int]]:
    """Members in the subtree at the end of each month: registered by then and not left by then."""
    base = scoped_members(user, org)
    before = base.filter(registered_on__lt=start).filter(Q(left_on__isnull=True) | Q(left_on__gte=start)).count()
    added = per_month(base, "registered_on", start, end)
    left = per_month(base, "left_on", start, end)
    return cumulate(before, added, left, start, end)


def own_member_record(user) -> "Member | None":
    """The signed-in user's own member record (the `member` role sees itself)."""
    from .models import Member

    return Member.objects.select_related("org", "party_group").filter(user=user, left_on__isnull=True).first()
