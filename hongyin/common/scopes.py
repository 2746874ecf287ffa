"""The kinds of scope a role assignment can carry, declared once.

Each kind names the RoleAssignment foreign key that holds its object and whether the object stands for its subtree
(a materialized path prefix: organizations, grid cells) or for itself (its primary key). Everything else derives
from this list: `ScopeKind` (the codes), `ScopeFields` (where a model keeps each kind's object),
`hongyin.common.permissions.scope_q`, `RoleAssignment.scope_object`, the role-grant service's validation and the
role-assignment form. Adding a kind is one entry below plus one nullable foreign key on RoleAssignment (and a
migration); the roles that carry it are set in hongyin.common.roles.ROLE_SCOPE.

"The whole zone" is defined here too: an organization scope at the root of the organization tree.
"""

from dataclasses import dataclass

from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ScopeKindSpec:
    code: str  # stored nowhere; the ScopeFields keyword and the ROLE_SCOPE value
    label: Promise
    field: str  # the RoleAssignment foreign key that holds the scope object
    tree: bool = False  # True: the object's subtree (path prefix); False: the object itself (pk)
    entered_by: str = ""  # a unique field the role form asks for instead of a list too long to choose from

    def q(self, lookup: str, assignment) -> Q | None:
        """The filter for the rows of `assignment`'s scope, `lookup` leading from the model to this kind's object
        ("" when the model is that object); None when the assignment holds no object."""
        if getattr(assignment, f"{self.field}_id") is None:
            return None
        if self.tree:
            return Q(**{_join(lookup, "path__startswith"): getattr(assignment, self.field).path})
        return Q(**{_join(lookup, "pk"): getattr(assignment, f"{self.field}_id")})


def _join(prefix: str, rest: str) -> str:
    return f"{prefix}__{rest}" if prefix else rest


SCOPE_KINDS: dict[str, ScopeKindSpec] = {
    k.code: k
    for k in (
        ScopeKindSpec("org", _("党组织"), field="org", tree=True),
        ScopeKindSpec("grid", _("网格"), field="grid_cell", tree=True),
        ScopeKindSpec("enterprise", _("企业"), field="enterprise", entered_by="uscc"),
        ScopeKindSpec("department", _("部门"), field="department"),
        ScopeKindSpec("financial_institution", _("金融机构"), field="financial_institution"),
        ScopeKindSpec("partner", _("合作单位"), field="partner"),
        ScopeKindSpec("alliance_member", _("党建联盟成员"), field="alliance_member"),
    )
}
NO_SCOPE = "none"

# The codes as choices: ScopeKind.ORG == "org", ScopeKind.NONE for the admin roles that carry no scope.
ScopeKind = models.TextChoices(
    "ScopeKind", [("NONE", (NO_SCOPE, _("全局"))), *((k.code.upper(), (k.code, k.label)) for k in SCOPE_KINDS.values())]
)

# The RoleAssignment foreign keys, in declaration order.
SCOPE_FIELDS: tuple[str, ...] = tuple(k.field for k in SCOPE_KINDS.values())


class ScopeFields:
    """Where a model keeps the things a scope can be: lookups from the model to each kind's object, by kind code.

    ScopeFields(org="") means the model *is* the organization; ScopeFields(org="branch") a FK named branch to one;
    a kind not named does not reach the model (an assignment of that kind sees none of its rows)."""

    __slots__ = ("_lookups",)

    def __init__(self, **lookups: str | None):
        unknown = set(lookups) - set(SCOPE_KINDS)
        if unknown:
            raise TypeError(f"Unknown scope kind(s) {sorted(unknown)}; declared: {sorted(SCOPE_KINDS)}")
        object.__setattr__(self, "_lookups", {k: v for k, v in lookups.items() if v is not None})

    def __getattr__(self, name: str) -> str | None:
        if name in SCOPE_KINDS:
            return self._lookups.get(name)
        raise AttributeError(name)

    def __setattr__(self, name, value):
        raise AttributeError("ScopeFields is immutable")

    def lookup(self, kind: str) -> str | None:
        return self._lookups.get(kind)

    def __eq__(self, other) -> bool:
        return isinstance(other, ScopeFields) and self._lookups == other._lookups

    def __hash__(self) -> int:
        return hash(tuple(sorted(self._lookups.items())))

    def __repr__(self) -> str:
        return "ScopeFields(" + ", ".join(f"{k}={v!r}" for k, v in self._lookups.items()) + ")"


def kind_of(code: str) -> ScopeKindSpec | None:
    """The declared kind for a ROLE_SCOPE value; None for the roles without a scope."""
    return SCOPE_KINDS.get(code)


# --- the whole zone ----------------------------------------------------------------------------------------------

ZONE_ROOT_DEPTH = 1  # the zone's working committee is a root of the organization tree


def assignment_covers_whole_zone(assignment) -> bool:
    """An organization scope at the root of the tree: the zone's working committee sees everything of the zone."""
    if assignment.scope_kind != ScopeKind.ORG or assignment.org_id is None:
        return False
    return assignment.org.depth == ZONE_ROOT_DEPTH


def whole_zone_q(prefix: str = "") -> Q:
    """For querying role assignments (`prefix` leads to one, e.g. "role_assignments"): those covering the zone."""
    return Q(**{_join(prefix, "org__depth"): ZONE_ROOT_DEPTH})
