from django.contrib import admin, messages
from django.utils.translation import gettext as _

from hongyin.common.calendar import uncovered_years

from .models import AppealCategory, CalendarOverride, CalendarYear


class CalendarWarningMixin:
    def changelist_view(self, request, extra_context=None):
        missing = uncovered_years()
        if missing:
            messages.warning(
                request,
                _(
                    "工作日历尚未覆盖 %(years)s 年：请录入该年度（“已录入年度”）及其放假、调休日期，"
                    "否则跨入该年的时限无法计算。"
                )
                % {"years": "、".join(str(y) for y in missing)},
            )
        return super().changelist_view(request, extra_context)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(CalendarWarningMixin, admin.ModelAdmin):
    list_display = ("date", "kind", "note")
    list_filter = ("kind",)
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarWarningMixin, admin.ModelAdmin):
    list_display = ("year", "note")


@admin.register(AppealCategory)
class AppealCategoryAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "default_department",
        "accept_days",
        "reply_days",
        "resolve_days",
        "max_resolve_days",
        "is_active",
    )
    list_editable = ("accept_days", "reply_days", "resolve_days", "max_resolve_days", "is_active")
