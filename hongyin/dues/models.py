from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MONEY = {"max_digits": 12, "decimal_places": 2}


class DuesProfile(models.Model):
    """What a member's dues are computed from: the monthly base (after-tax salary or pension) and extras."""

    member = models.OneToOneField(
        "members.Member", on_delete=models.CASCADE, related_name="dues_profile", primary_key=True
    )
    base = models.DecimalField(_("缴纳基数（元/月）"), default=Decimal("0"), **MONEY)
    voluntary_extra = models.DecimalField(_("自愿多缴（元/月）"), default=Decimal("0"), **MONEY)
    farmer_amount = models.DecimalField(_("农民党员月缴额（元）"), null=True, blank=True, **MONEY)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("党费基数")
        verbose_name_plural = _("党费基数")

    def __str__(self) -> str:
        return f"{self.member_id}: {self.base}"


class ReductionKind(models.TextChoices):
    REDUCE = "reduce", _("减缴")
    EXEMPT = "exempt", _("免缴")


class ReductionStatus(models.TextChoices):
    REQUESTED = "requested", _("待上级党委审批")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class DuesReduction(models.Model):
    """Reduction or exemption: requested by the branch after study, approved by the higher committee."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="dues_reductions")
    branch = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("类型"), max_length=8, choices=ReductionKind.choices)
    monthly_amount = models.DecimalField(_("减缴后月缴额（元）"), default=Decimal("0"), **MONEY)
    start_month = models.DateField(_("起始月份"))
    end_month = models.DateField(_("截止月份"))
    reason = models.CharField(_("理由"), max_length=300)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReductionStatus.choices, default=ReductionStatus.REQUESTED
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("审批意见"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("党费减免")
        verbose_name_plural = _("党费减免")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.member_id} {self.kind} {self.start_month:%Y-%m}..{self.end_month:%Y-%m}"


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("现金")
    BANK = "bank", _("银行转账")
    WECHAT = "wechat", _("微信")
    ALIPAY = "alipay", _("支付宝")
    PAYROLL = "payroll", _("工资代扣")


class DuesRecord(models.Model):
    """One member's dues for one month: the amount due, what was paid, and whether the month is closed."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="dues_records")
    branch = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="dues_records")
    month = models.DateField(_("月份"))  # the first day of the month
    due = models.DecimalField(_("应缴（元）"), default=Decimal("0"), **MONEY)
    paid = models.DecimalField(_("实缴（元）"), default=Decimal("0"), **MONEY)
    paid_on = models.DateField(_("缴纳日期"), null=True, blank=True)
    method = models.CharField(
        _("缴纳方式"), max_length=8, choices=PaymentMethod.choices, blank=True, default="", db_default=""
    )
    closed = models.BooleanField(_("已结账"), default=False)

    class Meta:
        verbose_name = _("党费记录")
        verbose_name_plural = _("党费记录")
        constraints = [models.UniqueConstraint(fields=["member", "month"], name="dues_record_member_month")]
        indexes = [models.Index(fields=["branch", "month"], name="dues_record_branch_month")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.month:%Y-%m}"

    @property
    def arrears(self) -> Decimal:
        return max(self.due - self.paid, Decimal("0"))


class DuesStanding(models.Model):
    """Per member, recomputed at month close and after a payment: consecutive months in arrears (art. 9)."""

    member = models.OneToOneField(
        "members.Member", on_delete=models.CASCADE, related_name="dues_standing", primary_key=True
    )
    branch = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    arrears_months = models.PositiveSmallIntegerField(_("连续欠缴月数"), default=0, db_index=True)
    arrears_amount = models.DecimalField(_("欠缴金额（元）"), default=Decimal("0"), **MONEY)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("党费欠缴情况")
        verbose_name_plural = _("党费欠缴情况")

    def __str__(self) -> str:
        return f"{self.member_id}: {self.arrears_months}"


class DuesMonthClose(models.Model):
    """A month closed for an organization's subtree, with its totals (the closing report)."""

    org = models.ForeignKey("orgs.Organization", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("月份"))
    members = models.PositiveIntegerField(_("人数"), default=0)
    due_total = models.DecimalField(_("应缴合计"), default=Decimal("0"), **MONEY)
    paid_total = models.DecimalField(_("实缴合计"), default=Decimal("0"), **MONEY)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("党费月结")
        verbose_name_plural = _("党费月结")
        ordering = ["-month", "-id"]

    def __str__(self) -> str:
        return f"{self.org_id} {self.month:%Y-%m}"
