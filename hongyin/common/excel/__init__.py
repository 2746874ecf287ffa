"""The roster engine: read an uploaded xlsx safely, map tolerant headers, normalize values, validate row by row,
report every error (row, column, value, message) and commit all-or-nothing. Used by the member and organization
imports (and any later import): an app describes its columns and three hooks in an `ImportSpec`.

Reading uses python-calamine (fast, no formulas evaluated). Before it opens a file, `check_xlsx` refuses what is
not a plain workbook: not a zip, too big, a zip bomb, macros, formulas. Writing uses hongyin.common.exports
(xlsxwriter constant_memory, watermark, formula neutralization).

One module per step: values (cell values), specs (what an import declares), reading, run, writing; the public
names are all here.
"""

from .reading import MAX_ROWS, check_xlsx, map_header, max_upload_bytes, read_sheet
from .run import run_import
from .specs import Column, ImportResult, ImportSpec, RowError, choice_map, choice_options
from .values import MonthDate, as_date, halfwidth, month_only, norm_header, parse_bool, parse_date
from .writing import write_error_report, write_template

__all__ = [
    "MAX_ROWS",
    "Column",
    "ImportResult",
    "ImportSpec",
    "MonthDate",
    "RowError",
    "as_date",
    "check_xlsx",
    "choice_map",
    "choice_options",
    "halfwidth",
    "map_header",
    "max_upload_bytes",
    "month_only",
    "norm_header",
    "parse_bool",
    "parse_date",
    "read_sheet",
    "run_import",
    "write_error_report",
    "write_template",
]
