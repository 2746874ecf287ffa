"""Study (学习教育): materials (text, PDF, an intranet video), courses grouping them, assignments to a subtree or a
list of members with a deadline, the time each member actually spent on a material (heartbeats while the page is
visible), the annual required study hours, private self-study notes, and discussion threads with posts, replies and
the branch secretary's moderation."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongyin.common.models import TimeStampedModel


class MaterialKind(models.TextChoices):
    TEXT = "text", _("图文")
    PDF = "pdf", _("PDF 文档")
    VIDEO = "video", _("内网视频")


class Material(TimeStampedModel):
    """One study material, published by an organization for its subtree (the zone's for everyone)."""

    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="study_materials", verbose_name=_("发布组织")
    )
    title = models.CharField(_("标题"), max_length=120)
    kind = models.CharField(_("类型"), max_length=8, choices=MaterialKind.choices, default=MaterialKind.TEXT)
    theme = models.CharField(_("专题"), max_length=40, blank=True)
    summary = models.CharField(_("摘要"), max_length=300, blank=True)
    body = models.TextField(_("正文"), blank=True)
    attachment = models.OneToOneField(
        "common.Attachment", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("PDF")
    )
    video_url = models.URLField(_("内网视频地址"), max_length=300, blank=True)
    min_seconds = models.PositiveIntegerField(_("最短学习时长（秒）"), default=300)
    class_hours = models.DecimalField(_("学时"), max_digits=4, decimal_places=1, default=1)
    version = models.PositiveIntegerField(_("版本"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("学习资料")
        verbose_name_plural = _("学习资料")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def min_minutes(self) -> int:
        return (self.min_seconds + 59) // 60


class Course(TimeStampedModel):
    """A course: materials in order; its class hours are the sum of theirs."""

    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="study_courses", verbose_name=_("发布组织")
    )
    title = models.CharField(_("课程名称"), max_length=120)
    description = models.TextField(_("课程简介"), blank=True)
    materials = models.ManyToManyField(Material, through="CourseItem", related_name="courses")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("课程")
        verbose_name_plural = _("课程")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class CourseItem(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="items")
    material = models.ForeignKey(Material, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["course", "material"], name="course_item_once")]

    def __str__(self) -> str:
        return f"{self.course_id}:{self.material_id}"


class Assignment(TimeStampedModel):
    """A course or one material assigned by an organization to a subtree (`target_org`) or to listed members."""

    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="study_assignments", verbose_name=_("布置组织")
    )
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("课程")
    )
    material = models.ForeignKey(
        Material,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("学习资料"),
    )
    target_org = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("学习对象（组织）"),
    )
    members = models.ManyToManyField("members.Member", blank=True, related_name="study_assignments")
    due_on = models.DateField(_("完成期限"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("学习任务")
        verbose_name_plural = _("学习任务")
        ordering = ["-due_on", "-id"]
        indexes = [models.Index(fields=["due_on"], name="assignment_due")]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return (self.course or self.material).title if (self.course_id or self.material_id) else ""


class Progress(models.Model):
    """The time one member actually spent on one material, added heartbeat by heartbeat."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="study_progress")
    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="progress")
    seconds = models.PositiveIntegerField(_("学习时长（秒）"), default=0)
    beats = models.PositiveIntegerField(default=0)
    last_beat_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(_("开始学习"), default=timezone.now)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("学习进度")
        verbose_name_plural = _("学习进度")
        constraints = [models.UniqueConstraint(fields=["member", "material"], name="progress_once")]
        indexes = [models.Index(fields=["member", "finished_at"], name="progress_member_finished")]

    def __str__(self) -> str:
        return f"{self.member_id}:{self.material_id} {self.seconds}s"

    @property
    def minutes(self) -> int:
        return self.seconds // 60


class StudyYear(models.Model):
    """The annual required study hours per member, set by the zone."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    required_hours = models.DecimalField(_("年度应学学时"), max_digits=5, decimal_places=1)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("年度学时要求")
        verbose_name_plural = _("年度学时要求")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}: {self.required_hours}"


class Note(TimeStampedModel):
    """A member's self-study note on a material: private to the member."""

    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, related_name="study_notes")
    material = models.ForeignKey(Material, on_delete=models.CASCADE, related_name="notes")
    body = models.TextField(_("笔记内容"))

    class Meta:
        verbose_name = _("学习笔记")
        verbose_name_plural = _("学习笔记")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.member_id}:{self.material_id}"


class ThreadKind(models.TextChoices):
    COLLECTIVE = "collective", _("集体学习")
    SELF = "self", _("个人自学")
    DISCUSSION = "discussion", _("交流研讨")


class Thread(TimeStampedModel):
    """A discussion of one branch about a material or a meeting (or a topic of its own)."""

    branch = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="study_threads", verbose_name=_("党支部")
    )
    kind = models.CharField(_("形式"), max_length=12, choices=ThreadKind.choices, default=ThreadKind.DISCUSSION)
    title = models.CharField(_("主题"), max_length=120)
    material = models.ForeignKey(
        Material, null=True, blank=True, on_delete=models.SET_NULL, related_name="threads", verbose_name=_("学习资料")
    )
    meeting = models.ForeignKey(
        "orglife.Meeting",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="study_threads",
        verbose_name=_("会议"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    posts_count = models.PositiveIntegerField(_("发言数"), default=0)  # visible posts and replies

    class Meta:
        verbose_name = _("研讨主题")
        verbose_name_plural = _("研讨主题")
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Post(models.Model):
    """A post in a thread, or a reply to one (`parent`). The branch secretary may hide it with a reason."""

    thread = models.ForeignKey(Thread, on_delete=models.CASCADE, related_name="posts")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="study_posts"
    )
    author_name = models.CharField(_("发言人"), max_length=60)
    body = models.TextField(_("内容"))
    created_at = models.DateTimeField(_("发言时间"), default=timezone.now, db_index=True)
    hidden = models.BooleanField(_("已屏蔽"), default=False)
    hidden_reason = models.CharField(_("屏蔽原因"), max_length=200, blank=True)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("发言")
        verbose_name_plural = _("发言")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.thread_id}:{self.pk}"
