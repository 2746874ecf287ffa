"""Accounts over the API, with the same separation of duties as the pages: the system admin manages users,
the security admin grants and revokes roles. Every write goes through accounts.services."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from pydantic import create_model

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut
from hongyin.common.errors import DomainError
from hongyin.common.roles import Role
from hongyin.common.scopes import SCOPE_FIELDS

from . import services
from .models import RoleAssignment, User

router = Router(tags=["accounts"])
ROUTERS = {"/accounts": router}  # mounted by hongyin.site.api
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class UserOut(Schema):
    id: int
    username: str
    display_name: str
    is_active: bool
    must_change_password: bool


class UserIn(Schema):
    username: str = Field(..., min_length=1, max_length=150)
    display_name: str = Field("", max_length=60)


class UserCreatedOut(Schema):
    user: UserOut
    one_time_password: str


class ActiveIn(Schema):
    active: bool


class PasswordOut(Schema):
    one_time_password: str


class AssignmentOut(Schema):
    id: int
    user_id: int
    username: str
    role: str
    scope_label: str


# user_id, role, and one optional `<field>_id` per declared scope kind (org_id, grid_cell_id, enterprise_id, ...).
GrantIn = create_model(
    "GrantIn",
    __base__=Schema,
    user_id=(int, ...),
    role=(Role, ...),
    **{f"{field}_id": (int | None, None) for field in SCOPE_FIELDS},
)


def _assignment_out(a: RoleAssignment) -> dict:
    return {"id": a.pk, "user_id": a.user_id, "username": a.user.username, "role": a.role, "scope_label": a.scope_label}


@router.get("/users", response={200: list[UserOut], **ERRORS}, summary="Accounts (system admin)")
@api_perm("accounts.manage_users")
@paginate(PageNumberPagination, page_size=50)
def users(request, q: str = ""):
    qs = User.objects.order_by("username")
    if q:
        qs = qs.filter(username__icontains=q[:100])
    return qs


@router.post("/users", response={201: UserCreatedOut, **ERRORS}, summary="Create an account with a one-time password")
@api_perm("accounts.manage_users")
def user_create(request, payload: UserIn):
    password = services.generate_password()
    user = services.user_create(
        actor=request.auth, username=payload.username, display_name=payload.display_name, password=password
    )
    return 201, {"user": user, "one_time_password": password}


@router.post("/users/{user_id}/active", response={200: UserOut, **ERRORS}, summary="Enable or disable an account")
@api_perm("accounts.manage_users")
def user_set_active(request, user_id: int, payload: ActiveIn):
    user = get_object_or_404(User, pk=user_id)
    return services.user_set_active(actor=request.auth, user=user, active=payload.active)


@router.post(
    "/users/{user_id}/reset-password",
    response={200: PasswordOut, **ERRORS},
    summary="Reset a password (system admin: ordinary accounts; security admin: admin and zone-admin accounts)",
)
@api_perm("accounts.reset_password")
def user_reset_password(request, user_id: int):
    user = get_object_or_404(User, pk=user_id)
    return {"one_time_password": services.user_reset_password(actor=request.auth, user=user)}


@router.post(
    "/users/{user_id}/reset-second-factor",
    response={204: None, **ERRORS},
    summary="Remove an account's authenticator and recovery codes; it must enrol again (security admin)",
)
@api_perm("accounts.manage_credentials")
def user_reset_second_factor(request, user_id: int):
    user = get_object_or_404(User, pk=user_id)
    services.second_factor_reset(actor=request.auth, user=user)
    return 204, None


@router.get("/roles", response={200: list[AssignmentOut], **ERRORS}, summary="Role assignments (security admin)")
@api_perm("accounts.manage_roles")
@paginate(PageNumberPagination, page_size=50)
def roles(request, user_id: int | None = None):
    qs = RoleAssignment.objects.select_related("user", *SCOPE_FIELDS).order_by("id")
    if user_id is not None:
        qs = qs.filter(user_id=user_id)
    return [_assignment_out(a) for a in qs]


def _scope_object(field: str, pk: int | None):
    if pk is None:
        return None
    # The scope objects are the models RoleAssignment points at (accounts knows them by its foreign keys only).
    model = RoleAssignment._meta.get_field(field).related_model
    obj = model._default_manager.filter(pk=pk).first()
    if obj is None:
        raise DomainError(_("授权范围对象不存在。"), field="scope")
    return obj


@router.post("/roles", response={201: AssignmentOut, **ERRORS}, summary="Grant a role with its scope")
@api_perm("accounts.manage_roles")
def role_grant(request, payload: GrantIn):
    user = get_object_or_404(User, pk=payload.user_id)
    scope = {field: _scope_object(field, getattr(payload, f"{field}_id")) for field in SCOPE_FIELDS}
    assignment = services.role_grant(actor=request.auth, user=user, role=payload.role.value, **scope)
    return 201, _assignment_out(assignment)


@router.delete("/roles/{assignment_id}", response={204: None, **ERRORS}, summary="Revoke a role")
@api_perm("accounts.manage_roles")
def role_revoke(request, assignment_id: int):
    assignment = get_object_or_404(RoleAssignment.objects.select_related("user", "org"), pk=assignment_id)
    services.role_revoke(actor=request.auth, assignment=assignment)
    return 204, None
