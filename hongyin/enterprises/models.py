from django.db import models
from django.utils.translation import gettext_lazy as _

from hongyin.common.models import TimeStampedModel


class Enterprise(TimeStampedModel):
    """A non-public enterprise of the zone, identified by its unified social credit code (USCC)."""

    name = models.CharField(_("企业名称"), max_length=200)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    grid_cell = models.ForeignKey(
        "grid.GridCell",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
        verbose_name=_("所属网格"),
    )
    org = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
        verbose_name=_("联系党组织"),
    )

    class Meta:
        verbose_name = _("企业")
        verbose_name_plural = _("企业")

    def __str__(self) -> str:
        return self.name
