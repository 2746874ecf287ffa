import random
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from hongyin.development import services
from hongyin.development.models import DevelopmentCase, StepDocument
from hongyin.devtools.people import person

pytestmark = pytest.mark.django_db


def _case(branch):
    p = person(random.Random(42), born_to=date(2000, 1, 1))
    return services.development_case_create(
        actor=None, branch=branch, name=p["name"], id_number=p["id_number"], applied_on=date(2025, 1, 10)
    )


def test_list_by_stage_and_htmx_partial(as_user, branch):
    case = _case(branch)
    c = as_user("branch_secretary")
    r = c.get(reverse("development:list"), {"stage": "applicant"})
    assert r.status_code == 200 and case.name in r.content.decode()
    r = c.get(reverse("development:list"), {"stage": "activist"})
    assert case.name not in r.content.decode().split('id="case-rows"')[1]
    r = c.get(reverse("development:list"), {"q": case.name}, HTTP_HX_REQUEST="true")
    assert "<html" not in r.content.decode() and case.name in r.content.decode()
    assert as_user("chain_admin").get(reverse("development:detail", args=[case.pk])).status_code == 404
    assert as_user("grid_officer").get(reverse("development:list")).status_code == 403


def test_new_case_form_shows_errors_under_field(as_user, branch):
    c = as_user("branch_secretary")
    p = person(random.Random(3), born_from=date(2010, 1, 1), born_to=date(2010, 12, 31))
    data = {
        "name": p["name"],
        "id_number": p["id_number"],
        "ethnicity": "汉族",
        "category": "employed",
        "branch": branch.pk,
        "applied_on": "2025-01-10",
    }
    r = c.post(reverse("development:new"), data)
    body = r.content.decode()
    assert r.status_code == 422 and "18" in body and "is-invalid" in body
    assert not DevelopmentCase.objects.filter(name=p["name"]).exists()
    p2 = person(random.Random(4), born_to=date(2000, 1, 1))
    r = c.post(reverse("development:new"), {**data, "name": p2["name"], "id_number": p2["id_number"]})
    assert r.status_code == 302
    case = DevelopmentCase.objects.get(name=p2["name"])
    assert r["Location"].endswith(f"/{case.pk}/")
    r = c.get(r["Location"])
    assert r.status_code == 200 and "党组织派人谈话" in r.content.decode()
    assert r.content.decode().count("list-group-item") >= 25


def test_step_form_records_with_document_and_warning(as_user, branch):
    case = _case(branch)
    c = as_user("branch_secretary")
    pdf = SimpleUploadedFile(
        "talk.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf"
    )
    r = c.post(
        reverse("development:step", args=[case.pk, 2]),
        {"s2-done_on": "2025-03-01", "s2-note": "谈话记录", "s2-files": pdf},
    )
    assert r.status_code == 302
    rec = case.steps.get(step=2)
    assert "一个月" in rec.warning  # late talk: stored and shown
    doc = StepDocument.objects.get(record=rec)
    page = c.get(reverse("development:detail", args=[case.pk])).content.decode()
    assert rec.warning in page
    r = c.get(reverse("development:document", args=[case.pk, doc.pk]))
    assert r.status_code == 200 and "attachment" in r["Content-Disposition"]


def test_step_form_refusal_is_shown_and_nothing_written(as_user, branch):
    case = _case(branch)
    c = as_user("branch_secretary")
    r = c.post(reverse("development:step", args=[case.pk, 3]), {"s3-done_on": "2025-03-01"})
    assert r.status_code == 422 and "请先办理" in r.content.decode()
    r = c.post(reverse("development:step", args=[case.pk, 2]), {"s2-done_on": "2099-01-01"})
    assert r.status_code == 422 and "不能晚于今天" in r.content.decode()
    bad = SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    r = c.post(reverse("development:step", args=[case.pk, 2]), {"s2-done_on": "2025-01-20", "s2-files": bad})
    assert r.status_code == 422
    assert not case.steps.filter(step__gt=1).exists()


def test_due_page(as_user):
    assert as_user("branch_secretary").get(reverse("development:due")).status_code == 200


def test_global_search_finds_case_and_transfer(as_user, branch):
    from hongyin.transfers.models import Transfer

    case = _case(branch)
    body = as_user("branch_secretary").get(reverse("search"), {"q": case.name}).content.decode()
    assert reverse("development:detail", args=[case.pk]) in body
    t = Transfer.objects.order_by("id").first()
    body = as_user("zone_admin").get(reverse("search"), {"q": t.number}).content.decode()
    assert reverse("transfers:detail", args=[t.pk]) in body
    body = as_user("chain_admin").get(reverse("search"), {"q": case.name}).content.decode()
    assert reverse("development:detail", args=[case.pk]) not in body


def test_a_step_is_recorded_with_the_form_the_case_page_renders(as_user, branch):
    """The form needed a hidden `step` field the template never rendered: every user got a 422."""
    from hongyin.devtools.forms import rendered_form

    case = _case(branch)
    c = as_user("branch_secretary")
    page = c.get(reverse("development:detail", args=[case.pk])).content.decode()
    form = rendered_form(page, reverse("development:step", args=[case.pk, 2]))
    r = c.post(form.action, form.data(**{"s2-done_on": "2025-01-20"}))
    assert r.status_code == 302, r.content.decode()[:500]
    assert case.steps.filter(step=2).exists()


def test_a_step_posted_from_an_old_page_is_refused_and_writes_nothing(as_user, branch):
    """On the workflow engine: the second of two secretaries who opened the page before the first acted."""
    from hongyin.development.models import StepRecord
    from hongyin.devtools.forms import rendered_form

    case = _case(branch)
    first, second = as_user("branch_secretary"), as_user("branch_secretary")
    action = reverse("development:step", args=[case.pk, 2])
    forms = [
        rendered_form(c.get(reverse("development:detail", args=[case.pk])).content.decode(), action)
        for c in (first, second)
    ]
    assert first.post(action, forms[0].data(**{"s2-done_on": "2025-01-20"})).status_code == 302
    refused = second.post(action, forms[1].data(**{"s2-done_on": "2025-01-21", "s2-note": "重复"}))
    assert refused.status_code == 422 and "该发展党员档案已被他人更新，请刷新后重试。" in refused.content.decode()
    assert StepRecord.objects.filter(case=case, step=2).count() == 1
    case.refresh_from_db()
    assert case.version == 1
