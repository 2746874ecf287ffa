"""Pages of the separated administrators (三权分立): the system admin manages accounts, the security admin grants
roles and reads the security policy. Neither sees business data or the audit log; every write goes through a
service that checks the permission again."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from hongyin.common import punctuation
from hongyin.common.errors import DomainError
from hongyin.common.permissions import require_perm
from hongyin.common.roles import ADMIN_ROLES, ROLE_SCOPE, TWO_FACTOR_ROLES, Role
from hongyin.common.scopes import SCOPE_FIELDS, ScopeKindSpec, kind_of

from . import policy, services
from .models import RoleAssignment, User
from .selectors import SIGN_IN_FAILURES, SIGN_IN_WINDOWS, USER_STATES, role_holders, sign_in_failures, users_in_state


class UserCreateForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("用户名"), max_length=150)
    display_name = forms.CharField(label=gettext_lazy("姓名"), max_length=60, required=False)
    email = forms.EmailField(label=gettext_lazy("电子邮箱"), required=False)


def _scope_model(field: str):
    return RoleAssignment._meta.get_field(field).related_model


def _scope_form_field(kind: ScopeKindSpec) -> tuple[str, forms.Field]:
    """The role form's field for a declared scope kind: a list of its objects, or a code box (`entered_by`).

    The scope objects are the models RoleAssignment points at (accounts knows them by its foreign keys only)."""
    model = _scope_model(kind.field)
    if kind.entered_by:
        target = model._meta.get_field(kind.entered_by)
        label = _("%(kind)s（%(field)s）") % {"kind": kind.label, "field": target.verbose_name}
        return f"{kind.field}_{kind.entered_by}", forms.CharField(label=label, max_length=target.max_length)
    qs = model._default_manager.all()
    if kind.tree:
        qs = qs.order_by("path")
    elif not qs.ordered:
        qs = qs.order_by("name" if any(f.name == "name" for f in model._meta.fields) else "pk")
    return kind.field, forms.ModelChoiceField(label=kind.label, queryset=qs)


class RoleGrantForm(forms.Form):
    """The role, then the one scope field its declared kind needs (none for the admin roles).

    The role comes from the posted data or, before posting, from `?role=` (the page re-renders the scope field when
    the role changes)."""

    role = forms.ChoiceField(label=gettext_lazy("角色"), choices=[("", "---------"), *Role.choices])

    def __init__(self, *args, role: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        role = (self.data.get("role") if self.is_bound else role) or ""
        self.kind = kind_of(ROLE_SCOPE[role]) if role in ROLE_SCOPE else None
        if not self.is_bound and role in ROLE_SCOPE:
            self.fields["role"].initial = role
        self.scope_field = None
        if self.kind is not None:
            self.scope_field, field = _scope_form_field(self.kind)
            self.fields[self.scope_field] = field

    def scope(self) -> dict:
        """The service's scope keyword: {RoleAssignment field: object}, empty for a role without a scope."""
        kind = self.kind
        if kind is None:
            return {}
        value = self.cleaned_data.get(self.scope_field)
        if kind.entered_by:
            code = (value or "").strip().upper()
            model = _scope_model(kind.field)
            value = model._default_manager.filter(**{kind.entered_by: code}).first() if code else None
            if value is None:
                raise DomainError(
                    _("未找到该%(field)s对应的%(kind)s。")
                    % {"field": model._meta.get_field(kind.entered_by).verbose_name, "kind": kind.label},
                    field=self.scope_field,
                )
        return {kind.field: value}


def _users(q: str, state: str = ""):
    privileged = RoleAssignment.objects.filter(user=OuterRef("pk"), role__in=TWO_FACTOR_ROLES)
    qs = users_in_state(state).annotate(privileged=Exists(privileged)).order_by("username")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    return qs


@require_http_methods(["GET", "POST"])
@require_perm("accounts.manage_users")
def user_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    state = request.GET.get("state", "")
    state = state if state in USER_STATES else ""
    form = UserCreateForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            password = services.generate_password()
            try:
                user = services.user_create(actor=request.user, password=password, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = 400
            else:
                return render(request, "accounts/one_time_password.html", {"target": user, "password": password})
        else:
            status = 400
    page = Paginator(_users(q, state), 50).get_page(request.GET.get("page"))
    states = [(key, label) for key, (label, _q) in USER_STATES.items()]
    context = {"page": page, "q": q, "state": state, "states": states, "form": form}
    return render(request, "accounts/user_list.html", context, status=status)


@require_POST
@require_perm("accounts.manage_users")
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(User, pk=pk)
    try:
        services.user_set_active(actor=request.user, user=target, active=request.POST.get("active") == "1")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("账号状态已更新。"))
    return redirect("accounts:user_list")


def _back_to_accounts(request: HttpRequest, target: User) -> HttpResponse:
    if request.user.has_role_perm("accounts.manage_users"):
        return redirect("accounts:user_list")
    return redirect("accounts:user_roles", pk=target.pk)


@require_POST
@require_perm("accounts.reset_password")
def user_reset_password(request: HttpRequest, pk: int) -> HttpResponse:
    """System admin: ordinary accounts; security admin: admin-role and zone-admin accounts (the service decides)."""
    target = get_object_or_404(User, pk=pk)
    try:
        password = services.user_reset_password(actor=request.user, user=target)  # PermissionDenied: 403
    except DomainError as exc:
        messages.error(request, exc.message)
        return _back_to_accounts(request, target)
    back_to_roles = not request.user.has_role_perm("accounts.manage_users")
    return render(
        request,
        "accounts/one_time_password.html",
        {"target": target, "password": password, "back_to_roles": back_to_roles},
    )


