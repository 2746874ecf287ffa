from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from hongyin.common.models import TimeStampedModel, TracksLoadedValues


class TransferKind(models.TextChoices):
    INSIDE = "inside", _("平台内转接")
    OUT = "out", _("转出平台")
    IN = "in", _("转入平台")


class TransferStatus(models.TextChoices):
    REQUESTED = "requested", _("待转出党组织审批")
    APPROVED = "approved", _("待接收党组织接收")
    RETURNED = "returned", _("已退回")
    ACCEPTED = "accepted", _("已接收")
    ISSUED = "issued", _("已开具介绍信，待回执")
    COMPLETED = "completed", _("已完成")
    CANCELLED = "cancelled", _("已撤销")


OPEN_STATUSES = frozenset(
    {TransferStatus.REQUESTED, TransferStatus.APPROVED, TransferStatus.RETURNED, TransferStatus.ISSUED}
)
OVERDUE_DAYS = 30


class Transfer(TracksLoadedValues, TimeStampedModel):
    """Moving a member's record (组织关系转接): inside the platform, out of it (letter + slip) or into it."""

    number = models.CharField(_("编号"), max_length=40, unique=True)
    kind = models.CharField(_("类型"), max_length=8, choices=TransferKind.choices)
    status = models.CharField(_("状态"), max_length=12, choices=TransferStatus.choices, db_index=True)
    version = models.PositiveIntegerField(_("版本"), default=0)  # +1 on every move (hongyin.workflows)
    member = models.ForeignKey(
        "members.Member",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers",
        verbose_name=_("党员"),
    )
    member_name = models.CharField(_("党员姓名"), max_length=40)
    source = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_out",
        verbose_name=_("转出党组织"),
    )
    target = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfers_in",
        verbose_name=_("接收党组织"),
    )
    external_org = models.CharField(_("平台外党组织"), max_length=200, blank=True)
    reason = models.CharField(_("转接原因"), max_length=200, blank=True)
    return_reason = models.CharField(_("退回原因"), max_length=300, blank=True)
    letter_valid_days = models.PositiveSmallIntegerField(_("介绍信有效期（天）"), default=30)
    issued_on = models.DateField(_("开具日期"), null=True, blank=True)
    slip_returned_on = models.DateField(_("回执退回日期"), null=True, blank=True)
    incoming_letter_number = models.CharField(_("来函编号"), max_length=60, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("组织关系转接")
        verbose_name_plural = _("组织关系转接")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="transfer_status_created")]

    def __str__(self) -> str:
        return f"{self.number} {self.member_name}"


class TransferEvent(models.Model):
    """A status change of a transfer (who, when, from, to, note)."""

    transfer = models.ForeignKey(Transfer, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    before = models.CharField(max_length=12, choices=TransferStatus.choices, blank=True)
    after = models.CharField(max_length=12, choices=TransferStatus.choices)
    note = models.CharField(max_length=300, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.transfer_id}: {self.before} -> {self.after}"
