"""The one way a view reads an id from a posted form field (a <select>, a hidden input, a checkbox list).

    floor = Floor.objects.filter(building=building, pk=posted_id(request.POST.get("floor"), _("楼层"))).first()

Anything but plain ASCII digits of a positive id the database can hold ("abc", "1;DROP", "-1", "１２",
"99999999999999999999") raises DomainError "请选择有效的楼层。" (field = the form field), which the view shows as
a form error: never a 500.
"""

from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .errors import DomainError

MAX_ID = 2**63 - 1


def _parse(value, label: str, field: str | None) -> int:
    if isinstance(value, str) and is_id(value):
        return int(value.strip())
    raise DomainError(_("请选择有效的%(f)s。") % {"f": label}, field=field)


def posted_id(value, label: str, *, field: str | None = None, required: bool = True) -> int | None:
    """The id in `value`; None when it is empty and not required."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if not required:
            return None
        raise DomainError(_("请选择%(f)s。") % {"f": label}, field=field)
    return _parse(value, label, field)


def posted_ids(values: Iterable, label: str, *, field: str | None = None) -> list[int]:
    """Every id of a multiple choice (request.POST.getlist)."""
    return [_parse(v, label, field) for v in values]


class IdChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField that refuses a value that cannot be an id before it queries (a 20-digit number would
    otherwise overflow the database integer: a 500)."""

    def to_python(self, value):
        if value not in self.empty_values and not is_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for v in value:
            if not is_id(v):
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": v})
        return super()._check_values(value)


def is_id(value) -> bool:
    text = str(value).strip()
    return text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID
