from django import template

from hongyin.audit.labels import action_label as _action_label

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    """`{{ event.action|action_label }}`: the action code's label in the active language."""
    return _action_label(code)


@register.filter
def object_type_label(label: str) -> str:
    """`members.member` -> the model's verbose name in the active language ("" stays "")."""
    from django.apps import apps

    if not label:
        return ""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return ""
