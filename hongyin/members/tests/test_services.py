import functools
from datetime import date

import pytest

from hongyin.accounts.models import User
from hongyin.audit.models import AuditEvent
from hongyin.common.bulk_crypto import ColumnEncryptor
from hongyin.common.errors import DomainError, NotFound
from hongyin.common.fields import index_of
from hongyin.members import services
from hongyin.members.models import Member, MemberHistory
from hongyin.members.services import bulk
from hongyin.members.validation import validate_id_number
from hongyin.orgs.models import Organization, OrgKind

from .factories import make_id

pytestmark = pytest.mark.django_db


def branch_of(committee):
    return Organization.objects.filter(path__startswith=committee.path, kind=OrgKind.BRANCH).order_by("path").first()


def create(actor, org, **kw):
    args = dict(
        name="张伟", gender=None, birth_date=None, id_number=make_id(), joined_on=date(2015, 7, 1), phone="13912345678"
    )
    args.update(kw)
    return services.member_create(actor=actor, org=org, **args)


def test_create_validates_encrypts_audits(demo):
    admin = User.objects.get(username="zone_admin")
    org = branch_of(demo.buildings[0])
    number = make_id(date(1988, 2, 29)).lower()
    m = create(admin, org, id_number=number, name="张　伟")
    m.refresh_from_db()
    assert m.id_number == number.upper()
    assert m.birth_date == date(1988, 2, 29)
    assert m.name == "张伟"
    assert m.name_pinyin.startswith("zhang")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number FROM members_member WHERE id = %s", [m.pk])
        raw = cursor.fetchone()[0]
    assert number.upper() not in raw
    event = AuditEvent.objects.filter(action="member.create", object_id=str(m.pk)).get()
    assert number.upper() not in str(event.details)
    assert MemberHistory.objects.filter(member=m, kind="created").exists()


def test_duplicate_id_refused(demo):
    org = branch_of(demo.buildings[0])
    number = make_id()
    create(None, org, id_number=number)
    with pytest.raises(DomainError) as exc:
        create(None, org, id_number=number.lower())
    assert exc.value.field == "id_number"


@pytest.mark.parametrize(
    "kw,field",
    [
        ({"id_number": "61011319900517001"}, "id_number"),
        ({"id_number": "610113199002300011"}, "id_number"),
        ({"name": "<script>alert(1)</script>"}, "name"),
        ({"birth_date": date(1991, 1, 1)}, "birth_date"),
        ({"joined_on": date(2005, 1, 1)}, "joined_on"),
        ({"phone": "12345"}, "phone"),
        ({"ethnicity": "火星族"}, "ethnicity"),
        ({"status": "probationary", "full_member_on": date(2016, 7, 1)}, "full_member_on"),
    ],
)
def test_bad_fields_named(demo, kw, field):
    org = branch_of(demo.buildings[0])
    before = Member.objects.count()
    with pytest.raises(DomainError) as exc:
        create(None, org, **kw)
    assert exc.value.field == field
    assert Member.objects.count() == before


def test_bad_check_digit_and_region_code_never_rejects():
    good = make_id(region="999999")
    assert validate_id_number(good) == good
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    with pytest.raises(DomainError):
        validate_id_number(bad)


def test_member_only_in_branch(demo):
    with pytest.raises(DomainError) as exc:
        create(None, demo.buildings[0])
    assert exc.value.field == "org"


def test_scope_checked(demo):
    secretary = User.objects.get(username="branch_secretary")
    other = branch_of(demo.chain)
    with pytest.raises(NotFound):
        create(secretary, other)


def test_update_move_leave(demo):
    admin = User.objects.get(username="zone_admin")
    org = branch_of(demo.buildings[0])
    target = branch_of(demo.chain)
    m = create(admin, org)
    services.member_update(actor=admin, member=m, phone="13800001111", education="university")
    m.refresh_from_db()
    assert m.phone == "13800001111"
    ev = AuditEvent.objects.filter(action="member.update", object_id=str(m.pk)).get()
    assert "13800001111" not in str(ev.details)
    services.member_move(actor=admin, member=m, to_org=target, reason="工作调动")
    m.refresh_from_db()
    assert m.org_id == target.pk
    with pytest.raises(DomainError):
        services.member_move(actor=admin, member=m, to_org=target, reason="再次")
    services.member_leave(actor=admin, member=m, left_on=date.today(), reason="transferred_out")
    m.refresh_from_db()
    assert m.left_on == date.today()
    kinds = list(MemberHistory.objects.filter(member=m).values_list("kind", flat=True))
    assert set(kinds) >= {"created", "updated", "moved", "left"}
    with pytest.raises(DomainError):
        services.member_update(actor=admin, member=m, phone="13800002222")


def test_bulk_create_one_audit_per_batch(demo):
    org = branch_of(demo.park)
    before = AuditEvent.objects.filter(action="member.bulk_create").count()
    rows = [
        {"org": org, "name": f"李{'明华强'[i % 3]}", "id_number": make_id(), "joined_on": date(2010, 1, 1)}
        for i in range(30)
    ]
    assert services.members_bulk_create(actor=None, rows=rows) == 30
    assert AuditEvent.objects.filter(action="member.bulk_create").count() == before + 1
    with pytest.raises(DomainError):
        services.members_bulk_create(actor=None, rows=[dict(rows[0])])


def test_bulk_create_encrypts_in_a_worker_batch_by_batch(demo, monkeypatch):
    """Each batch's ciphertexts come from the worker while the batch before is inserted; order and values hold."""
    org = branch_of(demo.park)
    monkeypatch.setattr(bulk, "BULK_BATCH", 4)
    monkeypatch.setattr(bulk, "ColumnEncryptor", functools.partial(ColumnEncryptor, parallel_after=0))
    rows = [
        {
            "org": org,
            "name": f"王{'明华强'[i % 3]}",
            "id_number": make_id(),
            "phone": f"1391234{i:04d}" if i % 2 else "",
            "joined_on": date(2010, 1, 1),
        }
        for i in range(11)
    ]
    before = AuditEvent.objects.filter(action="member.bulk_create").count()
    assert services.members_bulk_create(actor=None, rows=rows) == 11
    assert AuditEvent.objects.filter(action="member.bulk_create").count() == before + 3
    created = {
        m.id_number: m.phone
        for m in Member.objects.filter(id_number_index__in=[index_of(r["id_number"]) for r in rows])
    }
    assert created == {r["id_number"]: r["phone"] for r in rows}


def test_bulk_create_checks_scope_and_writes_nothing(demo):
    secretary = User.objects.get(username="branch_secretary")
    other = branch_of(demo.chain)
    before = Member.objects.count()
    rows = [{"org": other, "name": "越权", "id_number": make_id(), "joined_on": date(2010, 1, 1)}]
    with pytest.raises(NotFound):
        services.members_bulk_create(actor=secretary, rows=rows)
    assert Member.objects.count() == before
