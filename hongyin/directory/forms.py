import re
from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
LINE = re.compile(rf"^{DATE}(?:\s*(?:~|～|至|--|—|–)\s*{DATE})?\s*(.*)$")


def parse_dates(text: str) -> dict[date, str]:
    """One date per line, or a range "2027-02-05 ~ 2027-02-11", optionally followed by a note (元旦, 春节...)."""
    days: dict[date, str] = {}
    for n, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        m = LINE.match(line)
        try:
            first = date(int(m[1]), int(m[2]), int(m[3])) if m else None
            last = date(int(m[4]), int(m[5]), int(m[6])) if m and m[4] else first
        except ValueError:
            first = None
        if first is None:
            raise forms.ValidationError(
                _("第 %(n)s 行无法识别日期（应为 2027-01-01 或 2027-02-05 ~ 2027-02-11）：%(line)s")
                % {"n": n, "line": line[:40]}
            )
        if last < first or (last - first).days > 31:
            raise forms.ValidationError(_("第 %(n)s 行的日期范围无效：%(line)s") % {"n": n, "line": line[:40]})
        note = m[7].strip()
        for i in range((last - first).days + 1):
            days[first + timedelta(days=i)] = note
    return days


class CalendarYearConfirmForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年份"), min_value=2000, max_value=2100)
    note = forms.CharField(
        label=gettext_lazy("依据"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("例如：国务院办公厅关于 2027 年部分节假日安排的通知"),
    )
    holidays = forms.CharField(
        label=gettext_lazy("放假日期"),
        widget=forms.Textarea(attrs={"rows": 10, "cols": 50}),
        help_text=gettext_lazy("每行一个日期或一个范围，可附说明，例如：2027-01-01 元旦；2027-02-05 ~ 2027-02-11 春节"),
    )
    workdays = forms.CharField(
        label=gettext_lazy("调休上班日期"),
        widget=forms.Textarea(attrs={"rows": 6, "cols": 50}),
        required=False,
        help_text=gettext_lazy("周六或周日上班的日期，每行一个，例如：2027-02-20 春节调休"),
    )

    def clean_holidays(self) -> dict[date, str]:
        return parse_dates(self.cleaned_data["holidays"])

    def clean_workdays(self) -> dict[date, str]:
        return parse_dates(self.cleaned_data["workdays"])
