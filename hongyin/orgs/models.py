from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from hongyin.common.models import TimeStampedModel


class OrgKind(models.TextChoices):
    WORKING_COMMITTEE = "working_committee", _("党工委")
    COMMITTEE = "committee", _("党委")
    GENERAL_BRANCH = "general_branch", _("党总支")
    BRANCH = "branch", _("党支部")
    JOINT_BRANCH = "joint_branch", _("联合党支部")
    TEMPORARY_BRANCH = "temporary_branch", _("临时党支部")
    GROUP = "group", _("党小组")


class OrgCategory(models.TextChoices):
    CHAIN = "chain", _("产业链")
    BUILDING = "building", _("楼宇")
    PARK = "park", _("园区")
    GOVERNMENT = "government", _("机关")
    ENTERPRISE = "enterprise", _("非公企业")
    INSTITUTE = "institute", _("新型研发机构")
    SOCIAL = "social", _("社会组织")


BRANCH_KINDS = frozenset({OrgKind.BRANCH, OrgKind.JOINT_BRANCH, OrgKind.TEMPORARY_BRANCH})


class Organization(MP_Node, TimeStampedModel):
    """A node of the party organization tree. Subtree = path__startswith (one indexed range scan)."""

    name = models.CharField(_("名称"), max_length=120)
    short_name = models.CharField(_("简称"), max_length=40, blank=True)
    code = models.CharField(_("组织代码"), max_length=40, blank=True)
    kind = models.CharField(_("类型"), max_length=20, choices=OrgKind.choices)
    category = models.CharField(_("类别"), max_length=20, choices=OrgCategory.choices)
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    dissolved_on = models.DateField(_("撤销日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")

    def __str__(self) -> str:
        return self.name

    @property
    def is_branch(self) -> bool:
        return self.kind in BRANCH_KINDS
