import os
import time
import zipfile
from datetime import date

import pytest
import xlsxwriter

from hongyin.accounts.models import User
from hongyin.common import excel
from hongyin.common.errors import DomainError
from hongyin.common.excel import halfwidth, norm_header, parse_bool, parse_date, run_import
from hongyin.members.imports import MemberImport
from hongyin.members.jobs import import_file
from hongyin.members.models import Member
from hongyin.members.tests.factories import make_id
from hongyin.orgs.models import Organization, OrgKind

HEADER = ["姓名", "性别", "公民身份号码", "入党日期", "所在党支部", "手机号码"]


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("2019.07", date(2019, 7, 1)),
        ("2019-7-1", date(2019, 7, 1)),
        ("2019/07/15", date(2019, 7, 15)),
        ("2019年7月", date(2019, 7, 1)),
        ("2019年7月1日", date(2019, 7, 1)),
        ("２０１９．０７", date(2019, 7, 1)),
        ("20190701", date(2019, 7, 1)),
        (43647, date(2019, 7, 1)),
        (43647.0, date(2019, 7, 1)),
        (2019.1, date(2019, 10, 1)),
        (2019.07, date(2019, 7, 1)),
        (date(2020, 1, 2), date(2020, 1, 2)),
        ("", None),
    ],
)
def test_parse_date(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["2019-13-01", "明年", "2019.7.32", "1800-01-01"])
def test_parse_date_rejects(raw):
    with pytest.raises(ValueError):
        parse_date(raw)


def test_text_normalization():
    assert halfwidth("  张　伟 ") == "张 伟"
    assert halfwidth("ＡＢＣ１２３") == "ABC123"
    assert halfwidth(13912345678.0) == "13912345678"
    assert norm_header("公民身份号码（必填）*") == norm_header("公民身份号码")
    assert norm_header(" 姓 名 ") == "姓名"
    assert parse_bool("是") is True and parse_bool("否") is False


def write_book(path, rows, header=HEADER, formula=False):
    workbook = xlsxwriter.Workbook(str(path))
    sheet = workbook.add_worksheet()
    for c, h in enumerate(header):
        sheet.write(0, c, h)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    if formula:
        sheet.write_formula(len(rows) + 1, 0, "=1+1")
    workbook.close()
    return path


@pytest.fixture
def branch(demo):
    return Organization.objects.filter(path__startswith=demo.buildings[1].path, kind=OrgKind.BRANCH).order_by("path")[0]


@pytest.fixture
def admin(db):
    return User.objects.get(username="zone_admin")


def good_rows(branch, n=5):
    return [
        [
            f"李{'一二三四五六七八九'[i % 9]}",
            "男",
            make_id(date(1985, 3, 3)).lower(),
            "2012.07",
            branch.name,
            "139 1234 5678",
        ]
        for i in range(n)
    ]


@pytest.mark.django_db
def test_member_import_dry_run_then_commit(tmp_path, admin, branch):
    path = write_book(tmp_path / "roster.xlsx", good_rows(branch))
    before = Member.objects.count()
    result, report = import_file(actor=admin, path=path, kind="members", dry_run=True, out_dir=tmp_path)
    assert result.ok and result.total == 5 and result.preview
    assert Member.objects.count() == before
    result, _ = import_file(actor=admin, path=path, kind="members", dry_run=False, out_dir=tmp_path)
    assert result.created == 5
    assert Member.objects.count() == before + 5
    m = Member.objects.filter(org=branch).order_by("-id").first()
    assert (
        m.phone == "13912345678" and m.joined_on == date(2012, 7, 1) and m.id_number.endswith(m.id_number[-1].upper())
    )
    # importing the same file again: every row is a duplicate, nothing is written
    result, report = import_file(actor=admin, path=path, kind="members", dry_run=False, out_dir=tmp_path)
    assert result.error_count == 5 and result.created == 0 and report.exists()
    assert Member.objects.count() == before + 5


@pytest.mark.django_db
def test_header_variants_and_a_watermark_row(tmp_path, admin, branch):
    header = ["党员姓名", "性 别", "身份证号（必填）", "入党时间", "党支部", "联系电话", "备注"]
    workbook = xlsxwriter.Workbook(str(tmp_path / "v.xlsx"))
    sheet = workbook.add_worksheet()
    sheet.write(0, 0, "导出人：某某 内部资料")
    for c, h in enumerate(header):
        sheet.write(1, c, h)
    for c, v in enumerate(good_rows(branch, 1)[0] + ["x"]):
        sheet.write(2, c, v)
    workbook.close()
    result, _ = import_file(actor=admin, path=tmp_path / "v.xlsx", kind="members", dry_run=True, out_dir=tmp_path)
    assert result.ok, result.errors
    assert result.ignored_columns == ["备注"]


