from django import forms
from django.utils.translation import gettext_lazy

from hongyin.common.errors import DomainError

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": 0}


class Styled(forms.Form):
    """Bootstrap's classes on every widget."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                continue
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


def add_domain_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


class ApplyForm(Styled):
    product = forms.TypedChoiceField(label=gettext_lazy("信贷产品"), coerce=int)
    amount = forms.DecimalField(label=gettext_lazy("申请金额（元）"), **MONEY)
    term_months = forms.IntegerField(label=gettext_lazy("申请期限（月）"), min_value=1, max_value=360)
    purpose = forms.CharField(label=gettext_lazy("资金用途"), max_length=300)

    def __init__(self, *args, products=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].choices = [(p.pk, f"{p.name} · {p.institution.name}") for p in products]


class CreditActionForm(Styled):
    """One form for the credit actions; each action reads the fields it needs (the services check them)."""

    note = forms.CharField(label=gettext_lazy("意见或原因"), max_length=500, required=False)
    amount = forms.DecimalField(label=gettext_lazy("金额（元）"), required=False, **MONEY)
    rate = forms.DecimalField(label=gettext_lazy("执行年利率（%）"), required=False, max_digits=5, decimal_places=2)
    term_months = forms.IntegerField(label=gettext_lazy("期限（月）"), required=False, min_value=1, max_value=360)
    on = forms.DateField(label=gettext_lazy("日期"), required=False, widget=DATE)


class OfferForm(Styled):
    partner = forms.TypedChoiceField(label=gettext_lazy("合作单位"), coerce=int)
    title = forms.CharField(label=gettext_lazy("优惠名称"), max_length=120)
    terms = forms.CharField(label=gettext_lazy("优惠条款"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    eligibility = forms.CharField(label=gettext_lazy("适用企业"), max_length=300, required=False)
    audience = forms.ChoiceField(label=gettext_lazy("面向"))
    valid_from = forms.DateField(label=gettext_lazy("开始日期"), widget=DATE)
    valid_until = forms.DateField(label=gettext_lazy("截止日期"), widget=DATE)

    def __init__(self, *args, partners=(), audiences=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].choices = [(p.pk, p.name) for p in partners]
        self.fields["audience"].choices = list(audiences)


class TicketForm(Styled):
    need = forms.CharField(label=gettext_lazy("需求说明"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class StepForm(Styled):
    note = forms.CharField(label=gettext_lazy("答复"), max_length=500)


class SavingsForm(Styled):
    savings = forms.DecimalField(label=gettext_lazy("节约金额（元）"), **MONEY)
