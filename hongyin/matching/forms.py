from django import forms
from django.utils.translation import gettext_lazy

from .models import PostKind, Visibility

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
OUTSIDE = ""


class PostForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=PostKind.choices)
    enterprise = forms.ChoiceField(label=gettext_lazy("发布企业"), required=False)
    outside_name = forms.CharField(
        label=gettext_lazy("园区外企业"),
        max_length=120,
        required=False,
        help_text=gettext_lazy("代园区外企业发布时填写，发布企业留空。"),
    )
    node = forms.TypedChoiceField(label=gettext_lazy("产业链环节"), coerce=int)
    title = forms.CharField(label=gettext_lazy("标题"), max_length=120)
    product = forms.CharField(label=gettext_lazy("产品或能力"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("详细说明"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4})
    )
    quantity = forms.CharField(label=gettext_lazy("数量"), max_length=60, required=False)
    budget_min = forms.DecimalField(
        label=gettext_lazy("预算下限（万元）"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    budget_max = forms.DecimalField(
        label=gettext_lazy("预算上限（万元）"), required=False, min_value=0, max_digits=12, decimal_places=2
    )
    deadline = forms.DateField(label=gettext_lazy("截止日期"), widget=DATE)
    region = forms.CharField(label=gettext_lazy("地区"), max_length=60, required=False)
    visibility = forms.ChoiceField(label=gettext_lazy("公开范围"), choices=Visibility.choices)
    attachment = forms.FileField(label=gettext_lazy("附件"), required=False)

    def __init__(self, *args, enterprises=(), nodes=(), outside_allowed=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(e.pk), e.name) for e in enterprises]
        if outside_allowed:
            choices = [(OUTSIDE, gettext_lazy("（园区外企业，见下栏）")), *choices]
        else:
            del self.fields["outside_name"]
        self.fields["enterprise"].choices = choices
        self.fields["node"].choices = [(n.pk, f"{n.chain.name} / {n.name}") for n in nodes]
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)
        self.fields["attachment"].widget.attrs["accept"] = ".pdf,.docx,.xlsx,.jpg,.jpeg,.png"


class ContactForm(forms.Form):
    message = forms.CharField(label=gettext_lazy("留言"), max_length=500, required=False)


class DealForm(forms.Form):
    amount = forms.DecimalField(label=gettext_lazy("成交金额（万元）"), min_value=0, max_digits=14, decimal_places=2)
    signed_on = forms.DateField(label=gettext_lazy("成交日期"), widget=DATE)
    note = forms.CharField(label=gettext_lazy("备注"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control form-control-sm")
