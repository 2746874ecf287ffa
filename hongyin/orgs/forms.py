from django import forms
from django.utils.translation import gettext_lazy as _

from .models import OrgCategory, OrgKind, Post


class DateInput(forms.DateInput):
    input_type = "date"


class OrgCreateForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=120)
    short_name = forms.CharField(label=_("简称"), max_length=40, required=False)
    code = forms.CharField(label=_("组织代码"), max_length=40, required=False)
    kind = forms.ChoiceField(label=_("类型"), choices=OrgKind.choices)
    category = forms.ChoiceField(label=_("类别"), choices=OrgCategory.choices)
    founded_on = forms.DateField(label=_("成立日期"), required=False, widget=DateInput)
    approved_by = forms.CharField(label=_("批准机关"), max_length=120, required=False)
    covered_units = forms.CharField(
        label=_("覆盖单位（联合党支部，每行一个，不超过 5 个）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_village_community = forms.BooleanField(label=_("村（社区）党组织（任期 5 年）"), required=False)


class OrgEditForm(OrgCreateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]


class OrgMoveForm(forms.Form):
    new_parent = forms.TypedChoiceField(label=_("新的上级组织"), coerce=int)  # choices: the view's
    reason = forms.CharField(label=_("调整原因"), max_length=200, required=False)


class OrgMergeForm(forms.Form):
    target = forms.TypedChoiceField(label=_("并入的组织"), coerce=int)  # choices: the view's
    reason = forms.CharField(label=_("合并原因"), max_length=200, required=False)


class OrgDissolveForm(forms.Form):
    on = forms.DateField(label=_("撤销日期"), widget=DateInput)
    reason = forms.CharField(label=_("撤销原因"), max_length=200, required=False)


class PostForm(forms.Form):
    member = forms.IntegerField(label=_("党员"), widget=forms.Select)
    post = forms.ChoiceField(label=_("职务"), choices=Post.choices)
    from_on = forms.DateField(label=_("任职日期"), widget=DateInput)


class TermForm(forms.Form):
    started_on = forms.DateField(label=_("换届日期"), widget=DateInput)
    years = forms.IntegerField(label=_("任期（年，留空按规定）"), required=False, min_value=1, max_value=5)
