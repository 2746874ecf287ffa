from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import ETHNICITY_CHOICES, Education, Gender, LeaveReason, MemberCategory, MemberStatus
from .selectors import AGE_BANDS, SORTS


class DateInput(forms.DateInput):
    input_type = "date"

    def format_value(self, value):
        return value.isoformat() if hasattr(value, "isoformat") else value


def blank(choices):
    return [("", _("全部")), *choices]


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或拼音"), required=False, max_length=40)
    org = forms.IntegerField(label=_("党组织（含下级）"), required=False, widget=forms.Select)
    category = forms.ChoiceField(label=_("人员类别"), required=False, choices=blank(MemberCategory.choices))
    status = forms.ChoiceField(label=_("党员状态"), required=False, choices=blank(MemberStatus.choices))
    education = forms.ChoiceField(label=_("学历"), required=False, choices=blank(Education.choices))
    age = forms.ChoiceField(label=_("年龄段"), required=False, choices=blank([(k, k) for k in AGE_BANDS]))
    joined_year = forms.IntegerField(label=_("入党年份"), required=False, min_value=1921, max_value=2100)
    include_left = forms.BooleanField(label=_("含已离开的党员"), required=False)
    sort = forms.ChoiceField(
        label=_("排序"),
        required=False,
        choices=[
            ("org", _("按组织")),
            ("name", _("按姓名拼音")),
            ("-joined", _("入党日期（新到旧）")),
            ("joined", _("入党日期（旧到新）")),
            ("birth", _("年龄（大到小）")),
            ("-birth", _("年龄（小到大）")),
        ],
    )

    def clean_sort(self):
        value = self.cleaned_data.get("sort") or "org"
        return value if value in SORTS else "org"


class MemberEditForm(forms.Form):
    """The member's own fields. Status, joining and full-membership dates and the organization are set at
    registration and afterwards only by their workflows (development, transfers, leaving)."""

    name = forms.CharField(label=_("姓名"), max_length=40)
    id_number = forms.CharField(label=_("公民身份号码"), max_length=24)
    gender = forms.ChoiceField(label=_("性别"), choices=Gender.choices)
    birth_date = forms.DateField(label=_("出生日期（可不填，从身份证号读取）"), required=False, widget=DateInput)
    ethnicity = forms.ChoiceField(label=_("民族"), choices=ETHNICITY_CHOICES, initial="汉族")
    phone = forms.CharField(label=_("手机号码"), max_length=20, required=False)
    education = forms.ChoiceField(label=_("学历"), choices=[("", "—"), *Education.choices], required=False)
    category = forms.ChoiceField(label=_("人员类别"), choices=MemberCategory.choices)
    employer_name = forms.CharField(label=_("工作单位"), max_length=200, required=False)
    job_title = forms.CharField(label=_("职务"), max_length=60, required=False)
    is_floating = forms.BooleanField(label=_("流动党员"), required=False)
    floating_place = forms.CharField(label=_("流动去向"), max_length=200, required=False)


class MemberForm(MemberEditForm):
    """Registration: the own fields and where the member stands."""

    status = forms.ChoiceField(label=_("党员状态"), choices=MemberStatus.choices)
    joined_on = forms.DateField(label=_("入党日期"), widget=DateInput)
    full_member_on = forms.DateField(label=_("转正日期"), required=False, widget=DateInput)
    registered_on = forms.DateField(label=_("组织关系转入日期"), required=False, widget=DateInput)
    org = forms.IntegerField(label=_("所在党支部"), widget=forms.Select)

    field_order = [
        *list(MemberEditForm.base_fields)[:8],
        "status",
        "joined_on",
        "full_member_on",
        "registered_on",
        "org",
    ]


class MemberMoveForm(forms.Form):
    to_org = forms.IntegerField(label=_("转入党支部"), widget=forms.Select)
    reason = forms.CharField(label=_("调整原因"), max_length=200)


class MemberLeaveForm(forms.Form):
    left_on = forms.DateField(label=_("离开日期"), widget=DateInput)
    reason = forms.ChoiceField(label=_("离开原因"), choices=LeaveReason.choices)
    note = forms.CharField(label=_("说明"), max_length=100, required=False)


class ExportUnmaskForm(forms.Form):
    """The unmasked member export is an explicit choice, with its reason (audited as an unmasking)."""

    reason = forms.CharField(label=_("导出理由"), min_length=2, max_length=200, strip=True)
