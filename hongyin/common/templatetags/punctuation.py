"""`{% load punctuation %}`: marks in the reader's language (hongyin.common.punctuation).

{% translate "网格员" %}{% colon %}{{ names|list_join }}   网格员：张三、李四  /  Grid officer: 张三, 李四
{{ base.name }}{{ base.get_kind_display|in_parens }}      某孵化器（孵化器）  /  某孵化器 (Incubator)
{% for p in people %}{{ p }}{% if not forloop.last %}{% list_sep %}{% endif %}{% endfor %}"""

from django import template

from hongyin.common import punctuation

register = template.Library()


@register.simple_tag
def colon() -> str:
    return punctuation.colon()


@register.simple_tag
def list_sep() -> str:
    return punctuation.list_sep()


@register.filter
def list_join(values) -> str:
    """Items joined with the enumeration comma (、 or ", "), each escaped."""
    return punctuation.join_html(values)


@register.filter
def in_parens(value) -> str:
    return punctuation.in_parens_html(value)
