from datetime import date, timedelta

import pytest

from hongyin.accounts.models import User
from hongyin.audit.models import AuditEvent
from hongyin.common.errors import DomainError, NotFound
from hongyin.members import services as member_services
from hongyin.members.models import Member, MemberHistory
from hongyin.members.tests.factories import make_id
from hongyin.orgs import services
from hongyin.orgs.models import CommitteePost, Organization, OrgHistory, OrgKind, Post
from hongyin.orgs.rules import org_checks

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return User.objects.get(username="zone_admin")


def new_branch(admin, parent, name, kind=OrgKind.BRANCH, **kw):
    return services.org_create(actor=admin, parent=parent, name=name, kind=kind, category="enterprise", **kw)


def add_members(org, n, status="full"):
    return [
        member_services.member_create(
            actor=None,
            org=org,
            name=f"王{'一二三四五六七八九十'[i % 10]}",
            gender=None,
            birth_date=None,
            id_number=make_id(),
            joined_on=date(2015, 1, 1),
            status=status,
        )
        for i in range(n)
    ]


def test_create_records_history_and_audit(demo, admin):
    org = new_branch(admin, demo.buildings[0], "测试党支部", founded_on=date(2022, 3, 1))
    assert OrgHistory.objects.filter(org=org, kind="created").exists()
    assert AuditEvent.objects.filter(action="org.create", object_id=str(org.pk)).exists()
    with pytest.raises(DomainError) as exc:
        new_branch(admin, demo.buildings[0], "测试党支部")
    assert exc.value.field == "name"


def test_kind_nesting_and_joint_branch_units(demo, admin):
    branch = new_branch(admin, demo.buildings[0], "嵌套测试党支部")
    with pytest.raises(DomainError):
        new_branch(admin, branch, "下级党支部")
    with pytest.raises(DomainError) as exc:
        new_branch(
            admin, demo.buildings[0], "六家联合党支部", kind=OrgKind.JOINT_BRANCH, covered_units="甲,乙,丙,丁,戊,己"
        )
    assert exc.value.field == "covered_units"
    ok = new_branch(
        admin, demo.buildings[0], "五家联合党支部", kind=OrgKind.JOINT_BRANCH, covered_units="甲、乙、丙、丁、戊"
    )
    assert ok.covered_units == ["甲", "乙", "丙", "丁", "戊"]


def test_rename_and_scope(demo, admin):
    org = new_branch(admin, demo.buildings[0], "旧名党支部")
    services.org_update(actor=admin, org=org, name="新名党支部")
    org.refresh_from_db()
    assert org.name == "新名党支部"
    assert OrgHistory.objects.filter(org=org, kind="renamed").exists()
    chain_admin = User.objects.get(username="chain_admin")
    with pytest.raises(NotFound):
        services.org_update(actor=chain_admin, org=org, name="越权")


def test_move_subtree(demo, admin):
    org = new_branch(admin, demo.buildings[0], "搬迁党支部")
    group = services.org_create(actor=admin, parent=org, name="第一党小组", kind=OrgKind.GROUP, category="enterprise")
    services.org_move(actor=admin, org=org, new_parent=demo.buildings[1], reason="楼宇调整")
    org.refresh_from_db()
    group.refresh_from_db()
    assert Organization.objects.get_parent(org).pk == demo.buildings[1].pk
    assert group.path.startswith(org.path)
    with pytest.raises(DomainError):
        services.org_move(actor=admin, org=demo.buildings[1], new_parent=org)


def test_merge_moves_members_and_dissolves(demo, admin):
    a = new_branch(admin, demo.buildings[0], "合并甲党支部")
    b = new_branch(admin, demo.buildings[0], "合并乙党支部")
    people = add_members(a, 3)
    services.org_merge(actor=admin, source=a, target=b)
    a.refresh_from_db()
    assert a.dissolved_on == date.today()
    assert Member.objects.filter(org=b).count() == 3
    assert MemberHistory.objects.filter(member=people[0], kind="moved").exists()
    assert AuditEvent.objects.filter(action="org.merge").exists()
    # each member moved through the members service: its own audit event (the merge used to write the table directly)
    moves = AuditEvent.objects.filter(action="member.move", object_id__in=[str(p.pk) for p in people])
    assert moves.count() == 3 and all(e.details["merge"] for e in moves)


