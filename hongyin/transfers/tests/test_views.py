import pytest
from django.urls import reverse

from hongyin.transfers import services
from hongyin.transfers.models import Transfer, TransferStatus

pytestmark = pytest.mark.django_db


def test_list_and_detail_pages(as_user, users, branch, other_branch, make_member):
    t = services.transfer_request(
        actor=users["branch_secretary"], member=make_member(branch), target=other_branch, reason="工作调动"
    )
    c = as_user("branch_secretary")
    r = c.get(reverse("transfers:list"))
    assert r.status_code == 200 and t.number in r.content.decode()
    r = c.get(reverse("transfers:list"), {"status": "open", "q": t.member_name}, HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and "<html" not in r.content.decode() and t.number in r.content.decode()
    r = c.get(reverse("transfers:detail", args=[t.pk]))
    assert "同意转出" in r.content.decode()
    # the target cannot see it before the source approves; a member role may not open the queue at all
    assert as_user("chain_admin").get(reverse("transfers:detail", args=[t.pk])).status_code == 404
    assert as_user("member").get(reverse("transfers:list")).status_code == 403


def test_full_flow_through_forms(as_user, users, branch, other_branch, make_member):
    m = make_member(branch)
    sec = as_user("branch_secretary")
    r = sec.get(reverse("transfers:new"), {"q": m.name})
    assert m.name in r.content.decode()
    r = sec.post(reverse("transfers:new"), {"member": m.pk, "target": other_branch.pk, "reason": ""})
    assert r.status_code == 422
    r = sec.post(reverse("transfers:new"), {"member": m.pk, "target": branch.pk, "reason": "调动"})
    assert r.status_code == 422 and "不能与转出党组织相同" in r.content.decode()
    r = sec.post(reverse("transfers:new"), {"member": m.pk, "target": other_branch.pk, "reason": "工作调动"})
    t = Transfer.objects.get(member=m)
    assert r.status_code == 302
    sec.post(reverse("transfers:act", args=[t.pk, "approve"]), {"reason": ""})
    chain = as_user("chain_admin")
    r = chain.post(reverse("transfers:act", args=[t.pk, "return"]), {"reason": ""})
    assert r.status_code == 422 and "退回原因" in r.content.decode()
    r = chain.post(reverse("transfers:act", args=[t.pk, "accept"]), {"reason": "欢迎"})
    assert r.status_code == 302
    t.refresh_from_db()
    m.refresh_from_db()
    assert t.status == TransferStatus.ACCEPTED and m.org == other_branch


def test_letter_pdf_download_is_audited(as_user, users, branch, make_member):
    from hongyin.audit.models import AuditEvent

    m = make_member(branch)
    sec = as_user("branch_secretary")
    r = sec.post(
        reverse("transfers:new"),
        {
            "kind": "out",
            "member": m.pk,
            "external_org": "中共北京市某公司支部",
            "reason": "调动",
            "letter_valid_days": 30,
        },
    )
    t = Transfer.objects.get(member=m)
    assert r.status_code == 302 and t.status == TransferStatus.ISSUED
    r = sec.get(reverse("transfers:letter", args=[t.pk]))
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="transfer.letter", object_id=str(t.pk)).exists()
    assert as_user("chain_admin").get(reverse("transfers:letter", args=[t.pk])).status_code == 404


def test_receive_form_errors_and_success(as_user, branch):
    c = as_user("branch_secretary")
    r = c.get(reverse("transfers:receive"))
    assert r.status_code == 200
    data = {
        "target": branch.pk,
        "external_org": "中共上海市某公司支部",
        "name": "王小明",
        "id_number": "123",
        "category": "employed",
        "status": "full",
        "joined_on": "2015-07-01",
    }
    r = c.post(reverse("transfers:receive"), data)
    assert r.status_code == 422 and "is-invalid" in r.content.decode()
    import random
    from datetime import date

    from hongyin.devtools.people import person

    p = person(random.Random(11), born_to=date(1990, 1, 1))
    r = c.post(reverse("transfers:receive"), {**data, "id_number": p["id_number"], "name": p["name"]})
    assert r.status_code == 302


def test_floating_page_and_set(as_user, branch, make_member):
    m = make_member(branch)
    c = as_user("branch_secretary")
    r = c.post(reverse("transfers:floating_set", args=[m.pk]), {"is_floating": "on", "floating_place": "深圳"})
    assert r.status_code == 302
    assert m.name in c.get(reverse("transfers:floating")).content.decode()


def test_list_per_organization_queue(as_user, demo, users, branch, other_branch, make_member):
    t = services.transfer_request(
        actor=users["branch_secretary"], member=make_member(branch), target=other_branch, reason="工作调动"
    )
    c = as_user("zone_admin")
    assert t.number in c.get(reverse("transfers:list"), {"org": demo.buildings[0].pk}).content.decode()
    assert t.number not in c.get(reverse("transfers:list"), {"org": demo.park.pk}).content.decode()
    assert as_user("branch_secretary").get(reverse("transfers:list"), {"org": demo.park.pk}).status_code == 404
