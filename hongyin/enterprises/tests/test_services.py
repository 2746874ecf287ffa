from datetime import date, timedelta

import pytest

from hongyin.audit.models import AuditEvent
from hongyin.common.errors import DomainError
from hongyin.enterprises import services
from hongyin.enterprises.models import Building, ChainNode, Enterprise, Floor, Lease, Unit
from hongyin.grid import services as grid_services
from hongyin.grid.models import GridCell

pytestmark = pytest.mark.django_db


def test_seed_has_the_seven_buildings_the_chain_and_600_enterprises(demo):
    names = set(Building.objects.values_list("name", flat=True))
    assert {"第一楼宇", "迈科中心", "嘉昱大厦", "华邦阳光城", "禾盛京广", "万象汇", "绿地中心"} <= names
    assert Enterprise.objects.count() >= 590
    assert ChainNode.objects.filter(memberships__isnull=False).distinct().count() > 10
    assert Enterprise.objects.filter(chain_nodes__isnull=False).distinct().count() >= 200
    assert Enterprise.objects.filter(org__isnull=True).exists()


def test_invalid_uscc_is_refused_and_nothing_written():
    before = Enterprise.objects.count()
    with pytest.raises(DomainError) as exc:
        services.enterprise_create(actor=None, uscc="91610131ABCDEFGHI0", name="坏代码公司")
    assert "统一社会信用代码" in exc.value.message
    assert exc.value.field == "uscc"
    assert Enterprise.objects.count() == before


def test_create_enterprise_fills_pinyin_and_audits():
    from stdnum.cn import uscc

    body = "91610131MA6TT1234"
    code = body + uscc.calc_check_digit(body)
    e = services.enterprise_create(
        actor=None, uscc=code, name="西安测试光电有限公司", tags=["专精特新"], industry_code="397"
    )
    assert e.name_initials.startswith("xacsgd")
    assert list(e.tags.values_list("name", flat=True)) == ["专精特新"]
    assert AuditEvent.objects.filter(action="enterprise.create", object_id=str(e.pk)).exists()
    with pytest.raises(DomainError):
        services.enterprise_create(actor=None, uscc=code, name="重复")


def test_unknown_industry_code_refused():
    from stdnum.cn import uscc

    body = "91610131MA6TT9999"
    with pytest.raises(DomainError) as exc:
        services.enterprise_create(
            actor=None, uscc=body + uscc.calc_check_digit(body), name="行业错", industry_code="999"
        )
    assert exc.value.field == "industry_code"


def test_floor_outside_building_refused():
    building = Building.objects.get(name="万象汇")  # 12 above, 2 below
    count = Floor.objects.count()
    with pytest.raises(DomainError) as exc:
        services.floor_create(actor=None, building=building, number=13)
    assert "不在" in exc.value.message
    with pytest.raises(DomainError):
        services.floor_create(actor=None, building=building, number=-3)
    assert Floor.objects.count() == count
    assert services.floor_create(actor=None, building=building, number=-2).label == "B2"


def test_floor_of_another_building_refused_in_address(demo):
    a, b = Building.objects.order_by("id")[:2]
    floor_b = Floor.objects.filter(building=b).first()
    e = Enterprise.objects.filter(building__isnull=True).first() or Enterprise.objects.first()
    with pytest.raises(DomainError) as exc:
        services.enterprise_update(actor=None, enterprise=e, building=a, floor=floor_b, address_given=True)
    assert exc.value.field == "floor"
    e.refresh_from_db()
    assert e.floor_id != floor_b.pk


def test_overlapping_lease_refused():
    unit = Unit.objects.filter(leases__isnull=True, leasable=True).first()
    e1, e2 = Enterprise.objects.order_by("id")[:2]
    services.lease_create(actor=None, unit=unit, enterprise=e1, start_on=date(2025, 1, 1), end_on=date(2025, 12, 31))
    n = Lease.objects.count()
    with pytest.raises(DomainError) as exc:
        services.lease_create(actor=None, unit=unit, enterprise=e2, start_on=date(2025, 6, 1), end_on=date(2026, 5, 31))
    assert "重叠" in exc.value.message
    with pytest.raises(DomainError):
        services.lease_create(actor=None, unit=unit, enterprise=e2, start_on=date(2024, 6, 1))  # open-ended
    assert Lease.objects.count() == n
    services.lease_create(actor=None, unit=unit, enterprise=e2, start_on=date(2026, 1, 1))
    assert Lease.objects.count() == n + 1