def test_merge_with_members_into_a_committee_is_refused_and_nothing_moves(demo, admin):
    a = new_branch(admin, demo.buildings[0], "合并丙党支部")
    people = add_members(a, 2)
    with pytest.raises(DomainError):
        services.org_merge(actor=admin, source=a, target=demo.buildings[1])
    a.refresh_from_db()
    assert a.dissolved_on is None and Member.objects.filter(org=a).count() == len(people)


def test_dissolve_refused_with_members(demo, admin):
    org = new_branch(admin, demo.buildings[0], "撤销测试党支部")
    [m] = add_members(org, 1)
    with pytest.raises(DomainError) as exc:
        services.org_dissolve(actor=admin, org=org)
    assert "党员" in exc.value.message
    member_services.member_move(
        actor=admin, member=m, to_org=new_branch(admin, demo.buildings[0], "接收党支部"), reason="撤销前转移"
    )
    services.org_dissolve(actor=admin, org=org)
    org.refresh_from_db()
    assert org.dissolved_on is not None


def test_branch_rules_checks(demo, admin):
    org = new_branch(admin, demo.buildings[0], "规则党支部")
    add_members(org, 2)
    levels = [c.level for c in org_checks(org)]
    assert "error" in levels  # < 3 full members
    add_members(org, 50)
    messages = " ".join(c.message for c in org_checks(org))
    assert "50" in messages


def test_committee_small_branch_only_secretary_and_deputy(demo, admin):
    org = new_branch(admin, demo.buildings[0], "小支部")
    a, b, c = add_members(org, 3)
    services.committee_assign(actor=admin, org=org, member=a, post=Post.SECRETARY)
    with pytest.raises(DomainError):
        services.committee_assign(actor=admin, org=org, member=b, post=Post.ORGANIZATION)
    services.committee_assign(actor=admin, org=org, member=b, post=Post.DEPUTY)
    # a new secretary ends the previous one's post
    services.committee_assign(actor=admin, org=org, member=c, post=Post.SECRETARY)
    current = CommitteePost.objects.filter(org=org, to_on__isnull=True)
    assert set(current.values_list("member_id", flat=True)) == {b.pk, c.pk}


def test_committee_large_branch_max_seven(demo, admin):
    org = new_branch(admin, demo.buildings[0], "大支部")
    people = add_members(org, 10)
    posts = [Post.SECRETARY, Post.DEPUTY, Post.ORGANIZATION, Post.PROPAGANDA, Post.DISCIPLINE, Post.MEMBER, Post.MEMBER]
    for person, post in zip(people, posts, strict=False):
        services.committee_assign(actor=admin, org=org, member=person, post=post)
    with pytest.raises(DomainError):
        services.committee_assign(actor=admin, org=org, member=people[7], post=Post.MEMBER)
    assert any(c.level == "warning" and "3 至 5" in c.message for c in org_checks(org))


def test_probationary_cannot_hold_post(demo, admin):
    org = new_branch(admin, demo.buildings[0], "预备党员支部")
    [p] = add_members(org, 1, status="probationary")
    with pytest.raises(DomainError):
        services.committee_assign(actor=admin, org=org, member=p, post=Post.SECRETARY)


def test_term_warning_and_overdue(demo, admin):
    org = new_branch(admin, demo.buildings[0], "换届党支部")
    today = date.today()
    services.term_start(actor=admin, org=org, started_on=today - timedelta(days=3 * 365 - 30))
    org.refresh_from_db()
    assert org.term_state() == "due"
    assert org.term_length == 3
    services.term_start(actor=admin, org=org, started_on=today - timedelta(days=3 * 366 + 5))
    org.refresh_from_db()
    assert org.term_state() == "overdue"
    assert any(c.level == "error" and "换届" in c.message for c in org_checks(org))
    village = Organization(kind=OrgKind.BRANCH, is_village_community=True, term_started_on=date(2024, 1, 1))
    assert village.term_ends_on == date(2029, 1, 1)
