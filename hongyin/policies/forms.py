from django import forms
from django.utils.translation import gettext_lazy as _

from hongyin.appeals.forms import bootstrap
from hongyin.common.posted import IdMultipleChoiceField
from hongyin.enterprises.models import Building, Tag

from .models import Policy


class PolicyForm(forms.ModelForm):
    class Meta:
        model = Policy
        fields = [
            "title", "issuer", "doc_number", "issued_on", "effective_from", "effective_to", "benefits", "full_text",
            "industry_codes", "size_classes", "tags", "buildings", "founded_after", "employees_min", "employees_max",
        ]  # fmt: skip
        field_classes = {"tags": IdMultipleChoiceField, "buildings": IdMultipleChoiceField}
        widgets = {
            "issued_on": forms.DateInput(attrs={"type": "date"}),
            "effective_from": forms.DateInput(attrs={"type": "date"}),
            "effective_to": forms.DateInput(attrs={"type": "date"}),
            "founded_after": forms.DateInput(attrs={"type": "date"}),
            "benefits": forms.Textarea(attrs={"rows": 3}),
            "full_text": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].queryset = Tag.objects.all()
        self.fields["buildings"].queryset = Building.objects.order_by("name")
        bootstrap(self)


class BriefingForm(forms.Form):
    title = forms.CharField(label=_("宣讲主题"), max_length=200)
    held_on = forms.DateField(label=_("日期"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    speaker = forms.CharField(label=_("主讲人"), max_length=80, required=False)
    policies = IdMultipleChoiceField(
        queryset=Policy.objects.filter(is_active=True), label=_("宣讲政策"), required=False
    )
    attendees = forms.CharField(
        label=_("参会企业"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("每行一家：统一社会信用代码 参会人"),
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap(self)
