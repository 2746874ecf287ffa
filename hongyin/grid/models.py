from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

MAX_LEVELS = 5


class GridLevel(models.Model):
    """The five configurable levels of the grid (e.g. 区 -> 片区 -> 园区/社区 -> 楼宇 -> 楼层/微网格)."""

    level = models.PositiveSmallIntegerField(_("层级"), unique=True)
    name = models.CharField(_("层级名称"), max_length=40)
    code_width = models.PositiveSmallIntegerField(_("编码位数"), default=2)

    class Meta:
        verbose_name = _("网格层级")
        verbose_name_plural = _("网格层级")
        ordering = ["level"]

    def __str__(self) -> str:
        return f"{self.level} {self.name}"


class GridCell(MP_Node):
    """A cell of the five-level grid (网格). Its code concatenates the parent's code and a sequence number."""

    name = models.CharField(_("名称"), max_length=120)
    code = models.CharField(_("网格编码"), max_length=40, unique=True)
    level = models.PositiveSmallIntegerField(_("层级"), default=1)

    class Meta:
        verbose_name = _("网格")
        verbose_name_plural = _("网格")

    def __str__(self) -> str:
        return self.name
