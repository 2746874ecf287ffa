from django import forms
from django.utils.translation import gettext_lazy as _

from hongyin.common.posted import IdChoiceField, IdMultipleChoiceField
from hongyin.members.choices import ETHNICITY_CHOICES, Education, Gender, MemberCategory
from hongyin.members.models import Member


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def add_domain_error(form: forms.Form, exc) -> None:
    visible = exc.field in form.fields and not form.fields[exc.field].widget.is_hidden
    form.add_error(exc.field if visible else None, exc.message)


DATE = {"widget": forms.DateInput(attrs={"type": "date"})}


class CaseForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=40)
    id_number = forms.CharField(label=_("公民身份号码"), max_length=30)
    gender = forms.ChoiceField(label=_("性别"), choices=[("", "—"), *Gender.choices], required=False)
    ethnicity = forms.ChoiceField(label=_("民族"), choices=ETHNICITY_CHOICES, initial="汉族")
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    education = forms.ChoiceField(label=_("学历"), choices=[("", "—"), *Education.choices], required=False)
    category = forms.ChoiceField(label=_("人员类别"), choices=MemberCategory.choices)
    employer_name = forms.CharField(label=_("工作单位"), max_length=200, required=False)
    branch = IdChoiceField(label=_("党支部"), queryset=None)
    applied_on = forms.DateField(label=_("申请日期"), **DATE)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches


CONCLUSIONS = [("qualified", _("合格")), ("unqualified", _("不合格"))]


class StepForm(forms.Form):
    """One form for every step; the page shows the fields the step needs (STEP_FIELDS). The step is the URL's."""

    done_on = forms.DateField(label=_("日期"), **DATE)
    people = IdMultipleChoiceField(label=_("党员（培养联系人 / 入党介绍人）"), queryset=None, required=False)
    yes_votes = forms.IntegerField(label=_("赞成票数"), required=False, min_value=0)
    training_days = forms.IntegerField(label=_("培训天数"), required=False, min_value=0)
    training_hours = forms.IntegerField(label=_("培训学时"), required=False, min_value=0)
    conclusion = forms.ChoiceField(label=_("政治审查结论"), choices=CONCLUSIONS, required=False)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    files = MultipleFileField(label=_("材料（PDF、图片、Word）"), required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people if people is not None else Member.objects.none()


STEP_FIELDS = {5: ["people"], 9: ["people"], 10: ["conclusion"], 11: ["training_days", "training_hours"]}
STEP_FIELDS.update({15: ["yes_votes"], 23: ["yes_votes"]})


class ExtendForm(forms.Form):
    months = forms.IntegerField(label=_("延长月数（1-12）"))
    decided_on = forms.DateField(label=_("支部大会决定日期"), **DATE)
    reason = forms.CharField(label=_("理由"), max_length=200)


class CloseForm(forms.Form):
    reason = forms.CharField(label=_("终止原因"), max_length=200)