def test_enterprise_in_two_cells_refused():
    e = Enterprise.objects.filter(grid_cell__isnull=False).first()
    other = (
        GridCell.objects.exclude(path__startswith=e.grid_cell.path)
        .exclude(pk__in=GridCell.objects.get_ancestors(e.grid_cell).values("pk"))
        .filter(level=3)
        .first()
    )
    with pytest.raises(DomainError) as exc:
        grid_services.grid_assign_enterprise(actor=None, enterprise=e, cell=other)
    assert "只能属于一个网格" in exc.value.message or "另一个网格" in exc.value.message
    e.refresh_from_db()
    assert e.grid_cell_id != other.pk
    moved = grid_services.grid_assign_enterprise(actor=None, enterprise=e, cell=other, move=True)
    assert moved.grid_cell_id == other.pk and moved.grid_explicit


def test_grid_code_is_parent_code_plus_sequence_and_five_levels_max():
    parent = GridCell.objects.filter(level=4).first()
    child = grid_services.grid_cell_create(actor=None, parent=parent, name="测试微网格")
    assert child.code.startswith(parent.code) and len(child.code) == len(parent.code) + 2
    assert child.level == 5
    with pytest.raises(DomainError):
        grid_services.grid_cell_create(actor=None, parent=child, name="第六级")


# --- incubation graduation and innovation platforms ----------------------------------------------------------------


def _open_stay(*, outside_of=None):
    """An ungraduated stay; with `outside_of`, one whose enterprise that user may not manage."""
    from hongyin.enterprises.models import Incubation
    from hongyin.enterprises.permissions import enterprises_visible_to

    qs = Incubation.objects.filter(graduated_on__isnull=True).select_related("enterprise", "base").order_by("id")
    if outside_of is not None:
        qs = qs.exclude(enterprise__in=enterprises_visible_to(outside_of, "enterprises.manage"))
    return qs.first()


def test_incubation_graduate_sets_date_and_audits(users):
    stay = _open_stay()
    day = stay.entered_on + timedelta(days=400)
    services.incubation_graduate(actor=users["zone_admin"], stay=stay, graduated_on=day)
    stay.refresh_from_db()
    assert stay.graduated_on == day
    event = AuditEvent.objects.get(action="incubation.graduate", object_id=str(stay.enterprise_id))
    assert event.details["graduated_on"] == day.isoformat()


@pytest.mark.parametrize(
    ("offset", "message"),
    [(-1, "不能早于入驻日期"), (None, "请填写毕业日期"), ("future", "不能晚于今天")],
)
def test_incubation_graduate_refuses_bad_dates(users, offset, message):
    stay = _open_stay()
    if offset is None:
        day = None
    elif offset == "future":
        day = date.today() + timedelta(days=1)
    else:
        day = stay.entered_on + timedelta(days=offset)
    with pytest.raises(DomainError) as exc:
        services.incubation_graduate(actor=users["zone_admin"], stay=stay, graduated_on=day)
    assert message in exc.value.message
    stay.refresh_from_db()
    assert stay.graduated_on is None
    assert not AuditEvent.objects.filter(action="incubation.graduate").exists()


def test_incubation_graduate_twice_refused(users):
    stay = _open_stay()
    services.incubation_graduate(actor=users["zone_admin"], stay=stay, graduated_on=stay.entered_on)
    with pytest.raises(DomainError) as exc:
        services.incubation_graduate(actor=users["zone_admin"], stay=stay, graduated_on=date.today())
    assert "已于" in exc.value.message
    stay.refresh_from_db()
    assert stay.graduated_on == stay.entered_on


def test_incubation_graduate_outside_scope_refused(users):
    from django.core.exceptions import PermissionDenied

    from hongyin.common.errors import NotFound

    admin = users["building_admin"]
    stay = _open_stay(outside_of=admin)
    day = stay.entered_on + timedelta(days=30)
    with pytest.raises(NotFound):
        services.incubation_graduate(actor=admin, stay=stay, graduated_on=day)
    with pytest.raises(PermissionDenied):
        services.incubation_graduate(actor=users["grid_officer"], stay=stay, graduated_on=day)
    stay.refresh_from_db()
    assert stay.graduated_on is None


def _platform():
    from hongyin.enterprises.models import InnovationPlatform

    return InnovationPlatform.objects.select_related("chain", "node").order_by("id").first()


