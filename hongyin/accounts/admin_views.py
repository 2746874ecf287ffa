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

from hongyin.common.errors import DomainError
from hongyin.common.permissions import require_perm
from hongyin.common.roles import ADMIN_ROLES, ROLE_SCOPE, TWO_FACTOR_ROLES, Role, ScopeKind

from . import services
from .models import RoleAssignment, User


class UserCreateForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("用户名"), max_length=150)
    display_name = forms.CharField(label=gettext_lazy("姓名"), max_length=60, required=False)
    email = forms.EmailField(label=gettext_lazy("电子邮箱"), required=False)


def _scope_model(field: str):
    return RoleAssignment._meta.get_field(field).related_model


class RoleGrantForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("角色"), choices=Role.choices)
    org = forms.ModelChoiceField(label=gettext_lazy("党组织"), queryset=None, required=False)
    grid_cell = forms.ModelChoiceField(label=gettext_lazy("网格"), queryset=None, required=False)
    enterprise_uscc = forms.CharField(label=gettext_lazy("企业统一社会信用代码"), max_length=18, required=False)
    department = forms.ModelChoiceField(label=gettext_lazy("部门"), queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The scope objects are the models RoleAssignment points at (accounts knows them by its foreign keys only).
        self.fields["org"].queryset = _scope_model("org").objects.order_by("path")
        self.fields["grid_cell"].queryset = _scope_model("grid_cell").objects.order_by("path")
        self.fields["department"].queryset = _scope_model("department").objects.order_by("name")

    def scope(self) -> dict:
        d = self.cleaned_data
        kind = ROLE_SCOPE[d["role"]]
        enterprise = None
        if kind == ScopeKind.ENTERPRISE:
            uscc = (d.get("enterprise_uscc") or "").strip().upper()
            enterprise = _scope_model("enterprise").objects.filter(uscc=uscc).first() if uscc else None
            if enterprise is None:
                raise DomainError(_("未找到该统一社会信用代码对应的企业。"), field="enterprise_uscc")
        return {
            "org": d.get("org") if kind == ScopeKind.ORG else None,
            "grid_cell": d.get("grid_cell") if kind == ScopeKind.GRID else None,
            "enterprise": enterprise,
            "department": d.get("department") if kind == ScopeKind.DEPARTMENT else None,
        }


def _users(q: str):
    privileged = RoleAssignment.objects.filter(user=OuterRef("pk"), role__in=TWO_FACTOR_ROLES)
    qs = User.objects.annotate(privileged=Exists(privileged)).order_by("username")
    if q:
        qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    return qs


@require_http_methods(["GET", "POST"])
@require_perm("accounts.manage_users")
def user_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
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
    page = Paginator(_users(q), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/user_list.html", {"page": page, "q": q, "form": form}, status=status)


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
    users = User.objects.order_by("username")
    if q:
        users = users.filter(Q(username__icontains=q) | Q(display_name__icontains=q))
    else:
        users = users.filter(Exists(RoleAssignment.objects.filter(user=OuterRef("pk"))))
    assignments = RoleAssignment.objects.select_related("org", "grid_cell", "enterprise", "department").order_by(
        "role", "id"
    )
    users = users.prefetch_related(Prefetch("role_assignments", queryset=assignments, to_attr="roles_held"))
    page = Paginator(users, 30).get_page(request.GET.get("page"))
    return render(request, "accounts/role_list.html", {"page": page, "q": q})


@require_http_methods(["GET", "POST"])
@require_perm("accounts.manage_roles")
def user_roles(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(User, pk=pk)
    form = RoleGrantForm(request.POST or None)
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
    assignments = target.role_assignments.select_related("org", "grid_cell", "enterprise", "department")
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
        (_("密码最短长度"), "8"),
        (_("字符类别"), _("大写、小写、数字、符号中至少三类")),
        (_("密码历史"), _("不得与最近 %(n)d 次相同") % {"n": settings.HONGYIN_PASSWORD_HISTORY}),
        (_("密码有效期"), _("%(n)d 天") % {"n": settings.HONGYIN_PASSWORD_MAX_AGE_DAYS}),
        (
            _("登录失败锁定"),
            _("%(n)d 次失败后锁定 %(m)d 分钟（按账号）")
            % {"n": settings.AXES_FAILURE_LIMIT, "m": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)},
        ),
        (_("空闲超时"), _("%(n)d 分钟") % {"n": settings.HONGYIN_SESSION_IDLE_SECONDS // 60}),
        (_("绝对超时"), _("%(n)d 小时") % {"n": settings.HONGYIN_SESSION_ABSOLUTE_SECONDS // 3600}),
        (_("双因素认证"), "、".join(str(Role(r).label) for r in sorted(TWO_FACTOR_ROLES))),
        (_("三权分立角色"), "、".join(str(Role(r).label) for r in sorted(ADMIN_ROLES))),
        (_("审计保留"), _("%(n)d 天") % {"n": settings.HONGYIN_AUDIT_RETENTION_DAYS}),
        (_("登录频率限制"), _("每分钟 %(n)d 次") % {"n": settings.HONGYIN_LOGIN_RATE_PER_MINUTE}),
        (_("接口频率限制"), _("每分钟 %(n)d 次") % {"n": settings.HONGYIN_API_RATE_PER_MINUTE}),
    ]


@require_perm("security.policy")
def security_policy(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/security_policy.html", {"items": security_policy_items()})
