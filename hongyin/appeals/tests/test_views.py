import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongyin.appeals import services as s
from hongyin.appeals.models import Appeal, AppealStatus
from hongyin.directory.models import Department

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_queue_sorted_and_query_count_flat(as_user):
    c = as_user("dept_handler")
    url = reverse("appeals:queue") + "?view=dept"
    with CaptureQueriesContext(connection) as small:
        r = c.get(url + "&size=5")
    with CaptureQueriesContext(connection) as big:
        r2 = c.get(url + "&size=50")
    assert r.status_code == 200 and r2.status_code == 200
    assert len(big) == len(small)
    rows = r2.context["page"].object_list
    dues = [a.due_on for a in rows if a.due_on]
    assert dues == sorted(dues)
    assert all(a.department.code == "science" for a in rows)


def test_handler_cannot_open_another_departments_appeal(as_user):
    other = Appeal.objects.exclude(department__code="science").filter(department__isnull=False).first()
    assert as_user("dept_handler").get(reverse("appeals:detail", args=[other.pk])).status_code == 404


def test_contact_sees_only_its_enterprise(as_user, contact_enterprise):
    c = as_user("enterprise_contact")
    r = c.get(reverse("appeals:list"))
    assert r.status_code == 200
    assert all(a.enterprise_id == contact_enterprise.pk for a in r.context["page"].object_list)
    foreign = Appeal.objects.exclude(enterprise=contact_enterprise).first()
    assert c.get(reverse("appeals:detail", args=[foreign.pk])).status_code == 404


def test_portal_submit_and_detail_timeline(as_user, contact_enterprise, science):
    c = as_user("enterprise_contact")
    r = c.post(
        reverse("appeals:new"),
        {
            "enterprise": contact_enterprise.pk,
            "category": science.pk,
            "title": "专利快速预审",
            "content": "申请加入备案名单",
        },
    )
    assert r.status_code == 302
    a = Appeal.objects.get(title="专利快速预审")
    page = c.get(a.get_absolute_url())
    assert page.status_code == 200 and a.number in page.content.decode()
    assert "timeline" in page.content.decode()
    assert c.get(reverse("appeals:portal")).status_code == 200


def test_wrong_state_over_http_is_422_and_writes_nothing(as_user, new_appeal):
    a = new_appeal()
    r = as_user("zone_admin").post(reverse("appeals:act", args=[a.pk, "close"]))
    assert r.status_code == 422 and "待派单" in r.content.decode()
    assert Appeal.objects.get(pk=a.pk).status == AppealStatus.SUBMITTED


def test_bulk_accept(as_user, new_appeal, users):
    a, b = new_appeal(), new_appeal(title="第二件", content="内容")
    for x in (a, b):
        s.appeal_dispatch(actor=users["zone_admin"], appeal=x, today=TODAY)
    r = as_user("dept_handler").post(reverse("appeals:queue_bulk"), {"action": "accept", "ids": [a.pk, b.pk]})
    assert r.status_code == 302
    assert set(Appeal.objects.filter(pk__in=[a.pk, b.pk]).values_list("status", flat=True)) == {"in_progress"}


def test_stats_page_and_figures(as_user):
    r = as_user("zone_admin").get(reverse("appeals:stats") + "?by=category")
    assert r.status_code == 200
    total = r.context["total"]
    assert total["total"] == Appeal.objects.count()
    assert 0 <= total["on_time_rate"] <= 100 and total["avg_days"] > 0
    assert "hy-chart" in r.content.decode()
    r = as_user("dept_handler").get(reverse("appeals:stats"))
    assert (
        r.context["total"]["total"] == Appeal.objects.filter(department=Department.objects.get(code="science")).count()
    )


def _inflate(pdf: bytes) -> bytes:
    import contextlib
    import re
    import zlib

    out = pdf
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            out += zlib.decompress(m.group(1))
    return out


def test_report_xlsx_and_pdf(as_user):
    c = as_user("zone_admin")
    x = c.get(reverse("appeals:report", args=["xlsx"]))
    assert x.status_code == 200 and x.content[:2] == b"PK"
    p = c.get(reverse("appeals:report", args=["pdf"]))
    assert p.status_code == 200 and p.content[:4] == b"%PDF"
    assert b"FontFile2" in _inflate(p.content) and b"HySans" in _inflate(p.content)  # the TTF is embedded


def test_visit_with_appeal_and_coverage(as_user, users):
    c = as_user("grid_officer")
    from hongyin.appeals.permissions import enterprises_in_scope
    from hongyin.appeals_config.models import AppealCategory

    ent = enterprises_in_scope(users["grid_officer"], "visits.manage").first()
    r = c.post(
        reverse("appeals:visit_new"),
        {
            "enterprise": ent.pk,
            "visited_on": "2026-11-20",
            "status": "done",
            "findings": "企业反映用工紧张",
            "appeal_category": AppealCategory.objects.get(code="talent").pk,
            "appeal_title": "招聘技术工人",
            "appeal_content": "需要招聘50名数控技工",
        },
    )
    assert r.status_code == 302
    a = Appeal.objects.get(title="招聘技术工人")
    assert a.source == "visit" and a.visit_id
    assert c.get(reverse("appeals:visit_coverage") + "?by=grid").status_code == 200
    assert c.get(reverse("appeals:visit_calendar")).status_code == 200
    future = c.post(
        reverse("appeals:visit_new"),
        {"enterprise": ent.pk, "visited_on": "2030-01-01", "status": "done", "findings": "x"},
    )
    assert future.status_code == 422


