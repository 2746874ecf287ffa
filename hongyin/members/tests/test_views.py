from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongyin.audit.models import AuditEvent
from hongyin.members.models import Member
from hongyin.members.tests.factories import make_id
from hongyin.orgs.models import Organization, OrgKind

pytestmark = pytest.mark.django_db


def test_list_filters_search_and_count(as_user, demo):
    client = as_user("zone_admin")
    r = client.get("/members/")
    assert r.status_code == 200
    assert "共" in r.content.decode()
    m = Member.objects.filter(org__path__startswith=demo.buildings[0].path).first()
    r = client.get("/members/", {"q": m.name_initials, "org": demo.buildings[0].pk})
    assert m.name in r.content.decode()
    r = client.get("/members/", {"q": m.name_pinyin, "status": m.status, "category": m.category, "age": "18-30"})
    assert r.status_code == 200
    r = client.get("/members/", {"joined_year": "abc", "sort": "bogus", "org": "99999999"})
    assert r.status_code == 200


def test_list_queries_do_not_grow_with_page_size(as_user):
    client = as_user("zone_admin")
    counts = []
    for size in (20, 100):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/members/", {"size": size}).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_branch_secretary_sees_only_its_branch(as_user, demo):
    client = as_user("branch_secretary")
    outside = Member.objects.exclude(org__path__startswith=demo.buildings[0].path).first()
    assert client.get(f"/members/{outside.pk}/").status_code == 404
    r = client.get("/members/")
    assert (
        r.context["count"]
        == Member.objects.filter(
            org__in=[a.org for a in r.context["request"].user.assignments], left_on__isnull=True
        ).count()
    )


def test_member_role_cannot_open_the_roster(as_user):
    assert as_user("member").get("/members/").status_code == 403
    assert as_user("grid_officer").get("/members/").status_code == 403


def test_detail_masked_and_unmask_audited(as_user, demo):
    client = as_user("zone_admin")
    m = Member.objects.filter(org__path__startswith=demo.buildings[0].path).first()
    body = client.get(f"/members/{m.pk}/").content.decode()
    assert m.id_number not in body
    assert m.id_number[0] + "*" in body
    r = client.post(f"/personal-data/unmask/members.member/{m.pk}/id_number/")
    assert r.status_code == 200 and m.id_number in r.content.decode()
    assert AuditEvent.objects.filter(action="personal_data.unmask", object_id=str(m.pk)).exists()


def test_create_form_errors_and_success(as_user, demo):
    client = as_user("zone_admin")
    branch = Organization.objects.filter(path__startswith=demo.buildings[2].path, kind=OrgKind.BRANCH).first()
    data = {
        "name": "测试党员",
        "id_number": "123",
        "gender": "male",
        "ethnicity": "汉族",
        "category": "employed",
        "status": "full",
        "joined_on": "2012-07-01",
        "org": branch.pk,
    }
    r = client.post("/members/new/", data)
    assert r.status_code == 422 and "18 位" in r.content.decode()
    data["id_number"] = make_id(date(1980, 1, 1))
    r = client.post("/members/new/", data)
    assert r.status_code == 302
    m = Member.objects.get(name="测试党员")
    assert m.org_id == branch.pk
    r = client.get(f"/members/{m.pk}/")
    assert "登记入库" in r.content.decode()


