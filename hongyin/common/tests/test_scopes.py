"""The declared scope kinds: an assignment of each kind sees only its own rows, and the whole zone is defined once."""

import pytest
from django.db.models import Q

from hongyin.accounts.models import RoleAssignment, User
from hongyin.common.permissions import ScopeFields, covers_whole_zone, scope_q, scope_queryset
from hongyin.common.roles import ROLE_SCOPE, Role
from hongyin.common.scopes import SCOPE_FIELDS, SCOPE_KINDS, ScopeKind, whole_zone_q

pytestmark = pytest.mark.django_db


def _model(kind):
    return RoleAssignment._meta.get_field(kind.field).related_model


def _mine_inside_other(kind, demo):
    """Two objects of the kind in the demo zone (and, for a tree kind, one below the first)."""
    model = _model(kind)
    if kind.code == "org":
        inside = model.objects.filter(path__startswith=demo.chain.path, depth=demo.chain.depth + 1).first()
        return demo.chain, inside, demo.park
    if kind.code == "grid":
        mine = demo.grid_cells[1]
        inside = model.objects.add_child(mine, create_kwargs={"name": "测试子网格", "code": "610199", "level": 3})
        return mine, inside, model.objects.exclude(path__startswith=mine.path).exclude(depth=1).first()
    mine, other = model.objects.order_by("pk")[:2]
    return mine, None, other


def test_every_kind_is_a_foreign_key_of_role_assignments_and_a_choice():
    for kind in SCOPE_KINDS.values():
        assert RoleAssignment._meta.get_field(kind.field).is_relation
        assert ScopeKind(kind.code).label == kind.label
    assert set(ROLE_SCOPE.values()) <= {ScopeKind.NONE, *SCOPE_KINDS}
    assert {"financial_institution", "partner", "alliance_member"} <= set(SCOPE_KINDS)


@pytest.mark.parametrize("code", list(SCOPE_KINDS))
def test_an_assignment_of_each_kind_sees_only_its_rows(code, demo, monkeypatch):
    kind = SCOPE_KINDS[code]
    mine, inside, other = _mine_inside_other(kind, demo)
    monkeypatch.setitem(ROLE_SCOPE, Role.MEMBER, code)  # roles of the later kinds come with later issues
    user = User.objects.create(username=f"scoped-{code}")
    RoleAssignment.objects.create(user=user, role=Role.MEMBER, **{kind.field: mine})
    user = User.objects.get(pk=user.pk)
    model = _model(kind)

    visible = scope_queryset(user, model.objects.all(), "members.self", ScopeFields(**{code: ""}))
    assert mine in visible and other not in visible
    if kind.tree:
        assert inside in visible and visible.count() == model.objects.filter(path__startswith=mine.path).count()
    else:
        assert list(visible) == [mine]
    # through a foreign key: the assignments themselves, found by their scope object
    through = scope_queryset(user, RoleAssignment.objects.all(), "members.self", ScopeFields(**{code: kind.field}))
    assert set(through.values_list(f"{kind.field}_id", flat=True)) <= {mine.pk, *([inside.pk] if inside else [])}
    # a kind the model does not name, or a permission the role lacks: nothing
    others = {c: "" for c in SCOPE_KINDS if c != code}
    assert scope_q(user, "members.self", ScopeFields(**others)) is None
    assert not scope_queryset(user, model.objects.all(), "audit.view", ScopeFields(**{code: ""})).exists()
    # the assignment's label and object follow the declaration
    assignment = user.assignments[0]
    assert assignment.scope_object == mine and assignment.scope_label == str(mine)


def test_scope_fields_refuse_an_undeclared_kind():
    with pytest.raises(TypeError):
        ScopeFields(kiosk="")
    assert ScopeFields(org="branch") == ScopeFields(org="branch", grid=None)
    assert ScopeFields(org="branch").grid is None and ScopeFields(org="branch").org == "branch"


def test_the_whole_zone_is_the_root_organization_scope(demo):
    zone_admin = User.objects.get(username="zone_admin")
    chain_admin = User.objects.get(username="chain_admin")
    assert covers_whole_zone(zone_admin, "members.view")
    assert not covers_whole_zone(chain_admin, "members.view")
    assert not covers_whole_zone(zone_admin, "audit.view")  # a permission the role lacks
    zone_wide = set(RoleAssignment.objects.filter(whole_zone_q()).values_list("user__username", flat=True))
    assert "zone_admin" in zone_wide and "chain_admin" not in zone_wide
    via_user = User.objects.filter(whole_zone_q("role_assignments")).values_list("username", flat=True)
    assert set(via_user) == zone_wide
    assert isinstance(whole_zone_q(), Q)


def test_assignments_load_every_scope_object_in_one_query(demo, django_assert_num_queries):
    user = User.objects.get(username="dept_handler")
    with django_assert_num_queries(1):
        labels = [a.scope_label for a in user.assignments]
    assert labels == ["科技局"] and len(SCOPE_FIELDS) == len(SCOPE_KINDS)


def test_many_single_object_assignments_make_one_in_not_a_deep_or(db):
    """An instructor of 1,200 enterprises (the zone data set has such) filters with one IN: SQLite refuses an
    expression tree deeper than 1,000, which 1,200 ORed pk tests made."""
    from types import SimpleNamespace

    from hongyin.common.permissions import ScopeFields, scope_q, scope_queryset
    from hongyin.common.roles import Role
    from hongyin.enterprises.models import Enterprise

    ids = list(Enterprise.objects.order_by("pk").values_list("pk", flat=True)[:3]) + list(range(10**8, 10**8 + 1200))
    user = SimpleNamespace(
        is_authenticated=True,
        is_active=True,
        assignments=[SimpleNamespace(role=Role.INSTRUCTOR, scope_kind="enterprise", enterprise_id=pk) for pk in ids],
    )
    q = scope_q(user, "enterprises.view", ScopeFields(enterprise=""))
    assert len(q.children) == 1
    assert scope_queryset(user, Enterprise.objects.all(), "enterprises.view", ScopeFields(enterprise="")).count() == 3
