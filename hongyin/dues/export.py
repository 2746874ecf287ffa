"""Excel export of dues records for a subtree and months (the shared writer: constant memory, watermark, formula
neutralization), audited."""

import tempfile
from datetime import date

from hongyin.audit import services as audit
from hongyin.common.exports import SafeWorkbook, watermark_line
from hongyin.common.fields import mask_name
from hongyin.orgs.models import Organization

from .permissions import dues_records_visible_to

HEADERS = ["党支部", "姓名", "人员类别", "月份", "应缴（元）", "实缴（元）", "欠缴（元）", "缴纳日期", "已结账"]


def export_records(*, user, org: Organization, start: date, end: date) -> tuple[str, int]:
    """Writes the file to a temporary path; returns (path, rows). The caller streams and deletes it."""
    show_names = user.has_role_perm("personal_data.view")
    rows = (
        dues_records_visible_to(user)
        .filter(branch__path__startswith=org.path, month__gte=start, month__lte=end)
        .order_by("branch__path", "member__name_pinyin", "member_id", "month")
        .values_list("branch__name", "member__name", "member__category", "month", "due", "paid", "paid_on", "closed")
    )
    handle = tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    book = SafeWorkbook(handle.name, user=user)
    sheet = book.add_sheet("党费")
    bold = book.add_format({"bold": True})
    money = book.add_format({"num_format": "0.00"})
    sheet.write(0, 0, watermark_line(user), book.add_format({"italic": True, "font_color": "#b00000"}))
    sheet.write(1, 0, f"{org.name} 党费收缴明细 {start:%Y-%m} 至 {end:%Y-%m}", bold)
    sheet.write_row(2, 0, HEADERS, bold)
    categories = {
        "employed": "在职",
        "retired": "离退休",
        "student": "学生",
        "unemployed": "下岗失业",
        "farmer": "农民",
    }
    n = 0
    for n, (branch, name, category, month, due, paid, paid_on, closed) in enumerate(rows.iterator(2000), start=1):
        r = n + 2
        sheet.write(r, 0, branch)
        sheet.write(r, 1, name if show_names else mask_name(name))
        sheet.write(r, 2, categories.get(category, category))
        sheet.write(r, 3, f"{month:%Y-%m}")
        sheet.write(r, 4, float(due), money)
        sheet.write(r, 5, float(paid), money)
        sheet.write(r, 6, float(max(due - paid, 0)), money)
        sheet.write(r, 7, f"{paid_on:%Y-%m-%d}" if paid_on else "")
        sheet.write(r, 8, "是" if closed else "否")
    book.close()
    audit.record(
        actor=user,
        action="dues.export",
        obj=org,
        org=org,
        details={"from": f"{start:%Y-%m}", "to": f"{end:%Y-%m}", "rows": n, "names_masked": not show_names},
    )
    return handle.name, n