def test_platform_update_changes_fields_and_audits_the_diff(users):
    from hongyin.enterprises.models import InnovationPlatform

    p = _platform()
    old_name, old_node = p.name, p.node
    node = p.chain.nodes.exclude(pk=p.node_id).order_by("path").first()
    host = Enterprise.objects.order_by("id")[40]
    kind = "institute" if p.kind == "platform" else "platform"
    services.platform_update(
        actor=users["chain_admin"], platform=p, name=" 光子测试平台 ", kind=kind, node=node, enterprise=host
    )
    p = InnovationPlatform.objects.get(pk=p.pk)
    assert (p.name, p.kind, p.node_id, p.enterprise_id) == ("光子测试平台", kind, node.pk, host.pk)
    event = AuditEvent.objects.get(action="chain.platform_update", object_id=str(p.pk))
    assert event.details["name"] == [old_name, "光子测试平台"]
    assert event.details["node"] == [str(old_node), node.name]
    assert event.details["enterprise"] == ["", host.name]
    assert event.actor == users["chain_admin"]
    services.platform_update(actor=users["chain_admin"], platform=p, node=None, enterprise=None)
    p.refresh_from_db()
    assert p.node_id is None and p.enterprise_id is None


def test_platform_update_without_change_writes_no_event(users):
    p = _platform()
    services.platform_update(actor=users["chain_admin"], platform=p, name=p.name, kind=p.kind, node=p.node)
    assert not AuditEvent.objects.filter(action="chain.platform_update").exists()


def test_platform_update_refuses_node_of_another_chain_and_bad_values(users):
    from hongyin.enterprises.models import InnovationPlatform

    p = _platform()
    other = services.chain_create(actor=None, name="测试产业链")
    foreign = services.chain_node_create(actor=None, chain=other, name="外链环节", segment="upstream")
    for changes, field in (
        ({"node": foreign}, "node"),
        ({"name": "  "}, "name"),
        ({"name": "长" * 121}, "name"),
        ({"kind": "lab"}, "kind"),
        ({"chain": other}, None),
    ):
        with pytest.raises(DomainError) as exc:
            services.platform_update(actor=users["chain_admin"], platform=p, **changes)
        assert exc.value.field == field
    fresh = InnovationPlatform.objects.get(pk=p.pk)
    assert (fresh.name, fresh.kind, fresh.node_id, fresh.chain_id) == (p.name, p.kind, p.node_id, p.chain_id)
    with pytest.raises(DomainError):
        services.platform_create(actor=users["chain_admin"], chain=p.chain, name="x", kind="platform", node=foreign)
    assert not AuditEvent.objects.filter(action__startswith="chain.platform_").exists()


def test_platform_update_and_delete_without_permission_refused(users):
    from django.core.exceptions import PermissionDenied

    from hongyin.common.errors import NotFound
    from hongyin.enterprises.models import InnovationPlatform

    p = _platform()
    with pytest.raises(NotFound):  # a committee admin, but not of this chain
        services.platform_update(actor=users["building_admin"], platform=p, name="越权改名")
    with pytest.raises(PermissionDenied):
        services.platform_update(actor=users["grid_officer"], platform=p, name="越权改名")
    with pytest.raises(NotFound):
        services.platform_delete(actor=users["building_admin"], platform=p)
    with pytest.raises(PermissionDenied):
        services.platform_delete(actor=users["member"], platform=p)
    assert InnovationPlatform.objects.get(pk=p.pk).name == p.name
    assert not AuditEvent.objects.filter(action__startswith="chain.platform_").exists()


def test_platform_delete_removes_and_audits(users):
    from hongyin.enterprises.models import InnovationPlatform

    p = _platform()
    pk, name = p.pk, p.name
    services.platform_delete(actor=users["chain_admin"], platform=p)
    assert not InnovationPlatform.objects.filter(pk=pk).exists()
    event = AuditEvent.objects.get(action="chain.platform_delete", object_id=str(pk))
    assert event.details["name"] == name and event.details["chain"] == p.chain_id


@pytest.mark.parametrize("capital", ["99999999999999999999", "1e20", "NaN", "Infinity"])
def test_a_registered_capital_the_column_cannot_hold_is_refused_and_the_enterprise_stays_readable(demo, capital):
    """SQLite stored 20 digits into a 14-digit decimal; every later read of the enterprise failed (a 500)."""
    from hongyin.accounts.models import User

    e = Enterprise.objects.order_by("pk").first()
    with pytest.raises(DomainError) as info:
        services.enterprise_update(
            actor=User.objects.get(username="zone_admin"), enterprise=e, registered_capital=capital
        )
    assert info.value.field == "registered_capital"
    assert Enterprise.objects.get(pk=e.pk).registered_capital == e.registered_capital
