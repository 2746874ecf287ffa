"""Organizational life (组织生活): meetings of 三会一课 and more, their attendance, the required frequencies and the
exemptions from them (中国共产党支部工作条例(试行), 2018)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hongyin.common.models import TimeStampedModel, TracksLoadedValues


class MeetingKind(models.TextChoices):
    GENERAL = "general", _("支部党员大会")
    COMMITTEE = "committee", _("支部委员会")
    GROUP = "group", _("党小组会")
    LECTURE = "lecture", _("党课")
    THEME_DAY = "theme_day", _("主题党日")
    LIFE = "life", _("组织生活会")
    REVIEW = "review", _("民主评议党员")


# Meetings that decide by the members' vote: more than half of the voting (full) members must be present.
QUORUM_KINDS = frozenset({MeetingKind.GENERAL, MeetingKind.REVIEW})


class MeetingStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("待上级审核")
    APPROVED = "approved", _("已审核")
    RETURNED = "returned", _("已退回")


EDITABLE_STATUSES = frozenset({MeetingStatus.DRAFT, MeetingStatus.RETURNED})
# What compliance counts as held: reported to the committee above (submitted) or approved by it.
COUNTED_STATUSES = frozenset({MeetingStatus.SUBMITTED, MeetingStatus.APPROVED})


class Meeting(TracksLoadedValues, TimeStampedModel):
    """One meeting of an organization: planned, held, recorded, reported to the committee above and approved."""

    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("党组织")
    )
    kind = models.CharField(_("会议类型"), max_length=12, choices=MeetingKind.choices)
    title = models.CharField(_("会议主题"), max_length=120)
    status = models.CharField(
        _("状态"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.DRAFT, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=0)  # +1 on every move (hongyin.workflows)
    planned_on = models.DateField(_("计划日期"), null=True, blank=True)
    held_on = models.DateField(_("召开日期"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=120, blank=True)
    presenter = models.CharField(_("主持人"), max_length=40, blank=True)
    recorder = models.CharField(_("记录人"), max_length=40, blank=True)
    topics = models.TextField(_("议题"), blank=True)
    minutes = models.TextField(_("会议内容及记录"), blank=True)
    resolutions = models.TextField(_("决议"), blank=True)
    invitees = models.CharField(_("列席人员"), max_length=300, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    # the attendance in figures, kept with the record (the list and the compliance report read them)
    expected = models.PositiveIntegerField(_("应到人数"), default=0)
    present = models.PositiveIntegerField(_("实到人数"), default=0)
    voting_expected = models.PositiveIntegerField(_("有表决权的党员"), default=0)
    voting_present = models.PositiveIntegerField(_("有表决权的党员实到"), default=0)
    below_quorum = models.BooleanField(_("未达法定人数"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("会议")
        verbose_name_plural = _("会议")
        ordering = ["-held_on", "-planned_on", "-id"]
        indexes = [
            models.Index(fields=["org", "kind", "held_on"], name="meeting_org_kind_held"),
            models.Index(fields=["held_on", "kind"], name="meeting_held_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.title}"

    @property
    def needs_quorum(self) -> bool:
        return self.kind in QUORUM_KINDS

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class MeetingEvent(models.Model):
    """A status change of a meeting record (who, when, from, to, note)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20)
    before = models.CharField(max_length=12, choices=MeetingStatus.choices, blank=True)
    after = models.CharField(max_length=12, choices=MeetingStatus.choices)
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.meeting_id}: {self.before} -> {self.after}"


class AttendanceState(models.TextChoices):
    PRESENT = "present", _("出席")
    LEAVE = "leave", _("请假")
    SICK = "sick", _("病假")
    BUSINESS = "business", _("出差")
    FLOATING = "floating", _("外出流动")
    ABSENT = "absent", _("无故缺席")


ABSENT_STATES = frozenset(set(AttendanceState) - {AttendanceState.PRESENT})


