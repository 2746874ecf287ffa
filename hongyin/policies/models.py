from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongyin.common.models import TimeStampedModel


class Policy(TimeStampedModel):
    """A policy document with the conditions an enterprise must meet. An empty condition does not restrict."""

    title = models.CharField(_("政策名称"), max_length=200)
    issuer = models.CharField(_("发布机关"), max_length=120)
    doc_number = models.CharField(_("文号"), max_length=80, blank=True)
    issued_on = models.DateField(_("发布日期"), null=True, blank=True)
    effective_from = models.DateField(_("生效日期"), null=True, blank=True)
    effective_to = models.DateField(_("失效日期"), null=True, blank=True)
    full_text = models.TextField(_("政策全文"), blank=True)
    benefits = models.TextField(_("支持内容"), blank=True)
    tokens = models.TextField(editable=False, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)
    # eligibility
    industry_codes = models.CharField(
        _("行业代码"), max_length=300, blank=True, help_text=_("国民经济行业分类代码或前缀，空格分隔，如 C39 I65")
    )
    size_classes = models.CharField(_("企业规模"), max_length=60, blank=True, help_text=_("空格分隔"))
    tags = models.ManyToManyField("enterprises.Tag", blank=True, related_name="policies", verbose_name=_("企业标签"))
    chain_nodes = models.ManyToManyField(
        "enterprises.ChainNode", blank=True, related_name="policies", verbose_name=_("产业链环节")
    )
    buildings = models.ManyToManyField(
        "enterprises.Building", blank=True, related_name="policies", verbose_name=_("楼宇")
    )
    grid_cells = models.ManyToManyField("grid.GridCell", blank=True, related_name="policies", verbose_name=_("网格"))
    founded_after = models.DateField(_("成立日期不早于"), null=True, blank=True)
    employees_min = models.PositiveIntegerField(_("从业人数不少于"), null=True, blank=True)
    employees_max = models.PositiveIntegerField(_("从业人数不多于"), null=True, blank=True)

    class Meta:
        verbose_name = _("政策")
        verbose_name_plural = _("政策")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("policies:detail", args=[self.pk])


class PolicyPush(models.Model):
    """A policy pushed to one enterprise, with when its contact read it and whether it applied."""

    policy = models.ForeignKey(Policy, on_delete=models.CASCADE, related_name="pushes")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="policy_pushes")
    pushed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    pushed_at = models.DateTimeField(_("推送时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("阅读时间"), null=True, blank=True)
    applied_at = models.DateTimeField(_("申报时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("政策推送")
        verbose_name_plural = _("政策推送")
        constraints = [models.UniqueConstraint(fields=["policy", "enterprise"], name="policy_push_once")]

    def __str__(self) -> str:
        return f"{self.policy_id} -> {self.enterprise_id}"


class Briefing(TimeStampedModel):
    """A policy briefing (政策宣讲)."""

    title = models.CharField(_("宣讲主题"), max_length=200)
    policies = models.ManyToManyField(Policy, blank=True, related_name="briefings", verbose_name=_("宣讲政策"))
    held_on = models.DateField(_("日期"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    speaker = models.CharField(_("主讲人"), max_length=80, blank=True)
    organizer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("政策宣讲")
        verbose_name_plural = _("政策宣讲")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title


class BriefingAttendee(models.Model):
    briefing = models.ForeignKey(Briefing, on_delete=models.CASCADE, related_name="attendees")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="+")
    person = models.CharField(_("参会人"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("宣讲参会")
        verbose_name_plural = _("宣讲参会")
        constraints = [
            models.UniqueConstraint(fields=["briefing", "enterprise", "person"], name="briefing_attendee_once")
        ]

    def __str__(self) -> str:
        return f"{self.briefing_id} {self.enterprise_id}"
