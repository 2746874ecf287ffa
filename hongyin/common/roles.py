"""The roles of DOMAIN.md, the scope each one carries, and what each one may do.

A permission code names a capability ("members.view"); the scope of the role assignment decides on which
objects. Every view and API operation declares the code it needs (hongyin.common.permissions).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
TWO_FACTOR_ROLES = frozenset({*ADMIN_ROLES, Role.ZONE_ADMIN})


class ScopeKind(models.TextChoices):
    NONE = "none", _("全局")
    ORG = "org", _("党组织")
    GRID = "grid", _("网格")
    ENTERPRISE = "enterprise", _("企业")
    DEPARTMENT = "department", _("部门")


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
}

BUSINESS = frozenset(set(Role) - ADMIN_ROLES)
PARTY = frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.BRANCH_SECRETARY})

PERMISSIONS: dict[str, frozenset] = {
    # every signed-in account
    "shell.use": frozenset(Role),
    "api.tokens": frozenset(Role),
    "jobs.view": frozenset(Role),
    # separated administration (三权分立)
    "admin.site": frozenset({Role.SYSTEM_ADMIN}),
    "accounts.manage_users": frozenset({Role.SYSTEM_ADMIN}),
    "accounts.manage_roles": frozenset({Role.SECURITY_ADMIN}),
    # another account's credentials: second factor and privileged accounts' passwords (services decide which)
    "accounts.manage_credentials": frozenset({Role.SECURITY_ADMIN}),
    "accounts.reset_password": frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN}),
    "security.policy": frozenset({Role.SECURITY_ADMIN}),
    "audit.view": frozenset({Role.AUDIT_ADMIN}),
    "audit.export": frozenset({Role.AUDIT_ADMIN}),
    # business data
    "search.global": BUSINESS,
    "workbench.business": BUSINESS,
    "orgs.view": frozenset({*PARTY, Role.MEMBER}),
    "orgs.manage": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN}),
    "members.view": PARTY,
    "members.self": frozenset({Role.MEMBER}),
    "members.manage": PARTY,
    "personal_data.view": PARTY,
    # development, transfers, dues (issue 3): member sees its own case and dues only
    "development.view": frozenset({*PARTY, Role.MEMBER}),
    "development.manage": PARTY,
    "development.approve": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN}),
    "transfers.view": PARTY,
    "transfers.manage": PARTY,
    "dues.view": frozenset({*PARTY, Role.MEMBER}),
    "dues.manage": PARTY,
    "dues.approve": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN}),
    "enterprises.view": frozenset(
        {Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.GRID_OFFICER, Role.INSTRUCTOR, Role.ENTERPRISE_CONTACT}
    ),
    # enterprises, buildings, chains, grid (issue 5)
    "enterprises.manage": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN}),
    "enterprises.export": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.GRID_OFFICER}),
    "enterprises.import": frozenset({Role.ZONE_ADMIN}),
    "enterprises.assign_instructors": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN}),
    "buildings.view": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.GRID_OFFICER}),
    "buildings.manage": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN}),
    "chains.view": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.GRID_OFFICER, Role.INSTRUCTOR}),
    "chains.manage": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN}),
    "grid.view": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.GRID_OFFICER}),
    "grid.manage": frozenset({Role.ZONE_ADMIN}),
    "appeals.view": frozenset(
        {
            Role.ZONE_ADMIN,
            Role.COMMITTEE_ADMIN,
            Role.GRID_OFFICER,
            Role.INSTRUCTOR,
            Role.ENTERPRISE_CONTACT,
            Role.DEPT_HANDLER,
        }
    ),
    # appeals, visits, policies (issue 6)
    "appeals.submit": frozenset(
        {Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.GRID_OFFICER, Role.INSTRUCTOR, Role.ENTERPRISE_CONTACT}
    ),
    "appeals.dispatch": frozenset({Role.ZONE_ADMIN}),
    "appeals.handle": frozenset({Role.DEPT_HANDLER}),
    "appeals.follow_up": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.GRID_OFFICER, Role.INSTRUCTOR}),
    "appeals.rate": frozenset({Role.ENTERPRISE_CONTACT}),
    "appeals.queue": frozenset({Role.DEPT_HANDLER, Role.ZONE_ADMIN}),
    "appeals.stats": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.DEPT_HANDLER}),
    "visits.view": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.GRID_OFFICER, Role.INSTRUCTOR}),
    "visits.manage": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.GRID_OFFICER, Role.INSTRUCTOR}),
    "policies.view": frozenset(
        {Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.GRID_OFFICER, Role.INSTRUCTOR, Role.ENTERPRISE_CONTACT}
    ),
    "policies.manage": frozenset({Role.ZONE_ADMIN}),
    "policies.push": frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN}),
    "notifications.prefs": frozenset(Role),
}


def roles_with(perm: str) -> frozenset:
    try:
        return PERMISSIONS[perm]
    except KeyError:
        raise LookupError(f"Unknown permission code {perm!r}; add it to hongyin.common.roles.PERMISSIONS")
