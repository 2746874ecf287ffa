"""The zone's reference institutions and the working-day calendar.

Departments of the management committee (they handle appeals), the financial institutions, partners and
alliance members the zone works with, and the admin's calendar overrides. Other apps point at these rows
(appeals, role assignments); the directory knows none of them.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from hongyin.common.errors import DomainError
from hongyin.common.identifiers import validate_uscc
from hongyin.common.vocabulary import translated


class Department(models.Model):
    """A department of the management committee that handles appeals (承办部门).

    Handlers are the users holding the dept_handler role scoped to the department; supervisors are named here."""

    name = models.CharField(_("部门名称"), max_length=80, unique=True)
    code = models.SlugField(_("部门代码"), max_length=40, unique=True)
    supervisors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="supervised_departments", verbose_name=_("分管负责人")
    )
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("承办部门")
        verbose_name_plural = _("承办部门")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language (hongyin.common.vocabulary), for the departments the system ships."""
        return translated("department", self.name)


def _clean_uscc(value: str) -> str:
    """An optional unified social credit code, normalized; a wrong one is a form error on the field."""
    if not (value or "").strip():
        return ""
    try:
        return validate_uscc(value)
    except DomainError as exc:
        raise ValidationError({"uscc": exc.message}) from None


class FinancialInstitution(models.Model):
    """A bank, guarantor, leasing company or fund that serves the zone's enterprises (金融机构)."""

    class Kind(models.TextChoices):
        BANK = "bank", _("银行")
        GUARANTEE = "guarantee", _("融资担保")
        LEASING = "leasing", _("融资租赁")
        FUND = "fund", _("投资基金")
        OTHER = "other", _("其他")

    name = models.CharField(_("机构名称"), max_length=100, unique=True)
    kind = models.CharField(_("机构类型"), max_length=16, choices=Kind.choices, default=Kind.BANK)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    contact = models.CharField(_("联系人"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("金融机构")
        verbose_name_plural = _("金融机构")
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.name = self.name.strip()
        self.uscc = _clean_uscc(self.uscc)


class Partner(models.Model):
    """An enterprise or institution in a party-building partnership with the zone (共建合作单位)."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("企业")
        INSTITUTE = "institute", _("科研院所")
        STATE_OWNED = "state_owned", _("国有企业")
        ASSOCIATION = "association", _("社会组织")
        OTHER = "other", _("其他")

    name = models.CharField(_("单位名称"), max_length=100, unique=True)
    kind = models.CharField(_("单位类型"), max_length=16, choices=Kind.choices, default=Kind.ENTERPRISE)
    description = models.TextField(_("合作内容"), blank=True)
    contact = models.CharField(_("联系人"), max_length=60, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("合作单位")
        verbose_name_plural = _("合作单位")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AllianceMember(models.Model):
    """A district or zone of the party-building alliance (党建联盟成员单位); `is_self` marks our own zone."""

    name = models.CharField(_("成员单位"), max_length=60, unique=True)
    is_self = models.BooleanField(_("本区"), default=False)
    contact = models.CharField(_("联络人"), max_length=60, blank=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("党建联盟成员")
        verbose_name_plural = _("党建联盟成员")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_self"],
                condition=models.Q(is_self=True),
                name="alliance_one_self_member",
                violation_error_message=_("只能有一个成员单位标为本区。"),
            )
        ]

    def __str__(self) -> str:
        return self.name


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
