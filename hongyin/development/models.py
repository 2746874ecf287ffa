from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hongyin.common.fields import BlindIndexField, EncryptedCharField
from hongyin.common.models import TimeStampedModel, TracksLoadedValues
from hongyin.members.choices import ETHNICITY_CHOICES, Education, Gender, MemberCategory

from .steps import STEP_BY_NUMBER, STEP_CHOICES, Stage


class DevelopmentCase(TracksLoadedValues, TimeStampedModel):
    """One person's way from applicant to full member (发展党员). ID number and phone are encrypted at rest."""

    name = models.CharField(_("姓名"), max_length=40)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    ethnicity = models.CharField(_("民族"), max_length=10, choices=ETHNICITY_CHOICES, default="汉族")
    birth_date = models.DateField(_("出生日期"))
    id_number = EncryptedCharField(_("公民身份号码"))
    id_number_index = BlindIndexField(db_index=True)
    phone = EncryptedCharField(_("手机号码"), blank=True)
    education = models.CharField(_("学历"), max_length=16, choices=Education.choices, blank=True)
    category = models.CharField(
        _("人员类别"), max_length=12, choices=MemberCategory.choices, default=MemberCategory.EMPLOYED
    )
    employer_name = models.CharField(_("工作单位"), max_length=200, blank=True)
    branch = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="development_cases", verbose_name=_("党支部")
    )
    stage = models.CharField(_("阶段"), max_length=16, choices=Stage.choices, default=Stage.APPLICANT, db_index=True)
    version = models.PositiveIntegerField(_("版本"), default=0)  # +1 on every move (hongyin.workflows)
    applied_on = models.DateField(_("申请日期"))
    activist_on = models.DateField(_("确定积极分子日期"), null=True, blank=True)
    last_review_on = models.DateField(_("最近考察日期"), null=True, blank=True)
    candidate_on = models.DateField(_("确定发展对象日期"), null=True, blank=True)
    admitted_on = models.DateField(_("支部大会通过接收日期"), null=True, blank=True)
    probation_ends_on = models.DateField(_("预备期满日期"), null=True, blank=True)
    probation_extended = models.BooleanField(_("已延长预备期"), default=False)
    full_on = models.DateField(_("转正日期"), null=True, blank=True)
    closed_reason = models.CharField(_("终止原因"), max_length=200, blank=True)
    member = models.OneToOneField(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="development_case",
        verbose_name=_("党员档案"),
    )

    class Meta:
        verbose_name = _("发展党员档案")
        verbose_name_plural = _("发展党员档案")
        indexes = [models.Index(fields=["branch", "stage"], name="devcase_branch_stage")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.stage not in (Stage.FULL, Stage.CLOSED)


class StepRecord(models.Model):
    """One of the 25 steps done for a case: when, who (sponsors, introducers), what was noted and uploaded."""

    case = models.ForeignKey(DevelopmentCase, on_delete=models.CASCADE, related_name="steps")
    step = models.PositiveSmallIntegerField(_("步骤"), choices=STEP_CHOICES)
    done_on = models.DateField(_("日期"))
    people = models.ManyToManyField("members.Member", blank=True, related_name="+", verbose_name=_("相关党员"))
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)
    warning = models.CharField(_("提示"), max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("发展步骤记录")
        verbose_name_plural = _("发展步骤记录")
        ordering = ["step", "done_on", "id"]
        indexes = [models.Index(fields=["case", "step"], name="steprecord_case_step")]

    def __str__(self) -> str:
        return f"{self.case} #{self.step}"

    @property
    def definition(self):
        return STEP_BY_NUMBER[self.step]


class StepDocument(models.Model):
    """A document uploaded for a step (application letter, review report, vote minutes...), stored privately."""

    record = models.ForeignKey(StepRecord, on_delete=models.CASCADE, related_name="documents")
    attachment = models.OneToOneField("common.Attachment", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("发展材料")
        verbose_name_plural = _("发展材料")

    def __str__(self) -> str:
        return str(self.attachment_id)
