"""Roadshows and matchmaking events (路演 / 供需对接会) followed to landed projects, and the one-stop service catalogue
(一站式服务) with its packages. A service request is an appeal of hongyin.appeals (the same SLA and rating): this
app keeps only the link to it and reads the request's state from the appeal."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongyin.common.models import TimeStampedModel, TracksLoadedValues


class EventKind(models.TextChoices):
    ROADSHOW = "roadshow", _("项目路演")
    MATCHMAKING = "matchmaking", _("供需对接会")


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("筹备中")
    HELD = "held", _("已举办")
    CANCELLED = "cancelled", _("已取消")


class Event(TracksLoadedValues, TimeStampedModel):
    """One roadshow or matchmaking event, organized by one or several committees."""

    title = models.CharField(_("活动名称"), max_length=120)
    kind = models.CharField(_("活动类型"), max_length=12, choices=EventKind.choices, default=EventKind.ROADSHOW)
    status = models.CharField(
        _("状态"), max_length=10, choices=EventStatus.choices, default=EventStatus.PLANNED, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=0)  # +1 on every move (hongyin.workflows)
    organizers = models.ManyToManyField(
        "orgs.Organization", related_name="roadshow_events", verbose_name=_("主办党组织")
    )
    chain = models.ForeignKey(
        "enterprises.IndustryChain",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="roadshow_events",
        verbose_name=_("产业链"),
    )
    held_on = models.DateField(_("举办日期"), db_index=True)
    place = models.CharField(_("地点"), max_length=120, blank=True)
    description = models.TextField(_("活动简介"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("路演活动")
        verbose_name_plural = _("路演活动")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("roadshows:detail", args=[self.pk])


class EventEvent(models.Model):
    """A status change of an event (the workflow's event row)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="moves")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20)
    before = models.CharField(max_length=12, blank=True)
    after = models.CharField(max_length=12, blank=True)
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.action}"


class Presentation(models.Model):
    """A project presented at an event: the enterprise, the project and the financing it seeks."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="presentations")
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        on_delete=models.PROTECT,
        related_name="roadshow_presentations",
        verbose_name=_("企业"),
    )
    project = models.CharField(_("路演项目"), max_length=120)
    financing_sought = models.DecimalField(
        _("拟融资金额（万元）"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("路演项目")
        verbose_name_plural = _("路演项目")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "enterprise", "project"], name="presentation_once_per_event")
        ]

    def __str__(self) -> str:
        return self.project


class GuestKind(models.TextChoices):
    INSTITUTION = "institution", _("金融机构")
    INVESTOR = "investor", _("投资人")
    ENTERPRISE = "enterprise", _("企业")
    OTHER = "other", _("其他")


class Invitation(models.Model):
    """An institution or investor invited to an event (an institution of the directory, or a named investor)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(_("类型"), max_length=12, choices=GuestKind.choices, default=GuestKind.INSTITUTION)
    institution = models.ForeignKey(
        "directory.FinancialInstitution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roadshow_invitations",
        verbose_name=_("金融机构"),
    )
    name = models.CharField(_("名称"), max_length=100)

    class Meta:
        verbose_name = _("邀请机构")
        verbose_name_plural = _("邀请机构")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["event", "name"], name="invitation_once_per_event")]

    def __str__(self) -> str:
        return self.name


class Registration(models.Model):
    """A sign-up (报名) for an event, and its attendance: by the event's QR code or marked by the organizer."""

    class Method(models.TextChoices):
        QR = "qr", _("扫码签到")
        MANUAL = "manual", _("现场登记")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    kind = models.CharField(_("类型"), max_length=12, choices=GuestKind.choices, default=GuestKind.ENTERPRISE)
    name = models.CharField(_("姓名"), max_length=40)
    unit = models.CharField(_("单位"), max_length=100, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="roadshow_registrations",
        verbose_name=_("企业"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    attended_at = models.DateTimeField(_("签到时间"), null=True, blank=True)
    method = models.CharField(_("签到方式"), max_length=8, choices=Method.choices, blank=True)
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("报名")
        verbose_name_plural = _("报名")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"], condition=models.Q(user__isnull=False), name="registration_once_per_user"
            )
        ]

    def __str__(self) -> str:
        return self.name


class OutcomeStage(models.TextChoices):
    INTENTION = "intention", _("达成意向")
    AGREEMENT = "agreement", _("签约")
    LANDED = "landed", _("落地")
    DROPPED = "dropped", _("终止")


OPEN_STAGES = frozenset({OutcomeStage.INTENTION, OutcomeStage.AGREEMENT})


