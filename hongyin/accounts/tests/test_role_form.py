"""The role-assignment form derives its scope field from the role's declared kind."""

import pytest
from django.urls import reverse

from hongyin.accounts import services
from hongyin.accounts.models import RoleAssignment, User
from hongyin.common.errors import DomainError
from hongyin.common.roles import ROLE_SCOPE, Role
from hongyin.common.scopes import SCOPE_KINDS
from hongyin.devtools.factories import UserFactory
from hongyin.directory.models import FinancialInstitution
from hongyin.enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


def _scope_inputs(html: str) -> set[str]:
    return {code for code in SCOPE_KINDS if f'data-scope-kind="{code}"' in html}


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_the_form_shows_the_scope_field_of_the_role(role, as_user):
    target = User.objects.get(username="member")
    client = as_user("security_admin")
    url = reverse("accounts:user_roles", args=[target.pk])
    kind = SCOPE_KINDS.get(ROLE_SCOPE[role])
    page = client.get(url, {"role": role}).content.decode()
    fragment = client.get(url, {"role": role}, headers={"HX-Request": "true"}).content.decode()
    for html in (page, fragment):
        assert _scope_inputs(html) == ({kind.code} if kind else set())
    assert "<html" not in fragment and 'id="grant-form"' in fragment
    if kind is not None:
        name = f"{kind.field}_{kind.entered_by}" if kind.entered_by else kind.field
        assert f'name="{name}"' in page
    posted = client.post(url, {"role": role})  # without its scope: the same field comes back with the error
    assert posted.status_code == 400 and _scope_inputs(posted.content.decode()) == ({kind.code} if kind else set())


def test_the_form_without_a_role_asks_for_the_role_first(as_user):
    target = User.objects.get(username="member")
    html = as_user("security_admin").get(reverse("accounts:user_roles", args=[target.pk])).content.decode()
    assert _scope_inputs(html) == set() and 'data-testid="grant-role-select"' in html


def test_an_enterprise_is_entered_by_its_code(as_user, demo):
    target = UserFactory(username="contact2")
    url = reverse("accounts:user_roles", args=[target.pk])
    client = as_user("security_admin")
    missing = client.post(url, {"role": "enterprise_contact", "enterprise_uscc": "91610131000000000X"})
    assert missing.status_code == 400 and "未找到" in missing.content.decode()
    enterprise = Enterprise.objects.order_by("pk").first()
    ok = client.post(url, {"role": "enterprise_contact", "enterprise_uscc": enterprise.uscc.lower()})
    assert ok.status_code == 302
    assert RoleAssignment.objects.get(user=target).enterprise_id == enterprise.pk


def test_a_new_kind_is_granted_through_its_declared_field(demo, monkeypatch):
    monkeypatch.setitem(ROLE_SCOPE, Role.MEMBER, "financial_institution")
    security = User.objects.get(username="security_admin")
    target = UserFactory(username="banker")
    bank = FinancialInstitution.objects.order_by("pk").first()
    with pytest.raises(DomainError):
        services.role_grant(actor=security, user=target, role=Role.MEMBER, org=demo.root)  # the wrong kind
    with pytest.raises(DomainError):
        services.role_grant(actor=security, user=target, role=Role.MEMBER)  # no scope
    with pytest.raises(TypeError):
        services.role_grant(actor=security, user=target, role=Role.MEMBER, kiosk=bank)  # not a declared field
    assignment = services.role_grant(actor=security, user=target, role=Role.MEMBER, financial_institution=bank)
    assert assignment.scope_object == bank and assignment.scope_label == bank.name


def test_the_api_takes_an_id_per_declared_kind(as_user, demo, monkeypatch):
    from hongyin.site.api import api

    schema = api.get_openapi_schema()["components"]["schemas"]["GrantIn"]["properties"]
    assert {f"{k.field}_id" for k in SCOPE_KINDS.values()} <= set(schema)
    target = UserFactory(username="apigrantee")
    grant = {"user_id": target.pk, "role": "grid_officer", "grid_cell_id": demo.grid_cells[1].pk}
    response = as_user("security_admin").post("/api/v1/accounts/roles", grant, content_type="application/json")
    assert response.status_code == 201 and response.json()["scope_label"] == str(demo.grid_cells[1])
