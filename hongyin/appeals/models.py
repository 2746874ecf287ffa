from django.db import models
from django.utils.translation import gettext_lazy as _


class Department(models.Model):
    """A department of the management committee that handles appeals (承办部门)."""

    name = models.CharField(_("部门名称"), max_length=80, unique=True)
    code = models.SlugField(_("部门代码"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("承办部门")
        verbose_name_plural = _("承办部门")

    def __str__(self) -> str:
        return self.name
