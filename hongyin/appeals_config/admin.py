from django.contrib import admin

from .models import AppealCategory


@admin.register(AppealCategory)
class AppealCategoryAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "default_department",
        "auto_dispatch",
        "accept_days",
        "reply_days",
        "resolve_days",
        "max_resolve_days",
        "is_active",
    )
    list_editable = ("auto_dispatch", "accept_days", "reply_days", "resolve_days", "max_resolve_days", "is_active")
    list_select_related = ("default_department",)
