"""Supply-demand posts (供需) along an industry chain, the matches found for them, the contact requests a match turns
into and the deals recorded after an accepted contact."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from hongyin.common.models import TimeStampedModel, TracksLoadedValues


class PostKind(models.TextChoices):
    SUPPLY = "supply", _("供应")
    DEMAND = "demand", _("需求")
    COOPERATION = "cooperation", _("合作")


# The kind a post looks for: a supply meets demands, a demand supplies, a cooperation offer other offers.
COUNTERPART = {
    PostKind.SUPPLY: PostKind.DEMAND,
    PostKind.DEMAND: PostKind.SUPPLY,
    PostKind.COOPERATION: PostKind.COOPERATION,
}


class Visibility(models.TextChoices):
    CHAIN = "chain", _("产业链内公开")
    ZONE = "zone", _("园区内公开")


class PostStatus(models.TextChoices):
    OPEN = "open", _("有效")
    WITHDRAWN = "withdrawn", _("已撤回")


class Post(TracksLoadedValues, TimeStampedModel):
    """One supply, demand or cooperation offer of an enterprise (or of a committee / the zone for a firm outside the
    platform). It expires at its deadline (computed: `expired`), or its poster withdraws it."""

    kind = models.CharField(_("类型"), max_length=12, choices=PostKind.choices, db_index=True)
    chain = models.ForeignKey(
        "enterprises.IndustryChain", on_delete=models.PROTECT, related_name="posts", verbose_name=_("产业链")
    )
    node = models.ForeignKey(
        "enterprises.ChainNode",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="posts",
        verbose_name=_("产业链环节"),
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
        verbose_name=_("发布企业"),
    )
    outside_name = models.CharField(_("园区外企业"), max_length=120, blank=True)
    title = models.CharField(_("标题"), max_length=120)
    product = models.CharField(_("产品或能力"), max_length=200)
    description = models.TextField(_("详细说明"), blank=True)
    quantity = models.CharField(_("数量"), max_length=60, blank=True)
    budget_min = models.DecimalField(_("预算下限（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    budget_max = models.DecimalField(_("预算上限（万元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    deadline = models.DateField(_("截止日期"), db_index=True)
    region = models.CharField(_("地区"), max_length=60, blank=True)
    visibility = models.CharField(_("公开范围"), max_length=8, choices=Visibility.choices, default=Visibility.CHAIN)
    status = models.CharField(_("状态"), max_length=12, choices=PostStatus.choices, default=PostStatus.OPEN)
    version = models.PositiveIntegerField(_("版本"), default=0)
    tokens = models.TextField(_("分词"), blank=True, editable=False)  # jieba tokens, space-joined (the index)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = pgettext_lazy("matching", "供需信息")
        verbose_name_plural = pgettext_lazy("matching", "供需信息")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["updated_at"], name="post_updated"),
            models.Index(fields=["chain", "created_at"], name="post_chain_created"),
            models.Index(fields=["enterprise", "status"], name="post_enterprise_status"),
            models.Index(fields=["-created_at", "-id"], name="post_recent"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def expired(self) -> bool:
        return self.deadline < timezone.localdate()

    @property
    def open(self) -> bool:
        return self.status == PostStatus.OPEN and not self.expired

    @property
    def party_name(self) -> str:
        return self.enterprise.name if self.enterprise_id else self.outside_name

    def state_label(self):
        if self.status == PostStatus.WITHDRAWN:
            return PostStatus.WITHDRAWN.label
        return _("已过期") if self.expired else PostStatus.OPEN.label


class Match(models.Model):
    """One of the ten best counterparts found for a post: a post of the opposite kind or an enterprise, with its
    score and the reasons (codes and parameters, rendered in the reader's language)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="matches")
    other_post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    other_enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    chain = models.ForeignKey("enterprises.IndustryChain", on_delete=models.CASCADE, related_name="+")
    score = models.FloatField(_("匹配度"))
    reasons = models.JSONField(_("匹配理由"), default=list)
    created_at = models.DateTimeField(_("匹配时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("匹配")
        verbose_name_plural = _("匹配")
        ordering = ["-score", "id"]
        constraints = [
            models.UniqueConstraint(fields=["post", "other_post"], name="match_post_pair"),
            models.UniqueConstraint(fields=["post", "other_enterprise"], name="match_post_enterprise"),
        ]
        indexes = [models.Index(fields=["chain", "created_at"], name="match_chain_created")]

    def __str__(self) -> str:
        return f"{self.post_id} -> {self.other_post_id or self.other_enterprise_id}"


class ContactStatus(models.TextChoices):
    PENDING = "pending", _("待回复")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已婉拒")


class ContactRequest(TracksLoadedValues, TimeStampedModel):
    """A request, from a post's side, to talk with a match: the other side accepts or declines."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="contacts_sent", verbose_name=pgettext_lazy("matching", "供需信息")
    )
    other_post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="contacts_received"
    )
    from_enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_enterprise = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    chain = models.ForeignKey("enterprises.IndustryChain", on_delete=models.PROTECT, related_name="+")
    message = models.CharField(_("留言"), max_length=500, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ContactStatus.choices, default=ContactStatus.PENDING, db_index=True
    )
    version = models.PositiveIntegerField(_("版本"), default=0)
    reply = models.CharField(_("回复"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("回复时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("对接请求")
        verbose_name_plural = _("对接请求")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["chain", "created_at"], name="contact_chain_created")]

    def __str__(self) -> str:
        return f"{self.post_id} -> {self.other_post_id or self.to_enterprise_id}"

    @property
    def to_name(self) -> str:
        if self.to_enterprise_id:
            return self.to_enterprise.name
        return self.other_post.outside_name if self.other_post_id else ""

    @property
    def from_name(self) -> str:
        return self.from_enterprise.name if self.from_enterprise_id else self.post.outside_name


class Deal(models.Model):
    """A deal after an accepted contact: amount (万元) and date; local when both sides are firms of the zone."""

    contact = models.ForeignKey(ContactRequest, on_delete=models.PROTECT, related_name="deals")
    chain = models.ForeignKey("enterprises.IndustryChain", on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("成交金额（万元）"), max_digits=14, decimal_places=2)
    signed_on = models.DateField(_("成交日期"))
    month = models.DateField(_("月份"))  # first day of signed_on's month (the figures group by it)
    is_local = models.BooleanField(_("本地配套"), default=False)
    enterprise_a = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    enterprise_b = models.ForeignKey(
        "enterprises.Enterprise", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("备注"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)

    class Meta:
        verbose_name = _("成交")
        verbose_name_plural = _("成交")
        ordering = ["-signed_on", "-id"]
        indexes = [models.Index(fields=["chain", "month"], name="deal_chain_month")]

    def __str__(self) -> str:
        return f"{self.contact_id} {self.amount}"
