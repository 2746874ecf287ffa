"""Enterprises, the buildings they sit in, the industry chains they belong to and the incubation bases.

Derived facts (party status, members employed, instructor, contacts) are never stored twice: they come from
the organization tree, the members and the role assignments (see selectors.py).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from hongyin.common.models import TimeStampedModel


class SizeClass(models.TextChoices):
    LARGE = "large", _("大型")
    MEDIUM = "medium", _("中型")
    SMALL = "small", _("小型")
    MICRO = "micro", _("微型")


class ListedBoard(models.TextChoices):
    SH_MAIN = "sh_main", _("上交所主板")
    STAR = "star", _("科创板")
    SZ_MAIN = "sz_main", _("深交所主板")
    CHINEXT = "chinext", _("创业板")
    BSE = "bse", _("北交所")
    NEEQ = "neeq", _("新三板")
    HK = "hk", _("港交所")
    OVERSEAS = "overseas", _("境外")


class PartyStatus(models.TextChoices):
    OWN = "own", _("单独建立党组织")
    JOINT = "joint", _("联合党支部覆盖")
    NONE = "none", _("未建立党组织")


class Tag(models.Model):
    """A label such as 高新技术企业, 专精特新, 瞪羚, 独角兽."""

    name = models.CharField(_("标签"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("企业标签")
        verbose_name_plural = _("企业标签")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Building(TimeStampedModel):
    """A commercial building (楼宇). Leasable area and vacancy come from its units."""

    name = models.CharField(_("楼宇名称"), max_length=120, unique=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    floors_above = models.PositiveSmallIntegerField(_("地上层数"), default=1)
    floors_below = models.PositiveSmallIntegerField(_("地下层数"), default=0)
    gross_area = models.DecimalField(_("建筑面积（㎡）"), max_digits=12, decimal_places=2, default=0)
    party_committee = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_buildings",
        verbose_name=_("楼宇党委"),
    )
    grid_cell = models.ForeignKey(
        "grid.GridCell",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="buildings",
        verbose_name=_("所属网格"),
    )

    class Meta:
        verbose_name = _("楼宇")
        verbose_name_plural = _("楼宇")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    def floor_in_range(self, number: int) -> bool:
        return (1 <= number <= self.floors_above) or (0 < -number <= self.floors_below)


class Floor(models.Model):
    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="floors", verbose_name=_("楼宇"))
    number = models.SmallIntegerField(_("楼层"), help_text=_("地下层用负数"))
    grid_cell = models.ForeignKey(
        "grid.GridCell",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="floors",
        verbose_name=_("微网格"),
    )

    class Meta:
        verbose_name = _("楼层")
        verbose_name_plural = _("楼层")
        ordering = ["building", "number"]
        constraints = [models.UniqueConstraint(fields=["building", "number"], name="floor_unique_number")]

    def __str__(self) -> str:
        return f"{self.building.name} {self.label}"

    @property
    def label(self) -> str:
        return f"B{-self.number}" if self.number < 0 else f"{self.number}F"


class Unit(models.Model):
    floor = models.ForeignKey(Floor, on_delete=models.CASCADE, related_name="units", verbose_name=_("楼层"))
    number = models.CharField(_("房号"), max_length=20)
    area = models.DecimalField(_("面积（㎡）"), max_digits=10, decimal_places=2)
    leasable = models.BooleanField(_("可租赁"), default=True)

    class Meta:
        verbose_name = _("房间")
        verbose_name_plural = _("房间")
        ordering = ["floor", "number"]
        constraints = [models.UniqueConstraint(fields=["floor", "number"], name="unit_unique_number")]

    def __str__(self) -> str:
        return self.number


class Lease(TimeStampedModel):
    """A unit let to an enterprise from start_on to end_on (open-ended when empty). Leases never overlap."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="leases", verbose_name=_("房间"))
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", on_delete=models.CASCADE, related_name="leases", verbose_name=_("承租企业")
    )
    start_on = models.DateField(_("起租日期"))
    end_on = models.DateField(_("到期日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("租约")
        verbose_name_plural = _("租约")
        ordering = ["unit", "start_on"]
        indexes = [models.Index(fields=["unit", "start_on"], name="lease_unit_start")]

    def __str__(self) -> str:
        return f"{self.unit} {self.start_on}"


class BuildingFigure(models.Model):
    """Monthly economy figures of a building, imported from xlsx. Money in yuan."""

    building = models.ForeignKey(Building, on_delete=models.CASCADE, related_name="figures", verbose_name=_("楼宇"))
    month = models.DateField(_("月份"), help_text=_("当月第一天"))
    tax_paid = models.DecimalField(_("纳税额（元）"), max_digits=16, decimal_places=2, default=0)
    output_value = models.DecimalField(_("产值（元）"), max_digits=16, decimal_places=2, default=0)
    employees = models.PositiveIntegerField(_("从业人员"), default=0)

    class Meta:
        verbose_name = _("楼宇月度数据")
        verbose_name_plural = _("楼宇月度数据")
        ordering = ["building", "month"]
        constraints = [models.UniqueConstraint(fields=["building", "month"], name="figure_unique_month")]

    def __str__(self) -> str:
        return f"{self.building_id} {self.month:%Y-%m}"


class IndustryChain(TimeStampedModel):
    name = models.CharField(_("产业链"), max_length=80, unique=True)
    description = models.TextField(_("简介"), blank=True)
    party_committee = models.ForeignKey(
        "orgs.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="committee_chains",
        verbose_name=_("产业链党委"),
    )

    class Meta:
        verbose_name = _("产业链")
        verbose_name_plural = _("产业链")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Segment(models.TextChoices):
    UPSTREAM = "upstream", _("上游")
    MIDSTREAM = "midstream", _("中游")
    DOWNSTREAM = "downstream", _("下游")


class ChainNode(MP_Node):
    """A link of an industry chain (链上环节); top nodes carry a segment, children inherit it."""

    chain = models.ForeignKey(IndustryChain, on_delete=models.CASCADE, related_name="nodes", verbose_name=_("产业链"))
    name = models.CharField(_("环节"), max_length=80)
    segment = models.CharField(_("链段"), max_length=12, choices=Segment.choices)
    enterprises = models.ManyToManyField(
        "enterprises.Enterprise", through="ChainMembership", related_name="chain_nodes", verbose_name=_("企业")
    )

    node_order_by = ["name"]

    class Meta:
        verbose_name = _("产业链环节")
        verbose_name_plural = _("产业链环节")

    def __str__(self) -> str:
        return self.name


class ChainMembership(models.Model):
    node = models.ForeignKey(ChainNode, on_delete=models.CASCADE, related_name="memberships")
    enterprise = models.ForeignKey("enterprises.Enterprise", on_delete=models.CASCADE, related_name="chain_memberships")
    is_lead = models.BooleanField(_("链主企业"), default=False)

    class Meta:
        verbose_name = _("链上企业")
        verbose_name_plural = _("链上企业")
        constraints = [models.UniqueConstraint(fields=["node", "enterprise"], name="chain_membership_unique")]

    def __str__(self) -> str:
        return f"{self.node_id}:{self.enterprise_id}"


class PlatformKind(models.TextChoices):
    PLATFORM = "platform", _("创新平台")
    INSTITUTE = "institute", _("新型研发机构")


class InnovationPlatform(models.Model):
    chain = models.ForeignKey(
        IndustryChain, on_delete=models.CASCADE, related_name="platforms", verbose_name=_("产业链")
    )
    node = models.ForeignKey(
        ChainNode, null=True, blank=True, on_delete=models.SET_NULL, related_name="platforms", verbose_name=_("环节")
    )
    name = models.CharField(_("名称"), max_length=120)
    kind = models.CharField(_("类型"), max_length=12, choices=PlatformKind.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="platforms",
        verbose_name=_("依托单位"),
    )

    class Meta:
        verbose_name = _("创新平台")
        verbose_name_plural = _("创新平台")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class BaseKind(models.TextChoices):
    NURSERY = "nursery", _("苗圃")
    INCUBATOR = "incubator", _("孵化器")
    ACCELERATOR = "accelerator", _("加速器")
    PARK = "park", _("产业园区")


class IncubationBase(models.Model):
    name = models.CharField(_("名称"), max_length=120, unique=True)
    kind = models.CharField(_("类型"), max_length=12, choices=BaseKind.choices)
    building = models.ForeignKey(
        Building, null=True, blank=True, on_delete=models.SET_NULL, related_name="bases", verbose_name=_("所在楼宇")
    )

    class Meta:
        verbose_name = _("孵化载体")
        verbose_name_plural = _("孵化载体")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class Enterprise(TimeStampedModel):
    """A non-public enterprise of the zone, identified by its unified social credit code (USCC)."""

    name = models.CharField(_("企业名称"), max_length=200)
    name_pinyin = models.CharField(_("名称全拼"), max_length=400, blank=True)
    name_initials = models.CharField(_("名称首字母"), max_length=100, blank=True, db_index=True)
    former_names = models.JSONField(_("曾用名"), default=list, blank=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, unique=True)
    legal_representative = models.CharField(_("法定代表人"), max_length=40, blank=True)
    registered_capital = models.DecimalField(
        _("注册资本（万元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    founded_on = models.DateField(_("成立日期"), null=True, blank=True)
    industry_code = models.CharField(_("国民经济行业分类"), max_length=5, blank=True, db_index=True)
    size_class = models.CharField(_("企业规模"), max_length=8, choices=SizeClass.choices, blank=True)
    employees = models.PositiveIntegerField(_("从业人数"), default=0)
    tags = models.ManyToManyField(Tag, blank=True, related_name="enterprises", verbose_name=_("标签"))
    listed_board = models.CharField(_("上市板块"), max_length=10, choices=ListedBoard.choices, blank=True)
    address = models.CharField(_("地址"), max_length=200, blank=True)
    building = models.ForeignKey(
        Building,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
        verbose_name=_("所在楼宇"),
    )
    floor = models.ForeignKey(
        Floor, null=True, blank=True, on_delete=models.SET_NULL, related_name="enterprises", verbose_name=_("楼层")
    )
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.SET_NULL, related_name="enterprises", verbose_name=_("房间")
    )
    grid_cell = models.ForeignKey(
        "grid.GridCell",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="enterprises",
        verbose_name=_("所属网格"),
    )
    grid_explicit = models.BooleanField(_("网格单独指定"), default=False)
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
        ordering = ["id"]
        indexes = [
            models.Index(fields=["name"], name="enterprise_name"),
            models.Index(fields=["size_class"], name="enterprise_size"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def party_status(self) -> str:
        """Own organization / covered by a joint branch / none, from the organization it belongs to."""
        if self.org_id is None:
            return PartyStatus.NONE
        return PartyStatus.JOINT if self.org.kind == "joint_branch" else PartyStatus.OWN


class Incubation(models.Model):
    """An enterprise's stay in an incubation base (苗圃, 孵化器, 加速器, 产业园区)."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="incubations", verbose_name=_("企业")
    )
    base = models.ForeignKey(
        IncubationBase, on_delete=models.CASCADE, related_name="incubations", verbose_name=_("孵化载体")
    )
    entered_on = models.DateField(_("入驻日期"))
    graduated_on = models.DateField(_("毕业日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("入孵记录")
        verbose_name_plural = _("入孵记录")
        ordering = ["enterprise", "entered_on"]

    def __str__(self) -> str:
        return f"{self.enterprise_id}@{self.base_id}"


class LinkKind(models.TextChoices):
    CHAIN = "chain", _("列入产业链")
    LEASE = "lease", _("登记租约")


class LinkStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已批准")
    REFUSED = "refused", _("未批准")


class EnterpriseLinkRequest(TimeStampedModel):
    """A request to link an enterprise outside the requester's scope (named by its USCC) to a chain node or a unit:
    linking brings the enterprise into the requester's scope, so the zone (or the enterprise's current committee)
    decides. Every well-formed code becomes a request, known or not, so that a request tells nothing."""

    kind = models.CharField(_("类型"), max_length=8, choices=LinkKind.choices)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18)
    enterprise = models.ForeignKey(
        Enterprise,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="link_requests",
        verbose_name=_("企业"),
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("申请人")
    )
    node = models.ForeignKey(
        ChainNode, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("环节")
    )
    is_lead = models.BooleanField(_("链主企业"), default=False)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.CASCADE, related_name="+", verbose_name=_("房间")
    )
    start_on = models.DateField(_("起租日期"), null=True, blank=True)
    end_on = models.DateField(_("到期日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=LinkStatus.choices, default=LinkStatus.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("审核人"),
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    reason = models.CharField(_("审核意见"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("企业关联申请")
        verbose_name_plural = _("企业关联申请")
        ordering = ["-id"]
        indexes = [models.Index(fields=["status", "uscc"], name="link_request_status_uscc")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.uscc}"
