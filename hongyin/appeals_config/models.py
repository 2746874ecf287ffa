"""Configuration edited by the system administrator (Django admin): appeal categories with their SLAs and
routing, and the working-day calendar's overrides for dates the chinese_calendar package does not know."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarYear(models.Model):
    """A year whose official holiday arrangement has been entered by hand (overrides below).

    Within such a year a date without an override follows the week: Monday to Friday are working days."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    note = models.CharField(_("依据"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("已录入年度")
        verbose_name_plural = _("已录入年度")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarOverride(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("放假")
        WORKDAY = "workday", _("调休上班")

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=10, choices=Kind.choices)
    note = models.CharField(_("说明"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


def calendar_entries() -> tuple[dict, frozenset]:
    """The admin's calendar: {date: is a working day} and the years entered in full (the CALENDAR_ENTRIES hook)."""
    overrides = {
        d: kind == CalendarOverride.Kind.WORKDAY for d, kind in CalendarOverride.objects.values_list("date", "kind")
    }
    return overrides, frozenset(CalendarYear.objects.values_list("year", flat=True))


class AppealCategory(models.Model):
    """A kind of appeal, the department it goes to by default, and its clocks in working days."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    default_department = models.ForeignKey(
        "appeals.Department", null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("默认承办部门")
    )
    auto_dispatch = models.BooleanField(
        _("自动派单"),
        default=True,
        help_text=_(
            "勾选：提交后直接派至默认承办部门；不勾选：由党工委人工研判后派单。没有默认承办部门时总是人工派单。"
        ),
    )
    keywords = models.CharField(_("关键词"), max_length=300, blank=True, help_text=_("空格分隔，用于辅助分类"))
    accept_days = models.PositiveSmallIntegerField(_("签收时限（工作日）"), default=1)
    reply_days = models.PositiveSmallIntegerField(_("答复时限（工作日）"), default=3)
    resolve_days = models.PositiveSmallIntegerField(_("办结时限（工作日）"), default=15)
    max_resolve_days = models.PositiveSmallIntegerField(_("延期后最长办结时限（工作日）"), default=30)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language (hongyin.common.vocabulary), for the categories the system ships."""
        from hongyin.common.vocabulary import translated

        return translated("appeal category", self.name)

    @property
    def dispatches_itself(self) -> bool:
        """Submitted appeals go straight to the default department, without the zone's review."""
        return self.auto_dispatch and self.default_department_id is not None
