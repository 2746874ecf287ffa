from django import forms
from django.utils.translation import gettext_lazy as _

from hongyin.common.errors import DomainError

from .models import ActivityKind
from .services import MAX_CAPACITY


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


DT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]


def _dt_field(label):
    return forms.DateTimeField(
        label=label, input_formats=DT_FORMATS, widget=DateTimeLocalInput(attrs={"class": "form-control"})
    )


class ActivityForm(forms.Form):
    org = forms.TypedChoiceField(label=_("主办党组织"), coerce=int, widget=forms.Select(attrs={"class": "form-select"}))
    kind = forms.ChoiceField(
        label=_("活动类型"), choices=ActivityKind.choices, widget=forms.Select(attrs={"class": "form-select"})
    )
    title = forms.CharField(
        label=_("活动名称"), max_length=120, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    place = forms.CharField(
        label=_("活动地点"), max_length=120, widget=forms.TextInput(attrs={"class": "form-control"})
    )
    starts_at = _dt_field(_("开始时间"))
    ends_at = _dt_field(_("结束时间"))
    signup_deadline = _dt_field(_("报名截止时间"))
    capacity = forms.IntegerField(
        label=_("名额"),
        min_value=1,
        max_value=MAX_CAPACITY,
        widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
    )
    co_orgs = forms.TypedMultipleChoiceField(
        label=_("联合组织单位"),
        coerce=int,
        required=False,
        help_text=_("联建共建活动：选择一同组织的党组织（可多选），其党员可报名，其书记可查看本单位党员的出勤。"),
        widget=forms.SelectMultiple(attrs={"class": "form-select", "size": 5}),
    )
    description = forms.CharField(
        label=_("活动内容"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 5}),
    )

    def __init__(self, *args, orgs=(), partners=(), edit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [(o.pk, o.name) for o in orgs]
        self.fields["co_orgs"].choices = [(o.pk, o.name) for o in partners]
        if edit:
            self.fields["org"].disabled = True


class ActionForm(forms.Form):
    reason = forms.CharField(
        label=_("取消原因"), required=False, max_length=300, widget=forms.TextInput(attrs={"class": "form-control"})
    )


class SummaryForm(forms.Form):
    summary = forms.CharField(
        label=_("活动总结"), max_length=20000, widget=forms.Textarea(attrs={"class": "form-control", "rows": 5})
    )


def add_domain_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
