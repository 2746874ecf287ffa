import io

import pytest
from django.urls import reverse

from hongyin.enterprises.models import Building, Enterprise, IndustryChain
from hongyin.grid.models import GridCell

pytestmark = pytest.mark.django_db


def test_zone_admin_lists_and_filters(as_user):
    c = as_user("zone_admin")
    r = c.get(reverse("enterprises:list"))
    assert r.status_code == 200
    assert Enterprise.objects.count() >= 590
    r = c.get(reverse("enterprises:list"), {"party": "none"})
    none = Enterprise.objects.filter(org__isnull=True).order_by("id").first()
    assert none.name in r.content.decode()
    r = c.get(reverse("enterprises:list"), {"q": none.uscc})
    assert none.name in r.content.decode()


def test_pinyin_initials_search(as_user):
    e = Enterprise.objects.exclude(name_initials="").order_by("id")[5]
    r = as_user("zone_admin").get(reverse("search"), {"q": e.name_initials})
    assert r.status_code == 200
    assert e.name in r.content.decode()


def test_enterprise_contact_sees_only_its_enterprise(as_user, demo):
    c = as_user("enterprise_contact")
    own = Enterprise.objects.order_by("id")[1]
    other = Enterprise.objects.exclude(pk=own.pk).order_by("id").first()
    assert c.get(reverse("enterprises:detail", args=[own.pk])).status_code == 200
    assert c.get(reverse("enterprises:detail", args=[other.pk])).status_code == 404
    body = c.get(reverse("enterprises:list")).content.decode()
    assert own.name in body and other.name not in body


def test_building_admin_sees_enterprises_in_its_building(as_user):
    first = Building.objects.get(name="第一楼宇")
    e = Enterprise.objects.filter(building=first).order_by("id").first()
    c = as_user("building_admin")
    assert c.get(reverse("enterprises:detail", args=[e.pk])).status_code == 200
    elsewhere = Enterprise.objects.filter(building__name="绿地中心", org__isnull=True).first()
    assert c.get(reverse("enterprises:detail", args=[elsewhere.pk])).status_code == 404


def test_detail_tabs(as_user):
    e = Enterprise.objects.filter(chain_nodes__isnull=False).first()
    c = as_user("zone_admin")
    for tab in ("profile", "party", "people", "chain", "history"):
        r = c.get(reverse("enterprises:detail", args=[e.pk]), {"tab": tab})
        assert r.status_code == 200, tab
    assert "光子产业链" in c.get(reverse("enterprises:detail", args=[e.pk]), {"tab": "chain"}).content.decode()


def test_create_with_invalid_uscc_shows_message(as_user):
    n = Enterprise.objects.count()
    r = as_user("zone_admin").post(reverse("enterprises:create"), {"uscc": "123", "name": "坏公司"})
    assert r.status_code == 422
    assert "统一社会信用代码" in r.content.decode()
    assert Enterprise.objects.count() == n


def test_member_cannot_open_enterprises(as_user):
    assert as_user("member").get(reverse("enterprises:list")).status_code == 403


def test_buildings_by_tier_and_page(as_user):
    c = as_user("zone_admin")
    body = c.get(reverse("enterprises:building_list")).content.decode()
    assert "十亿元楼" in body and "绿地中心" in body
    assert "绿地中心" in c.get(reverse("enterprises:building_list"), {"tier": "ten_billion"}).content.decode()
    assert "万象汇" not in c.get(reverse("enterprises:building_list"), {"tier": "ten_billion"}).content.decode()
    b = Building.objects.get(name="第一楼宇")
    r = c.get(reverse("enterprises:building_detail", args=[b.pk]))
    assert r.status_code == 200
    assert "hy-chart" in r.content.decode() and "空置" in r.content.decode()


def test_chain_map_counts_and_gaps(as_user):
    chain = IndustryChain.objects.get(name="光子产业链")
    r = as_user("chain_admin").get(reverse("enterprises:chain_detail", args=[chain.pk]))
    body = r.content.decode()
    assert r.status_code == 200
    assert "光刻光源" in body and "补链" in body
    assert "&quot;type&quot;: &quot;tree&quot;" in body


def test_coverage_report_and_drill_down(as_user):
    c = as_user("zone_admin")
    r = c.get(reverse("grid:coverage"))
    assert r.status_code == 200
    root = GridCell.objects.get(depth=1)
    assert r.context["report"].total.total == Enterprise.objects.filter(grid_cell__path__startswith=root.path).count()
    area = GridCell.objects.filter(level=2).order_by("path").first()
    r = c.get(reverse("grid:coverage"), {"cell": area.pk})
    assert r.context["report"].total.total == Enterprise.objects.filter(grid_cell__path__startswith=area.path).count()
    r = c.get(reverse("grid:lacking", args=[area.pk]), {"what": "org"})
    assert r.status_code == 200


def test_grid_officer_limited_to_its_area(as_user):
    c = as_user("grid_officer")
    other = GridCell.objects.filter(level=2).order_by("path")[1]
    assert c.get(reverse("grid:coverage"), {"cell": other.pk}).status_code == 404
    assert c.get(reverse("grid:coverage")).status_code == 200