@pytest.mark.django_db
def test_row_errors_report_all_or_nothing(tmp_path, admin, branch):
    rows = good_rows(branch, 3)
    rows.append(["<script>alert(1)</script>", "男", make_id(), "2012-07-01", branch.name, ""])
    rows.append(["王五", "男", "610113199002300011", "2012-07-01", branch.name, ""])
    rows.append(["赵六", "男", make_id(), "明年", branch.name, ""])
    rows.append(["钱七", "男", make_id(), "2012-07-01", "不存在的支部", ""])
    rows.append(["孙八", "男", make_id(date(2010, 1, 1)), "2020-07-01", branch.name, ""])
    path = write_book(tmp_path / "bad.xlsx", rows)
    before = Member.objects.count()
    result, report = import_file(actor=admin, path=path, kind="members", dry_run=False, out_dir=tmp_path)
    assert Member.objects.count() == before
    assert result.created == 0
    by_row = {e.row: e for e in result.errors}
    assert set(by_row) == {5, 6, 7, 8, 9}
    assert by_row[5].column == "姓名" and by_row[6].column == "公民身份号码" and by_row[7].column == "入党日期"
    assert by_row[8].column == "所在党支部" and by_row[9].column == "入党日期"
    from python_calamine import CalamineWorkbook

    sheet = CalamineWorkbook.from_path(str(report)).get_sheet_by_index(0).to_python()
    assert sheet[1][:2] == ["行号", "列"] and len(sheet) == 2 + 5


def make_bomb(path):
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<sheetData>" + b"0" * (300 * 1024 * 1024) + b"</sheetData>")
    return path


@pytest.mark.django_db
def test_hostile_files_write_nothing(tmp_path, admin, branch, monkeypatch, capsys):
    import hongyin.common.excel.reading as engine

    files = {}
    files["corrupt"] = tmp_path / "corrupt.xlsx"
    files["corrupt"].write_bytes(b"PK\x03\x04" + b"\x00garbage" * 100)
    files["empty"] = tmp_path / "empty.xlsx"
    files["empty"].write_bytes(b"")
    files["gbk_csv"] = tmp_path / "roster.xlsx"
    files["gbk_csv"].write_bytes("姓名,公民身份号码\n张伟,610113199005170019\n".encode("gbk"))
    files["formula"] = write_book(tmp_path / "formula.xlsx", good_rows(branch, 2), formula=True)
    files["wrong_columns"] = write_book(tmp_path / "wrong.xlsx", [["a", "b"]], header=["foo", "bar"])
    files["missing_column"] = write_book(tmp_path / "missing.xlsx", [["张伟", "男"]], header=["姓名", "性别"])
    files["header_only"] = write_book(tmp_path / "header.xlsx", [])
    files["script_names"] = write_book(
        tmp_path / "script.xlsx", [["<img src=x onerror=alert(1)>", "男", make_id(), "2012-07-01", branch.name, ""]]
    )
    files["zip_bomb"] = make_bomb(tmp_path / "bomb.xlsx")
    monkeypatch.setattr(engine, "MAX_ROWS", 50)
    files["too_many_rows"] = write_book(tmp_path / "big.xlsx", good_rows(branch, 60))
    macro = tmp_path / "macro.xlsx"
    with zipfile.ZipFile(files["formula"]) as src, zipfile.ZipFile(macro, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, src.read(item.filename))
        dst.writestr("xl/vbaProject.bin", b"\x00" * 100)
    files["macro"] = macro
    before = Member.objects.count()
    partial = 0
    for name, path in files.items():
        try:
            result, _ = import_file(actor=admin, path=path, kind="members", dry_run=False, out_dir=tmp_path)
        except DomainError as exc:
            assert exc.message, name
        else:
            assert result.error_count > 0 and result.created == 0, name
        partial += Member.objects.count() - before
    assert partial == 0
    with capsys.disabled():
        print(f"\nhostile files: {len(files)} tried, partial writes: {partial}")


