"""The demo data tells the truth (issue 11 item 12): what a demo role opens shows things that could be real."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from hongyin.accounts.models import RoleAssignment, User
from hongyin.appeals.models import Department, Visit
from hongyin.appeals.permissions import enterprises_in_scope, visits_visible_to
from hongyin.common.roles import Role
from hongyin.enterprises.models import IndustryChain, Segment
from hongyin.policies.models import Policy

pytestmark = pytest.mark.django_db


def test_the_instructor_has_visits_on_its_own_page(as_user):
    instructor = User.objects.get(username="instructor")
    own = Visit.objects.filter(visitor=instructor, status=Visit.Status.DONE)
    assert own.count() >= 5
    # each on an enterprise the instructor serves, so the visits page lists them
    assert visits_visible_to(instructor).filter(pk__in=own).count() == own.count()
    page = as_user("instructor").get(reverse("appeals:visits"))
    assert page.status_code == 200
    assert own.order_by("-visited_on").first().enterprise.name in page.content.decode()


def test_no_policy_is_dated_after_today():
    today = timezone.localdate()
    assert Policy.objects.count() >= 10
    assert not Policy.objects.filter(issued_on__gt=today).exists()
    assert not Policy.objects.filter(effective_from__gt=today).exists()


def test_every_visit_is_within_its_visitors_scope():
    """Recorded through the visit service: nobody visits an enterprise outside the scope of its role."""
    for visitor in User.objects.filter(visits__isnull=False).distinct():
        mine = set(Visit.objects.filter(visitor=visitor).values_list("enterprise_id", flat=True))
        assert enterprises_in_scope(visitor, "visits.manage").filter(pk__in=mine).count() == len(mine), visitor


def test_the_chain_page_lists_segments_upstream_to_downstream(as_user):
    chain = IndustryChain.objects.get(name="光子产业链")
    html = as_user("chain_admin").get(reverse("enterprises:chain_detail", args=[chain.pk])).content.decode()
    table = html[: html.index("</table>")]
    labels = {str(s.label): s.value for s in Segment}
    cells = re.findall(r"<tr><td>(上游|中游|下游)</td>", table)
    assert len(cells) > 10
    order = [list(Segment.values).index(labels[c]) for c in cells]
    assert order == sorted(order)


def test_every_department_has_a_handler():
    handled = set(RoleAssignment.objects.filter(role=Role.DEPT_HANDLER).values_list("department_id", flat=True))
    missing = [d.name for d in Department.objects.all() if d.pk not in handled]
    assert Department.objects.exists()
    assert missing == []
