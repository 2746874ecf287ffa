from django import forms
from django.utils.translation import gettext_lazy as _

from hongyin.appeals_config.models import AppealCategory
from hongyin.common.posted import IdChoiceField
from hongyin.enterprises.widgets import EnterprisePicker

from .models import AppealSource, Department, Rating, Visit


class AppealForm(forms.Form):
    enterprise = IdChoiceField(queryset=None, label=_("企业"), widget=EnterprisePicker)
    category = IdChoiceField(queryset=AppealCategory.objects.filter(is_active=True), label=_("诉求类别"))
    source = forms.ChoiceField(choices=AppealSource.choices, label=_("来源"), initial=AppealSource.PHONE)
    title = forms.CharField(label=_("标题"), max_length=120)
    content = forms.CharField(label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, enterprises=None, portal=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["enterprise"].widget.pick_for = "appeals.submit"
        if portal:
            del self.fields["source"]
            if enterprises is not None and enterprises.count() == 1:
                self.fields["enterprise"].initial = enterprises.first()
        bootstrap(self)


class VisitForm(forms.Form):
    enterprise = IdChoiceField(queryset=None, label=_("企业"), widget=EnterprisePicker)
    visited_on = forms.DateField(label=_("走访日期"), widget=forms.DateInput(attrs={"type": "date"}))
    status = forms.ChoiceField(choices=Visit.Status.choices[:2], label=_("状态"), initial=Visit.Status.DONE)
    people = forms.CharField(label=_("参与人员"), max_length=300, required=False)
    topics = forms.CharField(label=_("走访主题"), max_length=300, required=False)
    findings = forms.CharField(label=_("走访情况"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    attachment = forms.FileField(label=_("附件"), required=False)
    appeal_category = IdChoiceField(
        queryset=AppealCategory.objects.filter(is_active=True), label=_("同时提出诉求：类别"), required=False
    )
    appeal_title = forms.CharField(label=_("诉求标题"), max_length=120, required=False)
    appeal_content = forms.CharField(label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, enterprises=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["enterprise"].widget.pick_for = "visits.manage"
        bootstrap(self)


class DepartmentChoice(forms.Form):
    department = IdChoiceField(queryset=Department.objects.filter(is_active=True), required=False)


class RatingForm(forms.Form):
    rating = forms.ChoiceField(choices=Rating.choices, label=_("评价"), widget=forms.RadioSelect)
    comment = forms.CharField(label=_("意见"), max_length=300, required=False)


def bootstrap(form):
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.RadioSelect):
            continue
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)
    return form
