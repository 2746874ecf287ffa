"""Red credit (红色增信): the financial institutions' credit products and the enterprises' applications, endorsed by
their party organization and decided by the institution; partner offers used through "four priorities" tickets;
the lead investor's funds and investments."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hongyin.common.models import TimeStampedModel, TracksLoadedValues

MONEY = {"max_digits": 16, "decimal_places": 2}


class CreditProduct(TimeStampedModel):
    """A credit product of a financial institution: amount cap, longest term, rate preference, conditions."""

    institution = models.ForeignKey(
        "directory.FinancialInstitution",
        on_delete=models.PROTECT,
        related_name="credit_products",
        verbose_name=_("金融机构"),
    )
    name = models.CharField(_("产品名称"), max_length=80)
    amount_cap = models.DecimalField(_("额度上限（元）"), **MONEY)
    term_months = models.PositiveSmallIntegerField(_("最长期限（月）"))
    rate_preference = models.DecimalField(
        _("利率优惠（百分点）"), max_digits=5, decimal_places=2, help_text=_("相对贷款市场报价利率下浮的百分点")
    )
    conditions = models.TextField(_("申请条件"), blank=True)
    is_active = models.BooleanField(_("在售"), default=True)

    class Meta:
        verbose_name = _("信贷产品")
        verbose_name_plural = _("信贷产品")
        ordering = ["institution", "name"]
        constraints = [models.UniqueConstraint(fields=["institution", "name"], name="credit_product_unique_name")]

    def __str__(self) -> str:
        return self.name


class CreditStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待党组织推荐")
    DECLINED = "declined", _("党组织未推荐")
    ENDORSED = "endorsed", _("待金融机构审批")
    REFUSED = "refused", _("未获批准")
    APPROVED = "approved", _("已批准待放款")
    DISBURSED = "disbursed", _("已放款")
    OVERDUE = "overdue", _("逾期")
    REPAID = "repaid", _("已结清")


# sent to the institution: what its reviewer sees
SENT_STATUSES = frozenset(set(CreditStatus) - {CreditStatus.SUBMITTED, CreditStatus.DECLINED})
APPROVED_STATUSES = frozenset(
    {CreditStatus.APPROVED, CreditStatus.DISBURSED, CreditStatus.OVERDUE, CreditStatus.REPAID}
)
DISBURSED_STATUSES = frozenset({CreditStatus.DISBURSED, CreditStatus.OVERDUE, CreditStatus.REPAID})


class CreditApplication(TracksLoadedValues, TimeStampedModel):
    """An enterprise's application for a credit product, from the party organization's endorsement to repayment."""

    number = models.CharField(_("申请编号"), max_length=20, unique=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="credit_applications", verbose_name=_("企业")
    )
    product = models.ForeignKey(
        CreditProduct, on_delete=models.PROTECT, related_name="applications", verbose_name=_("信贷产品")
    )
    institution = models.ForeignKey(
        "directory.FinancialInstitution",
        on_delete=models.PROTECT,
        related_name="credit_applications",
        verbose_name=_("金融机构"),
    )
    # the organization that endorses: the enterprise's own, else its building's or chain's committee (figures)
    org = models.ForeignKey(
        "orgs.Organization",
        on_delete=models.PROTECT,
        related_name="credit_applications",
        verbose_name=_("推荐党组织"),
    )
    status = models.CharField(
        _("状态"), max_length=12, choices=CreditStatus.choices, default=CreditStatus.SUBMITTED, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=0)
    amount = models.DecimalField(_("申请金额（元）"), **MONEY)
    term_months = models.PositiveSmallIntegerField(_("申请期限（月）"))
    purpose = models.CharField(_("资金用途"), max_length=300)
    applied_on = models.DateField(_("申请日期"), db_index=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence = models.JSONField(_("推荐依据"), default=dict, blank=True)
    endorsement = models.CharField(_("推荐意见"), max_length=500, blank=True)
    endorsed_on = models.DateField(_("推荐日期"), null=True, blank=True)
    decision_due = models.DateField(_("审批时限"), null=True, blank=True)
    decline_reason = models.CharField(_("不予推荐原因"), max_length=300, blank=True)
    approved_amount = models.DecimalField(_("批准金额（元）"), null=True, blank=True, **MONEY)
    approved_rate = models.DecimalField(_("执行年利率（%）"), max_digits=5, decimal_places=2, null=True, blank=True)
    approved_term_months = models.PositiveSmallIntegerField(_("批准期限（月）"), null=True, blank=True)
    rate_preference = models.DecimalField(
        _("利率优惠（百分点）"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    refuse_reason = models.CharField(_("不予批准原因"), max_length=300, blank=True)
    disbursed_amount = models.DecimalField(_("放款金额（元）"), null=True, blank=True, **MONEY)
    disbursed_on = models.DateField(_("放款日期"), null=True, blank=True)
    repaid_on = models.DateField(_("结清日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("增信申请")
        verbose_name_plural = _("增信申请")
        ordering = ["-applied_on", "-id"]
        indexes = [
            models.Index(fields=["institution", "status"], name="credit_institution_status"),
            models.Index(fields=["enterprise", "status"], name="credit_enterprise_status"),
        ]

    def __str__(self) -> str:
        return self.number


class CreditEvent(models.Model):
    application = models.ForeignKey(CreditApplication, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20)
    before = models.CharField(max_length=12, choices=CreditStatus.choices, blank=True)
    after = models.CharField(max_length=12, choices=CreditStatus.choices)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.before} -> {self.after}"


# --- partner offers and four-priorities tickets ---------------------------------------------------------------------


class PartnerOffer(TimeStampedModel):
    """A partner's preferential offer to the enterprises of a building, a chain or the whole zone."""

    partner = models.ForeignKey(
        "directory.Partner", on_delete=models.PROTECT, related_name="offers", verbose_name=_("合作单位")
    )
    title = models.CharField(_("优惠名称"), max_length=120)
    terms = models.TextField(_("优惠条款"))
    eligibility = models.CharField(_("适用企业"), max_length=300, blank=True)
    building = models.ForeignKey(
        "enterprises.Building",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("面向楼宇"),
    )
    chain = models.ForeignKey(
        "enterprises.IndustryChain",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("面向产业链"),
    )
    valid_from = models.DateField(_("开始日期"))
    valid_until = models.DateField(_("截止日期"))
    is_withdrawn = models.BooleanField(_("已撤回"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("合作优惠")
        verbose_name_plural = _("合作优惠")
        ordering = ["-valid_from", "-id"]

    def __str__(self) -> str:
        return self.title


class TicketStatus(models.TextChoices):
    CONTACT = "contact", _("待优先对接")
    QUOTATION = "quotation", _("待优先报价")
    SUPPLY = "supply", _("待优先供货")
    AFTER_SALES = "after_sales", _("待优先售后")
    DONE = "done", _("已完成")


class Priority(models.TextChoices):
    CONTACT = "contact", _("优先对接")
    QUOTATION = "quotation", _("优先报价")
    SUPPLY = "supply", _("优先供货")
    AFTER_SALES = "after_sales", _("优先售后")


PRIORITY_ORDER = [Priority.CONTACT, Priority.QUOTATION, Priority.SUPPLY, Priority.AFTER_SALES]


class PriorityTicket(TracksLoadedValues, TimeStampedModel):
    """An enterprise uses an offer: the four priorities as steps in order, each with its SLA in working days."""

    number = models.CharField(_("工单编号"), max_length=20, unique=True)
    offer = models.ForeignKey(PartnerOffer, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("优惠"))
    partner = models.ForeignKey(
        "directory.Partner", on_delete=models.PROTECT, related_name="tickets", verbose_name=_("合作单位")
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="priority_tickets", verbose_name=_("企业")
    )
    need = models.CharField(_("需求说明"), max_length=500)
    status = models.CharField(
        _("状态"), max_length=12, choices=TicketStatus.choices, default=TicketStatus.CONTACT, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=0)
    opened_on = models.DateField(_("提交日期"), db_index=True)
    current_due = models.DateField(_("当前步骤时限"), null=True, blank=True)
    savings = models.DecimalField(_("企业申报节约金额（元）"), null=True, blank=True, **MONEY)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("四优先工单")
        verbose_name_plural = _("四优先工单")
        ordering = ["-opened_on", "-id"]
        indexes = [models.Index(fields=["partner", "status"], name="ticket_partner_status")]

    def __str__(self) -> str:
        return self.number


class TicketStep(models.Model):
    """One of the four priorities of a ticket: when it was due and when (and by whom) it was answered."""

    ticket = models.ForeignKey(PriorityTicket, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("步骤"), max_length=12, choices=Priority.choices)
    due_on = models.DateField(_("时限"))
    done_on = models.DateField(_("完成日期"))
    on_time = models.BooleanField(_("按时"))
    note = models.CharField(_("答复"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["ticket", "id"]
        constraints = [models.UniqueConstraint(fields=["ticket", "kind"], name="ticket_step_once")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind}"


# --- investment -----------------------------------------------------------------------------------------------------


class Fund(models.Model):
    """A fund of the chain's lead investor and its size."""

    name = models.CharField(_("基金名称"), max_length=120, unique=True)
    manager = models.ForeignKey(
        "directory.FinancialInstitution", on_delete=models.PROTECT, related_name="funds", verbose_name=_("管理机构")
    )
    chain = models.ForeignKey(
        "enterprises.IndustryChain",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("主投产业链"),
    )
    size = models.DecimalField(_("基金规模（元）"), **MONEY)
    founded_on = models.DateField(_("设立日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("基金")
        verbose_name_plural = _("基金")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Round(models.TextChoices):
    ANGEL = "angel", _("天使轮")
    PRE_A = "pre_a", _("Pre-A 轮")
    A = "a", _("A 轮")
    B = "b", _("B 轮")
    C = "c", _("C 轮及以后")
    PRE_IPO = "pre_ipo", _("Pre-IPO")


class Investment(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="investments", verbose_name=_("基金"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="investments", verbose_name=_("企业")
    )
    round = models.CharField(_("轮次"), max_length=8, choices=Round.choices)
    amount = models.DecimalField(_("投资金额（元）"), **MONEY)
    invested_on = models.DateField(_("投资日期"))
    incubated = models.BooleanField(_("孵化企业"), default=False)

    class Meta:
        verbose_name = _("投资")
        verbose_name_plural = _("投资")
        ordering = ["-invested_on", "-id"]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.enterprise_id} {self.round}"
