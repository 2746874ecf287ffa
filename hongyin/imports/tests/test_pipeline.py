"""The one import pipeline: every kind registered by its app, one upload service, one runner, one status page and
one API; the audit event of an import is written with its rows (rolled back with them)."""

import io

import pytest
import xlsxwriter
from django.core.files.uploadedfile import SimpleUploadedFile

from hongyin.audit.models import AuditEvent
from hongyin.imports.registry import GROUPS, KINDS, get_kind, job_kinds, kinds_in
from hongyin.jobs.models import Job

pytestmark = pytest.mark.django_db


def _xlsx(rows) -> bytes:
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write_string(r, c, str(value))
    book.close()
    return out.getvalue()


def _uscc(body: str) -> str:
    from stdnum.cn import uscc

    return body + uscc.calc_check_digit(body)


def test_every_app_registers_its_kinds_and_the_platform_imports_none_of_them():
    assert {"members", "orgs", "enterprises", "buildings", "units", "figures"} <= set(KINDS)
    assert [k.key for k in kinds_in("party")][:2] == ["members", "orgs"]
    assert {"party", "enterprises"} <= set(GROUPS)
    assert {"members.import", "enterprises.import", "units.import"} <= job_kinds()
    assert get_kind("members").target is not None and get_kind("orgs").target is None
    from pathlib import Path

    here = Path(__file__).resolve().parents[1]
    for path in here.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for app in ("members", "enterprises", "orgs"):
            assert f"hongyin.{app}" not in text, f"{path.name} imports hongyin.{app}"


def test_the_same_status_page_for_a_kind_without_confirm(as_user, django_capture_on_commit_callbacks):
    """An enterprise list commits on upload (as it always did) and shows on the one status page."""
    from hongyin.enterprises.models import Enterprise

    code = _uscc("91610131MA6JB6666")
    client = as_user("zone_admin")
    page = client.get("/enterprises/import/").content.decode()
    assert 'name="kind" id="k-enterprises" value="enterprises" checked' in page and 'name="target"' not in page
    upload = SimpleUploadedFile("企业.xlsx", _xlsx([["统一社会信用代码", "企业名称"], [code, "管道导入科技有限公司"]]))
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/enterprises/import/", {"kind": "enterprises", "file": upload})
    assert r.status_code == 302 and r["Location"].startswith("/imports/jobs/")
    job = Job.objects.order_by("-id").first()
    assert job.kind == "enterprises.import" and job.status == "succeeded", job.message
    body = client.get(r["Location"]).content.decode()
    assert f'id="job-{job.pk}"' in body and "导入完成，新增 1 条" in body and "确认导入" not in body
    assert Enterprise.objects.filter(uscc=code).exists()
    event = AuditEvent.objects.filter(action="enterprises.import").latest("id")
    assert event.details["created"] == 1
    # the template of a kind of the page
    r = client.get("/enterprises/import/template/", {"kind": "units"})
    assert r.status_code == 200 and b"".join(r.streaming_content)[:2] == b"PK"
    assert client.get("/enterprises/import/template/", {"kind": "members"}).status_code == 404
    # a role without the kind's permission: no page, no upload through the API
    assert as_user("branch_secretary").get("/enterprises/import/").status_code == 403
    upload = SimpleUploadedFile("企业.xlsx", _xlsx([["统一社会信用代码", "企业名称"], [code, "x"]]))
    r = as_user("branch_secretary").post("/api/v1/imports", {"kind": "enterprises", "file": upload})
    assert r.status_code == 403


def test_the_audit_event_goes_with_the_rows(monkeypatch, tmp_path, demo):
    """A commit that fails after its rows went in leaves neither the rows nor the import's audit event."""
    from hongyin.accounts.models import User
    from hongyin.enterprises.models import Enterprise
    from hongyin.imports import pipeline

    code = _uscc("91610131MA6JB5555")
    path = tmp_path / "e.xlsx"
    path.write_bytes(_xlsx([["统一社会信用代码", "企业名称"], [code, "回滚科技有限公司"]]))
    zone = User.objects.get(username="zone_admin")
    real = pipeline.audit.record

    def record(**kwargs):
        real(**kwargs)
        if kwargs["action"] == "enterprises.import":
            raise RuntimeError("the disk is full")

    monkeypatch.setattr(pipeline.audit, "record", record)
    before = AuditEvent.objects.filter(action="enterprises.import").count()
    with pytest.raises(RuntimeError):
        pipeline.import_file(actor=zone, kind=get_kind("enterprises"), path=path, dry_run=False, anywhere=True)
    assert not Enterprise.objects.filter(uscc=code).exists()
    assert AuditEvent.objects.filter(action="enterprises.import").count() == before


def test_old_addresses_lead_to_the_new_page(as_user, django_capture_on_commit_callbacks):
    client = as_user("zone_admin")
    upload = SimpleUploadedFile("bad.xlsx", b"not a workbook")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/members/import/", {"kind": "members", "file": upload})
    job = Job.objects.order_by("-id").first()
    assert r["Location"] == f"/imports/jobs/{job.pk}/"
    assert client.get(f"/members/import/{job.pk}/")["Location"] == f"/imports/jobs/{job.pk}/"
    assert as_user("building_admin").get(f"/members/import/{job.pk}/").status_code == 404
    assert as_user("building_admin").get(f"/imports/jobs/{job.pk}/").status_code == 404
    # a failed check cannot be confirmed, by either address
    r = client.post(f"/members/import/{job.pk}/confirm/")
    assert r.status_code == 302 and Job.objects.order_by("-id").first().pk == job.pk
    assert client.get(f"/imports/jobs/{job.pk}/confirm/").status_code == 405