@pytest.mark.django_db
def test_org_import(tmp_path, admin, demo):
    header = ["组织名称", "上级组织", "组织类型", "组织类别", "成立日期", "覆盖单位"]
    rows = [
        ["导入测试党总支", demo.park.name, "党总支", "园区", "2022.03", ""],
        ["导入测试党支部", "导入测试党总支", "党支部", "非公企业", "2022-04-01", ""],
        ["导入联合党支部", "导入测试党总支", "联合党支部", "非公企业", "", "甲,乙,丙,丁,戊,己"],
    ]
    path = write_book(tmp_path / "orgs.xlsx", rows, header=header)
    result, _ = import_file(actor=admin, path=path, kind="orgs", dry_run=True, out_dir=tmp_path)
    assert [e.row for e in result.errors] == [4] and "5" in result.errors[0].message
    assert not Organization.objects.filter(name="导入测试党总支").exists()
    path = write_book(tmp_path / "orgs2.xlsx", rows[:2], header=header)
    result, _ = import_file(actor=admin, path=path, kind="orgs", dry_run=False, out_dir=tmp_path)
    assert result.created == 2
    child = Organization.objects.get(name="导入测试党支部")
    assert child.founded_on == date(2022, 4, 1)
    assert Organization.objects.get(name="导入测试党总支").path == child.path[:-4]


def test_engine_needs_a_header(tmp_path):
    from hongyin.members.imports import MemberImport

    path = write_book(tmp_path / "x.xlsx", [["1", "2"]], header=["", ""])
    with pytest.raises(DomainError):
        run_import(MemberImport.__new__(MemberImport), path, dry_run=True)


def _report(result):
    return sorted((e.row, e.column, e.message) for e in result.errors), result.total, result.valid


@pytest.mark.django_db
def test_validation_in_two_processes_gives_the_same_report(tmp_path, admin, branch, monkeypatch, caplog):
    rows = good_rows(branch, 12)
    rows[1][2] = "610113199002300011"  # a bad ID in the first half
    rows[9][3] = "明年"  # a bad date in the second half
    rows[10][2] = rows[3][2]  # the same ID in both halves (found by check_all, across the halves)
    path = write_book(tmp_path / "roster.xlsx", rows)
    sequential = run_import(MemberImport(actor=admin), path, dry_run=True)
    monkeypatch.setattr(excel.run, "PARALLEL_FROM", 4)
    halves = []
    in_two = excel.run._Validator.in_two
    monkeypatch.setattr(
        excel.run._Validator, "in_two", lambda self, rows, half, *a: halves.append(half) or in_two(self, rows, half, *a)
    )
    parallel = run_import(MemberImport(actor=admin), path, dry_run=True)
    assert halves == [6] and "validating the rest here" not in caplog.text  # the copy did the second half
    assert _report(parallel) == _report(sequential)
    assert _report(parallel)[1:] == (12, 9) and {e[0] for e in _report(parallel)[0]} == {3, 11, 12}
    before = Member.objects.count()
    del rows[10], rows[9], rows[1]
    result = run_import(MemberImport(actor=admin), write_book(tmp_path / "ok.xlsx", rows), dry_run=False)
    assert result.created == 9 and Member.objects.count() == before + 9


@pytest.mark.django_db
def test_a_validation_copy_that_needs_the_database_leaves_the_rest_to_the_parent(
    tmp_path, admin, branch, monkeypatch, caplog
):
    class Querying(MemberImport):
        def clean_row(self, values, row):
            Organization.objects.filter(pk=branch.pk).exists()  # refused in the copy: the parent's connection
            return super().clean_row(values, row)

    monkeypatch.setattr(excel.run, "PARALLEL_FROM", 4)
    path = write_book(tmp_path / "roster.xlsx", good_rows(branch, 10))
    result = run_import(Querying(actor=admin), path, dry_run=True)
    assert "may not use the database" in caplog.text  # the copy gave up, the parent validated its half
    assert result.ok and result.total == 10 and result.valid == 10
    assert Organization.objects.filter(pk=branch.pk).exists()  # the parent's connection still works


@pytest.mark.django_db
def test_a_validation_copy_that_hangs_is_given_up(tmp_path, admin, branch, monkeypatch, caplog):
    parent = os.getpid()

    class Hanging(MemberImport):
        def clean_row(self, values, row):
            if os.getpid() != parent:
                time.sleep(3600)  # as a copy stuck on a lock held at the fork
            return super().clean_row(values, row)

    monkeypatch.setattr(excel.run, "PARALLEL_FROM", 4)
    monkeypatch.setattr(excel.run, "WORKER_TIMEOUT_S", 1)
    result = run_import(Hanging(actor=admin), write_book(tmp_path / "r.xlsx", good_rows(branch, 8)), dry_run=True)
    assert "no answer in time" in caplog.text
    assert result.ok and result.total == 8 and result.valid == 8
