from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hongyin.common.fields import BlindIndexField, EncryptedCharField
from hongyin.common.models import TimeStampedModel

from .choices import ETHNICITY_CHOICES, Education, Gender, LeaveReason, MemberCategory, MemberStatus


class Member(TimeStampedModel):
    """A party member (党员). ID number and phone are encrypted at rest; the blind index makes the ID unique."""

    name = models.CharField(_("姓名"), max_length=40)
    name_pinyin = models.CharField(_("姓名全拼"), max_length=120, blank=True, db_index=True)
    name_initials = models.CharField(_("姓名首字母"), max_length=40, blank=True, db_index=True)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=10, choices=ETHNICITY_CHOICES, default="汉族")
    birth_date = models.DateField(_("出生日期"))
    id_number = EncryptedCharField(_("公民身份号码"))
    id_number_index = BlindIndexField(unique=True)
    phone = EncryptedCharField(_("手机号码"), blank=True)
    education = models.CharField(_("学历"), max_length=16, choices=Education.choices, blank=True)
    category = models.CharField(
        _("人员类别"), max_length=12, choices=MemberCategory.choices, default=MemberCategory.EMPLOYED
    )
    status = models.CharField(_("党员状态"), max_length=12, choices=MemberStatus.choices, default=MemberStatus.FULL)
    joined_on = models.DateField(_("入党日期"))
    full_member_on = models.DateField(_("转正日期"), null=True, blank=True)
    registered_on = models.DateField(_("组织关系转入日期"), null=True, blank=True, db_index=True)
    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="members", verbose_name=_("所在党支部")
    )
    party_group = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="group_members",
        verbose_name=_("党小组"),
    )
    employer_name = models.CharField(_("工作单位"), max_length=200, blank=True)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
        verbose_name=_("所在企业"),
    )
    job_title = models.CharField(_("职务"), max_length=60, blank=True)
    is_floating = models.BooleanField(_("流动党员"), default=False)
    floating_place = models.CharField(_("流动去向"), max_length=200, blank=True)
    left_on = models.DateField(_("离开日期"), null=True, blank=True)
    leave_reason = models.CharField(_("离开原因"), max_length=20, choices=LeaveReason.choices, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="member",
        verbose_name=_("平台账号"),
    )

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        indexes = [
            models.Index(fields=["org", "status"], name="member_org_status"),
            models.Index(fields=["joined_on"], name="member_joined_on"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.left_on is None


class MemberEventKind(models.TextChoices):
    CREATED = "created", _("登记入库")
    UPDATED = "updated", _("信息修改")
    MOVED = "moved", _("组织关系变动")
    LEFT = "left", _("离开党组织")
    STATUS = "status", _("党员状态变化")
    POST = "post", _("班子职务")
    OTHER = "other", _("其他")


class MemberHistory(models.Model):
    """One row per thing that happened to a member (the member page's timeline, with the audit events)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="history", verbose_name=_("党员"))
    kind = models.CharField(_("类型"), max_length=12, choices=MemberEventKind.choices)
    on = models.DateField(_("日期"))
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    from_org = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("原组织"),
    )
    to_org = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("新组织"),
    )
    summary = models.CharField(_("摘要"), max_length=300)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A note the system wrote: a code of hongyin.common.notification_texts and its parameters, read in the reader's
    # language (summary: the default language's rendering, for older rows and exports).
    code = models.CharField(_("文本代码"), max_length=60, blank=True, default="")
    params = models.JSONField(_("文本参数"), default=dict, blank=True)

    class Meta:
        verbose_name = _("党员履历")
        verbose_name_plural = _("党员履历")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.on} {self.display_summary}"

    @property
    def display_summary(self) -> str:
        from hongyin.common.notification_texts import render

        return (render(self.code, self.params) if self.code else None) or self.summary
