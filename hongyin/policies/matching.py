"""Which enterprises a policy fits, and which policies fit an enterprise.

A condition left empty does not restrict. For a policy, the conditions become one filtered query. For an
enterprise, all active policies are loaded with their M2M ids (five queries, whatever their number) and
checked in memory; they are ranked by the number of conditions that actually matched (a precise policy ranks
above a catch-all one) and then by jieba token overlap between the policy and the enterprise's profile."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils import timezone

from hongyin.appeals.text import overlap, tokens_of
from hongyin.enterprises.models import Enterprise

from .models import Policy


def active_policies(today: date | None = None) -> QuerySet[Policy]:
    today = today or timezone.localdate()
    return Policy.objects.filter(is_active=True).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=today))


def qualifying_enterprises(policy: Policy, base: QuerySet | None = None) -> QuerySet[Enterprise]:
    qs = base if base is not None else Enterprise.objects.all()
    codes = policy.industry_codes.split()
    if codes:
        q = Q()
        for code in codes:
            q |= Q(industry_code__startswith=code.upper())
        qs = qs.filter(q)
    sizes = policy.size_classes.split()
    if sizes:
        qs = qs.filter(size_class__in=sizes)
    if policy.founded_after:
        qs = qs.filter(founded_on__gte=policy.founded_after)
    if policy.employees_min is not None:
        qs = qs.filter(employees__gte=policy.employees_min)
    if policy.employees_max is not None:
        qs = qs.filter(employees__lte=policy.employees_max)
    tag_ids = list(policy.tags.values_list("pk", flat=True))
    if tag_ids:
        qs = qs.filter(pk__in=Enterprise.tags.through.objects.filter(tag_id__in=tag_ids).values("enterprise_id"))
    node_ids = list(policy.chain_nodes.values_list("pk", flat=True))
    if node_ids:
        from hongyin.enterprises.models import ChainMembership

        qs = qs.filter(pk__in=ChainMembership.objects.filter(node_id__in=node_ids).values("enterprise_id"))
    building_ids = list(policy.buildings.values_list("pk", flat=True))
    cell_paths = list(policy.grid_cells.values_list("path", flat=True))
    if building_ids or cell_paths:
        place = Q(building_id__in=building_ids) if building_ids else Q(pk__in=[])
        for path in cell_paths:
            place |= Q(grid_cell__path__startswith=path)
        qs = qs.filter(place)
    return qs


@dataclass
class Candidate:
    policy: Policy
    matched: int
    relevance: float
    reasons: list = field(default_factory=list)

    @property
    def score(self) -> float:
        return self.matched + self.relevance


def enterprise_profile(enterprise: Enterprise) -> dict:
    from hongyin.enterprises.models import ChainMembership

    tags = set(enterprise.tags.values_list("pk", flat=True))
    tag_names = list(enterprise.tags.values_list("name", flat=True))
    nodes = set(ChainMembership.objects.filter(enterprise=enterprise).values_list("node_id", flat=True))
    cell_path = enterprise.grid_cell.path if enterprise.grid_cell_id else ""
    try:
        from hongyin.enterprises.industry import label

        industry = label(enterprise.industry_code) if enterprise.industry_code else ""
    except Exception:  # the industry table is optional for matching
        industry = ""
    text = " ".join([enterprise.name, industry, *tag_names])
    return {"tags": tags, "nodes": nodes, "cell_path": cell_path, "tokens": set(tokens_of(text))}


def policies_for_enterprise(enterprise: Enterprise, *, limit: int = 50, today: date | None = None) -> list[Candidate]:
    policies = list(
        active_policies(today).prefetch_related("tags", "chain_nodes", "buildings", "grid_cells").defer("full_text")
    )
    prof = enterprise_profile(enterprise)
    out = []
    for p in policies:
        ok, matched, reasons = _check(p, enterprise, prof)
        if ok:
            rel = overlap(prof["tokens"], set(p.tokens.split()))
            out.append(Candidate(p, matched, round(rel, 3), reasons))
    out.sort(key=lambda c: (-c.score, -(c.policy.issued_on or date.min).toordinal()))
    return out[:limit]


def _check(p: Policy, e: Enterprise, prof: dict) -> tuple[bool, int, list]:
    matched, reasons = 0, []
    codes = p.industry_codes.split()
    if codes:
        if not e.industry_code or not any(e.industry_code.startswith(c.upper()) for c in codes):
            return False, 0, []
        matched += 1
        reasons.append("industry")
    sizes = p.size_classes.split()
    if sizes:
        if e.size_class not in sizes:
            return False, 0, []
        matched += 1
        reasons.append("size")
    if p.founded_after:
        if not e.founded_on or e.founded_on < p.founded_after:
            return False, 0, []
        matched += 1
        reasons.append("founded")
    if p.employees_min is not None or p.employees_max is not None:
        if p.employees_min is not None and e.employees < p.employees_min:
            return False, 0, []
        if p.employees_max is not None and e.employees > p.employees_max:
            return False, 0, []
        matched += 1
        reasons.append("employees")
    tag_ids = {t.pk for t in p.tags.all()}
    if tag_ids:
        if not tag_ids & prof["tags"]:
            return False, 0, []
        matched += 1
        reasons.append("tags")
    node_ids = {n.pk for n in p.chain_nodes.all()}
    if node_ids:
        if not node_ids & prof["nodes"]:
            return False, 0, []
        matched += 1
        reasons.append("chain")
    building_ids = {b.pk for b in p.buildings.all()}
    paths = [c.path for c in p.grid_cells.all()]
    if building_ids or paths:
        in_building = e.building_id in building_ids
        in_cell = bool(prof["cell_path"]) and any(prof["cell_path"].startswith(path) for path in paths)
        if not (in_building or in_cell):
            return False, 0, []
        matched += 1
        reasons.append("place")
    return True, matched, reasons
