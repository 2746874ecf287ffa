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


class AppealCategory(models.Model):
    """A kind of appeal, the department it goes to by default, and its clocks in working days."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    default_department = models.ForeignKey(
        "appeals.Department", null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("默认承办部门")
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
        return self.name
