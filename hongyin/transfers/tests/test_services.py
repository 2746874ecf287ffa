import random
from datetime import date, timedelta

import pytest
from django.utils import timezone

from hongyin.audit.models import AuditEvent
from hongyin.common.errors import DomainError, NotFound
from hongyin.devtools.people import person
from hongyin.members.models import Member
from hongyin.orgs.models import Organization, OrgKind
from hongyin.transfers import selectors, services
from hongyin.transfers.letter import render_letter_html, render_letter_pdf
from hongyin.transfers.models import Transfer, TransferStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def sibling(branch):
    """Another branch under the same building committee (the secretary cannot see it)."""
    parent = Organization.objects.get(path=branch.path[: -Organization.steplen])
    return (
        Organization.objects.filter(path__startswith=parent.path, kind=OrgKind.BRANCH)
        .exclude(pk=branch.pk)
        .order_by("path")
        .first()
    )


def test_inside_transfer_moves_member_only_on_acceptance(users, branch, other_branch, make_member):
    m = make_member(branch)
    sec, building, chain = users["branch_secretary"], users["building_admin"], users["chain_admin"]
    t = services.transfer_request(actor=sec, member=m, target=other_branch, reason="工作调动")
    assert t.status == TransferStatus.REQUESTED
    with pytest.raises(DomainError):
        services.transfer_accept(actor=chain, transfer=t)  # not approved by the source yet
    with pytest.raises(DomainError):
        services.transfer_approve(actor=chain, transfer=t)  # the target cannot approve for the source
    t = services.transfer_approve(actor=sec, transfer=t)
    m.refresh_from_db()
    assert m.org == branch  # not moved before acceptance
    with pytest.raises(DomainError):
        services.transfer_accept(actor=sec, transfer=t)  # the source cannot accept for the target
    t = services.transfer_accept(actor=chain, transfer=t)
    m.refresh_from_db()
    assert t.status == TransferStatus.ACCEPTED and m.org == other_branch
    actions = set(AuditEvent.objects.filter(object_id=str(t.pk)).values_list("action", flat=True))
    assert {"transfer.request", "transfer.approve", "transfer.accept"} <= actions
    assert AuditEvent.objects.filter(action="member.move", object_id=str(m.pk)).exists()
    assert [e.after for e in t.events.all()] == ["requested", "approved", "accepted"]
    del building


def test_refusal_returns_with_reason_and_source_can_resubmit(users, branch, other_branch, sibling, make_member):
    m = make_member(branch)
    sec, chain = users["branch_secretary"], users["chain_admin"]
    t = services.transfer_approve(
        actor=sec, transfer=services.transfer_request(actor=sec, member=m, target=other_branch, reason="工作调动")
    )
    with pytest.raises(DomainError) as e:
        services.transfer_return(actor=chain, transfer=t, reason="")
    assert e.value.field == "reason"
    t = services.transfer_return(actor=chain, transfer=t, reason="接收单位信息有误")
    assert t.status == TransferStatus.RETURNED and t.return_reason == "接收单位信息有误"
    m.refresh_from_db()
    assert m.org == branch
    t = services.transfer_resubmit(actor=users["building_admin"], transfer=t, target=sibling)
    assert t.status == TransferStatus.REQUESTED and t.target == sibling
    t = services.transfer_cancel(actor=sec, transfer=t, reason="本人放弃")
    assert t.status == TransferStatus.CANCELLED
    with pytest.raises(DomainError):
        services.transfer_approve(actor=sec, transfer=t)


def test_request_refusals(users, branch, other_branch, make_member):
    m = make_member(branch)
    sec = users["branch_secretary"]
    with pytest.raises(DomainError) as e:
        services.transfer_request(actor=sec, member=m, target=branch, reason="x")
    assert e.value.field == "target"
    with pytest.raises(DomainError) as e:
        services.transfer_request(actor=sec, member=m, target=Organization.objects.get_parent(branch), reason="x")
    assert e.value.field == "target"
    with pytest.raises(DomainError) as e:
        services.transfer_request(actor=sec, member=m, target=other_branch, reason=" ")
    assert e.value.field == "reason"
    services.transfer_request(actor=sec, member=m, target=other_branch, reason="工作调动")
    with pytest.raises(DomainError) as e:
        services.transfer_request(actor=sec, member=m, target=other_branch, reason="again")
    assert e.value.field == "member"
    outsider = make_member(other_branch)
    with pytest.raises(NotFound):
        services.transfer_request(actor=sec, member=outsider, target=branch, reason="x")


