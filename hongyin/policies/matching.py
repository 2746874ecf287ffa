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
from hongyin.enterprises import industry
from hongyin.enterprises.models import Enterprise

from .models import Policy


def active_policies(today: date | None = None) -> QuerySet[Policy]:
    today = today or timezone.localdate()
    return Policy.objects.filter(is_active=True).filter(Q(effective_to__isnull=True) | Q(effective_to__gte=today))


def qualifying_enterprises(policy: Policy, base: QuerySet | None = None) -> QuerySet[Enterprise]:
    qs = base if base is not None else Enterprise.objects.all()
    codes = [industry.prefix(c) for c in policy.industry_codes.split()]
    if codes:
        q = Q()
        for code in codes:
            q |= Q(industry_code__startswith=code)
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


@dataclass
class Rule:
    """One policy's conditions as plain values (the matching index)."""

    pk: int
    issued: int
    codes: tuple
    sizes: tuple
    founded_after: date | None
    employees_min: int | None
    employees_max: int | None
    tokens: frozenset
    tags: set = field(default_factory=set)
    nodes: set = field(default_factory=set)
    buildings: set = field(default_factory=set)
    paths: list = field(default_factory=list)


_INDEX: dict = {}


def policy_index(today: date | None = None) -> list[Rule]:
    """All active policies' conditions, from five flat queries; kept per process while the library is unchanged."""
    from django.db.models import Count, Max

    qs = active_policies(today)
    version = (today or timezone.localdate(), *qs.aggregate(n=Count("id"), m=Max("updated_at")).values())
    if _INDEX.get("version") == version:
        return _INDEX["rules"]
    rules = {}
    for pk, issued, codes, sizes, founded, lo, hi, tokens in qs.values_list(
        "pk", "issued_on", "industry_codes", "size_classes", "founded_after", "employees_min", "employees_max", "tokens"
    ):
        prefixes = tuple(industry.prefix(c) for c in codes.split())
        rules[pk] = Rule(
            pk, issued.toordinal() if issued else 0, prefixes, tuple(sizes.split()),
            founded, lo, hi, frozenset(tokens.split()),
        )  # fmt: skip
    through = Policy.tags.through.objects.values_list("policy_id", "tag_id")
    for pid, tid in through:
        if pid in rules:
            rules[pid].tags.add(tid)
    for pid, nid in Policy.chain_nodes.through.objects.values_list("policy_id", "chainnode_id"):
        if pid in rules:
            rules[pid].nodes.add(nid)
    for pid, bid in Policy.buildings.through.objects.values_list("policy_id", "building_id"):
        if pid in rules:
            rules[pid].buildings.add(bid)
    for pid, path in Policy.grid_cells.through.objects.values_list("policy_id", "gridcell__path"):
        if pid in rules:
            rules[pid].paths.append(path)
    _INDEX.update(version=version, rules=list(rules.values()))
    return _INDEX["rules"]


def policies_for_enterprise(enterprise: Enterprise, *, limit: int = 50, today: date | None = None) -> list[Candidate]:
    prof = enterprise_profile(enterprise)
    scored = []
    for rule in policy_index(today):
        ok, matched, reasons = _check(rule, enterprise, prof)
        if ok:
            scored.append((matched + overlap(prof["tokens"], rule.tokens), rule.issued, rule.pk, matched, reasons))
    scored.sort(key=lambda t: (-t[0], -t[1], t[2]))
    top = scored[:limit]
    policies = Policy.objects.defer("full_text", "tokens").in_bulk([t[2] for t in top])
    return [
        Candidate(policies[pk], matched, round(score - matched, 3), reasons) for score, _i, pk, matched, reasons in top
    ]


def _check(p: Rule, e: Enterprise, prof: dict) -> tuple[bool, int, list]:
    matched, reasons = 0, []
    if p.codes:
        if not e.industry_code or not any(e.industry_code.startswith(c) for c in p.codes):
            return False, 0, []
        matched += 1
        reasons.append("industry")
    if p.sizes:
        if e.size_class not in p.sizes:
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
    if p.tags:
        if not p.tags & prof["tags"]:
            return False, 0, []
        matched += 1
        reasons.append("tags")
    if p.nodes:
        if not p.nodes & prof["nodes"]:
            return False, 0, []
        matched += 1
        reasons.append("chain")
    if p.buildings or p.paths:
        in_building = e.building_id in p.buildings
        in_cell = bool(prof["cell_path"]) and any(prof["cell_path"].startswith(path) for path in p.paths)
        if not (in_building or in_cell):
            return False, 0, []
        matched += 1
        reasons.append("place")
    return True, matched, reasons