def _sheet_xml(data: bytes) -> str:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def test_export_masked_watermarked_audited(as_user, demo, tmp_path):
    """Issue 11 item 7: the file shows what the screen shows (ID numbers and phones masked) unless an unmasked
    file is asked for with a reason, which is audited as an unmasking; the workbook is readable."""
    from python_calamine import CalamineWorkbook

    client = as_user("zone_admin")
    r = client.get("/members/export/", {"org": demo.buildings[0].pk})
    assert r.status_code == 200
    data = b"".join(r.streaming_content)
    path = tmp_path / "e.xlsx"
    path.write_bytes(data)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert "导出人" in rows[0][0]
    assert rows[1][0] == "姓名" and rows[1][4] == "公民身份号码"  # the header: first row under the watermark
    n = Member.objects.filter(org__path__startswith=demo.buildings[0].path, left_on__isnull=True).count()
    assert len(rows) == n + 2
    event = AuditEvent.objects.filter(action="member.export").latest("id")
    assert event.details["unmasked"] is False
    assert not AuditEvent.objects.filter(action="personal_data.unmask").exists()
    sample = Member.objects.filter(org__path__startswith=demo.buildings[0].path, left_on__isnull=True).first()
    # masked by default, as on the member list (the zone admin sees names there, never whole numbers)
    assert not any(sample.id_number in r for r in rows)
    row = next(r for r in rows[2:] if r[0] == sample.name and r[4] and r[4][0] == sample.id_number[0])
    assert "*" in row[4] and (not sample.phone or "*" in row[5])
    # readable: dates are dates, the header is frozen and filtered, the columns fit their Chinese
    assert row[3] == sample.birth_date and row[9] == sample.joined_on
    xml = _sheet_xml(data)
    assert '<pane ySplit="2"' in xml and 'state="frozen"' in xml
    assert f'<autoFilter ref="A2:S{n + 2}"/>' in xml
    widths = {
        int(m[0]): float(m[2]) for m in __import__("re").findall(r'<col min="(\d+)" max="(\d+)" width="([\d.]+)"', xml)
    }
    assert widths[5] >= 20 and widths[12] >= 30 and widths[1] >= 8  # ID number, branch name, 姓名

    # the unmasked file: a reason is required, the right is required, and it is audited as an unmasking
    url = "/members/export/?org=%s" % demo.buildings[0].pk
    r = client.post(url, {"unmask": "1", "reason": ""})
    assert r.status_code == 302 and not AuditEvent.objects.filter(action="personal_data.unmask").exists()
    r = client.post(url, {"unmask": "1", "reason": "核对组织关系转接"})
    assert r.status_code == 200
    full = b"".join(r.streaming_content)
    path.write_bytes(full)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    row = next(r for r in rows[2:] if r[0] == sample.name and r[4] == sample.id_number)
    assert row[5] == sample.phone and row[3] == sample.birth_date
    unmasked = AuditEvent.objects.get(action="personal_data.unmask")
    assert unmasked.details["reason"] == "核对组织关系转接" and unmasked.details["rows"] == n
    assert AuditEvent.objects.filter(action="member.export").latest("id").details["unmasked"] is True
    # a role without the personal-data right gets no unmasked file
    assert as_user("grid_officer").post(url, {"unmask": "1", "reason": "想看"}).status_code in (403, 404)
    # the list offers the choice only to whom may make it
    assert "导出未遮盖的名册" in client.get("/members/").content.decode()

    # asked directly, without the reason: refused; masked when asked masked
    from hongyin.accounts.models import User
    from hongyin.common.errors import DomainError
    from hongyin.members.exports import export_members

    zone = User.objects.get(username="zone_admin")
    with pytest.raises(DomainError):
        export_members(user=zone, qs=Member.objects.filter(pk=sample.pk), target=str(tmp_path / "x.xlsx"), unmask=True)
    masked = tmp_path / "m.xlsx"
    export_members(user=zone, qs=Member.objects.filter(pk=sample.pk), target=str(masked))
    cells = CalamineWorkbook.from_path(str(masked)).get_sheet_by_index(0).to_python()[2]
    assert sample.id_number not in cells and cells[4].startswith(sample.id_number[0]) and "*" in cells[4]


def test_export_neutralizes_formulas(db, demo, tmp_path):
    from hongyin.accounts.models import User
    from hongyin.members.exports import export_members

    branch = Organization.objects.filter(path__startswith=demo.buildings[3].path, kind=OrgKind.BRANCH).first()
    from hongyin.members import services

    services.member_create(
        actor=None,
        org=branch,
        name="公式",
        gender=None,
        birth_date=None,
        id_number=make_id(),
        joined_on=date(2010, 1, 1),
        employer_name="=HYPERLINK(1)",
    )
    path = tmp_path / "f.xlsx"
    export_members(
        user=User.objects.get(username="zone_admin"),
        qs=Member.objects.filter(name="公式"),
        target=str(path),
        unmask=True,
        reason="核对",
    )
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[2][12] == "'=HYPERLINK(1)"


def test_import_pages(as_user, tmp_path, django_capture_on_commit_callbacks):
    client = as_user("zone_admin")
    assert client.get("/members/import/").status_code == 200
    r = client.get("/members/import/template/")
    assert r.status_code == 200
    content = b"".join(r.streaming_content)
    assert content[:2] == b"PK"
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("bad.xlsx", b"not a workbook", content_type="application/octet-stream")
    with django_capture_on_commit_callbacks(execute=True):
        r = client.post("/members/import/", {"kind": "members", "file": upload})
    assert r.status_code == 302
    r = client.get(r["Location"])
    assert "Excel" in r.content.decode()
    upload = SimpleUploadedFile("roster.csv", b"a,b", content_type="text/csv")
    assert client.post("/members/import/", {"kind": "members", "file": upload}).status_code == 422


def test_member_sees_only_its_own_record(as_user):
    from hongyin.members.models import Member

    own = Member.objects.get(user__username="member")
    client = as_user("member")
    body = client.get(reverse("members:me")).content.decode()
    assert own.name in body
    assert own.id_number not in body  # masked, like everywhere else
    assert client.get(reverse("members:detail", args=[own.pk])).status_code == 403
    assert as_user("branch_secretary").get(reverse("members:me")).status_code == 403
