from django import template

from hongyin.audit.labels import action_label as _action_label

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    """`{{ event.action|action_label }}`: the action code's label in the active language."""
    return _action_label(code)


# Models that moved to another app: older events keep the label they were written with (the log is never rewritten).
MOVED_MODELS = {
    "appeals.department": "directory.department",
    "appeals_config.calendaryear": "directory.calendaryear",
    "appeals_config.calendaroverride": "directory.calendaroverride",
}


@register.filter
def object_type_label(label: str) -> str:
    """`members.member` -> the model's verbose name in the active language ("" stays "")."""
    from django.apps import apps

    if not label:
        return ""
    try:
        return str(apps.get_model(MOVED_MODELS.get(label, label))._meta.verbose_name)
    except (LookupError, ValueError):
        return ""
