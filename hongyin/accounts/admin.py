"""Django admin at /admin/ is for the system admin only (users and configuration, no business data)."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User

admin.site.site_header = "红引 · 系统配置"
admin.site.site_title = "红引"
admin.site.has_permission = lambda request: request.user.is_active and request.user.has_role_perm("admin.site")


@admin.register(User)
class HongyinUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "is_active", "last_login", "password_changed_at")
    fieldsets = (
        (None, {"fields": ("username", "display_name", "email", "is_active")}),
        ("Security", {"fields": ("must_change_password", "password_changed_at", "last_login")}),
    )
    readonly_fields = ("password_changed_at", "last_login")

    def has_add_permission(self, request):
        return False  # accounts are created through the service (password rules, audit)

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are disabled, never deleted (audit trail)

    def save_model(self, request, obj, form, change):
        from hongyin.audit import services as audit

        from .services import end_all_sessions

        obj.save()
        if "is_active" in form.changed_data and not obj.is_active:
            end_all_sessions(obj)
        audit.record(actor=request.user, action="user.update", obj=obj, details={"fields": sorted(form.changed_data)})
