from django import forms
from django.utils.translation import gettext_lazy as _

from hongyin.common.errors import DomainError

from .models import EventKind, GuestKind, OutcomeStage

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = forms.NumberInput(attrs={"step": "0.01", "min": "0"})


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            if isinstance(f.widget, forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            f.widget.attrs.setdefault("class", css)


class EventForm(StyledForm):
    title = forms.CharField(label=_("活动名称"), max_length=120)
    kind = forms.ChoiceField(label=_("活动类型"), choices=EventKind.choices)
    held_on = forms.DateField(label=_("举办日期"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    organizers = forms.TypedMultipleChoiceField(
        label=_("主办党组织"), coerce=int, widget=forms.SelectMultiple(attrs={"size": 4})
    )
    description = forms.CharField(
        label=_("活动简介"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )

    def __init__(self, *args, orgs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organizers"].choices = [(o.pk, o.name) for o in orgs]


class PresentationForm(StyledForm):
    enterprise = forms.TypedChoiceField(label=_("企业"), coerce=int)
    project = forms.CharField(label=_("路演项目"), max_length=120)
    financing_sought = forms.DecimalField(
        label=_("拟融资金额（万元）"), required=False, max_digits=12, decimal_places=2, min_value=0, widget=MONEY
    )

    def __init__(self, *args, enterprises=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [("", "---------"), *((e.pk, e.name) for e in enterprises)]


class InvitationForm(StyledForm):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=[(GuestKind.INSTITUTION, GuestKind.INSTITUTION.label), (GuestKind.INVESTOR, GuestKind.INVESTOR.label)],
    )
    institution = forms.TypedChoiceField(label=_("金融机构"), coerce=int, required=False, empty_value=None)
    name = forms.CharField(label=_("投资人或机构名称"), max_length=100, required=False)

    def __init__(self, *args, institutions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].choices = [("", "---------"), *((i.pk, i.name) for i in institutions)]


class RegistrationForm(StyledForm):
    name = forms.CharField(label=_("姓名"), max_length=40)
    kind = forms.ChoiceField(label=_("类型"), choices=GuestKind.choices)
    unit = forms.CharField(label=_("单位"), max_length=100, required=False)


class OutcomeForm(StyledForm):
    stage = forms.ChoiceField(
        label=_("进展"),
        choices=[(s.value, s.label) for s in (OutcomeStage.INTENTION, OutcomeStage.AGREEMENT, OutcomeStage.LANDED)],
    )
    enterprise = forms.TypedChoiceField(label=_("企业"), coerce=int)
    project = forms.CharField(label=_("项目"), max_length=120)
    occurred_on = forms.DateField(label=_("日期"), widget=DATE)
    amount = forms.DecimalField(
        label=_("金额（万元）"), required=False, max_digits=12, decimal_places=2, min_value=0, widget=MONEY
    )
    department = forms.TypedChoiceField(
        label=_("跟进部门"), coerce=int, required=False, empty_value=None, help_text=_("落地项目必填")
    )
    follow_up_due = forms.DateField(label=_("下次跟进日期"), required=False, widget=DATE, help_text=_("意向和签约必填"))
    note = forms.CharField(label=_("说明"), max_length=300, required=False)

    def __init__(self, *args, enterprises=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [("", "---------"), *((e.pk, e.name) for e in enterprises)]
        self.fields["department"].choices = [("", "---------"), *((d.pk, d.name) for d in departments)]


class OutcomeActionForm(StyledForm):
    note = forms.CharField(label=_("跟进情况 / 说明"), max_length=300, required=False)
    occurred_on = forms.DateField(label=_("日期"), required=False, widget=DATE)
    amount = forms.DecimalField(
        label=_("金额（万元）"), required=False, max_digits=12, decimal_places=2, min_value=0, widget=MONEY
    )
    department = forms.TypedChoiceField(label=_("跟进部门"), coerce=int, required=False, empty_value=None)
    follow_up_due = forms.DateField(label=_("下次跟进日期"), required=False, widget=DATE)

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [("", "---------"), *((d.pk, d.name) for d in departments)]


class RequestForm(StyledForm):
    enterprise = forms.TypedChoiceField(label=_("企业"), coerce=int)
    note = forms.CharField(
        label=_("需求说明"), max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, enterprises=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].choices = [(e.pk, e.name) for e in enterprises]


def add_domain_error(form: forms.Form, exc: DomainError) -> None:
    if exc.field and exc.field in form.fields:
        form.add_error(exc.field, exc.message)
    else:
        form.add_error(None, exc.message)


def first_error(form: forms.Form) -> str:
    for errors in form.errors.values():
        if errors:
            return str(errors[0])
    return ""
