"""The monthly report: the figures of a month by department and category, as xlsx and as PDF (WeasyPrint with
the whole Noto Sans SC TTFs, so every Chinese character is drawn whatever the machine has installed)."""

import io
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongyin.common.errors import DomainError
from hongyin.common.exports import SafeWorkbook, watermark_line

from .selectors import StatsFilter, appeal_figures, appeal_figures_by

COLUMNS = [
    ("label", gettext_lazy("名称")),
    ("total", gettext_lazy("诉求数")),
    ("open", gettext_lazy("未办结")),
    ("response_rate", gettext_lazy("响应率%")),
    ("on_time_rate", gettext_lazy("按时办结率%")),
    ("resolution_rate", gettext_lazy("实际解决率%")),
    ("satisfaction_rate", gettext_lazy("满意率%")),
    ("avg_days", gettext_lazy("平均办理工作日")),
]


def _month(month: str) -> tuple[date, date]:
    if not month:
        first = timezone.localdate().replace(day=1)
        first = (first - timedelta(days=1)).replace(day=1)  # last complete month
    else:
        try:
            first = date.fromisoformat(f"{month}-01")
        except ValueError:
            raise DomainError(_("月份格式应为 YYYY-MM。"), field="month")
    nxt = (first + timedelta(days=32)).replace(day=1)
    return first, nxt - timedelta(days=1)


def report_data(*, user, month: str = "") -> dict:
    start, end = _month(month)
    f = StatsFilter(start=start, end=end)
    return {
        "month": f"{start:%Y-%m}",
        "total": appeal_figures(user=user, f=f),
        "sections": [
            (_("按承办部门"), appeal_figures_by(user=user, by="department", f=f)),
            (_("按诉求类别"), appeal_figures_by(user=user, by="category", f=f)),
            (_("按楼宇"), appeal_figures_by(user=user, by="building", f=f)),
        ],
        "columns": COLUMNS,
    }


def monthly_report_xlsx(*, user, month: str = "") -> tuple[bytes, str]:
    data = report_data(user=user, month=month)
    buf = io.BytesIO()
    with SafeWorkbook(buf, user=user, constant_memory=False) as wb:
        bold = wb.add_format({"bold": True})
        ws = wb.add_sheet(_("月报"))
        ws.write(0, 0, _("企业诉求办理月报 %(m)s") % {"m": data["month"]}, bold)
        ws.write(1, 0, watermark_line(user), wb.add_format({"italic": True, "font_color": "#b00000"}))
        row = 2
        for key, label in COLUMNS[1:]:
            ws.write(row, 0, str(label))
            ws.write(row, 1, data["total"].get(key))
            row += 1
        for title, rows in data["sections"]:
            row += 1
            ws.write(row, 0, str(title), bold)
            row += 1
            ws.write_row(row, 0, [str(label) for _k, label in COLUMNS], bold)
            for r in rows:
                row += 1
                ws.write_row(row, 0, [r.get(k) for k, _l in COLUMNS])
        ws.set_column(0, 0, 24)
    return buf.getvalue(), f"appeals-{data['month']}.xlsx"


def font_urls() -> dict:
    base = Path(settings.BASE_DIR) / "hongyin" / "static" / "vendor" / "fonts"
    return {
        "regular": (base / "NotoSansSC-Regular.ttf").as_uri(),
        "bold": (base / "NotoSansSC-Bold.ttf").as_uri(),
    }


def monthly_report_pdf(*, user, month: str = "") -> tuple[bytes, str]:
    from weasyprint import HTML

    data = report_data(user=user, month=month)
    html = render_to_string("appeals/report_pdf.html", {**data, "fonts": font_urls()})
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
    return pdf, f"appeals-{data['month']}.pdf"
