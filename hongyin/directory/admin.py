"""The system admin maintains the directory in /admin/ (every change audited by hongyin.accounts.admin_site)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from hongyin.common.calendar import uncovered_years
from hongyin.common.errors import DomainError

from .forms import CalendarYearConfirmForm
from .models import AllianceMember, CalendarOverride, CalendarYear, Department, FinancialInstitution, Partner
from .services import calendar_year_confirm


def provisional_years_message(years: list[int]) -> str:
    return _(
        "%(years)s 年的放假安排尚未确认：这些年份的时限暂按 holidays 包推算的法定节假日计算（不含调休上班日），"
        "标为“暂定”。国务院通知公布后，请在“已录入年度”中点击“录入国务院通知”，系统将重新计算暂定的期限。"
    ) % {"years": "、".join(str(y) for y in years)}


class CalendarWarningMixin:
    def changelist_view(self, request, extra_context=None):
        missing = uncovered_years(timezone.localdate())
        if missing:
            messages.warning(request, provisional_years_message(missing))
        return super().changelist_view(request, extra_context)


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(CalendarWarningMixin, admin.ModelAdmin):
    list_display = ("date", "kind", "note")
    list_filter = ("kind",)
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(CalendarWarningMixin, admin.ModelAdmin):
    """A year is added through the notice form (it recomputes provisional deadlines), not the plain add form."""

    list_display = ("year", "note")

    def has_add_permission(self, request) -> bool:
        return False

    def get_urls(self):
        view = self.admin_site.admin_view(self.confirm_view)
        return [path("confirm/", view, name="directory_calendaryear_confirm"), *super().get_urls()]

    def confirm_view(self, request):
        if not self.has_change_permission(request):
            raise PermissionDenied
        missing = uncovered_years(timezone.localdate())
        form = CalendarYearConfirmForm(request.POST or None, initial={"year": missing[0] if missing else None})
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                calendar_year_confirm(
                    actor=request.user, year=d["year"], holidays=d["holidays"], workdays=d["workdays"], note=d["note"]
                )
            except DomainError as e:
                form.add_error(e.field if e.field in form.fields else None, e.message)
            else:
                messages.success(request, _("%(y)s 年的放假安排已确认，暂定的诉求期限已重新计算。") % {"y": d["year"]})
                return redirect(reverse("admin:directory_calendaryear_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("录入国务院节假日安排通知"),
            "form": form,
            "missing": missing,
        }
        return TemplateResponse(request, "admin/directory/calendaryear/confirm.html", context)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    """Name, code and state; supervisors are named by the zone on the departments page (appeals)."""

    list_display = ("name", "code", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name", "code")
    fields = ("name", "code", "is_active")

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # appeals and role assignments point at it: disable it instead


@admin.register(FinancialInstitution)
class FinancialInstitutionAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "uscc", "contact", "phone", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "uscc", "contact")


@admin.register(Partner)
class PartnerAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "contact", "phone", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "contact", "description")


@admin.register(AllianceMember)
class AllianceMemberAdmin(admin.ModelAdmin):
    list_display = ("name", "is_self", "contact", "order")
    list_editable = ("order",)
    ordering = ("order", "id")