def test_out_of_platform_letter_and_slip(users, branch, make_member):
    m = make_member(branch)
    sec = users["branch_secretary"]
    with pytest.raises(DomainError) as e:
        services.transfer_out_issue(actor=sec, member=m, external_org="", reason="x")
    assert e.value.field == "external_org"
    with pytest.raises(DomainError) as e:
        services.transfer_out_issue(actor=sec, member=m, external_org="中共北京市某某党支部", reason="x", valid_days=0)
    assert e.value.field == "letter_valid_days"
    t = services.transfer_out_issue(actor=sec, member=m, external_org="中共北京市海淀区某某公司支部", reason="工作调动")
    assert t.status == TransferStatus.ISSUED and t.number.startswith("ZJ")
    html = render_letter_html(t)
    assert "NotoSansSC-Regular.ttf" in html and "unicode-range" not in html
    assert m.name in html and "党建引领" in html
    pdf = render_letter_pdf(t)
    assert pdf.startswith(b"%PDF") and len(pdf) < 200_000  # whole TTFs, subset into the PDF
    with pytest.raises(DomainError) as e:
        services.transfer_out_slip_returned(actor=sec, transfer=t, returned_on=timezone.localdate() + timedelta(days=1))
    assert e.value.field == "slip_returned_on"
    t = services.transfer_out_slip_returned(actor=sec, transfer=t, returned_on=timezone.localdate())
    m.refresh_from_db()
    assert t.status == TransferStatus.COMPLETED
    assert m.left_on == timezone.localdate() and m.leave_reason == "transferred_out"


def test_into_platform_creates_member(users, branch):
    data = person(random.Random(5), born_to=date(1995, 1, 1))
    data["joined_on"] = date(data["birth_date"].year + 25, 7, 1)
    t = services.transfer_in_receive(
        actor=users["branch_secretary"],
        target=branch,
        external_org="中共上海市某某公司支部",
        incoming_letter_number="沪组转字〔2026〕第12号",
        **data,
    )
    assert t.status == TransferStatus.COMPLETED and t.kind == "in"
    member = Member.objects.get(pk=t.member_id)
    assert member.org == branch and member.name == data["name"]
    with pytest.raises(DomainError) as e:  # the same person twice: the members service refuses
        services.transfer_in_receive(actor=users["branch_secretary"], target=branch, external_org="x", **data)
    assert e.value.field == "id_number"
    assert Transfer.objects.filter(kind="in", member__isnull=False, pk=t.pk).count() == 1


def test_floating_members_flag_and_place(users, branch, make_member):
    m = make_member(branch)
    with pytest.raises(DomainError) as e:
        services.floating_set(actor=users["branch_secretary"], member=m, is_floating=True, place="")
    assert e.value.field == "floating_place"
    m = services.floating_set(actor=users["branch_secretary"], member=m, is_floating=True, place="深圳市南山区")
    assert m.is_floating and m.floating_place == "深圳市南山区"
    assert m in selectors.floating_members(user=users["branch_secretary"])
    m = services.floating_set(actor=users["branch_secretary"], member=m, is_floating=False)
    assert not m.is_floating and m.floating_place == ""


def test_queues_pending_and_overdue(users, branch, other_branch, make_member):
    sec, chain = users["branch_secretary"], users["chain_admin"]
    fresh = services.transfer_request(actor=sec, member=make_member(branch), target=other_branch, reason="调动")
    old = services.transfer_approve(
        actor=sec,
        transfer=services.transfer_request(actor=sec, member=make_member(branch), target=other_branch, reason="调动"),
    )
    Transfer.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    pending = list(selectors.pending(user=sec))
    assert fresh in pending and old in pending
    assert list(selectors.overdue(user=sec)) == [old]
    assert old in selectors.pending(user=chain) and fresh not in selectors.pending(user=chain)  # not yet approved
    assert fresh in selectors.to_act(user=sec) and old not in selectors.to_act(user=sec)
    assert old in selectors.to_act(user=chain)
    counts = selectors.queue_counts(user=chain)
    assert counts["to_accept"] >= 1 and counts["overdue"] >= 1
    assert set(selectors.pending(user=sec, org=other_branch)) == {old, fresh}


def test_two_target_admins_act_at_once_and_the_second_is_refused(users, branch, other_branch, make_member):
    """On the workflow engine: the second of two clicks on the same approved transfer writes nothing."""
    from django.test import Client
    from django.urls import reverse

    from hongyin.devtools.forms import rendered_forms
    from hongyin.devtools.sessions import login_as
    from hongyin.transfers.models import TransferEvent

    m = make_member(branch)
    t = services.transfer_request(actor=users["branch_secretary"], member=m, target=other_branch, reason="工作调动")
    services.transfer_approve(actor=users["branch_secretary"], transfer=t)
    one, two = login_as(Client(), "chain_admin"), login_as(Client(), "zone_admin")
    page = reverse("transfers:detail", args=[t.pk])
    forms = [next(f for f in rendered_forms(c.get(page).content.decode()) if "version" in f.fields) for c in (one, two)]
    assert all(f.fields["version"] == [str(t.version)] for f in forms)
    accepted = one.post(reverse("transfers:act", args=[t.pk, "accept"]), forms[0].data(reason="欢迎"))
    assert accepted.status_code == 302
    events = TransferEvent.objects.filter(transfer=t).count()
    refused = two.post(reverse("transfers:act", args=[t.pk, "return"]), forms[1].data(reason="名称有误"))
    assert refused.status_code == 422 and "该转接已被他人处理，请刷新后重试。" in refused.content.decode()
    t.refresh_from_db()
    assert t.status == TransferStatus.ACCEPTED and not t.return_reason
    assert TransferEvent.objects.filter(transfer=t).count() == events
