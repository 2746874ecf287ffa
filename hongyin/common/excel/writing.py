"""Writing: the error report of a run and the template of an import kind."""

from collections.abc import Iterable

from django.utils.translation import gettext as _

from ..exports import SafeWorkbook, write_xlsx
from .reading import MAX_ROWS
from .specs import Column, ImportResult


def write_error_report(target, result: ImportResult, *, user) -> int:
    rows = sorted(result.errors, key=lambda e: (e.row, e.column))
    return write_xlsx(
        target,
        [_("行号"), _("列"), _("填写的内容"), _("问题")],
        ((e.row, e.column, e.value, e.message) for e in rows),
        user=user,
        title=_("错误报告"),
    )


def write_template(target, columns: Iterable[Column], *, title: str, notes: Iterable[str] = ()) -> None:
    """A blank template: the header row (required columns marked *), one example row, notes on a second sheet."""
    columns = list(columns)
    with SafeWorkbook(target, constant_memory=False) as workbook:
        sheet = workbook.add_sheet(title)
        head = workbook.add_format({"bold": True, "bg_color": "#F8E0E3", "border": 1})
        required = workbook.add_format({"bold": True, "bg_color": "#C8102E", "font_color": "#FFFFFF", "border": 1})
        text = workbook.add_format({"num_format": "@"})
        for col, column in enumerate(columns):
            sheet.write(0, col, column.label + ("*" if column.required else ""), required if column.required else head)
            sheet.write(1, col, str(column.example), text)
            sheet.set_column(col, col, max(10, len(column.label) * 2 + 4), text)
            if column.kind == "choice" and column.options and sum(len(o) + 1 for o in column.options) < 250:
                sheet.choice_list(1, col, MAX_ROWS, column.options)
        sheet.freeze_panes(1, 0)
        help_sheet = workbook.add_sheet(_("填写说明"))
        for row, note in enumerate(notes):
            help_sheet.write(row, 0, str(note))
