from datetime import timedelta

import pytest
from django.utils import timezone

from hongyin.enterprises.models import Enterprise
from hongyin.grid.models import GridCell, GridLevel
from hongyin.grid.selectors import coverage, coverage_sql, lacking, visit_model

pytestmark = pytest.mark.django_db


def test_five_configured_levels():
    assert list(GridLevel.objects.values_list("level", flat=True)) == [1, 2, 3, 4, 5]


def test_cell_codes_concatenate_parent_codes():
    for cell in GridCell.objects.filter(depth__gt=1)[:50]:
        parent = GridCell.objects.get(path=cell.path[: -GridCell.steplen])
        assert cell.code.startswith(parent.code) and len(cell.code) > len(parent.code)


def test_coverage_matches_hand_written_sql_and_rolls_up():
    root = GridCell.objects.get(depth=1)
    report = coverage(root)
    sql = {row[0]: row for row in coverage_sql(root)}
    assert (
        report.total.total
        == sum(r[1] for r in sql.values())
        == Enterprise.objects.filter(grid_cell__path__startswith=root.path).count()
    )
    for row in report.rows:
        if row.cell is not None and row.total:
            assert sql[row.cell.path][1:4] == (row.total, row.with_org, row.with_instructor)
    assert report.total.with_org == Enterprise.objects.filter(org__isnull=False, grid_cell__isnull=False).count()
    assert 0 < report.total.org_pct < 100


def test_visited_share_counts_done_visits_in_window():
    Visit = visit_model()
    if Visit is None:
        pytest.skip("visits not installed")
    area = GridCell.objects.filter(level=2).order_by("path").first()
    before = coverage(area, days=30).total.visited
    e = lacking(area, "org").first()
    already = Visit.objects.filter(
        enterprise=e, status="done", visited_on__gte=timezone.localdate() - timedelta(days=30)
    ).exists()
    Visit.objects.create(enterprise=e, visited_on=timezone.localdate() - timedelta(days=3), status="done")
    assert coverage(area, days=30).total.visited == before + (0 if already else 1)


def test_lacking_lists():
    root = GridCell.objects.get(depth=1)
    no_org = lacking(root, "org")
    assert no_org.exists() and not no_org.filter(org__isnull=False).exists()
    no_instr = list(lacking(root, "instructor")[:20])
    from hongyin.accounts.models import RoleAssignment

    assert not RoleAssignment.objects.filter(role="instructor", enterprise__in=no_instr).exists()


def test_zone_admin_adds_a_cell_and_officer_shown(as_user):
    from django.urls import reverse

    area = GridCell.objects.filter(level=2).order_by("path").first()
    c = as_user("zone_admin")
    r = c.post(reverse("grid:cell_add", args=[area.pk]), {"name": "新微网格"})
    assert r.status_code == 302
    cell = GridCell.objects.get(name="新微网格")
    assert cell.code.startswith(area.code) and cell.level == 3
    page = c.get(reverse("grid:coverage"), {"cell": area.pk}).content.decode()
    assert "网格员 刘洋" in page
    assert as_user("grid_officer").post(reverse("grid:cell_add", args=[area.pk]), {"name": "x"}).status_code == 403


def test_building_placed_in_a_cell_takes_its_enterprises():
    from hongyin.enterprises.models import Building
    from hongyin.grid import services

    b = Building.objects.get(name="嘉昱大厦")
    target = GridCell.objects.filter(level=3).exclude(pk=GridCell.objects.get_parent(b.grid_cell).pk).first()
    cell = services.grid_cell_create(actor=None, parent=target, name="嘉昱大厦（新）")
    services.grid_assign_building(actor=None, building=b, cell=cell)
    placed = Enterprise.objects.filter(building=b, grid_explicit=False)
    assert placed.exists() and not placed.exclude(grid_cell=cell).exists()
