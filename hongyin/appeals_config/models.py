"""Configuration edited by the system administrator (Django admin): appeal categories with their SLAs and
routing. The working-day calendar and the departments are in the directory app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppealCategory(models.Model):
    """A kind of appeal, the department it goes to by default, and its clocks in working days."""

    code = models.SlugField(_("代码"), max_length=40, unique=True)
    name = models.CharField(_("名称"), max_length=60)
    default_department = models.ForeignKey(
        "directory.Department", null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("默认承办部门")
    )
    auto_dispatch = models.BooleanField(
        _("自动派单"),
        default=True,
        help_text=_(
            "勾选：提交后直接派至默认承办部门；不勾选：由党工委人工研判后派单。没有默认承办部门时总是人工派单。"
        ),
    )
    keywords = models.CharField(_("关键词"), max_length=300, blank=True, help_text=_("空格分隔，用于辅助分类"))
    accept_days = models.PositiveSmallIntegerField(_("签收时限（工作日）"), default=1)
    reply_days = models.PositiveSmallIntegerField(_("答复时限（工作日）"), default=3)
    resolve_days = models.PositiveSmallIntegerField(_("办结时限（工作日）"), default=15)
    max_resolve_days = models.PositiveSmallIntegerField(_("延期后最长办结时限（工作日）"), default=30)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("诉求类别")
        verbose_name_plural = _("诉求类别")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language (hongyin.common.vocabulary), for the categories the system ships."""
        from hongyin.common.vocabulary import translated

        return translated("appeal category", self.name)

    @property
    def dispatches_itself(self) -> bool:
        """Submitted appeals go straight to the default department, without the zone's review."""
        return self.auto_dispatch and self.default_department_id is not None
