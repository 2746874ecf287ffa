"""The organization tree: create, edit, move, merge, dissolve; founding and term dates in bulk."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hongyin.audit import services as audit
from hongyin.common import hooks
from hongyin.common.errors import DomainError
from hongyin.common.permissions import check_in_scope

from .. import extensions
from ..models import (
    BRANCH_KINDS,
    CommitteePost,
    Organization,
    OrgCategory,
    OrgEventKind,
    OrgHistory,
    OrgKind,
)
from ..permissions import ORG_SCOPE
from ..rules import MAX_JOINT_UNITS

MANAGE = "orgs.manage"

# which kinds may sit under which (a group only under a branch; nothing under a group)
ALLOWED_CHILDREN = {
    OrgKind.WORKING_COMMITTEE: {OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, *BRANCH_KINDS},
    OrgKind.COMMITTEE: {OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, *BRANCH_KINDS},
    OrgKind.GENERAL_BRANCH: set(BRANCH_KINDS),
    OrgKind.BRANCH: {OrgKind.GROUP},
    OrgKind.JOINT_BRANCH: {OrgKind.GROUP},
    OrgKind.TEMPORARY_BRANCH: {OrgKind.GROUP},
    OrgKind.GROUP: set(),
}
TEXT_FIELDS = {"short_name": 40, "code": 40, "approved_by": 120}


def check_org_scope(actor, org: Organization) -> None:
    if actor is not None:
        check_in_scope(actor, org, MANAGE, ORG_SCOPE)


def org_history_add(org, kind, summary, actor, on=None, details=None) -> OrgHistory:
    return OrgHistory.objects.create(
        org=org,
        kind=kind,
        on=on or date.today(),
        summary=summary[:300],
        details=details or {},
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name or len(name) > 120:
        raise DomainError(_("请填写组织名称（不超过 120 个字）。"), field="name")
    if "<" in name or ">" in name:
        raise DomainError(_("组织名称不能包含尖括号等标记字符。"), field="name")
    return name


def _clean_units(kind: str, units) -> list[str]:
    if units in (None, ""):
        return []
    if isinstance(units, str):
        units = [u for u in units.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")]
    units = [" ".join(str(u).split()) for u in units]
    units = [u for u in units if u]
    if any(len(u) > 120 or "<" in u for u in units):
        raise DomainError(_("覆盖单位名称不正确（不超过 120 个字）。"), field="covered_units")
    if kind == OrgKind.JOINT_BRANCH and len(units) > MAX_JOINT_UNITS:
        raise DomainError(
            _("联合党支部覆盖的单位不得超过 %(n)s 个，现填了 %(m)s 个。") % {"n": MAX_JOINT_UNITS, "m": len(units)},
            field="covered_units",
        )
    if units and kind != OrgKind.JOINT_BRANCH:
        raise DomainError(_("只有联合党支部需要填写覆盖单位。"), field="covered_units")
    return units


def _check_sibling_name(parent, name, exclude_pk=None) -> None:
    siblings = Organization.objects.get_children(parent) if parent else Organization.objects.get_root_nodes()
    if siblings.filter(name=name, dissolved_on__isnull=True).exclude(pk=exclude_pk).exists():
        raise DomainError(_("同一上级下已有名为“%(n)s”的组织。") % {"n": name}, field="name")


@transaction.atomic
def org_create(
    *,
    actor,
    parent: Organization | None,
    name: str,
    kind: str,
    category: str,
    short_name: str = "",
    code: str = "",
    founded_on: date | None = None,
    approved_by: str = "",
    covered_units=None,
    is_village_community: bool = False,
    term_started_on: date | None = None,
    term_years: int | None = None,
) -> Organization:
    name = _clean_name(name)
    if kind not in OrgKind.values:
        raise DomainError(_("组织类型不正确。"), field="kind")
    if category not in OrgCategory.values:
        raise DomainError(_("组织类别不正确。"), field="category")
    if founded_on and founded_on > date.today():
        raise DomainError(_("成立日期不能晚于今天。"), field="founded_on")
    fields = {
        "name": name,
        "kind": kind,
        "category": category,
        "short_name": short_name.strip(),
        "code": code.strip(),
        "founded_on": founded_on,
        "approved_by": approved_by.strip(),
        "covered_units": _clean_units(kind, covered_units),
        "is_village_community": bool(is_village_community),
        "term_started_on": term_started_on,
        "term_years": term_years,
    }
    for key, limit in TEXT_FIELDS.items():
        if len(fields[key]) > limit:
            raise DomainError(_("内容过长（不超过 %(n)s 个字）。") % {"n": limit}, field=key)
    if parent is None:
        if actor is not None:
            raise DomainError(_("只能在已有组织下创建下级组织。"), field="parent")
        org = Organization.objects.add_root(create_kwargs=fields)
    else:
        check_org_scope(actor, parent)
        if parent.dissolved_on:
            raise DomainError(_("上级组织已撤销。"), field="parent")
        if kind not in ALLOWED_CHILDREN[parent.kind]:
            raise DomainError(
                _("“%(p)s”下不能设立%(k)s。") % {"p": parent.get_kind_display(), "k": OrgKind(kind).label},
                field="kind",
            )
        _check_sibling_name(parent, name)
        org = Organization.objects.add_child(parent, create_kwargs=fields)
    org_history_add(org, OrgEventKind.CREATED, _("成立“%(n)s”") % {"n": name}, actor, on=founded_on)
    audit.record(
        actor=actor, action="org.create", obj=org, org=org, details={"name": name, "kind": kind, "category": category}
    )
    return org


UPDATABLE = {
    "name",
    "short_name",
    "code",
    "category",
    "founded_on",
    "approved_by",
    "covered_units",
    "is_village_community",
    "term_years",
}


@transaction.atomic
def org_update(*, actor, org: Organization, **changes) -> Organization:
    """Basics and renaming. Moving, merging and dissolving have their own services."""
    unknown = set(changes) - UPDATABLE
    if unknown:
        raise DomainError(_("不能修改这些字段：%(f)s") % {"f": "、".join(sorted(unknown))})
    org = Organization.objects.select_for_update().get(pk=org.pk)
    check_org_scope(actor, org)
    if org.dissolved_on:
        raise DomainError(_("该组织已撤销，不能修改。"))
    clean = dict(changes)
    if "name" in clean:
        clean["name"] = _clean_name(clean["name"])
        if clean["name"] != org.name:
            _check_sibling_name(Organization.objects.get_parent(org), clean["name"], exclude_pk=org.pk)
    if "category" in clean and clean["category"] not in OrgCategory.values:
        raise DomainError(_("组织类别不正确。"), field="category")
    if "covered_units" in clean:
        clean["covered_units"] = _clean_units(org.kind, clean["covered_units"])
    for key, limit in TEXT_FIELDS.items():
        if key in clean:
            clean[key] = (clean[key] or "").strip()
            if len(clean[key]) > limit:
                raise DomainError(_("内容过长（不超过 %(n)s 个字）。") % {"n": limit}, field=key)
    if clean.get("founded_on") and clean["founded_on"] > date.today():
        raise DomainError(_("成立日期不能晚于今天。"), field="founded_on")
    if clean.get("term_years") is not None and not 1 <= int(clean["term_years"]) <= 5:
        raise DomainError(_("任期应为 1 至 5 年。"), field="term_years")
    diff = {}
    for key, value in clean.items():
        if getattr(org, key) != value:
            diff[key] = [str(getattr(org, key) or ""), str(value or "")]
            setattr(org, key, value)
    if not diff:
        return org
    org.save()
    if "name" in diff:
        org_history_add(
            org, OrgEventKind.RENAMED, _("由“%(a)s”更名为“%(b)s”") % {"a": diff["name"][0], "b": org.name}, actor
        )
        audit.record(actor=actor, action="org.rename", obj=org, org=org, details={"name": diff["name"]})
    others = {k: v for k, v in diff.items() if k != "name"}
    if others:
        labels = "、".join(str(Organization._meta.get_field(k).verbose_name) for k in others)
        org_history_add(org, OrgEventKind.UPDATED, _("修改了：%(f)s") % {"f": labels}, actor, details=others)
        audit.record(actor=actor, action="org.update", obj=org, org=org, details={"changes": others})
    return org


@transaction.atomic
def org_move(*, actor, org: Organization, new_parent: Organization, reason: str = "") -> Organization:
    """Reorganization: move a whole subtree under another parent (treebeard rewrites the paths)."""
    org = Organization.objects.get(pk=org.pk)
    new_parent = Organization.objects.get(pk=new_parent.pk)
    check_org_scope(actor, org)
    check_org_scope(actor, new_parent)
    if org.is_root():
        raise DomainError(_("最上级组织不能调整隶属关系。"), field="new_parent")
    if new_parent.path.startswith(org.path):
        raise DomainError(_("不能把组织移到它自己或它的下级组织之下。"), field="new_parent")
    old_parent = Organization.objects.get_parent(org)
    if old_parent.pk == new_parent.pk:
        raise DomainError(_("该组织已隶属于“%(p)s”。") % {"p": new_parent.name}, field="new_parent")
    if new_parent.dissolved_on:
        raise DomainError(_("目标上级组织已撤销。"), field="new_parent")
    if org.kind not in ALLOWED_CHILDREN[new_parent.kind]:
        raise DomainError(
            _("“%(p)s”下不能设立%(k)s。") % {"p": new_parent.get_kind_display(), "k": org.get_kind_display()},
            field="new_parent",
        )
    _check_sibling_name(new_parent, org.name)
    Organization.objects.move(org, new_parent, pos="last-child")
    org = Organization.objects.get(pk=org.pk)
    summary = _("隶属关系由“%(a)s”调整为“%(b)s”") % {"a": old_parent.name, "b": new_parent.name}
    if reason:
        summary += f"：{reason[:100]}"
    org_history_add(org, OrgEventKind.MOVED, summary, actor, details={"from": old_parent.pk, "to": new_parent.pk})
    audit.record(
        actor=actor,
        action="org.move",
        obj=org,
        org=org,
        details={"from": old_parent.name, "to": new_parent.name, "reason": reason[:200]},
    )
    return org


# Apps whose records belong to an organization follow a merge through their own services (members move with a
# member-level history row and audit event): `(actor, source, target, reason) -> {"members": n, ...}`; a handler
# refuses with a DomainError (e.g. members can only go to a branch) and the whole merge is rolled back.
ORG_MERGING = hooks.define("orgs.merging")


@transaction.atomic
def org_merge(*, actor, source: Organization, target: Organization, reason: str = "") -> Organization:
    """Merge `source` into `target`: its members and sub-organizations move to the target; the source is dissolved."""
    source = Organization.objects.select_for_update().get(pk=source.pk)
    target = Organization.objects.select_for_update().get(pk=target.pk)
    check_org_scope(actor, source)
    check_org_scope(actor, target)
    if source.pk == target.pk:
        raise DomainError(_("不能与自身合并。"), field="target")
    if target.path.startswith(source.path) or source.path.startswith(target.path):
        raise DomainError(_("上下级组织之间不能合并，请用调整隶属关系。"), field="target")
    if source.dissolved_on or target.dissolved_on:
        raise DomainError(_("已撤销的组织不能合并。"), field="target")
    if source.is_root():
        raise DomainError(_("最上级组织不能被合并。"), field="source")
    children = list(Organization.objects.get_children(source).filter(dissolved_on__isnull=True))
    for child in children:
        if child.kind not in ALLOWED_CHILDREN[target.kind]:
            raise DomainError(
                _("“%(t)s”下不能设立%(k)s（“%(c)s”）。")
                % {"t": target.name, "k": child.get_kind_display(), "c": child.name},
                field="target",
            )
        _check_sibling_name(target, child.name)
    today = date.today()
    moved: dict = {}
    for follow in hooks.registered(ORG_MERGING):
        moved.update(follow(actor=actor, source=source, target=target, reason=reason))
    for child in children:
        Organization.objects.move(
            Organization.objects.get(pk=child.pk), Organization.objects.get(pk=target.pk), pos="last-child"
        )
    CommitteePost.objects.filter(org=source, to_on__isnull=True).update(to_on=today)
    Organization.objects.filter(pk=source.pk).update(dissolved_on=today)
    details = {
        "source": source.name,
        "target": target.name,
        "members": moved.get("members", 0),
        "children": len(children),
    }
    org_history_add(source, OrgEventKind.MERGED, _("并入“%(t)s”") % {"t": target.name}, actor, details=details)
    org_history_add(
        target,
        OrgEventKind.MERGED,
        _("“%(s)s”并入本组织（党员 %(n)s 名）") % {"s": source.name, "n": details["members"]},
        actor,
        details=details,
    )
    audit.record(actor=actor, action="org.merge", obj=target, org=target, details={**details, "reason": reason[:200]})
    return Organization.objects.get(pk=target.pk)


@transaction.atomic
def org_dissolve(*, actor, org: Organization, on: date | None = None, reason: str = "") -> Organization:
    """Dissolve an organization; refused while members or sub-organizations remain (move them first)."""
    org = Organization.objects.select_for_update().get(pk=org.pk)
    check_org_scope(actor, org)
    on = on or date.today()
    if org.dissolved_on:
        raise DomainError(_("该组织已于 %(d)s 撤销。") % {"d": org.dissolved_on})
    if org.is_root():
        raise DomainError(_("最上级组织不能撤销。"))
    if on > date.today():
        raise DomainError(_("撤销日期不能晚于今天。"), field="on")
    remaining = sum(n for _org, n in extensions.members_per_org(org.path))
    if remaining:
        raise DomainError(
            _("该组织（含下级）还有 %(n)s 名党员，请先转移党员组织关系再撤销。") % {"n": remaining}, field="org"
        )
    active_children = (
        Organization.objects.filter(path__startswith=org.path, dissolved_on__isnull=True).exclude(pk=org.pk).count()
    )
    if active_children:
        raise DomainError(_("该组织还有 %(n)s 个下级组织，请先撤销或调整。") % {"n": active_children}, field="org")
    org.dissolved_on = on
    org.save(update_fields=["dissolved_on", "updated_at"])
    CommitteePost.objects.filter(org=org, to_on__isnull=True).update(to_on=on)
    org_history_add(
        org,
        OrgEventKind.DISSOLVED,
        pgettext("org event", "撤销") + (f"：{reason[:200]}" if reason else ""),
        actor,
        on=on,
    )
    audit.record(actor=actor, action="org.dissolve", obj=org, org=org, details={"on": on, "reason": reason[:200]})
    return org


@transaction.atomic
def orgs_bulk_update_dates(*, actor, dates: dict[int, dict], source: str = "seed") -> int:
    """Set founding and term dates of many organizations at once (seed, import): {org_id: {field: date}}."""
    allowed = {"founded_on", "term_started_on"}
    orgs = {o.pk: o for o in Organization.objects.filter(pk__in=list(dates))}
    changed = []
    for pk, values in dates.items():
        org = orgs[pk]
        check_org_scope(actor, org)
        for key, value in values.items():
            if key not in allowed:
                raise DomainError(_("不能修改这些字段：%(f)s") % {"f": key})
            if value and value > date.today():
                raise DomainError(_("日期不能晚于今天。"), field=key)
            setattr(org, key, value)
        changed.append(org)
    Organization.objects.bulk_update(changed, list(allowed), batch_size=500)
    audit.record(actor=actor, action="org.bulk_dates", details={"source": source, "count": len(changed)})
    return len(changed)
