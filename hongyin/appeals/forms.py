from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from hongyin.appeals_config.models import AppealCategory
from hongyin.common.posted import IdChoiceField
from hongyin.directory.models import Department
from hongyin.enterprises.widgets import EnterprisePicker

from .models import AppealSource, Rating, Visit


class CategorySelect(forms.Select):
    """The category choice with each option's handling time (data-resolve-days) and, under it, the expected
    handling time of the chosen category: filled here for a bound form, updated by app.js when the choice changes
    (no inline script)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        category = getattr(value, "instance", None)
        if category is not None:
            option["attrs"]["data-resolve-days"] = category.resolve_days
        return option

    def render(self, name, value, attrs=None, renderer=None):
        hint_id = f"{(attrs or {}).get('id') or self.attrs.get('id') or 'id_' + name}_hint"
        self.attrs["data-resolve-hint"] = hint_id
        self.attrs["aria-describedby"] = hint_id
        select = super().render(name, value, attrs, renderer)
        template = str(_("预计办理时限：%(n)s 个工作日内办结"))
        days = None
        if value not in (None, "") and str(value).isascii() and str(value).isdigit():
            days = AppealCategory.objects.filter(pk=int(value)).values_list("resolve_days", flat=True).first()
        hint = format_html(
            '<div class="form-text" id="{}" data-hint-template="{}" aria-live="polite" data-testid="resolve-hint">'
            "{}</div>",
            hint_id,
            template,
            template % {"n": days} if days is not None else "",
        )
        return format_html("{}{}", select, hint)


class AppealForm(forms.Form):
    enterprise = IdChoiceField(queryset=None, label=_("企业"), widget=EnterprisePicker)
    category = IdChoiceField(
        queryset=AppealCategory.objects.filter(is_active=True),
        label=_("诉求类别"),
        empty_label=_("请选择诉求类别"),
        widget=CategorySelect,
    )
    source = forms.ChoiceField(choices=AppealSource.choices, label=_("来源"), initial=AppealSource.PHONE)
    title = forms.CharField(label=_("标题"), max_length=120)
    content = forms.CharField(label=_("诉求内容"), widget=forms.Textarea(attrs={"rows": 4}))
    attachment = forms.FileField(
        label=_("附件"), required=False, help_text=_("可选：PDF、PNG、JPG、Word 或 Excel 格式的证明材料。")
    )

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
