"""Nothing about other departments (issue 17, item 5): related-object blocks (similar appeals, an enterprise's
people and history, search suggestions) are scoped to the viewer."""

import pytest
from django.urls import reverse

from hongyin.accounts.models import User
from hongyin.appeals import services as appeals
from hongyin.appeals_config.models import AppealCategory
from hongyin.audit import services as audit
from hongyin.devtools.factories import AppealFactory
from hongyin.directory.models import Department
from hongyin.enterprises.permissions import enterprises_visible_to
from hongyin.members.models import Member
from hongyin.members.permissions import members_visible_to

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_departments(demo):
    """Two similar appeals of one enterprise: one routed to the handler's department (science), one to finance."""
    contact = User.objects.get(username="enterprise_contact")
    zone = User.objects.get(username="zone_admin")
    enterprise = next(a.enterprise for a in contact.assignments if a.enterprise_id)
    category = AppealCategory.objects.get(code="other")  # reviewed by the zone: dispatched by hand below

    def submit(title):
        return AppealFactory(actor=contact, enterprise=enterprise, category=category, title=title)

    elsewhere = submit("研发费用补贴兑现问题（财政）")
    appeals.appeal_dispatch(actor=zone, appeal=elsewhere, department=Department.objects.get(code="finance"))
    own = submit("研发费用补贴兑现问题")
    appeals.appeal_dispatch(actor=zone, appeal=own, department=Department.objects.get(code="science"))
    return own, elsewhere


def test_dept_handler_sees_no_similar_appeal_of_another_department(as_user, two_departments):
    own, elsewhere = two_departments
    handler = as_user("dept_handler")
    page = handler.get(reverse("appeals:detail", args=[own.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert elsewhere.number not in body and elsewhere.title not in body
    assert elsewhere.get_absolute_url() not in body
    api = handler.get(f"/api/v1/appeals/{own.pk}").json()
    assert elsewhere.number not in api["similar"]
    # the zone sees both, and the block still works
    assert elsewhere.number in as_user("zone_admin").get(reverse("appeals:detail", args=[own.pk])).content.decode()
    assert elsewhere.number in as_user("zone_admin").get(f"/api/v1/appeals/{own.pk}").json()["similar"]
    # the enterprise itself sees its own appeals
    assert elsewhere.number in as_user("enterprise_contact").get(f"/api/v1/appeals/{own.pk}").json()["similar"]


def test_similar_for_is_scoped_to_the_viewer(two_departments):
    own, elsewhere = two_departments
    handler = User.objects.get(username="dept_handler")
    assert elsewhere not in appeals.similar_for(own, viewer=handler)
    assert elsewhere in appeals.similar_for(own, viewer=User.objects.get(username="zone_admin"))


def test_people_tab_lists_only_members_in_the_viewers_scope(as_user, demo):
    """An enterprise on the chain whose members belong to branches outside the chain committee's subtree."""
    chain_admin = User.objects.get(username="chain_admin")
    visible = enterprises_visible_to(chain_admin)
    mine = members_visible_to(chain_admin).values("pk")
    member = (
        Member.objects.filter(enterprise__in=visible, left_on__isnull=True)
        .exclude(pk__in=mine)
        .select_related("enterprise")
        .first()
    )
    if member is None:  # make one: a member of another building's branch employed by a chain enterprise
        from hongyin.members.services import member_update

        member = Member.objects.exclude(pk__in=mine).filter(left_on__isnull=True).first()
        member_update(actor=None, member=member, enterprise=visible.order_by("id").first())
        member.refresh_from_db()
    url = reverse("enterprises:detail", args=[member.enterprise_id])
    body = as_user("chain_admin").get(url, {"tab": "people"}).content.decode()
    assert member.name not in body and member.org.name not in body
    assert member.name in as_user("zone_admin").get(url, {"tab": "people"}).content.decode()


def test_history_tab_hides_what_other_organizations_did(as_user, demo):
    chain_admin = User.objects.get(username="chain_admin")
    enterprise = enterprises_visible_to(chain_admin).exclude(org__path__startswith=demo.chain.path).first()
    assert enterprise is not None
    outsider = User.objects.get(username="building_admin")
    audit.record(
        actor=outsider, action="enterprise.update", obj=enterprise, org=demo.buildings[1], actor_name="探针-外单位"
    )
    url = reverse("enterprises:detail", args=[enterprise.pk])
    assert "探针-外单位" not in as_user("chain_admin").get(url, {"tab": "history"}).content.decode()
    assert "探针-外单位" in as_user("zone_admin").get(url, {"tab": "history"}).content.decode()