class Outcome(TracksLoadedValues, TimeStampedModel):
    """What an event brought, followed afterwards: an intention, an agreement, a project that landed in the zone."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="outcomes")
    stage = models.CharField(_("进展"), max_length=10, choices=OutcomeStage.choices, default=OutcomeStage.INTENTION)
    version = models.PositiveIntegerField(_("版本"), default=0)
    project = models.CharField(_("项目"), max_length=120)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="roadshow_outcomes", verbose_name=_("企业")
    )
    institution = models.ForeignKey(
        "directory.FinancialInstitution",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="roadshow_outcomes",
        verbose_name=_("对接机构"),
    )
    amount = models.DecimalField(_("金额（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    occurred_on = models.DateField(_("日期"))
    department = models.ForeignKey(
        "directory.Department",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="roadshow_outcomes",
        verbose_name=_("跟进部门"),
    )
    follow_up_due = models.DateField(_("下次跟进日期"), null=True, blank=True, db_index=True)
    followed_up_on = models.DateField(_("最近跟进日期"), null=True, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("活动成果")
        verbose_name_plural = _("活动成果")
        ordering = ["-occurred_on", "-id"]

    def __str__(self) -> str:
        return self.project

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


class OutcomeEvent(models.Model):
    """A step of an outcome's follow-up (the workflow's event row)."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="moves")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20)
    before = models.CharField(max_length=10, choices=OutcomeStage.choices, blank=True)
    after = models.CharField(max_length=10, choices=OutcomeStage.choices, blank=True)
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.outcome_id}: {self.action}"


# --- one-stop services ----------------------------------------------------------------------------------------------


class ServiceKind(models.TextChoices):
    POLICY = "policy", _("政策辅导")
    RESEARCH = "research", _("产学研合作")
    INNOVATION = "innovation", _("协同创新")
    LEGAL = "legal", _("法律服务")
    TAX = "tax", _("财税服务")
    TALENT = "talent", _("人才服务")
    FINANCING = "financing", _("融资服务")
    PLANT = "plant", _("厂房与设备")


class Offering(models.Model):
    """A service of a committee's one-stop catalogue, delivered by a department (to which its requests are routed,
    with the SLA of the appeal category) and possibly an institution."""

    provider = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="service_offerings", verbose_name=_("提供党组织")
    )
    kind = models.CharField(_("服务类型"), max_length=12, choices=ServiceKind.choices)
    name = models.CharField(_("服务名称"), max_length=80)
    description = models.TextField(_("服务内容"), blank=True)
    category = models.ForeignKey(
        "appeals_config.AppealCategory",
        on_delete=models.PROTECT,
        related_name="service_offerings",
        verbose_name=_("诉求类别（时限）"),
    )
    department = models.ForeignKey(
        "directory.Department", on_delete=models.PROTECT, related_name="service_offerings", verbose_name=_("承办部门")
    )
    institution = models.ForeignKey(
        "directory.FinancialInstitution",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_offerings",
        verbose_name=_("合作机构"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("服务事项")
        verbose_name_plural = _("服务事项")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["provider", "name"], name="offering_name_per_provider")]

    def __str__(self) -> str:
        return self.name


class Package(models.Model):
    """A service package (服务包): several services requested together, each followed to its end."""

    provider = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="service_packages", verbose_name=_("提供党组织")
    )
    name = models.CharField(_("服务包名称"), max_length=80)
    description = models.TextField(_("服务包内容"), blank=True)
    institution = models.ForeignKey(
        "directory.FinancialInstitution",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="service_packages",
        verbose_name=_("合作机构"),
    )
    parts = models.ManyToManyField(Offering, through="PackagePart", related_name="packages", verbose_name=_("服务"))
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("服务包")
        verbose_name_plural = _("服务包")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class PackagePart(models.Model):
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="package_parts")
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["package", "offering"], name="package_part_once")]

    def __str__(self) -> str:
        return f"{self.package_id}:{self.offering_id}"


class PackageRequest(models.Model):
    """An enterprise's request of a package: split into one service request per part."""

    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="requests", verbose_name=_("服务包"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="package_requests", verbose_name=_("企业")
    )
    note = models.CharField(_("需求说明"), max_length=500, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_on = models.DateField(_("申请日期"))

    class Meta:
        verbose_name = _("服务包申请")
        verbose_name_plural = _("服务包申请")
        ordering = ["-requested_on", "-id"]

    def __str__(self) -> str:
        return f"{self.package_id} {self.enterprise_id}"

    def get_absolute_url(self) -> str:
        return reverse("roadshows:package_request", args=[self.pk])


class ServiceRequest(models.Model):
    """An enterprise's request of a catalogue service: the appeal that carries it (its state, SLA and rating)."""

    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="requests", verbose_name=_("服务"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.PROTECT, related_name="service_requests", verbose_name=_("企业")
    )
    appeal = models.OneToOneField(
        "appeals.Appeal", on_delete=models.PROTECT, related_name="service_request", verbose_name=_("诉求")
    )
    package_request = models.ForeignKey(
        PackageRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="parts"
    )
    requested_on = models.DateField(_("申请日期"))

    class Meta:
        verbose_name = _("服务申请")
        verbose_name_plural = _("服务申请")
        ordering = ["-requested_on", "-id"]

    def __str__(self) -> str:
        return f"{self.offering_id} {self.enterprise_id}"
