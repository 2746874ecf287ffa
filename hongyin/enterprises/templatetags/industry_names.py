from django import template

from hongyin.enterprises import industry

register = template.Library()


@register.filter
def industry_name(code: str) -> str:
    """`{{ e.industry_code|industry_name }}`: the GB/T 4754 name in the active language."""
    return industry.name(code)