class Attendance(models.Model):
    """One member expected at a meeting (on the branch's roster on the day it was held) and whether it came."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(
        "members.Member", on_delete=models.PROTECT, related_name="meeting_attendance", verbose_name=_("党员")
    )
    state = models.CharField(_("出勤情况"), max_length=10, choices=AttendanceState.choices)
    voting = models.BooleanField(_("有表决权"), default=True)  # a full member on the day (probationary: no vote)
    held_on = models.DateField(_("召开日期"))  # the meeting's, kept here: "last meeting attended" is one index scan

    class Meta:
        verbose_name = _("出勤")
        verbose_name_plural = _("出勤")
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once_per_meeting")]
        indexes = [models.Index(fields=["member", "state", "held_on"], name="attendance_member_state_held")]

    def __str__(self) -> str:
        return f"{self.meeting_id} {self.member_id} {self.state}"


class MeetingPhoto(models.Model):
    """A photo or document of a meeting (sign-in sheet, minutes scan), stored privately by common.uploads."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="photos")
    attachment = models.OneToOneField("common.Attachment", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("会议附件")
        verbose_name_plural = _("会议附件")

    def __str__(self) -> str:
        return str(self.attachment_id)


class Period(models.TextChoices):
    MONTH = "month", _("每月")
    QUARTER = "quarter", _("每季度")
    YEAR = "year", _("每年")


class RequiredFrequency(models.Model):
    """How often a branch must hold a kind of meeting (DOMAIN.md; the zone may change it)."""

    kind = models.CharField(_("会议类型"), max_length=12, choices=MeetingKind.choices, unique=True)
    period = models.CharField(_("周期"), max_length=8, choices=Period.choices)
    times = models.PositiveSmallIntegerField(_("每周期次数"), default=1)
    active = models.BooleanField(_("纳入考核"), default=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("组织生活频次要求")
        verbose_name_plural = _("组织生活频次要求")
        ordering = ["kind"]

    def __str__(self) -> str:
        return f"{self.kind} {self.times}/{self.period}"


class Exemption(models.Model):
    """A branch excused from a kind of meeting for a reason and a period of months (first month to last month)."""

    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.CASCADE, related_name="meeting_exemptions", verbose_name=_("党组织")
    )
    kind = models.CharField(_("会议类型"), max_length=12, choices=MeetingKind.choices)
    reason = models.CharField(_("原因"), max_length=200)
    start = models.DateField(_("起始月份"))  # the first day of a month
    end = models.DateField(_("截止月份"))  # the first day of a month, inclusive
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("组织生活豁免")
        verbose_name_plural = _("组织生活豁免")
        ordering = ["-start", "id"]

    def __str__(self) -> str:
        return f"{self.org_id} {self.kind} {self.start}..{self.end}"


class MonthlyGuide(TimeStampedModel):
    """The zone's monthly organizational-life guide (组织生活指南): suggested topics per kind of meeting, study
    materials, and the day by which the month's required meetings are to be reported. Drafts are seen by the zone
    only; once published every branch sees it. The reminder job counts its reminders and the notice after the
    deadline here, so each goes out once."""

    month = models.DateField(_("月份"), unique=True)  # the first day of the month
    title = models.CharField(_("标题"), max_length=120)
    summary = models.TextField(_("本月要点"), blank=True)
    materials = models.TextField(_("学习材料"), blank=True)  # one per line; a line may end with an http(s) link
    deadline = models.DateField(_("报送截止日期"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=0)
    reminders_sent = models.PositiveSmallIntegerField(default=0)
    overdue_noticed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("组织生活指南")
        verbose_name_plural = _("组织生活指南")
        ordering = ["-month"]

    def __str__(self) -> str:
        return self.title

    @property
    def published(self) -> bool:
        return self.published_at is not None


class GuideTopic(models.Model):
    """A suggested topic of the month for one kind of meeting."""

    guide = models.ForeignKey(MonthlyGuide, on_delete=models.CASCADE, related_name="topics")
    kind = models.CharField(_("会议类型"), max_length=12, choices=MeetingKind.choices)
    title = models.CharField(_("建议议题"), max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("建议议题")
        verbose_name_plural = _("建议议题")
        ordering = ["guide", "kind", "order", "id"]

    def __str__(self) -> str:
        return self.title