def test_search_by_number(as_user):
    a = Appeal.objects.first()
    r = as_user("zone_admin").get(reverse("search") + f"?q={a.number}")
    assert a.number in r.content.decode()


def test_attachment_upload_and_scoped_download(as_user, new_appeal):
    from django.core.files.uploadedfile import SimpleUploadedFile

    a = new_appeal()
    c = as_user("enterprise_contact")
    pdf = SimpleUploadedFile(
        "材料.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )
    r = c.post(reverse("appeals:act", args=[a.pk, "attach"]), {"file": pdf})
    assert r.status_code == 302
    page = c.get(a.get_absolute_url())
    att = page.context["attachments"][0]
    assert att.name == "材料.pdf"
    url = reverse("appeals:attachment", args=[a.pk, att.pk])
    assert c.get(url).status_code == 200
    assert as_user("dept_handler").get(url).status_code == 404  # not dispatched to the department yet
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    c.post(reverse("appeals:act", args=[a.pk, "attach"]), {"file": bad})
    assert len(c.get(a.get_absolute_url()).context["attachments"]) == 1


def test_calendar_admin_warns_when_next_year_is_not_covered(client):
    from datetime import date

    from django.contrib.messages import get_messages

    from hongyin.devtools.sessions import login_as
    from hongyin.directory.models import CalendarYear

    c = login_as(client, "system_admin")
    CalendarYear.objects.filter(year=date.today().year + 1).delete()
    r = c.get(reverse("admin:directory_calendaroverride_changelist"))
    assert r.status_code == 200
    assert any("尚未确认" in str(m) for m in get_messages(r.wsgi_request))


@pytest.mark.parametrize(
    ("username", "panel"),
    [("zone_admin", "appeal_figures"), ("building_admin", "appeal_figures"), ("dept_handler", "appeal_todo"),
     ("enterprise_contact", "portal_todo"), ("grid_officer", "visit_todo")],
)  # fmt: skip
def test_workbench_panels(as_user, username, panel):
    r = as_user(username).get("/")
    keys = [p["key"] for section in r.context["panels"].values() for p in section]
    assert panel in keys


def test_departments_page_and_supervisors(as_user, users):
    c = as_user("zone_admin")
    r = c.get(reverse("appeals:departments"))
    assert r.status_code == 200 and "科技局" in r.content.decode()
    science = Department.objects.get(code="science")
    r = c.post(reverse("appeals:departments"), {"department": science.pk, "supervisors": [users["zone_admin"].pk]})
    assert r.status_code == 302 and list(science.supervisors.all()) == [users["zone_admin"]]
    assert as_user("dept_handler").get(reverse("appeals:departments")).status_code == 403


def test_building_admin_sees_only_its_buildings_appeals(as_user, demo):
    building = demo.buildings[0]
    c = as_user("building_admin")
    inside = Appeal.objects.filter(enterprise__org__path__startswith=building.path).first()
    # outside: neither an enterprise of its organizations nor one in its building (those it serves, item 6)
    outside = (
        Appeal.objects.exclude(enterprise__org__path__startswith=building.path)
        .exclude(enterprise__building__party_committee__path__startswith=building.path)
        .first()
    )
    assert c.get(reverse("appeals:detail", args=[outside.pk])).status_code == 404
    listed = c.get(reverse("appeals:list") + "?q=" + outside.number).context["page"].paginator.count
    assert listed == 0
    if inside:
        assert c.get(reverse("appeals:detail", args=[inside.pk])).status_code == 200


def test_stats_by_chain_and_month(as_user):
    c = as_user("zone_admin")
    for by in ("chain", "month", "building", "department"):
        r = c.get(reverse("appeals:stats") + f"?by={by}")
        assert r.status_code == 200 and r.context["rows"]
    months = c.get(reverse("appeals:stats") + "?by=month").context["rows"]
    assert sum(m["total"] for m in months) == Appeal.objects.count()


def test_visit_attachment_is_listed_and_downloaded_inside_the_scope_only(as_user, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from hongyin.appeals.models import Visit
    from hongyin.appeals.permissions import enterprises_in_scope

    c = as_user("grid_officer")
    ent = enterprises_in_scope(users["grid_officer"], "visits.manage").first()
    pdf = SimpleUploadedFile("走访纪要.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF", content_type="application/pdf")
    r = c.post(
        reverse("appeals:visit_new"),
        {"enterprise": ent.pk, "visited_on": "2026-11-20", "status": "done", "findings": "纪要", "attachment": pdf},
    )
    assert r.status_code == 302
    visit = Visit.objects.filter(enterprise=ent, findings="纪要").latest("pk")
    page = c.get(reverse("appeals:visit_detail", args=[visit.pk])).content.decode()
    assert "走访纪要.pdf" in page
    att = page.split(f"/appeals/visits/{visit.pk}/attachments/")[1].split("/")[0]
    download = c.get(reverse("appeals:visit_attachment", args=[visit.pk, att]))
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert as_user("dept_handler").get(reverse("appeals:visit_attachment", args=[visit.pk, att])).status_code in (
        403,
        404,
    )
