from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from treebeard.mp_tree import MP_Node

from hongyin.common.dates import add_years
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
    approved_by = models.CharField(_("批准机关"), max_length=120, blank=True)
    # the building / industry chain an organization is built on is linked from the other side:
    # enterprises.Building.party_committee and enterprises.IndustryChain.party_committee
    covered_units = models.JSONField(_("覆盖单位"), default=list, blank=True)
    is_village_community = models.BooleanField(_("村（社区）党组织"), default=False)
    term_started_on = models.DateField(_("本届班子产生日期"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(_("任期（年）"), null=True, blank=True)

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")

    def __str__(self) -> str:
        return self.name

    @property
    def is_branch(self) -> bool:
        return self.kind in BRANCH_KINDS

    @property
    def term_length(self) -> int:
        return self.term_years or (5 if self.is_village_community else 3)

    @property
    def term_ends_on(self) -> date | None:
        start = self.term_started_on
        return None if start is None else add_years(start, self.term_length)

    def term_state(self, today: date | None = None) -> str:
        """ "none" (no term recorded), "ok", "due" (within 90 days of the end) or "overdue" (red flag)."""
        end = self.term_ends_on
        if end is None:
            return "none"
        today = today or date.today()
        if today > end:
            return "overdue"
        if today >= end - timedelta(days=TERM_WARNING_DAYS):
            return "due"
        return "ok"


TERM_WARNING_DAYS = 90
TERM_YEARS_RANGE = range(1, 6)  # orgs.services refuses other lengths


def terms_due_by(day: date) -> models.Q:
    """Organizations whose term ends on or before `day`, in SQL, by the same rule as `Organization.term_ends_on`
    (an explicit length, else 5 years for a village or community, else 3); 29 February may let one extra day in,
    so callers confirm with `term_state`."""
    q = models.Q()
    for years in TERM_YEARS_RANGE:
        q |= models.Q(term_years=years, term_started_on__lte=add_years(day, -years))
    default = models.Q(term_years__isnull=True) | models.Q(term_years=0)
    q |= default & models.Q(is_village_community=True, term_started_on__lte=add_years(day, -5))
    q |= default & models.Q(is_village_community=False, term_started_on__lte=add_years(day, -3))
    return q


class Post(models.TextChoices):
    SECRETARY = "secretary", _("书记")
    DEPUTY = "deputy", _("副书记")
    ORGANIZATION = "organization", _("组织委员")
    PROPAGANDA = "propaganda", _("宣传委员")
    DISCIPLINE = "discipline", _("纪检委员")
    MEMBER = "member", _("委员")


class CommitteePost(models.Model):
    """A post in an organization's committee (班子), held by a member from a date to a date (open = current)."""

    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="posts", verbose_name=_("党组织"))
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="posts", verbose_name=_("党员"))
    post = models.CharField(_("职务"), max_length=16, choices=Post.choices)
    from_on = models.DateField(_("任职日期"))
    to_on = models.DateField(_("离任日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("班子成员")
        verbose_name_plural = _("班子成员")
        ordering = ["org", "to_on", "post", "from_on"]
        indexes = [models.Index(fields=["org", "to_on"], name="post_org_current")]

    def __str__(self) -> str:
        return f"{self.org} {self.get_post_display()} {self.member}"


class OrgEventKind(models.TextChoices):
    CREATED = "created", _("成立")
    UPDATED = "updated", _("信息修改")
    RENAMED = "renamed", _("更名")
    MOVED = "moved", _("隶属关系调整")
    MERGED = "merged", _("合并")
    DISSOLVED = "dissolved", pgettext_lazy("org event", "撤销")
    COMMITTEE = "committee", _("班子调整")
    TERM = "term", _("换届")


class OrgHistory(models.Model):
    org = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="history", verbose_name=_("党组织"))
    kind = models.CharField(_("类型"), max_length=12, choices=OrgEventKind.choices)
    on = models.DateField(_("日期"))
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    summary = models.CharField(_("摘要"), max_length=300)
    details = models.JSONField(_("详情"), default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("组织沿革")
        verbose_name_plural = _("组织沿革")
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.on} {self.summary}"
