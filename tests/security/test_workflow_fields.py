"""Approvals cannot be bypassed by editing a field (issue 17, item 3): status, joining and full-membership dates,
leaving and the organization change only through their workflows, in the form, the API and the service."""

import datetime

import pytest
from django.urls import reverse

from hongyin.accounts.models import User
from hongyin.audit.models import AuditEvent
from hongyin.common.errors import DomainError
from hongyin.members import services
from hongyin.members.models import Member
from hongyin.members.tests.factories import make_id
from hongyin.orgs.models import Organization

pytestmark = pytest.mark.django_db

WORKFLOW_FIELDS = ("status", "joined_on", "full_member_on", "registered_on")


@pytest.fixture
def probationary(demo):
    """A probationary member of branch_secretary's branch."""
    secretary = User.objects.get(username="branch_secretary")
    branch = next(a.org for a in secretary.assignments if a.org_id)
    return services.member_create(
        actor=None,
        org=branch,
        name="预备测试",
        gender=None,
        birth_date=None,
        id_number=make_id(datetime.date(1995, 3, 3)),
        joined_on=datetime.date.today() - datetime.timedelta(days=200),
        status="probationary",
    )


def test_patch_with_status_is_refused_and_nothing_changes(as_user, probationary):
    client = as_user("branch_secretary")
    url = f"/api/v1/members/{probationary.pk}"
    events = AuditEvent.objects.filter(object_id=str(probationary.pk), action__startswith="member.").count()
    for payload in (
        {"status": "full"},
        {"status": "full", "full_member_on": str(datetime.date.today())},
        {"joined_on": "2000-01-01"},
        {"registered_on": "2001-01-01"},
        {"org_id": probationary.org_id},
        {"left_on": str(datetime.date.today())},
        {"phone": "13800001111", "status": "full"},  # a legitimate field does not carry a forbidden one through
    ):
        r = client.patch(url, payload, content_type="application/json")
        assert r.status_code == 422, (payload, r.content)
    m = Member.objects.get(pk=probationary.pk)
    assert m.status == "probationary" and m.full_member_on is None and m.phone == ""
    assert m.joined_on == probationary.joined_on and m.registered_on == probationary.registered_on
    assert AuditEvent.objects.filter(object_id=str(m.pk), action__startswith="member.").count() == events
    # the member's own fields still change
    r = client.patch(url, {"education": "university"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["education"] == "university" and r.json()["status"] == "probationary"


def test_openapi_edit_operation_has_no_workflow_fields(as_user):
    spec = as_user("branch_secretary").get("/api/v1/openapi.json").json()
    body = spec["paths"]["/api/v1/members/{member_id}"]["patch"]["requestBody"]["content"]["application/json"]
    ref = body["schema"]["$ref"].rsplit("/", 1)[-1]
    schema = spec["components"]["schemas"][ref]
    assert "phone" in schema["properties"]
    for field in (*WORKFLOW_FIELDS, "org_id", "org", "left_on", "leave_reason"):
        assert field not in schema["properties"], field
    assert schema.get("additionalProperties") is False


def test_edit_form_does_not_render_or_accept_workflow_fields(as_user, probationary):
    client = as_user("branch_secretary")
    url = reverse("members:edit", args=[probationary.pk])
    html = client.get(url).content.decode()
    for field in (*WORKFLOW_FIELDS, "org"):
        assert f'name="{field}"' not in html, field
    assert 'name="phone"' in html and 'data-testid="workflow-note"' in html
    post = {
        "name": probationary.name,
        "id_number": probationary.id_number,
        "gender": probationary.gender,
        "ethnicity": probationary.ethnicity,
        "category": probationary.category,
        "phone": "13800002222",
        # a hand-made POST naming the workflow fields
        "status": "full",
        "full_member_on": str(datetime.date.today()),
        "joined_on": "2000-01-01",
        "org": Organization.objects.exclude(pk=probationary.org_id).filter(kind="branch").first().pk,
    }
    r = client.post(url, post)
    assert r.status_code == 302, r.content.decode()[:2000]
    m = Member.objects.get(pk=probationary.pk)
    assert m.phone == "13800002222"
    assert m.status == "probationary" and m.full_member_on is None
    assert m.joined_on == probationary.joined_on and m.org_id == probationary.org_id


def test_member_update_refuses_workflow_fields_even_from_a_trusted_caller(probationary):
    admin = User.objects.get(username="zone_admin")
    for changes in (
        {"status": "full"},
        {"full_member_on": datetime.date.today()},
        {"joined_on": datetime.date(2000, 1, 1)},
        {"registered_on": datetime.date(2001, 1, 1)},
        {"org": probationary.org},
        {"left_on": datetime.date.today()},
        {"leave_reason": "deceased"},
    ):
        for actor in (admin, None):
            with pytest.raises(DomainError):
                services.member_update(actor=actor, member=probationary, **changes)
    assert Member.objects.get(pk=probationary.pk).status == "probationary"


def test_conversion_goes_through_member_convert(probationary):
    admin = User.objects.get(username="zone_admin")
    today = datetime.date.today()
    m = services.member_convert(actor=admin, member=probationary, full_member_on=today)
    assert m.status == "full" and m.full_member_on == today
    assert AuditEvent.objects.filter(action="member.convert", object_id=str(m.pk)).exists()
    with pytest.raises(DomainError):  # only a probationary member converts
        services.member_convert(actor=admin, member=m, full_member_on=today)


def test_org_kind_and_parent_are_not_generic_edits(as_user, demo):
    from hongyin.orgs import services as org_services

    client = as_user("zone_admin")
    org = demo.buildings[0]
    r = client.patch(f"/api/v1/orgs/{org.pk}", {"kind": "branch"}, content_type="application/json")
    assert Organization.objects.get(pk=org.pk).kind == org.kind
    assert r.status_code in (200, 422)
    spec = client.get("/api/v1/openapi.json").json()
    body = spec["paths"]["/api/v1/orgs/{org_id}"]["patch"]["requestBody"]["content"]["application/json"]
    schema = spec["components"]["schemas"][body["schema"]["$ref"].rsplit("/", 1)[-1]]
    assert "kind" not in schema["properties"] and "parent_id" not in schema["properties"]
    for changes in ({"kind": "branch"}, {"dissolved_on": datetime.date.today()}, {"path": "0001"}):
        with pytest.raises(DomainError):
            org_services.org_update(actor=None, org=org, **changes)