def test_bulk_instructor_assignment(as_user):
    from hongyin.accounts.models import RoleAssignment

    area = GridCell.objects.filter(level=2).order_by("path").first()
    from hongyin.grid.selectors import lacking

    ids = list(lacking(area, "instructor").values_list("pk", flat=True)[:3])
    r = as_user("zone_admin").post(
        reverse("grid:assign_instructors", args=[area.pk]), {"instructor": "instructor_01", "enterprise": ids}
    )
    assert r.status_code == 302
    assert RoleAssignment.objects.filter(user__username="instructor_01", enterprise_id__in=ids).count() == 3


def test_export_is_audited(as_user):
    from hongyin.audit.models import AuditEvent

    r = as_user("zone_admin").get(reverse("enterprises:export"), {"party": "none"})
    assert r.status_code == 200
    data = b"".join(r.streaming_content)
    assert data[:2] == b"PK"
    assert AuditEvent.objects.filter(action="enterprise.export").exists()


def _xlsx(rows):
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet()
    for i, row in enumerate(rows):
        sheet.write_row(i, 0, row)
    book.close()
    return buf.getvalue()


def _import(kind: str, path) -> int:
    """One import all-or-nothing through the pipeline, as its job runs it; a DomainError lists the bad rows."""
    from hongyin.common.errors import DomainError
    from hongyin.imports.pipeline import error_lines, import_file
    from hongyin.imports.registry import get_kind

    result, _report = import_file(actor=None, kind=get_kind(kind), path=path, dry_run=False, anywhere=True)
    if result.error_count:
        raise DomainError(error_lines(result))
    return result.created


def test_import_enterprises_all_or_nothing(tmp_path):
    from stdnum.cn import uscc

    from hongyin.common.errors import DomainError

    good = "91610131MA6AB1234"
    good += uscc.calc_check_digit(good)
    path = tmp_path / "e.xlsx"
    path.write_bytes(
        _xlsx([["统一社会信用代码", "企业名称 *", "规模"], [good, "导入测试公司", "小型"], ["BAD", "坏", ""]])
    )
    n = Enterprise.objects.count()
    with pytest.raises(DomainError) as exc:
        _import("enterprises", path)
    assert "第 3 行" in exc.value.message
    assert Enterprise.objects.count() == n
    path.write_bytes(_xlsx([["信用代码", "名称", "规模"], [good, "导入测试公司", "小型"]]))
    assert _import("enterprises", path) == 1
    assert Enterprise.objects.get(uscc=good).size_class == "small"


def test_import_units_refuses_overlapping_lease(tmp_path):
    from hongyin.common.errors import DomainError
    from hongyin.enterprises.models import Unit

    a, b = Enterprise.objects.order_by("id")[10:12]
    path = tmp_path / "u.xlsx"
    path.write_bytes(
        _xlsx(
            [
                ["楼宇名称", "楼层", "房号", "面积", "承租企业信用代码", "起租日期", "到期日期"],
                ["万象汇", 12, "T1", 100, a.uscc, "2025-01-01", "2025-12-31"],
                ["万象汇", 12, "T1", 100, b.uscc, "2025-06-01", "2026-05-31"],
            ]
        )
    )
    with pytest.raises(DomainError) as exc:
        _import("units", path)
    assert "重叠" in exc.value.message
    assert not Unit.objects.filter(number="T1").exists()


def test_import_job_through_the_page(as_user, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from stdnum.cn import uscc

    from hongyin.jobs.models import Job

    body = "91610131MA6JB7777"
    code = body + uscc.calc_check_digit(body)
    upload = SimpleUploadedFile(
        "企业.xlsx", _xlsx([["统一社会信用代码", "企业名称", "标签"], [code, "任务导入公司", "瞪羚企业"]])
    )
    with django_capture_on_commit_callbacks(execute=True):
        r = as_user("zone_admin").post(reverse("enterprises:import"), {"kind": "enterprises", "file": upload})
    assert r.status_code == 302
    job = Job.objects.order_by("-id").first()
    assert job.status == "succeeded", job.message
    e = Enterprise.objects.get(uscc=code)
    assert list(e.tags.values_list("name", flat=True)) == ["瞪羚企业"]


def test_import_units_floor_outside_building_is_a_row_error(tmp_path):
    from hongyin.common.errors import DomainError

    path = tmp_path / "u.xlsx"
    path.write_bytes(_xlsx([["楼宇", "楼层", "房号", "面积"], ["万象汇", 30, "3001", 100]]))
    with pytest.raises(DomainError) as exc:
        _import("units", path)
    assert "第 2 行" in exc.value.message and "不在" in exc.value.message


def test_edit_keeps_former_name_and_shows_in_history(as_user):
    e = Enterprise.objects.order_by("id")[40]
    old = e.name
    c = as_user("zone_admin")
    r = c.post(
        reverse("enterprises:edit", args=[e.pk]),
        {"uscc": e.uscc, "name": old + "（更名）", "industry_code": "397", "size_class": "small", "employees": "12"},
    )
    assert r.status_code == 302
    e.refresh_from_db()
    assert e.former_names[-1] == old and e.industry_code == "397"
    history = c.get(reverse("enterprises:detail", args=[e.pk]), {"tab": "history"}).content.decode()
    assert "修改企业信息" in history  # the audit code enterprise.update, by its label
    bad = c.post(reverse("enterprises:edit", args=[e.pk]), {"uscc": e.uscc, "name": "x", "industry_code": "ZZ"})
    assert bad.status_code == 422
