"""The /admin/ site of the system admin: configuration only, every change in the hash-chained audit log.

Every model registered here gets `AuditedAdminMixin` put in front of its ModelAdmin, so no app's admin (ours,
axes', a future one) can forget to audit. Second-factor devices are never registered: nobody reads a TOTP secret
or adds recovery codes for someone else through the admin (accounts.services.second_factor_reset does that)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.utils.translation import gettext_lazy as _

# Second-factor devices hold credentials; auth's groups are unused (roles are accounts.RoleAssignment).
NEVER_IN_ADMIN = frozenset({"otp_totp", "otp_static", "auth"})


class AuditedAdminMixin:
    """Writes `admin.add` / `admin.change` / `admin.delete` audit events beside Django's own admin log entries.

    The admin calls these inside the transaction of the change (changeform_view and delete_view are atomic)."""

    def _audit(self, request, action: str, obj, details: dict) -> None:
        # Imported here: this module is loaded while INSTALLED_APPS is read, before models may be imported.
        from hongyin.audit import services as audit

        audit.record(actor=request.user, action=action, obj=obj, details={"model": obj._meta.label_lower, **details})

    def log_addition(self, request, obj, message):
        self._audit(request, "admin.add", obj, {"change": _plain(message)})
        return super().log_addition(request, obj, message)

    def log_change(self, request, obj, message):
        self._audit(request, "admin.change", obj, {"change": _plain(message)})
        return super().log_change(request, obj, message)

    def log_deletions(self, request, queryset):
        for obj in queryset:
            self._audit(request, "admin.delete", obj, {"repr": str(obj)[:200]})
        return super().log_deletions(request, queryset)


def _plain(message) -> object:
    """The admin's change message is a list of dicts (or a string); keep it JSON-serialisable and short."""
    if isinstance(message, list | tuple):
        return [{k: [str(f) for f in v.get("fields", [])] for k, v in part.items()} for part in message][:20]
    return str(message)[:500]


class HongyinAdminSite(admin.AdminSite):
    site_header = _("红引 · 系统配置")
    site_title = _("红引")
    site_url = "/"  # the "view site" link: the workbench (base_site.html also links it in the header)

    def has_permission(self, request):
        return request.user.is_active and request.user.has_role_perm("admin.site")

    def register(self, model_or_iterable, admin_class=None, **options):
        models = [model_or_iterable] if isinstance(model_or_iterable, type) else list(model_or_iterable)
        models = [m for m in models if m._meta.app_label not in NEVER_IN_ADMIN]
        base = admin_class or admin.ModelAdmin
        if not issubclass(base, AuditedAdminMixin):
            base = type(f"Audited{base.__name__}", (AuditedAdminMixin, base), {"__module__": base.__module__})
        for model in models:
            super().register(model, base, **options)


class HongyinAdminConfig(AdminConfig):
    default_site = "hongyin.accounts.admin_site.HongyinAdminSite"
