"""Django admin at /admin/ is for the system admin only (users and configuration, no business data, no credentials).

The site itself (hongyin.accounts.admin_site) audits every change and never shows second-factor devices."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied

from .models import User
from .services import end_all_credentials


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

    def user_change_password(self, request, id, form_url=""):
        # Never a password chosen by an administrator: resets go through accounts.services.user_reset_password.
        raise PermissionDenied

    def save_model(self, request, obj, form, change):
        obj.save()
        if "is_active" in form.changed_data and not obj.is_active:
            end_all_credentials(obj)
