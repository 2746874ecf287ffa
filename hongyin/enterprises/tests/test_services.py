from datetime import date

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