@require_POST
@require_perm("accounts.manage_credentials")
def user_reset_second_factor(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(User, pk=pk)
    try:
        services.second_factor_reset(actor=request.user, user=target)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("已重置该账号的双因素认证：其会话和 API 令牌已全部失效，下次登录须重新绑定。"))
    return redirect("accounts:user_roles", pk=target.pk)


@require_perm("accounts.manage_roles")
def role_list(request: HttpRequest) -> HttpResponse:
    """The role assignments grouped by user, each user with a "grant a role" action. A search also finds users
    without any role yet (to grant them their first)."""
    q = request.GET.get("q", "").strip()[:100]
    users = role_holders(q)
    assignments = RoleAssignment.objects.select_related(*SCOPE_FIELDS).order_by("role", "id")
    users = users.prefetch_related(Prefetch("role_assignments", queryset=assignments, to_attr="roles_held"))
    page = Paginator(users, 30).get_page(request.GET.get("page"))
    return render(request, "accounts/role_list.html", {"page": page, "q": q})


@require_http_methods(["GET", "POST"])
@require_perm("accounts.manage_roles")
def user_roles(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(User, pk=pk)
    form = RoleGrantForm(request.POST or None, role=request.GET.get("role", ""))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.role_grant(actor=request.user, user=target, role=form.cleaned_data["role"], **form.scope())
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                status = 400
            else:
                messages.success(request, _("角色已授予。"))
                return redirect("accounts:user_roles", pk=target.pk)
        else:
            status = 400
    if request.htmx and request.method == "GET":  # the role changed: the form again, with that role's scope field
        return render(request, "accounts/user_roles.html#grant-form", {"target": target, "form": form})
    assignments = target.role_assignments.select_related(*SCOPE_FIELDS)
    return render(
        request,
        "accounts/user_roles.html",
        {
            "target": target,
            "assignments": assignments,
            "form": form,
            "privileged": services.is_privileged(target),
            "has_second_factor": TOTPDevice.objects.filter(user=target, confirmed=True).exists(),
        },
        status=status,
    )


@require_POST
@require_perm("accounts.manage_roles")
def role_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(RoleAssignment.objects.select_related("user", "org"), pk=pk)
    try:
        services.role_revoke(actor=request.user, assignment=assignment)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("角色已撤销，该账号的会话已全部退出。"))
    return redirect("accounts:user_roles", pk=assignment.user_id)


def security_policy_items() -> list[tuple[str, str]]:
    return [
        (_("密码最短长度"), str(policy.password_min_length())),
        (_("字符类别"), _("大写、小写、数字、符号中至少三类")),
        (_("密码历史"), _("不得与最近 %(n)d 次相同") % {"n": settings.HONGYIN_PASSWORD_HISTORY}),
        (_("密码有效期"), _("%(n)d 天") % {"n": settings.HONGYIN_PASSWORD_MAX_AGE_DAYS}),
        (
            _("登录失败锁定"),
            _("%(n)d 次失败后锁定 %(m)d 分钟（按账号）")
            % {"n": policy.lockout_attempts(), "m": policy.lockout_minutes()},
        ),
        (_("空闲超时"), _("%(n)d 分钟") % {"n": settings.HONGYIN_SESSION_IDLE_SECONDS // 60}),
        (_("绝对超时"), _("%(n)d 小时") % {"n": settings.HONGYIN_SESSION_ABSOLUTE_SECONDS // 3600}),
        (_("双因素认证"), punctuation.join(Role(r).label for r in sorted(TWO_FACTOR_ROLES))),
        (_("三权分立角色"), punctuation.join(Role(r).label for r in sorted(ADMIN_ROLES))),
        (_("审计保留"), _("%(n)d 天") % {"n": settings.HONGYIN_AUDIT_RETENTION_DAYS}),
        (_("登录频率限制"), _("每分钟 %(n)d 次") % {"n": settings.HONGYIN_LOGIN_RATE_PER_MINUTE}),
        (_("接口频率限制"), _("每分钟 %(n)d 次") % {"n": settings.HONGYIN_API_RATE_PER_MINUTE}),
    ]


@require_perm("security.policy")
def security_policy(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/security_policy.html", {"items": security_policy_items()})


@require_perm("accounts.manage_credentials")
def sign_in_failures_page(request: HttpRequest) -> HttpResponse:
    """Failed sign-ins of the last day, week or month: when, which account name was tried, from where."""
    try:
        hours = int(request.GET.get("hours", 24))
    except ValueError:
        hours = 24
    hours = hours if hours in SIGN_IN_WINDOWS else 24
    kind = request.GET.get("kind", "")
    kind = kind if kind in SIGN_IN_FAILURES else ""
    page = Paginator(sign_in_failures(hours=hours, kind=kind), 50).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "hours": hours,
        "kind": kind,
        "windows": SIGN_IN_WINDOWS,
        "kinds": {key: label for key, (label, _a) in SIGN_IN_FAILURES.items()},
        "labels": {action: label for label, action in SIGN_IN_FAILURES.values()},
        "limit": settings.AXES_FAILURE_LIMIT,
    }
    return render(request, "accounts/sign_in_failures.html", context)
