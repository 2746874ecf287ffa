"""Reads: the filtered enterprise list, an enterprise's derived facts, buildings with vacancy and tiers, chain maps."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy

from hongyin.accounts.models import RoleAssignment
from hongyin.common.roles import Role
from hongyin.orgs.models import OrgKind

from . import extensions, industry
from .models import (
    Building,
    BuildingFigure,
    ChainMembership,
    ChainNode,
    Enterprise,
    Floor,
    IndustryChain,
    Lease,
    PartyStatus,
    Segment,
    SizeClass,
    Tag,
    Unit,
)
from .permissions import buildings_visible_to, enterprises_visible_to


def with_party_status(qs: QuerySet) -> QuerySet:
    """Own organization / covered by a joint branch / none, derived from the organization the enterprise is in."""
    return qs.annotate(
        party_status=Case(
            When(org__isnull=True, then=Value(PartyStatus.NONE)),
            When(org__kind=OrgKind.JOINT_BRANCH, then=Value(PartyStatus.JOINT)),
            default=Value(PartyStatus.OWN),
            output_field=CharField(),
        )
    )


def has_instructor() -> Exists:
    return Exists(RoleAssignment.objects.filter(role=Role.INSTRUCTOR, enterprise_id=OuterRef("pk")))


class EnterpriseFilterForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("名称 / 拼音首字母 / 信用代码"), required=False, max_length=100)
    industry = forms.CharField(label=gettext_lazy("行业"), required=False, max_length=5)
    size = forms.ChoiceField(label=gettext_lazy("规模"), required=False, choices=[("", "—"), *SizeClass.choices])
    tag = forms.CharField(label=gettext_lazy("标签"), required=False, max_length=40)
    party = forms.ChoiceField(label=gettext_lazy("党组织"), required=False, choices=[("", "—"), *PartyStatus.choices])
    instructor = forms.ChoiceField(
        label=gettext_lazy("党建指导员"),
        required=False,
        choices=[("", "—"), ("yes", gettext_lazy("有")), ("no", gettext_lazy("无"))],
    )
    building = forms.IntegerField(label=gettext_lazy("楼宇"), required=False, min_value=1)
    node = forms.IntegerField(label=gettext_lazy("产业链环节"), required=False, min_value=1)
    cell = forms.IntegerField(label=gettext_lazy("网格"), required=False, min_value=1)


def search_q(q: str) -> Q:
    q = q.strip()
    cond = Q(name__icontains=q) | Q(former_names__icontains=q)
    if q.isascii():
        low = q.lower().replace(" ", "")
        cond |= Q(name_initials__startswith=low) | Q(name_pinyin__startswith=low)
        if len(q) == 18:
            cond |= Q(uscc=q.upper())
        elif len(q) >= 6:
            cond |= Q(uscc__startswith=q.upper())
    cond |= Q(pk__in=Tag.enterprises.through.objects.filter(tag__name=q).values("enterprise_id"))
    cond |= Q(building__name__icontains=q)
    cond |= Q(pk__in=ChainMembership.objects.filter(node__name=q).values("enterprise_id"))
    return cond


def enterprise_list(*, user, form: EnterpriseFilterForm | None = None, perm: str = "enterprises.view") -> QuerySet:
    qs = enterprises_visible_to(user, perm)
    data = form.cleaned_data if form is not None and form.is_valid() else {}
    if data.get("q"):
        qs = qs.filter(search_q(data["q"]))
    code = (data.get("industry") or "").upper()
    if code:
        item = industry.get(code)
        if item is not None and item.level == "section":
            divisions = [i.code for i in industry.table().values() if i.parent == code]
            qs = qs.filter(industry_code__regex=r"^(%s)" % "|".join(divisions)) if divisions else qs.none()
        else:
            qs = qs.filter(industry_code__startswith=code)
    if data.get("size"):
        qs = qs.filter(size_class=data["size"])
    if data.get("tag"):
        qs = qs.filter(pk__in=Tag.enterprises.through.objects.filter(tag__name=data["tag"]).values("enterprise_id"))
    party = data.get("party")
    if party == PartyStatus.NONE:
        qs = qs.filter(org__isnull=True)
    elif party == PartyStatus.JOINT:
        qs = qs.filter(org__kind=OrgKind.JOINT_BRANCH)
    elif party == PartyStatus.OWN:
        qs = qs.filter(org__isnull=False).exclude(org__kind=OrgKind.JOINT_BRANCH)
    if data.get("instructor"):
        qs = qs.annotate(_instr=has_instructor()).filter(_instr=data["instructor"] == "yes")
    if data.get("building"):
        qs = qs.filter(building_id=data["building"])
    if data.get("node"):
        node = ChainNode.objects.filter(pk=data["node"]).first()
        if node is None:
            return qs.none()
        qs = qs.filter(pk__in=ChainMembership.objects.filter(node__path__startswith=node.path).values("enterprise_id"))
    if data.get("cell"):
        path = extensions.cell_path(data["cell"])
        qs = qs.filter(grid_cell__path__startswith=path) if path is not None else qs.none()
    # party status is read from the selected organization row (Enterprise.party_status), so the count needs no join
    return qs.select_related("building", "grid_cell", "org").order_by("id")


@dataclass
class EnterpriseFacts:
    party_status: str
    party_status_label: str
    members_employed: int
    instructors: list
    contacts: list


def enterprise_facts(enterprise: Enterprise) -> EnterpriseFacts:
    if enterprise.org_id is None:
        status = PartyStatus.NONE
    elif enterprise.org.kind == OrgKind.JOINT_BRANCH:
        status = PartyStatus.JOINT
    else:
        status = PartyStatus.OWN
    assignments = list(
        RoleAssignment.objects.filter(enterprise=enterprise, role__in=[Role.INSTRUCTOR, Role.ENTERPRISE_CONTACT])
        .select_related("user")
        .order_by("id")
    )
    return EnterpriseFacts(
        party_status=status,
        party_status_label=str(PartyStatus(status).label),
        members_employed=extensions.members_employed(enterprise),
        instructors=[a.user for a in assignments if a.role == Role.INSTRUCTOR],
        contacts=[a.user for a in assignments if a.role == Role.ENTERPRISE_CONTACT],
    )


def enterprise_chain_positions(enterprise: Enterprise):
    return ChainMembership.objects.filter(enterprise=enterprise).select_related("node__chain").order_by("node__path")


def enterprise_history(enterprise: Enterprise, *, viewer, limit: int = 50):
    """The enterprise's events the viewer may know of: the zone all; others their own acts and those recorded
    under organizations in their scope (not what another committee or department did)."""
    from hongyin.audit.models import AuditEvent
    from hongyin.common.permissions import ScopeFields, scope_q

    from .permissions import _zone_wide

    qs = AuditEvent.objects.filter(object_type="enterprises.enterprise", object_id=str(enterprise.pk))
    if not _zone_wide(viewer, "enterprises.view"):
        q = Q(actor=viewer)
        orgs = scope_q(viewer, "enterprises.view", ScopeFields(org="org"))
        qs = qs.filter(q if orgs is None else q | orgs)
    return qs.order_by("-at")[:limit]


# --- buildings --------------------------------------------------------------------------------------------------

TIERS = [
    (Decimal(1_000_000_000), "ten_billion", gettext_lazy("十亿元楼")),
    (Decimal(100_000_000), "hundred_million", gettext_lazy("亿元楼")),
    (Decimal(10_000_000), "ten_million", gettext_lazy("千万元楼")),
]


def tier_of(annual_tax) -> tuple[str, str]:
    for floor_value, key, label in TIERS:
        if annual_tax is not None and Decimal(annual_tax) >= floor_value:
            return key, str(label)
    return "", ""


def last_year_range(today: date | None = None) -> tuple[date, date]:
    """The last 12 complete months."""
    today = today or date.today()
    end = today.replace(day=1)
    start = end.replace(year=end.year - 1)
    return start, end


def buildings_with_figures(user) -> QuerySet[Building]:
    """Leasable and vacant area from the units (a unit is vacant with no lease running today), the annual tax."""
    today = date.today()
    start, end = last_year_range(today)
    running = Lease.objects.filter(unit_id=OuterRef("pk"), start_on__lte=today).filter(
        Q(end_on__isnull=True) | Q(end_on__gte=today)
    )
    leasable = (
        Unit.objects.filter(floor__building_id=OuterRef("pk"), leasable=True)
        .order_by()
        .values("floor__building_id")
        .annotate(s=Sum("area"))
        .values("s")
    )
    vacant = (
        Unit.objects.filter(floor__building_id=OuterRef("pk"), leasable=True)
        .annotate(busy=Exists(running))
        .filter(busy=False)
        .order_by()
        .values("floor__building_id")
        .annotate(s=Sum("area"))
        .values("s")
    )
    tax = (
        BuildingFigure.objects.filter(building_id=OuterRef("pk"), month__gte=start, month__lt=end)
        .order_by()
        .values("building_id")
        .annotate(s=Sum("tax_paid"))
        .values("s")
    )
    enterprises = (
        Enterprise.objects.filter(building_id=OuterRef("pk"))
        .order_by()
        .values("building_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        buildings_visible_to(user)
        .annotate(
            leasable_area=Coalesce(Subquery(leasable), Value(Decimal(0))),
            vacant_area=Coalesce(Subquery(vacant), Value(Decimal(0))),
            annual_tax=Coalesce(Subquery(tax), Value(Decimal(0))),
            enterprise_count=Coalesce(Subquery(enterprises, output_field=IntegerField()), Value(0)),
        )
        .select_related("party_committee", "grid_cell")
        .order_by("-annual_tax")
    )


def vacancy_rate(building) -> float | None:
    if not building.leasable_area:
        return None
    return round(float(building.vacant_area) * 100 / float(building.leasable_area), 1)


def building_floor_table(building: Building) -> list[dict]:
    """Floor by floor: each unit with its running tenant, or vacant."""
    today = date.today()
    running = Lease.objects.filter(start_on__lte=today).filter(Q(end_on__isnull=True) | Q(end_on__gte=today))
    floors = (
        Floor.objects.filter(building=building)
        .prefetch_related(
            Prefetch(
                "units",
                queryset=Unit.objects.order_by("number").prefetch_related(
                    Prefetch("leases", queryset=running.select_related("enterprise"), to_attr="running_leases")
                ),
            )
        )
        .order_by("-number")
    )
    table = []
    for floor in floors:
        units = []
        vacant = Decimal(0)
        leasable = Decimal(0)
        for unit in floor.units.all():
            lease = unit.running_leases[0] if unit.running_leases else None
            units.append({"unit": unit, "lease": lease})
            if unit.leasable:
                leasable += unit.area
                if lease is None:
                    vacant += unit.area
        table.append({"floor": floor, "units": units, "leasable": leasable, "vacant": vacant})
    return table


def building_trend(building: Building, months: int = 24) -> list[BuildingFigure]:
    return list(BuildingFigure.objects.filter(building=building).order_by("-month")[:months])[::-1]


# --- chains -----------------------------------------------------------------------------------------------------


def chain_map(chain: IndustryChain) -> dict:
    """Nodes with the count of enterprises on each node's subtree, lead enterprises and the gaps (补链). Nodes are
    listed upstream to downstream (the tree keeps siblings by name), each with its subtree under it."""
    rank = {value: i for i, value in enumerate(Segment.values)}
    nodes = sorted(
        ChainNode.objects.filter(chain=chain).annotate(
            direct=Count("memberships"), leads=Count("memberships", filter=Q(memberships__is_lead=True))
        ),
        key=lambda n: (rank.get(n.segment, len(rank)), n.path),
    )
    by_path = {n.path: n for n in nodes}
    for n in nodes:
        n.total = 0
    for n in nodes:
        for depth in range(1, n.depth + 1):
            ancestor = by_path.get(n.path[: depth * ChainNode.steplen])
            if ancestor is not None:
                ancestor.total += n.direct
    leads = list(
        ChainMembership.objects.filter(node__chain=chain, is_lead=True)
        .select_related("enterprise", "node")
        .order_by("node__path")
    )
    gaps = [n for n in nodes if n.total == 0]
    enterprises = ChainMembership.objects.filter(node__chain=chain).values("enterprise_id").distinct().count()
    return {"nodes": nodes, "leads": leads, "gaps": gaps, "enterprise_count": enterprises}


def chain_tree_option(chain: IndustryChain, nodes: list) -> dict:
    """ECharts tree option: chain -> segments -> nodes, each labelled with its count; gaps drawn grey."""
    from .models import Segment

    segments = {s.value: {"name": str(s.label), "children": []} for s in Segment}
    children_of: dict[str, list] = {}
    items = {}
    for n in nodes:
        item = {
            "name": f"{n.name}（{n.total}）",
            "value": n.total,
            "children": [],
            "itemStyle": {"color": "#c8102e" if n.total else "#adb5bd"},
        }
        items[n.path] = item
        parent_path = n.path[: -ChainNode.steplen]
        if parent_path and parent_path in items:
            items[parent_path]["children"].append(item)
        else:
            segments[n.segment]["children"].append(item)
        children_of.setdefault(parent_path, []).append(item)
    root = {"name": chain.name, "children": list(segments.values())}
    return {
        "tooltip": {"trigger": "item"},
        "series": [
            {
                "type": "tree",
                "data": [root],
                "top": "2%",
                "left": "10%",
                "bottom": "2%",
                "right": "22%",
                "symbolSize": 9,
                "initialTreeDepth": 3,
                "label": {"position": "left", "verticalAlign": "middle", "align": "right", "fontSize": 12},
                "leaves": {"label": {"position": "right", "verticalAlign": "middle", "align": "left"}},
                "expandAndCollapse": True,
            }
        ],
    }


def recent_since(days: int) -> date:
    return date.today() - timedelta(days=days)


__all__ = ["F"]
