"""The party-spirit check-up (党性体检): a questionnaire of dimensions, each with items, versioned and configured by
the zone; a member's yearly self-assessment on it, optionally reviewed by the branch secretary."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hongyin.common.models import TimeStampedModel

SCORE_MIN, SCORE_MAX = 1, 5
SCORE_LABELS = {
    1: _("较差"),
    2: _("一般"),
    3: _("合格"),
    4: _("良好"),
    5: _("优秀"),
}


class Questionnaire(models.Model):
    """One version of the questionnaire. The newest published version is the one members fill; a check-up keeps
    the version it was filled on."""

    version = models.PositiveIntegerField(_("版本"), unique=True)
    title = models.CharField(_("名称"), max_length=120)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("党性体检问卷")
        verbose_name_plural = _("党性体检问卷")
        ordering = ["-version"]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class Dimension(models.Model):
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="dimensions")
    order = models.PositiveSmallIntegerField(_("顺序"))
    name = models.CharField(_("维度"), max_length=40)

    class Meta:
        verbose_name = _("体检维度")
        verbose_name_plural = _("体检维度")
        ordering = ["questionnaire", "order"]
        constraints = [models.UniqueConstraint(fields=["questionnaire", "order"], name="checkup_dimension_order")]

    def __str__(self) -> str:
        return self.name


class Item(models.Model):
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("顺序"))
    text = models.CharField(_("体检项目"), max_length=200)

    class Meta:
        verbose_name = _("体检项目")
        verbose_name_plural = _("体检项目")
        ordering = ["dimension", "order"]

    def __str__(self) -> str:
        return self.text


class CheckupStatus(models.TextChoices):
    DRAFT = "draft", _("填写中")
    SUBMITTED = "submitted", _("已提交")
    REVIEWED = "reviewed", _("支部已评议")


class Checkup(TimeStampedModel):
    """A member's check-up of one year: the self-assessment and the branch's optional review."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="checkups", verbose_name=_("党员")
    )
    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="+", verbose_name=_("所在党支部")
    )  # the member's branch when it was filled (the branch's figures of that year)
    year = models.PositiveSmallIntegerField(_("年度"))
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.PROTECT, related_name="checkups")
    status = models.CharField(
        _("状态"), max_length=10, choices=CheckupStatus.choices, default=CheckupStatus.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=0)
    self_summary = models.TextField(_("自我剖析"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    review_comment = models.TextField(_("支部评议意见"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("评议时间"), null=True, blank=True)
    # the dimension scores (0-100), kept when submitted and reviewed: {dimension name: score}
    self_scores = models.JSONField(default=dict, blank=True)
    review_scores = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("app", "党性体检")
        verbose_name_plural = pgettext_lazy("app", "党性体检")
        ordering = ["-year", "-id"]
        constraints = [models.UniqueConstraint(fields=["member", "year"], name="checkup_once_a_year")]
        indexes = [models.Index(fields=["org", "year"], name="checkup_org_year")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.year}"


class Answer(models.Model):
    checkup = models.ForeignKey(Checkup, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")
    self_score = models.PositiveSmallIntegerField(_("自评"))
    review_score = models.PositiveSmallIntegerField(_("支部评议"), null=True, blank=True)

    class Meta:
        verbose_name = _("体检答题")
        verbose_name_plural = _("体检答题")
        constraints = [models.UniqueConstraint(fields=["checkup", "item"], name="checkup_answer_once")]

    def __str__(self) -> str:
        return f"{self.checkup_id} {self.item_id} {self.self_score}"
