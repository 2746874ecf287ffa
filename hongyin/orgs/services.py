"""Writes on the organization tree. Every operation is audited."""

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError
from hongyin.common.permissions import check_in_scope

from .models import BRANCH_KINDS, Organization, OrgCategory, OrgKind
from .permissions import ORG_SCOPE

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
) -> Organization:
    name = (name or "").strip()
    if not name or len(name) > 120:
        raise DomainError(_("请填写组织名称（不超过 120 个字）。"), field="name")
    if kind not in OrgKind.values:
        raise DomainError(_("组织类型不正确。"), field="kind")
    if category not in OrgCategory.values:
        raise DomainError(_("组织类别不正确。"), field="category")
    fields = {
        "name": name,
        "kind": kind,
        "category": category,
        "short_name": short_name,
        "code": code,
        "founded_on": founded_on,
    }
    if parent is None:
        if actor is not None:
            raise DomainError(_("只能在已有组织下创建下级组织。"), field="parent")
        org = Organization.objects.add_root(create_kwargs=fields)
    else:
        if actor is not None:
            check_in_scope(actor, parent, "orgs.manage", ORG_SCOPE)
        if kind not in ALLOWED_CHILDREN[parent.kind]:
            raise DomainError(
                _("“%(p)s”下不能设立%(k)s。") % {"p": parent.get_kind_display(), "k": OrgKind(kind).label},
                field="kind",
            )
        if Organization.objects.get_children(parent).filter(name=name).exists():
            raise DomainError(_("同一上级下已有名为“%(n)s”的组织。") % {"n": name}, field="name")
        org = Organization.objects.add_child(parent, create_kwargs=fields)
    audit.record(
        actor=actor, action="org.create", obj=org, org=org, details={"name": name, "kind": kind, "category": category}
    )
    return org
