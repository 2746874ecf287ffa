"""Activities (组织活动): published by an organization (or several, jointly), with capacity, sign-up and a waiting
list, QR check-in at the place, check-out for volunteer service (volunteer hours), photos and a summary after."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hongyin.common.models import TimeStampedModel


class ActivityKind(models.TextChoices):
    VOLUNTEER = "volunteer", _("志愿服务")
    VISIT = "visit", _("参观走访")
    STUDY_TOUR = "study_tour", _("研学实践")
    JOINT = "joint", _("联建共建活动")
    CULTURE = "culture", _("文体活动")
    OTHER = "other", _("其他")


class ActivityStatus(models.TextChoices):
    PUBLISHED = "published", _("已发布")
    CANCELLED = "cancelled", _("已取消")


class Activity(TimeStampedModel):
    """One activity: its host organization publishes it; joint activities list the other organizers too."""

    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="activities", verbose_name=_("主办党组织")
    )
    kind = models.CharField(_("活动类型"), max_length=12, choices=ActivityKind.choices)
    title = models.CharField(_("活动名称"), max_length=120)
    place = models.CharField(_("活动地点"), max_length=120)
    starts_at = models.DateTimeField(_("开始时间"), db_index=True)
    ends_at = models.DateTimeField(_("结束时间"))
    capacity = models.PositiveIntegerField(_("名额"))
    signup_deadline = models.DateTimeField(_("报名截止时间"))
    description = models.TextField(_("活动内容"), blank=True)
    summary = models.TextField(_("活动总结"), blank=True)
    status = models.CharField(
        _("状态"), max_length=12, choices=ActivityStatus.choices, default=ActivityStatus.PUBLISHED, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=0)
    signed_up = models.PositiveIntegerField(_("已报名人数"), default=0)  # kept by the services under the row lock
    waiting = models.PositiveIntegerField(_("候补人数"), default=0)
    checked_in = models.PositiveIntegerField(_("已签到人数"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("组织活动")
        verbose_name_plural = _("组织活动")
        ordering = ["-starts_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_volunteer(self) -> bool:
        return self.kind == ActivityKind.VOLUNTEER

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.signed_up)

    @property
    def length_hours(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 3600


class Organizer(models.Model):
    """An organization organizing an activity: the host, and for a joint activity the others."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="organizers")
    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="activities_organized", verbose_name=_("党组织")
    )
    host = models.BooleanField(_("主办"), default=False)

    class Meta:
        verbose_name = _("活动组织单位")
        verbose_name_plural = _("活动组织单位")
        constraints = [models.UniqueConstraint(fields=["activity", "org"], name="activity_organizer_once")]
        ordering = ["-host", "id"]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.org_id}"


class SignupStatus(models.TextChoices):
    SIGNED_UP = "signed_up", _("已报名")
    WAITING = "waiting", _("候补")
    CANCELLED = "cancelled", _("已取消")


class Signup(models.Model):
    """A member's place at an activity (or on its waiting list), and its check-in and check-out."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signups")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="activity_signups", verbose_name=_("党员")
    )
    status = models.CharField(_("报名状态"), max_length=12, choices=SignupStatus.choices)
    queued_at = models.DateTimeField(_("报名时间"))  # the waiting list moves up in this order
    walk_in = models.BooleanField(_("现场报名"), default=False)
    checked_in_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("签退时间"), null=True, blank=True)
    hours = models.DecimalField(_("志愿服务时长（小时）"), max_digits=5, decimal_places=1, null=True, blank=True)

    class Meta:
        verbose_name = _("活动报名")
        verbose_name_plural = _("活动报名")
        constraints = [models.UniqueConstraint(fields=["activity", "member"], name="signup_once_per_activity")]
        indexes = [
            models.Index(fields=["activity", "status", "queued_at"], name="signup_activity_status"),
            models.Index(fields=["member", "status"], name="signup_member_status"),
        ]
        ordering = ["queued_at", "id"]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.member_id} {self.status}"


class VolunteerHours(models.Model):
    """The volunteer-hours ledger: one line per check-out of a volunteer service (hours capped at its length)."""

    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="volunteer_hours", verbose_name=_("党员")
    )
    activity = models.ForeignKey(Activity, on_delete=models.PROTECT, related_name="volunteer_hours")
    signup = models.OneToOneField(Signup, on_delete=models.PROTECT, related_name="ledger")
    hours = models.DecimalField(_("时长（小时）"), max_digits=5, decimal_places=1)
    served_on = models.DateField(_("服务日期"))
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("志愿服务时长")
        verbose_name_plural = _("志愿服务时长")
        ordering = ["-served_on", "-id"]
        indexes = [models.Index(fields=["member", "served_on"], name="volunteer_member_served")]

    def __str__(self) -> str:
        return f"{self.member_id} {self.hours}"


class ActivityPhoto(models.Model):
    """A photo of an activity (after it), stored privately by common.uploads."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    attachment = models.OneToOneField("common.Attachment", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("活动照片")
        verbose_name_plural = _("活动照片")

    def __str__(self) -> str:
        return str(self.attachment_id)
