from django import forms
from django.utils.translation import gettext_lazy as _

from hongyin.common.posted import IdChoiceField
from hongyin.members.choices import Education, Gender, MemberCategory
from hongyin.orgs.models import BRANCH_KINDS, Organization


def branch_choices():
    return Organization.objects.filter(kind__in=BRANCH_KINDS, dissolved_on__isnull=True).order_by("path")


def add_domain_error(form: forms.Form, exc) -> None:
    """Show a DomainError under its field (or on top of the form when it names no field of this form)."""
    visible = exc.field in form.fields and not form.fields[exc.field].widget.is_hidden
    form.add_error(exc.field if visible else None, exc.message)


class TransferRequestForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    target = IdChoiceField(label=_("接收党组织"), queryset=Organization.objects.none())
    reason = forms.CharField(label=_("转接原因"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = branch_choices()


class TransferOutForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    external_org = forms.CharField(label=_("接收党组织（平台外）"), max_length=200)
    reason = forms.CharField(label=_("转接原因"), max_length=200)
    letter_valid_days = forms.IntegerField(label=_("介绍信有效期（天）"), initial=30, min_value=1, max_value=90)


class TransferInForm(forms.Form):
    target = IdChoiceField(label=_("接收党支部"), queryset=Organization.objects.none())
    external_org = forms.CharField(label=_("转出党组织（平台外）"), max_length=200)
    incoming_letter_number = forms.CharField(label=_("来函编号"), max_length=60, required=False)
    name = forms.CharField(label=_("姓名"), max_length=40)
    id_number = forms.CharField(label=_("公民身份号码"), max_length=30)
    gender = forms.ChoiceField(label=_("性别"), choices=[("", "—"), *Gender.choices], required=False)
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    education = forms.ChoiceField(label=_("学历"), choices=[("", "—"), *Education.choices], required=False)
    category = forms.ChoiceField(label=_("人员类别"), choices=MemberCategory.choices)
    status = forms.ChoiceField(label=_("党员状态"), choices=[("full", _("正式党员")), ("probationary", _("预备党员"))])
    joined_on = forms.DateField(label=_("入党日期"), widget=forms.DateInput(attrs={"type": "date"}))
    full_member_on = forms.DateField(
        label=_("转正日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    employer_name = forms.CharField(label=_("工作单位"), max_length=200, required=False)

    def __init__(self, *args, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = targets if targets is not None else Organization.objects.none()


class ActionForm(forms.Form):
    reason = forms.CharField(label=_("原因 / 意见"), max_length=300, required=False)
    target = IdChoiceField(label=_("改为接收党组织"), queryset=Organization.objects.none(), required=False)
    slip_returned_on = forms.DateField(
        label=_("回执退回日期"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = branch_choices()


class FloatingForm(forms.Form):
    is_floating = forms.BooleanField(label=_("流动党员"), required=False)
    floating_place = forms.CharField(label=_("流动去向"), max_length=200, required=False)
