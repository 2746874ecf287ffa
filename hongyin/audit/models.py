from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditResult(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")
    DENIED = "denied", _("拒绝")


class AuditEvent(models.Model):
    """One security-relevant act. Append-only: each row carries the SM3 hash of its content and of the previous row.

    An event is inserted unsealed (no seq, no hashes) inside the transaction of the write it describes; the sealer
    (`services.seal_pending`) gives committed events their place in the chain (`seq`, in commit order) and their
    hashes in a short transaction of its own, so no business transaction waits for another's whole length."""

    at = models.DateTimeField(_("时间"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("操作人"),
        db_constraint=False,
    )
    actor_name = models.CharField(_("操作人账号"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    org = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        related_name="+",
        verbose_name=_("党组织"),
        db_constraint=False,
    )
    org_path = models.CharField(_("组织路径"), max_length=255, blank=True, db_index=True)
    result = models.CharField(_("结果"), max_length=10, choices=AuditResult.choices, default=AuditResult.SUCCESS)
    details = models.JSONField(_("详情"), default=dict, blank=True)
    seq = models.BigIntegerField(_("链序号"), null=True, blank=True, unique=True, editable=False)
    prev_hash = models.CharField(max_length=64, blank=True, default="")
    hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
            models.Index(fields=["id"], condition=models.Q(seq__isnull=True), name="audit_unsealed"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["hash"], condition=~models.Q(hash=""), name="audit_hash_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action}"

    @property
    def sealed(self) -> bool:
        return self.seq is not None


class AuditCheckpoint(models.Model):
    """Left behind when old events are archived to a file: the chain continues from `last_hash`.

    Nothing is deleted silently: the file holds every archived row with its hashes, and its SM3 digest is here.
    """

    at = models.DateTimeField(_("归档时间"), auto_now_add=True)
    last_event_id = models.BigIntegerField(_("最后归档事件编号"))
    last_seq = models.BigIntegerField(_("最后归档链序号"), default=0)
    last_hash = models.CharField(max_length=64)
    first_prev_hash = models.CharField(max_length=64)
    events = models.PositiveIntegerField(_("归档事件数"))
    file = models.CharField(_("归档文件"), max_length=255)
    file_sm3 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("审计归档点")
        verbose_name_plural = _("审计归档点")
        ordering = ["-last_seq"]

    def __str__(self) -> str:
        return f"≤ #{self.last_event_id} → {self.file}"
