"""What organizational life writes to people (hongyin.common.notification_texts: a code and its parameters,
rendered in the reader's language). Registered into the shared table when the app loads, so the platform's table
does not grow a line for every app."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from hongyin.common.notification_texts import TEXTS

ORGLIFE_TEXTS = {
    "orglife.guide_published": (_("%(m)s 组织生活指南已发布，请于 %(d)s 前报送本月会议"), None),
    "orglife.guide_reminder": (
        ngettext_lazy(
            "组织生活提醒：%(m)s 还有 %(n)s 类会议未报送（截止 %(d)s）",
            "组织生活提醒：%(m)s 还有 %(n)s 类会议未报送（截止 %(d)s）",
            "n",
        ),
        None,
    ),
    "orglife.guide_overdue": (
        ngettext_lazy(
            "组织生活通报：%(n)s 个支部未按期报送 %(m)s 的会议",
            "组织生活通报：%(n)s 个支部未按期报送 %(m)s 的会议",
            "n",
        ),
        _("截止 %(d)s 未报送的支部：%(names)s"),
    ),
}

for _code, _entry in ORGLIFE_TEXTS.items():
    TEXTS.setdefault(_code, _entry)
