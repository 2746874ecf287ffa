"""Punctuation that follows the reader's language (issue 11 item 9: no Chinese punctuation inside English text).

Chinese writes 行业：软件开发、集成电路设计（试点）; English writes "Industry: Software development, Integrated circuit
design (pilot)". The marks are messages of the catalogue (context "punctuation"), so each language has its own.
Templates use the tags of `{% load punctuation %}` (hongyin/common/templatetags/punctuation.py)."""

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import pgettext


def colon() -> str:
    """After a label: "：" or ": "."""
    return pgettext("punctuation", "：")


def list_sep() -> str:
    """Between the items of a list: "、" or ", "."""
    return pgettext("punctuation", "、")


def join(items) -> str:
    return list_sep().join(str(i) for i in items)


def in_parens(value) -> str:
    """A remark in brackets: "（…）" or " (…)"; nothing for an empty value."""
    if value in (None, ""):
        return ""
    return pgettext("punctuation", "（%(x)s）") % {"x": value}


def join_html(items) -> SafeString:
    return mark_safe(conditional_escape(list_sep()).join(conditional_escape(i) for i in items))


def in_parens_html(value) -> SafeString | str:
    if value in (None, ""):
        return ""
    return mark_safe(conditional_escape(pgettext("punctuation", "（%(x)s）")) % {"x": conditional_escape(value)})
