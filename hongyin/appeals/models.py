from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongyin.common.models import TimeStampedModel, TracksLoadedValues
from hongyin.common.notification_texts import render
from hongyin.directory.models import Department


class AppealSource(models.TextChoices):
    VISIT = "visit", _("走访")
    PORTAL = "portal", _("企业门户")
    PHONE = "phone", _("电话")
    EVENT = "event", _("活动")


class AppealStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待派单")
    ARBITRATION = "arbitration", _("待仲裁")
    DISPATCHED = "dispatched", _("待签收")
    IN_PROGRESS = "in_progress", _("办理中")
    REPLIED = "replied", _("已答复")
    CLOSED = "closed", _("已办结")


OPEN_STATUSES = (
    AppealStatus.SUBMITTED,
    AppealStatus.ARBITRATION,
    AppealStatus.DISPATCHED,
    AppealStatus.IN_PROGRESS,
    AppealStatus.REPLIED,
)


class Rating(models.TextChoices):
    SATISFIED = "satisfied", _("满意")
    BASIC = "basic", _("基本满意")
    DISSATISFIED = "dissatisfied", _("不满意")


class DueKind(models.TextChoices):
    NONE = "", _("无")
    ACCEPT = "accept", _("签收")
    REPLY = "reply", _("答复")
    RESOLVE = "resolve", _("办结")


class Visit(TimeStampedModel):
    """A planned or recorded visit to an enterprise (走访)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("计划")
        DONE = "done", _("已走访")
        CANCELLED = "cancelled", _("已取消")

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="visits", verbose_name=_("企业")
    )
    visited_on = models.DateField(_("走访日期"), db_index=True)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.DONE)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="visits", verbose_name=_("走访人")
    )
    visitor_role = models.CharField(_("走访人身份"), max_length=32, blank=True)
    people = models.CharField(_("参与人员"), max_length=300, blank=True)
    topics = models.CharField(_("走访主题"), max_length=300, blank=True)
    findings = models.TextField(_("走访情况"), blank=True)
    attachment = models.CharField(_("附件"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("走访")
        verbose_name_plural = _("走访")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["enterprise", "status", "visited_on"], name="visit_enterprise_done")]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.enterprise_id}"

    def get_absolute_url(self) -> str:
        return reverse("appeals:visit_detail", args=[self.pk])


class Appeal(TracksLoadedValues, TimeStampedModel):
    """An enterprise's appeal handled as a work order (诉求 / 工单)."""

    number = models.CharField(_("诉求编号"), max_length=20, unique=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="appeals", verbose_name=_("企业")
    )
    category = models.ForeignKey(
        "appeals_config.AppealCategory", on_delete=models.PROTECT, related_name="appeals", verbose_name=_("类别")
    )
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="appeals", verbose_name=_("承办部门")
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="handled_appeals",
        verbose_name=_("承办人"),
    )
    source = models.CharField(_("来源"), max_length=10, choices=AppealSource.choices)
    visit = models.ForeignKey(
        Visit, null=True, blank=True, on_delete=models.SET_NULL, related_name="appeals", verbose_name=_("来源走访")
    )
    title = models.CharField(_("标题"), max_length=120)
    content = models.TextField(_("诉求内容"))
    tokens = models.TextField(_("分词"), blank=True, editable=False)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("提交人")
    )
    status = models.CharField(_("状态"), max_length=12, choices=AppealStatus.choices, default=AppealStatus.SUBMITTED)
    submitted_on = models.DateField(_("提交日期"), db_index=True)
    dispatched_on = models.DateField(_("派单日期"), null=True, blank=True)
    accepted_on = models.DateField(_("签收日期"), null=True, blank=True)
    replied_on = models.DateField(_("首次答复日期"), null=True, blank=True)
    answered_on = models.DateField(_("办结答复日期"), null=True, blank=True)  # starts the auto-close clock
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    accept_due = models.DateField(_("签收期限"), null=True, blank=True)
    reply_due = models.DateField(_("答复期限"), null=True, blank=True)
    resolve_due = models.DateField(_("办结期限"), null=True, blank=True)
    due_on = models.DateField(_("当前期限"), null=True, blank=True, db_index=True)
    due_kind = models.CharField(_("期限类型"), max_length=8, choices=DueKind.choices, blank=True)
    # a date the deadlines used is not in a confirmed calendar (admin entry or chinese_calendar): recomputed later
    deadlines_provisional = models.BooleanField(_("期限暂定"), default=False)
    sla_level = models.PositiveSmallIntegerField(_("督办级别"), default=0)  # 1 urged, 2 overdue noticed, 3 escalated
    version = models.PositiveIntegerField(_("版本"), default=0)  # +1 on every move (hongyin.workflows)
    accepted_in_time = models.BooleanField(_("按时签收"), null=True)
    closed_in_time = models.BooleanField(_("按时办结"), null=True)
    resolved = models.BooleanField(_("实际解决"), null=True)
    handling_days = models.PositiveSmallIntegerField(_("办理用时（工作日）"), null=True, blank=True)
    return_count = models.PositiveSmallIntegerField(_("退单次数"), default=0)
    final_dispatch = models.BooleanField(_("仲裁派单（不可退回）"), default=False)
    extension_requested_days = models.PositiveSmallIntegerField(_("申请延期（工作日）"), default=0)
    extension_reason = models.CharField(_("延期理由"), max_length=300, blank=True)
    extended = models.BooleanField(_("已延期"), default=False)
    reopen_count = models.PositiveSmallIntegerField(_("重办次数"), default=0)
    reply = models.TextField(_("答复内容"), blank=True)
    followed_up_on = models.DateField(_("回访日期"), null=True, blank=True)
    rating = models.CharField(_("评价"), max_length=12, choices=Rating.choices, blank=True)
    rating_comment = models.CharField(_("评价意见"), max_length=300, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("诉求")
        verbose_name_plural = _("诉求")
        ordering = ["-submitted_on", "-id"]
        indexes = [
            models.Index(fields=["department", "due_on"], name="appeal_dept_due"),
            models.Index(fields=["status", "due_on", "sla_level"], name="appeal_sla"),
            models.Index(fields=["enterprise", "submitted_on"], name="appeal_enterprise"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("appeals:detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class AppealEvent(models.Model):
    """One row per thing that happened to an appeal: the timeline."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    kind = models.CharField(_("动作"), max_length=20)
    before = models.CharField(max_length=12, blank=True)
    after = models.CharField(max_length=12, blank=True)
    note = models.TextField(_("说明"), blank=True)
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL)
    # A note the system wrote (the SLA sweep): a code of hongyin.common.notification_texts and its parameters, read
    # in the reader's language (note: the default language's rendering, for older rows and exports).
    code = models.CharField(_("文本代码"), max_length=60, blank=True, default="")
    params = models.JSONField(_("文本参数"), default=dict, blank=True)

    class Meta:
        verbose_name = _("诉求动态")
        verbose_name_plural = _("诉求动态")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.appeal_id} {self.kind}"

    @property
    def display_note(self) -> str:
        return (render(self.code, self.params) if self.code else None) or self.note
