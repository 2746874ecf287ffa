"""The roles of DOMAIN.md, the scope each one carries, and what each one may do.

A permission code names a capability ("members.view"); the scope of the role assignment decides on which
objects. Every view and API operation declares the code it needs (hongyin.common.permissions). The scope kinds are
declared in hongyin.common.scopes.
"""

from functools import cache

from django.db import models
from django.utils.translation import gettext_lazy as _

from hongyin.common.scopes import ScopeKind  # re-exported: the scope kinds are declared there

from .manifests import declared_permissions


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")
    ZONE_ADMIN = "zone_admin", _("党工委组织部")
    COMMITTEE_ADMIN = "committee_admin", _("党委/总支管理员")
    BRANCH_SECRETARY = "branch_secretary", _("支部书记/组织委员")
    MEMBER = "member", _("党员")
    GRID_OFFICER = "grid_officer", _("网格员")
    INSTRUCTOR = "instructor", _("党建指导员")
    ENTERPRISE_CONTACT = "enterprise_contact", _("企业联络员")
    DEPT_HANDLER = "dept_handler", _("部门承办人")
    BANK_REVIEWER = "bank_reviewer", _("金融机构审批人")
    PARTNER_CONTACT = "partner_contact", _("合作伙伴联络人")


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
TWO_FACTOR_ROLES = frozenset({*ADMIN_ROLES, Role.ZONE_ADMIN})


ROLE_SCOPE: dict[str, str] = {
    Role.SYSTEM_ADMIN: ScopeKind.NONE,
    Role.SECURITY_ADMIN: ScopeKind.NONE,
    Role.AUDIT_ADMIN: ScopeKind.NONE,
    Role.ZONE_ADMIN: ScopeKind.ORG,
    Role.COMMITTEE_ADMIN: ScopeKind.ORG,
    Role.BRANCH_SECRETARY: ScopeKind.ORG,
    Role.MEMBER: ScopeKind.ORG,
    Role.GRID_OFFICER: ScopeKind.GRID,
    Role.INSTRUCTOR: ScopeKind.ENTERPRISE,
    Role.ENTERPRISE_CONTACT: ScopeKind.ENTERPRISE,
    Role.DEPT_HANDLER: ScopeKind.DEPARTMENT,
    Role.BANK_REVIEWER: ScopeKind.FINANCIAL_INSTITUTION,
    Role.PARTNER_CONTACT: ScopeKind.PARTNER,
}

BUSINESS = frozenset(set(Role) - ADMIN_ROLES)
PARTY = frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.BRANCH_SECRETARY})


@cache
def permissions() -> dict[str, frozenset]:
    """Every permission code and the roles that hold it by default, as the apps' manifests declare them."""
    return declared_permissions()


def roles_with(perm: str) -> frozenset:
    try:
        return permissions()[perm]
    except KeyError:
        raise LookupError(f"Unknown permission code {perm!r}; declare it in its app's manifest.py") from None
