import re

import pytest

from hongyin.accounts.models import User
from hongyin.members.models import Member
from hongyin.members.validation import validate_id_number
from hongyin.orgs.models import CommitteePost, Post

pytestmark = pytest.mark.django_db


def test_demo_users_linked(demo):
    member = Member.objects.get(user__username="member")
    secretary = Member.objects.get(user__username="branch_secretary")
    branch = User.objects.get(username="branch_secretary").assignments[0].org
    assert member.org_id == branch.pk and secretary.org_id == branch.pk
    assert CommitteePost.objects.filter(org=branch, member=secretary, post=Post.SECRETARY, to_on__isnull=True).exists()


def test_seeded_people_are_plausible(demo):
    sample = list(Member.objects.order_by("?")[:200])
    assert len(sample) == 200
    for m in sample:
        assert validate_id_number(m.id_number, fast=True) == m.id_number
        assert m.birth_date.strftime("%Y%m%d") == m.id_number[6:14]
        assert re.fullmatch(r"1[3-9]\d{9}", m.phone)
        assert (m.joined_on - m.birth_date).days >= 18 * 365
        assert m.registered_on is None or m.registered_on >= m.joined_on
        assert m.name_pinyin and m.name_initials
    assert Member.objects.count() >= 1000


def test_every_branch_with_members_has_a_secretary_and_big_ones_a_committee(demo):
    from django.db.models import Count, Q

    from hongyin.orgs.models import BRANCH_KINDS, Organization

    branches = (
        Organization.objects.filter(kind__in=BRANCH_KINDS, path__startswith=demo.buildings[0].path)
        .annotate(full=Count("members", filter=Q(members__status="full", members__left_on__isnull=True)))
        .filter(full__gt=0)
    )
    for b in branches:
        posts = CommitteePost.objects.filter(org=b, to_on__isnull=True)
        assert posts.filter(post=Post.SECRETARY).count() == 1
        if b.full >= 7:
            assert 3 <= posts.values("member").distinct().count() <= 7
