"""Forms of the quizzes: a question of the bank, a paper (hand-picked questions and draw rules), a grade."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Difficulty, QuestionKind

RULE_ROWS = 4
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class DateTimeLocal(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kw):
        super().__init__(format="%Y-%m-%dT%H:%M", **kw)


class QuestionForm(forms.Form):
    kind = forms.ChoiceField(label=_("题型"), choices=QuestionKind.choices)
    stem = forms.CharField(label=_("题干"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    options = forms.CharField(
        label=_("选项（每行一个）"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("选择题填写，按 A、B、C、D 的顺序每行一个。"),
    )
    answer = forms.CharField(
        label=_("答案"),
        required=False,
        max_length=20,
        help_text=_("选择题填写选项字母（如 A 或 ABD）；判断题填写“对”或“错”。"),
    )
    reference = forms.CharField(
        label=_("参考答案"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("简答题必填，阅卷时对照。"),
    )
    explanation = forms.CharField(
        label=_("解析"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    tags = forms.CharField(label=_("标签"), required=False, max_length=280, help_text=_("多个标签用逗号分隔。"))
    difficulty = forms.TypedChoiceField(
        label=_("难度"), choices=Difficulty.choices, coerce=int, initial=Difficulty.MEDIUM
    )

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        for f in self.fields.values():
            css = "form-select" if isinstance(f.widget, forms.Select) else "form-control"
            f.widget.attrs.setdefault("class", css)


class PaperForm(forms.Form):
    title = forms.CharField(label=_("试卷名称"), max_length=120)
    description = forms.CharField(
        label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    org = forms.TypedChoiceField(label=_("发布组织"), coerce=int)
    targets = forms.TypedMultipleChoiceField(
        label=_("参加组织"), coerce=int, help_text=_("所选组织及其下级组织的党员参加（可多选）。")
    )
    time_limit = forms.IntegerField(label=_("答题时限（分钟）"), min_value=1, max_value=600, initial=30)
    pass_mark = forms.IntegerField(label=_("及格分"), min_value=1, max_value=30000, initial=60)
    max_attempts = forms.IntegerField(label=_("允许答题次数"), min_value=1, max_value=20, initial=2)
    opens_at = forms.DateTimeField(label=_("开始时间"), input_formats=DATETIME_FORMATS, widget=DateTimeLocal())
    closes_at = forms.DateTimeField(label=_("截止时间"), input_formats=DATETIME_FORMATS, widget=DateTimeLocal())
    question_ids = forms.CharField(
        label=_("手工选题（题目编号）"),
        required=False,
        max_length=2000,
        help_text=_("题库中的题目编号，用逗号分隔；可与抽题规则同时使用。"),
    )
    hand_points = forms.IntegerField(label=_("手工选题每题分值"), min_value=1, max_value=100, initial=5)

    def __init__(self, *args, orgs=(), **kw):
        super().__init__(*args, **kw)
        choices = [(o.pk, o.name) for o in orgs]
        self.fields["org"].choices = choices
        self.fields["targets"].choices = choices
        self.fields["targets"].widget.attrs["size"] = 6
        for f in self.fields.values():
            css = "form-select" if isinstance(f.widget, forms.Select | forms.SelectMultiple) else "form-control"
            f.widget.attrs.setdefault("class", css)

    def clean_question_ids(self):
        raw = self.cleaned_data.get("question_ids", "")
        for sep in "，、； ;":
            raw = raw.replace(sep, ",")
        ids = []
        for part in (p.strip() for p in raw.split(",")):
            if not part:
                continue
            if not part.isdigit() or len(part) > 9:
                raise forms.ValidationError(_("题目编号应为数字：%(p)s") % {"p": part[:12]})
            ids.append(int(part))
        return ids


def add_domain_error(form, exc) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
