"""What the system writes to people, kept as a code plus parameters and rendered in the reader's language.

A service builds `text("appeal.dispatched", n=appeal.number)` and passes it as `notify(title=...)`: the
notification row stores the code and the parameters (and the title in the default language, for old readers and
email); the notification centre renders the title (and the body, when the code has one) in the language of whoever
reads it. A code unknown here (an old row, a removed code) shows the stored title.

Parameter values are stored as given (numbers, names, masked names). A parameter whose name ends with "_msg" is
itself a message (a Chinese msgid, e.g. a step title) and is translated when rendered. A title that counts
(`ngettext_lazy(..., "n")`) agrees with its number in the reader's language."""

from dataclasses import dataclass, field

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

# code -> (title template, body template or None)
TEXTS = {
    # appeals
    "appeal.new": (_("新诉求待派单：%(n)s"), None),
    "appeal.dispatched": (_("新派单诉求：%(n)s"), None),
    "appeal.dispatched_to_you": (_("您的诉求已派至%(d)s办理：%(n)s"), None),
    "appeal.accepted": (_("您的诉求已受理：%(n)s"), None),
    "appeal.returned": (_("诉求被退回：%(n)s"), None),
    "appeal.returned_arbitration": (_("诉求被退回，待仲裁：%(n)s"), None),
    "appeal.transferred": (_("转办诉求：%(n)s"), None),
    "appeal.urged": (_("催办：%(n)s"), None),
    "appeal.extension_request": (_("延期申请待审批：%(n)s"), None),
    "appeal.extension_approve": (_("延期申请已批准：%(n)s"), None),
    "appeal.extension_refuse": (_("延期申请被驳回：%(n)s"), None),
    "appeal.replied_final": (_("您的诉求已办结答复：%(n)s"), None),
    "appeal.replied_to_close": (_("诉求已办结答复，待办结：%(n)s"), None),
    "appeal.replied": (_("您的诉求有阶段性答复：%(n)s"), None),
    "appeal.closed_rate": (_("您的诉求已办结，请评价：%(n)s"), None),
    "appeal.dissatisfied": (_("企业不满意，请研判是否重办：%(n)s"), None),
    "appeal.reopened": (_("诉求重新办理：%(n)s"), None),
    # the daily SLA sweep: one notice per recipient and step, with the number of appeals
    "appeal.sla_urge": (ngettext_lazy("催办：%(n)s 件诉求即将到期", "催办：%(n)s 件诉求即将到期", "n"), None),
    "appeal.sla_overdue": (
        ngettext_lazy("超期通知：%(n)s 件诉求已超过期限", "超期通知：%(n)s 件诉求已超过期限", "n"),
        None,
    ),
    "appeal.sla_escalate": (
        ngettext_lazy(
            "超期通报：%(n)s 件诉求超期 %(d)s 个工作日以上", "超期通报：%(n)s 件诉求超期 %(d)s 个工作日以上", "n"
        ),
        None,
    ),
    # policies
    "policy.pushed": (_("新政策推送：%(t)s"), None),
    # appeal timeline notes the SLA sweep writes
    "appeal.history.sla_urge": (_("即将到期，系统自动催办"), None),
    "appeal.history.sla_overdue": (_("已超过期限"), None),
    "appeal.history.sla_escalate": (
        ngettext_lazy(
            "超期 %(d)s 个工作日，已通报分管负责人和党工委", "超期 %(d)s 个工作日，已通报分管负责人和党工委", "d"
        ),
        None,
    ),
    "appeal.history.auto_closed": (_("办结答复后 %(n)s 个工作日未办结，系统自动办结"), None),
    # transfers
    "transfer.to_accept": (_("待接收：%(n)s 的组织关系转入"), None),
    "transfer.accepted": (_("已接收：%(n)s 的组织关系已转入"), None),
    "transfer.returned_to_you": (_("组织关系转接被退回：%(n)s"), None),
    "transfer.returned": (_("转接被退回：%(r)s"), None),
    # accounts: credentials changed by someone else
    "account.password_changed": (_("您的密码已被管理员修改"), _("如非您本人申请，请立即联系安全管理员。")),
    "account.password_reset": (
        _("您的密码已被重置"),
        _("管理员为您的账号设置了一次性密码，所有会话和 API 令牌已失效。如非您本人申请，请立即联系安全管理员。"),
    ),
    "account.second_factor_reset": (
        _("您的双因素认证已被重置"),
        _("安全管理员重置了您的验证器和恢复码，下次登录时请重新绑定。如非您本人申请，请立即联系安全管理员。"),
    ),
    # dues
    "dues.month_close_arrears": (
        _("党费月结：%(n)d 名党员连续欠缴 3 个月以上"),
        _("其中 %(m)d 名连续 6 个月未缴纳党费，请按党章第九条处理。"),
    ),
    "dues.reduction_approved": (_("党费减免申请已批准"), None),
    "dues.reduction_returned": (_("党费减免申请已退回"), None),
    # development
    "development.step": (_("您的发展党员档案：%(t_msg)s"), None),
    # member history notes (the timeline)
    "member.history.registered": (_("登记入库，编入“%(o)s”"), None),
    "member.history.full_member": (_("转为正式党员（转正日期 %(d)s）"), None),
    "member.history.moved": (_("从“%(a)s”转到“%(b)s”：%(r)s"), None),
    "member.history.left": (_("离开党组织：%(r_msg)s"), None),
    "member.history.left_note": (_("离开党组织：%(r_msg)s（%(n)s）"), None),
}


@dataclass(frozen=True)
class Text:
    """A message to someone: a code of TEXTS and its parameters. str() renders the title in the active language."""

    code: str
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.code not in TEXTS:
            raise KeyError(f"unknown notification text {self.code!r}: add it to hongyin/common/notification_texts.py")

    def __str__(self) -> str:
        return render(self.code, self.params) or ""

    def title_in(self, language: str | None = None) -> str:
        with translation.override(language or settings.LANGUAGE_CODE):
            return str(self)

    def body_in(self, language: str | None = None) -> str:
        with translation.override(language or settings.LANGUAGE_CODE):
            return render(self.code, self.params, part=1) or ""


def text(code: str, **params) -> Text:
    """A lazily translated parameter (a step title) is kept as its msgid, whatever language the actor reads."""
    with translation.override(settings.LANGUAGE_CODE):
        return Text(code, {k: (v if isinstance(v, int | float) else str(v)) for k, v in params.items()})


def render(code: str, params: dict | None, *, part: int = 0) -> str | None:
    """The title (part 0) or body (part 1) of a code in the active language; None when the code is unknown or
    the stored parameters do not fit the template (the caller shows what was stored)."""
    entry = TEXTS.get(code or "")
    if entry is None or entry[part] is None:
        return None
    values = {k: (gettext(v) if k.endswith("_msg") and isinstance(v, str) else v) for k, v in (params or {}).items()}
    try:
        return str(entry[part] % values)
    except (KeyError, TypeError, ValueError):
        return None
