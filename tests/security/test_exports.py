"""Safe exports everywhere (issue 17, item 7): every workbook goes through hongyin.common.exports (SafeWorkbook),
whose sheets can only write a cell through `neutralize`. A formula typed into any name that reaches an export
(organization, member, enterprise, legal representative, building, grid cell, appeal category, department, audit
object) comes out as text with a leading apostrophe, in every export: members, dues, the appeal report, audit,
enterprises, the import templates and the import error report."""

import io
import re
import zipfile
from pathlib import Path

import pytest
from django.db.models import F, Value
from django.db.models.functions import Concat
from django.test import Client
from python_calamine import CalamineWorkbook

from hongyin.common.exports import DANGEROUS_PREFIXES
from hongyin.devtools.sessions import login_as

pytestmark = pytest.mark.django_db

HONGYIN = Path(__file__).resolve().parents[2] / "hongyin"
# Modules that may use xlsxwriter directly: the writer itself, and the bench that writes *input* rosters.
WRITER = {"common/exports.py", "devtools/bench/members.py", "devtools/bench/enterprises.py"}


def test_no_module_writes_a_workbook_but_the_shared_writer():
    users = []
    for path in HONGYIN.rglob("*.py"):
        rel = path.relative_to(HONGYIN).as_posix()
        if rel in WRITER or "/tests/" in f"/{rel}":
            continue
        if re.search(r"^\s*(import xlsxwriter|from xlsxwriter)", path.read_text(encoding="utf-8"), re.MULTILINE):
            users.append(rel)
    assert not users, f"write workbooks through hongyin.common.exports.SafeWorkbook: {users}"


def _prefix(model, field: str, mark: str, **filters) -> None:
    model.objects.filter(**filters).update(**{field: Concat(Value(mark), F(field))})


def _cells(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, f"a formula in {name}"
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [
        cell
        for name in book.sheet_names
        for row in book.get_sheet_by_name(name).to_python()
        for cell in row
        if isinstance(cell, str)
    ]


def _download(response) -> bytes:
    assert response.status_code == 200, response.status_code
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_formula_in_any_name_reaches_every_export_as_text(demo):
    from hongyin.accounts.models import User
    from hongyin.appeals.models import Appeal
    from hongyin.appeals_config.models import AppealCategory
    from hongyin.audit import services as audit
    from hongyin.common.excel import ImportResult, RowError, write_error_report
    from hongyin.directory.models import Department
    from hongyin.dues.models import DuesRecord
    from hongyin.enterprises.models import Building, Enterprise
    from hongyin.grid.models import GridCell
    from hongyin.members.models import Member
    from hongyin.orgs.models import Organization

    record = DuesRecord.objects.select_related("branch").order_by("-month").first()
    appeal = Appeal.objects.exclude(submitted_on=None).order_by("-submitted_on").first()
    _prefix(Organization, "name", "=")
    _prefix(Member, "name", "+")
    _prefix(Enterprise, "name", "-")
    _prefix(Enterprise, "legal_representative", "@", legal_representative__gt="")
    _prefix(Building, "name", "=")
    _prefix(GridCell, "name", "+")
    _prefix(AppealCategory, "name", "-")
    _prefix(Department, "name", "@")
    zone = Client()
    login_as(zone, "zone_admin")
    audit.record(actor=None, action="test.formula", obj=Organization.objects.get(pk=demo.root.pk))
    auditor = Client()
    login_as(auditor, "audit_admin")

    exports = {
        "members": zone.get("/members/export/"),
        "dues": zone.get(
            "/dues/report/export.xlsx",
            {"org": record.branch.pk, "start": f"{record.month:%Y-%m}", "end": f"{record.month:%Y-%m}"},
        ),
        "appeal report": zone.get("/appeals/report.xlsx", {"month": f"{appeal.submitted_on:%Y-%m}"}),
        "enterprises": zone.get("/enterprises/export/"),
        "audit": auditor.get("/audit/export.xlsx", {"action": "test.formula"}),
        "member template": zone.get("/members/import/template/"),
        "org template": zone.get("/members/import/template/", {"kind": "orgs"}),
    }
    report = io.BytesIO()
    result = ImportResult(errors=[RowError(2, "=列", '=HYPERLINK("http://x")', "-1")])
    write_error_report(report, result, user=User.objects.get(username="zone_admin"))
    # what each export must show, neutralized: proof that the formula really reached it
    expected = {
        "members": ("'=", "'+"),
        "dues": ("'=", "'+"),
        "appeal report": ("'-", "'@", "'="),
        "enterprises": ("'-", "'@", "'=", "'+"),
        "audit": ("'=",),
        "member template": (),
        "org template": (),
        "error report": ("'=", "'-"),
    }
    files = {name: _download(r) for name, r in exports.items()} | {"error report": report.getvalue()}
    problems = []
    for name, data in files.items():
        cells = _cells(data)
        live = [c for c in cells if c.startswith(DANGEROUS_PREFIXES)]
        if live:
            problems.append(f"{name}: cells not neutralized: {live[:3]}")
        for mark in expected[name]:
            if not any(c.startswith(mark) for c in cells):
                problems.append(f"{name}: no neutralized {mark[1]} cell (did the formula reach the export?)")
    print(f"exports: {len(files)} workbooks checked, {len(problems)} problems")
    assert not problems, "\n".join(problems)
