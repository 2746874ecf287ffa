import hashlib
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongyin.common.roles import ROLE_SCOPE, Role, roles_with
from hongyin.common.scopes import SCOPE_FIELDS, ScopeKind, kind_of

CONFIG_APPS = frozenset({"accounts", "axes", "otp_totp", "otp_static", "appeals_config", "directory"})


class User(AbstractUser):
    """An account. `display_name` is what pages show; Chinese names are not split into first/last."""

    display_name = models.CharField(_("姓名"), max_length=60, blank=True)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=True)
    is_demo = models.BooleanField(_("演示账号"), default=False)
    must_enroll_otp = models.BooleanField(_("须重新绑定双因素认证"), default=False)
    language = models.CharField(_("界面语言"), max_length=10, blank=True, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    @property
    def assignments(self) -> list["RoleAssignment"]:
        """The user's role assignments, loaded once per request object."""
        cached = getattr(self, "_assignments_cache", None)
        if cached is None:
            cached = list(self.role_assignments.select_related(*SCOPE_FIELDS).order_by("id"))
            self._assignments_cache = cached
        return cached

    @property
    def roles(self) -> set[str]:
        return {a.role for a in self.assignments}

    def has_role_perm(self, perm: str) -> bool:
        allowed = roles_with(perm)
        return self.is_authenticated and self.is_active and any(a.role in allowed for a in self.assignments)

    def has_perm(self, perm, obj=None) -> bool:
        """Django admin permissions: the system admin manages configuration apps only, never business data."""
        if self.is_active and self.has_role_perm("admin.site"):
            return perm.split(".", 1)[0] in CONFIG_APPS
        return False

    def has_module_perms(self, app_label) -> bool:
        return self.is_active and self.has_role_perm("admin.site") and app_label in CONFIG_APPS

    def password_expired(self) -> bool:
        if self.must_change_password or self.password_changed_at is None:
            return True
        age = timezone.now() - self.password_changed_at
        return age.days >= settings.HONGYIN_PASSWORD_MAX_AGE_DAYS


class RoleAssignment(models.Model):
    """(user, role, scope): one foreign key per declared scope kind (hongyin.common.scopes); the role's kind
    (ROLE_SCOPE) says which one is set, the others stay empty."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_assignments", verbose_name=_("用户"))
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    org = models.ForeignKey(
        "orgs.Organization", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("党组织")
    )
    grid_cell = models.ForeignKey(
        "grid.GridCell", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("网格")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("企业")
    )
    department = models.ForeignKey(
        "directory.Department", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("部门")
    )
    financial_institution = models.ForeignKey(
        "directory.FinancialInstitution", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("金融机构")
    )
    partner = models.ForeignKey(
        "directory.Partner", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("合作单位")
    )
    alliance_member = models.ForeignKey(
        "directory.AllianceMember", null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("党建联盟成员")
    )
    granted_at = models.DateTimeField(_("授予时间"), auto_now_add=True)
    granted_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("授予人")
    )

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        indexes = [models.Index(fields=["user", "role"], name="role_assignment_user_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.scope_label}"

    @property
    def scope_kind(self) -> str:
        return ROLE_SCOPE[self.role]

    @property
    def scope_object(self):
        kind = kind_of(self.scope_kind)
        return getattr(self, kind.field) if kind is not None else None

    @property
    def scope_label(self) -> str:
        obj = self.scope_object
        return str(obj) if obj is not None else str(ScopeKind.NONE.label)


class PasswordHistory(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"


def _token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class TokenScope(models.TextChoices):
    READ = "read", _("只读")
    WRITE = "write", _("读写")


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 digest is stored; the raw value is shown once at creation.

    It expires (HONGYIN_API_TOKEN_DAYS), may be read-only, and is revoked with the password (services)."""

    PREFIX = "hy_"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name=_("用户"))
    name = models.CharField(_("名称"), max_length=80)
    digest = models.CharField(max_length=64, unique=True)
    hint = models.CharField(_("前缀"), max_length=12)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    expires_at = models.DateTimeField(_("到期时间"), null=True, blank=True)
    scope = models.CharField(_("权限"), max_length=8, choices=TokenScope.choices, default=TokenScope.READ)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.name} ({self.hint}…)"

    @property
    def is_expired(self) -> bool:
        return self.expires_at is None or self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @classmethod
    def new_raw(cls) -> str:
        return cls.PREFIX + secrets.token_urlsafe(32)

    @staticmethod
    def digest_of(raw: str) -> str:
        return _token_digest(raw)


class UserSession(models.Model):
    """The session keys of a user, recorded at login, so that all of them can be ended at once (SECURITY.md)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    ip = models.GenericIPAddressField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id} · {self.created_at:%Y-%m-%d %H:%M}"
