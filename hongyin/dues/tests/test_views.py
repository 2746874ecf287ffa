import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from hongyin.accounts.models import User
from hongyin.audit.models import AuditEvent
from hongyin.dues import services
from hongyin.dues.models import DuesRecord, DuesReduction
from hongyin.dues.rules import month_start

pytestmark = pytest.mark.django_db
THIS = month_start(date.today())


def test_ledger_open_pay_bulk_and_close(as_user, branch, make_member):
    a, b = make_member(branch), make_member(branch)
    services.dues_profile_set(actor=None, member=a, base="4000")
    services.dues_profile_set(actor=None, member=b, base="12000")
    c = as_user("branch_secretary")
    month = f"{THIS:%Y-%m}"
    r = c.get(reverse("dues:ledger"), {"branch": branch.pk, "month": month})
    assert r.status_code == 200
    c.post(reverse("dues:open"), {"branch": branch.pk, "month": month})
    r = c.get(reverse("dues:ledger"), {"branch": branch.pk, "month": month})
    body = r.content.decode()
    assert a.name in body and "240.00" in body
    r = c.post(reverse("dues:pay"), {"branch": branch.pk, "month": month, "member": a.pk, "amount": "abc"})
    assert r.status_code == 302 and DuesRecord.objects.get(member=a, month=THIS).paid == 0
    c.post(reverse("dues:pay"), {"branch": branch.pk, "month": month, "member": a.pk, "amount": "40", "method": "cash"})
    assert DuesRecord.objects.get(member=a, month=THIS).paid == Decimal("40.00")
    c.post(reverse("dues:pay_bulk"), {"branch": branch.pk, "month": month, "member_ids": [b.pk], "method": "bank"})
    assert DuesRecord.objects.get(member=b, month=THIS).paid == Decimal("240.00")
    r = c.post(reverse("dues:close"), {"org": branch.pk, "month": month})
    assert r.status_code == 302
    assert DuesRecord.objects.filter(branch=branch, month=THIS, closed=False).count() == 0


def test_ledger_scope_and_roles(as_user, other_branch):
    c = as_user("branch_secretary")
    assert c.get(reverse("dues:ledger"), {"branch": other_branch.pk}).status_code == 404
    assert as_user("grid_officer").get(reverse("dues:ledger")).status_code == 403
    r = as_user("member").get(reverse("dues:ledger"))
    assert r.status_code == 302 and r["Location"] == reverse("dues:mine")
    assert as_user("member").get(reverse("dues:mine")).status_code == 200
    assert as_user("member").get(reverse("dues:report")).status_code == 403


def test_member_sees_only_its_own_dues(as_user, branch, make_member):
    user = User.objects.get(username="member")
    own = getattr(user, "member", None) or make_member(branch, user=user)
    other = make_member(branch)
    mine = services.dues_pay(actor=None, member=own, month=THIS, amount="12.34")
    theirs = services.dues_pay(actor=None, member=other, month=THIS, amount="56.78")
    body = as_user("member").get(reverse("dues:mine")).content.decode()
    assert str(mine.paid) in body and str(theirs.paid) not in body


def test_report_and_excel_export_audited(as_user, demo, branch, make_member):
    m = make_member(branch)
    services.dues_pay(actor=None, member=m, month=THIS, amount="10")
    c = as_user("building_admin")
    r = c.get(reverse("dues:report"), {"org": demo.buildings[0].pk, "start": f"{THIS:%Y-%m}", "end": f"{THIS:%Y-%m}"})
    assert r.status_code == 200 and branch.name in r.content.decode()
    r = c.get(reverse("dues:export"), {"org": demo.buildings[0].pk, "start": f"{THIS:%Y-%m}", "end": f"{THIS:%Y-%m}"})
    assert r.status_code == 200
    data = b"".join(r.streaming_content)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert rows[2][0] == "党支部" and any(row[1] == m.name for row in rows[3:])
    assert AuditEvent.objects.filter(action="dues.export").exists()
    assert c.get(reverse("dues:export"), {"org": demo.chain.pk}).status_code == 404


def test_member_page_profile_and_reduction_flow(as_user, branch, make_member):
    m = make_member(branch)
    c = as_user("branch_secretary")
    r = c.post(reverse("dues:member", args=[m.pk]), {"form": "profile", "base": "-1"})
    assert r.status_code == 422 and "is-invalid" in r.content.decode()
    r = c.post(reverse("dues:member", args=[m.pk]), {"form": "profile", "base": "6000"})
    assert r.status_code == 302
    r = c.post(
        reverse("dues:member", args=[m.pk]),
        {"form": "reduction", "kind": "exempt", "start_month": "2026-01", "end_month": "bad", "reason": "支部研究同意"},
    )
    assert r.status_code == 422
    c.post(
        reverse("dues:member", args=[m.pk]),
        {
            "form": "reduction",
            "kind": "exempt",
            "start_month": f"{THIS:%Y-%m}",
            "end_month": f"{THIS:%Y-%m}",
            "reason": "支部研究同意",
        },
    )
    red = DuesReduction.objects.get(member=m)
    assert c.post(reverse("dues:reduction_decide", args=[red.pk]), {"decision": "approve"}).status_code == 403
    admin = as_user("building_admin")
    assert m.name in admin.get(reverse("dues:reductions")).content.decode()
    admin.post(reverse("dues:reduction_decide", args=[red.pk]), {"decision": "approve"})
    red.refresh_from_db()
    assert red.status == "approved"


def test_arrears_page(as_user):
    r = as_user("building_admin").get(reverse("dues:arrears"), {"months": 6})
    assert r.status_code == 200


def test_bad_posts_answer_4xx_not_500(as_user):
    c = as_user("branch_secretary")
    assert c.post(reverse("dues:close"), {}).status_code == 404
    assert c.post(reverse("dues:pay"), {"member": "x"}).status_code == 404
    assert c.get(reverse("dues:ledger"), {"branch": "abc", "month": "junk"}).status_code == 404
    assert c.get(reverse("dues:report"), {"start": "junk", "end": "2026-99"}).status_code == 200
