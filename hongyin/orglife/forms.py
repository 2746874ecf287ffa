from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongyin.common.errors import DomainError

from .models import AttendanceState, MeetingKind, MeetingStatus, Period

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ATTENDANCE_PREFIX = "att_"


class MeetingForm(forms.Form):
    org = forms.TypedChoiceField(label=gettext_lazy("党组织"), coerce=int)
    kind = forms.ChoiceField(label=gettext_lazy("会议类型"), choices=MeetingKind.choices)
    title = forms.CharField(label=gettext_lazy("会议主题"), max_length=120)
    planned_on = forms.DateField(label=gettext_lazy("计划日期"), required=False, widget=DATE)
    held_on = forms.DateField(
        label=gettext_lazy("召开日期"),
        required=False,
        widget=DATE,
        help_text=gettext_lazy("已召开的会议填写；尚未召开的只填计划日期。"),
    )
    place = forms.CharField(label=gettext_lazy("地点"), max_length=120, required=False)
    presenter = forms.CharField(label=gettext_lazy("主持人"), max_length=40, required=False)
    recorder = forms.CharField(label=gettext_lazy("记录人"), max_length=40, required=False)
    invitees = forms.CharField(label=gettext_lazy("列席人员"), max_length=300, required=False)
    topics = forms.CharField(label=gettext_lazy("议题"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    minutes = forms.CharField(
        label=gettext_lazy("会议内容及记录"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    resolutions = forms.CharField(
        label=gettext_lazy("决议"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("支部党员大会、民主评议须有超过半数有表决权的党员到会，方可形成决议。"),
    )

    def __init__(self, *args, orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].choices = [(o.pk, o.name) for o in orgs]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


def posted_attendance(data) -> dict[int, str]:
    """{member_id: state} from the fields att_<member id>; a clear message on anything else."""
    out = {}
    for key in data:
        if not key.startswith(ATTENDANCE_PREFIX):
            continue
        raw = key[len(ATTENDANCE_PREFIX) :]
        if not raw.isascii() or not raw.isdecimal() or len(raw) > 12:
            raise DomainError(_("出勤名单中有无法识别的党员。"), field="attendance")
        state = data.get(key)
        if state not in AttendanceState.values:
            raise DomainError(_("出勤情况不正确，请从列表中选择。"), field="attendance")
        out[int(raw)] = state
    return out


class ActionForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("意见或退回原因"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs["class"] = "form-control"


class MeetingFilterForm(forms.Form):
    kind = forms.ChoiceField(required=False, choices=[("", gettext_lazy("全部类型")), *MeetingKind.choices])
    status = forms.ChoiceField(required=False, choices=[("", gettext_lazy("全部状态")), *MeetingStatus.choices])
    start = forms.CharField(required=False, max_length=7)
    end = forms.CharField(required=False, max_length=7)
    org = forms.CharField(required=False, max_length=12)


class FrequencyForm(forms.Form):
    kind = forms.ChoiceField(choices=MeetingKind.choices)
    period = forms.ChoiceField(label=gettext_lazy("周期"), choices=Period.choices)
    times = forms.CharField(label=gettext_lazy("每周期次数"), max_length=3)
    active = forms.BooleanField(label=gettext_lazy("纳入考核"), required=False)


class ExemptionForm(forms.Form):
    org = forms.CharField(label=gettext_lazy("党支部"), max_length=12)
    kind = forms.ChoiceField(label=gettext_lazy("会议类型"), choices=MeetingKind.choices)
    start = forms.CharField(label=gettext_lazy("起始月份"), max_length=7)
    end = forms.CharField(label=gettext_lazy("截止月份"), max_length=7)
    reason = forms.CharField(label=gettext_lazy("原因"), max_length=200)


def add_domain_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


class GuideForm(forms.Form):
    month = forms.CharField(label=gettext_lazy("月份"), max_length=7, widget=forms.TextInput(attrs={"type": "month"}))
    title = forms.CharField(label=gettext_lazy("标题"), max_length=120)
    deadline = forms.DateField(label=gettext_lazy("报送截止日期"), widget=DATE)
    summary = forms.CharField(
        label=gettext_lazy("本月要点"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    materials = forms.CharField(
        label=gettext_lazy("学习材料"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("每行一份材料；可在行末附上网址（http:// 或 https:// 开头）。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in MeetingKind.choices:
            self.fields[f"topics_{kind}"] = forms.CharField(
                label=label,
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    def topic_fields(self):
        return [self[f"topics_{kind}"] for kind in MeetingKind.values]

    def topics(self) -> dict[str, str]:
        return {kind: self.cleaned_data.get(f"topics_{kind}", "") for kind in MeetingKind.values}
