"""The points ledger (积分): rule sets configured by the zone, versioned and effective from a date; an append-only
ledger of entries, idempotent per (member, action, source); per member per year totals kept by the award service
(the rankings read them); manual adjustments granted by a secretary with a reason; the zone's settings."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Action(models.TextChoices):
    MEETING_ATTEND = "meeting_attend", _("参加组织生活")
    ACTIVITY_CHECKIN = "activity_checkin", _("活动签到")
    VOLUNTEER_HOURS = "volunteer_hours", _("志愿服务时长")
    STUDY_FINISH = "study_finish", _("完成学习")
    QUIZ_PASS = "quiz_pass", _("通过测试")
    FEEDBACK_POST = "feedback_post", _("交流研讨发言")
    MANUAL = "manual", _("人工调整")


# Actions a rule set configures (a manual adjustment is not a rule: a secretary grants it with a reason).
RULE_ACTIONS = tuple(a for a in Action if a != Action.MANUAL)
# Per action, what one unit (`quantity`) is.
UNIT_LABELS = {Action.VOLUNTEER_HOURS: pgettext_lazy("points unit", "小时")}


class AppendOnlyQuerySet(models.QuerySet):
    """The ledger is append-only: the ORM refuses a bulk UPDATE or DELETE (on PostgreSQL a trigger also does)."""

    def update(self, **kwargs):
        raise PermissionError("points_pointentry is append-only")

    def delete(self):
        raise PermissionError("points_pointentry is append-only")

    _raw_delete = delete


class RuleSet(models.Model):
    """One version of the zone's rules, effective from a date (inclusive) until the next version's date."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    effective_from = models.DateField(_("生效日期"), unique=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("积分规则版本")
        verbose_name_plural = _("积分规则版本")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"v{self.version} ({self.effective_from})"


class Rule(models.Model):
    """What one action gives under one rule set."""

    ruleset = models.ForeignKey(RuleSet, on_delete=models.PROTECT, related_name="rules")
    action = models.CharField(_("行为"), max_length=20, choices=Action.choices)
    points = models.PositiveIntegerField(_("每次（每单位）积分"))
    daily_cap = models.PositiveIntegerField(_("每日上限"), null=True, blank=True)
    multiplier = models.DecimalField(_("倍数"), max_digits=4, decimal_places=2, default=1)
    min_dwell_seconds = models.PositiveIntegerField(_("最短学习时长（秒）"), null=True, blank=True)

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        constraints = [models.UniqueConstraint(fields=["ruleset", "action"], name="points_rule_once")]

    def __str__(self) -> str:
        return f"{self.ruleset} {self.action}"


class PointEntry(models.Model):
    """One line of the ledger. Never updated nor deleted; a correction is a new (manual) line."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="point_entries", verbose_name=_("党员")
    )
    action = models.CharField(_("行为"), max_length=20, choices=Action.choices)
    source_type = models.CharField(_("来源类型"), max_length=64)  # "app_label.model"
    source_id = models.CharField(_("来源编号"), max_length=40)
    occurred_at = models.DateTimeField(_("发生时间"))
    day = models.DateField(_("日期"))  # the local date of occurred_at (daily caps, periods)
    year = models.PositiveSmallIntegerField(_("年度"))
    quantity = models.DecimalField(_("数量"), max_digits=8, decimal_places=2, default=1)
    points = models.IntegerField(pgettext_lazy("app", "积分"))
    rule_version = models.PositiveIntegerField(_("规则版本"), null=True, blank=True)  # null: manual
    created_at = models.DateTimeField(_("记入时间"), auto_now_add=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("积分记录")
        verbose_name_plural = _("积分记录")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "action", "source_type", "source_id"], name="points_once")
        ]
        indexes = [models.Index(fields=["member", "action", "day"], name="points_member_action_day")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.action} {self.points}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise PermissionError("points_pointentry is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("points_pointentry is append-only")


class MemberYearTotal(models.Model):
    """A member's points in a year, kept by the award service in the same transaction as the ledger line."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("年度"))
    points = models.IntegerField(pgettext_lazy("app", "积分"), default=0)
    entries = models.PositiveIntegerField(_("记录数"), default=0)

    class Meta:
        verbose_name = _("年度积分")
        verbose_name_plural = _("年度积分")
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="points_total_once")]
        indexes = [models.Index(fields=["year", "-points"], name="points_total_rank")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year} {self.points}"


class Adjustment(models.Model):
    """A manual adjustment granted by a secretary to another member, with a reason; the ledger line's source."""

    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+", verbose_name=_("党员"))
    points = models.IntegerField(pgettext_lazy("app", "积分"))
    reason = models.CharField(_("原因"), max_length=200)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人")
    )
    granted_at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("积分调整")
        verbose_name_plural = _("积分调整")
        ordering = ["-granted_at"]

    def __str__(self) -> str:
        return f"{self.member_id} {self.points:+d}"


class PointsSettings(models.Model):
    """The zone's switches (one row): rankings can be switched off (they invited formalism where others used them)."""

    rankings_enabled = models.BooleanField(_("启用积分排行"), default=True)
    version = models.PositiveIntegerField(_("版本"), default=0)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("积分设置")
        verbose_name_plural = _("积分设置")

    def __str__(self) -> str:
        return str(self.rankings_enabled)

    @classmethod
    def current(cls) -> "PointsSettings":
        # reading never writes (a page's query count must not depend on whether the row was made yet): until the
        # zone first saves its settings, the defaults apply
        return cls.objects.filter(pk=1).first() or cls(pk=1)
