"""The one spreadsheet writer of every export: the exporter's name on it (SECURITY.md), no formula injection.

- `watermark_line(user)`: "导出人：张三（zhangsan） 2026-01-01 12:00 · 内部资料，注意保密", the first line of
  every export.
- `neutralize(value)`: a cell that starts with = + - @ (or a tab / carriage return) gets a leading apostrophe so
  spreadsheet programs show it as text (CSV/formula injection).
- `SafeWorkbook(target, user=...)`: the only way an app writes a workbook. Its sheets (`SafeSheet`) have no
  other way to write a cell than `write` / `write_row`, which neutralize; the xlsxwriter objects are not handed
  out (a test refuses `import xlsxwriter` anywhere else in hongyin/).
- `write_xlsx(target, headers, rows, user=, title=)`: watermark line, header row, data; cell by cell.
- `write_rows_xlsx(...)`: the same file, data rows streamed as XML a batch at a time (50,000 members in a second
  or two); the batch escaping neutralizes the same prefixes. With `readable=True` the header is frozen and
  filtered, columns are as wide as their Chinese needs (`widths`), and `date_columns` are real dates.

The fast path of big exports reaches into xlsxwriter's private parts: the row file of a constant_memory worksheet
(`SafeSheet.stream_rows`) and the ZipFile its workbook packs with (deflate level 1, `_FastWorkbook`). It is taken
only on the xlsxwriter versions it was written and tested against (`FAST_PATH_VERSIONS`); on any other version
the same cells go through xlsxwriter's public API, two to four times slower (the member export bench), and a test
fails until someone has checked the new version and added it. Nothing of xlsxwriter is patched: other users of
the library are untouched.
"""

import functools
import math
import re
import types
import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter
from django.utils import timezone
from django.utils.translation import gettext as _

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# The xlsxwriter versions whose private parts the fast path was checked against (see the module's docstring).
FAST_PATH_VERSIONS = frozenset({"3.3.1"})
FAST_PATH = xlsxwriter.__version__ in FAST_PATH_VERSIONS


def _deflating_at_level_one(store):
    """A copy of Workbook._store_workbook that zips with deflate level 1: the same code, its module's globals but
    `ZipFile`. xlsxwriter has no option for the level, and its default (6) takes three times as long on the
    50 MB of sheet XML of a 50,000-row export, for a file a tenth smaller."""
    names = dict(store.__globals__, ZipFile=functools.partial(zipfile.ZipFile, compresslevel=1))
    return types.FunctionType(store.__code__, names, store.__name__, store.__defaults__, store.__closure__)


class _FastWorkbook(xlsxwriter.Workbook):
    """An xlsxwriter Workbook that zips faster (fast path only)."""

    if FAST_PATH:
        _store_workbook = _deflating_at_level_one(xlsxwriter.Workbook._store_workbook)


def watermark_line(user) -> str:
    name = getattr(user, "display_name", "") or ""
    who = f"{name}（{user.get_username()}）" if name else user.get_username()
    stamp = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    return _("导出人：%(who)s %(at)s · 内部资料，注意保密") % {"who": who, "at": stamp}


def neutralize(value):
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and math.isfinite(value):
        return value
    text = str(value)
    if text.startswith(DANGEROUS_PREFIXES):
        return "'" + text
    return text


class SafeSheet:
    """A worksheet whose every cell is written through `neutralize` (strings as text, numbers as numbers)."""

    def __init__(self, sheet):
        self._sheet = sheet

    def write(self, row: int, col: int, value, fmt=None) -> None:
        cell = neutralize(value)
        if isinstance(cell, str):
            self._sheet.write_string(row, col, cell, fmt)
        else:
            self._sheet.write_number(row, col, cell, fmt)

    def write_row(self, row: int, col: int, values: Iterable, fmt=None) -> None:
        for offset, value in enumerate(values):
            self.write(row, col + offset, value, fmt)

    def set_column(self, first: int, last: int, width: float, fmt=None) -> None:
        self._sheet.set_column(first, last, width, fmt)

    def freeze_panes(self, row: int, col: int) -> None:
        self._sheet.freeze_panes(row, col)

    def autofilter(self, first_row: int, first_col: int, last_row: int, last_col: int) -> None:
        """Filter buttons on the header row `first_row` over the data below it (no cell is written)."""
        self._sheet.autofilter(first_row, first_col, last_row, last_col)

    def choice_list(self, first_row: int, col: int, last_row: int, options: Sequence[str]) -> None:
        """A drop-down of fixed options (a data validation list; no formula)."""
        rule = {"validate": "list", "source": [str(o) for o in options], "ignore_blank": True}
        self._sheet.data_validation(first_row, col, last_row, col, rule)

    def stream_rows(self, row: int, rows: Iterable, width: int, *, date_columns=(), date_format=None) -> int:
        """Rows of `width` cells as text from row `row` on (rows before it written already), a batch of XML at a
        time; returns how many. Only in a constant_memory workbook, as the last thing written to the sheet.
        Cells of `date_columns` (a date, or ISO text as the database gives it) become date cells in
        `date_format`; anything else there stays text."""
        if not FAST_PATH:
            return self._write_rows(row, rows, width, date_columns=date_columns, date_format=date_format)
        sheet = self._sheet
        sheet._write_single_row(row)  # flush the rows written so far; data rows follow on from row + 1
        write = sheet.fh.write
        style = date_format._get_xf_index() if date_columns and date_format is not None else None
        dates = tuple(date_columns) if style is not None else ()
        count = 0
        batch = []
        for values in rows:
            if dates:
                values = list(values)
                for i in dates:
                    values[i] = _date_cell(values[i])
            batch.append(values)
            if len(batch) == _BATCH:
                write(_batch_xml(batch, width, style))
                count, batch = count + len(batch), []
        if batch:
            write(_batch_xml(batch, width, style))
            count += len(batch)
        if count:
            sheet._check_dimensions(row + count - 1, width - 1)
        sheet.previous_row = row + count
        return count

    def _write_rows(self, row: int, rows: Iterable, width: int, *, date_columns=(), date_format=None) -> int:
        """stream_rows through the public API, cell by cell, to the same cells (data rows from `row`)."""
        dates = frozenset(date_columns) if date_format is not None else frozenset()
        count = 0
        for values in rows:
            for col, value in enumerate(list(values)[:width]):
                day = _as_date(value) if col in dates else None
                if day is not None:
                    self._sheet.write_datetime(row + count, col, datetime(day.year, day.month, day.day), date_format)
                    continue
                text = _NOT_IN_XML.sub("", _as_text(value))
                if text.startswith(DANGEROUS_PREFIXES):
                    text = "'" + text
                if text:
                    self._sheet.write_string(row + count, col, text)
            count += 1
        return count


class SafeWorkbook:
    """An xlsx file (path or file object) with the exporter in its properties. Use as a context manager or
    call `close()`."""

    def __init__(self, target, *, user=None, constant_memory: bool = True):
        options = {"strings_to_formulas": False, "strings_to_numbers": False}
        if constant_memory:
            options["constant_memory"] = True
        else:
            options["in_memory"] = True
        self._book = (_FastWorkbook if FAST_PATH else xlsxwriter.Workbook)(target, options)
        if user is not None:
            self._book.set_properties({"author": user.get_username(), "comments": watermark_line(user)})

    def add_format(self, properties: dict):
        return self._book.add_format(properties)

    def add_sheet(self, title: str = "") -> SafeSheet:
        return SafeSheet(self._book.add_worksheet((str(title) or "export")[:31]))

    def close(self) -> None:
        self._book.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _head(book: SafeWorkbook, headers: Sequence[str], *, user, title: str) -> SafeSheet:
    sheet = book.add_sheet(title)
    sheet.write(0, 0, watermark_line(user), book.add_format({"italic": True, "font_color": "#b00000"}))
    sheet.write_row(1, 0, [str(h) for h in headers], book.add_format({"bold": True}))
    return sheet


def write_xlsx(target, headers: Sequence[str], rows: Iterable[Sequence], *, user, title: str = "") -> int:
    """Constant memory, watermark line first, header row, data; returns the number of data rows written."""
    with SafeWorkbook(target, user=user) as book:
        sheet = _head(book, headers, user=user, title=title)
        count = 0
        for r, row in enumerate(rows, start=2):
            sheet.write_row(r, 0, row)
            count += 1
    return count


def text_width(text) -> float:
    """The column width a text needs: a Chinese (wide) character takes two, others one."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(text))


def write_rows_xlsx(
    target,
    headers,
    rows,
    *,
    user,
    title: str = "",
    readable: bool = False,
    widths: Sequence[float] | None = None,
    date_columns: Sequence[int] = (),
) -> int:
    """Like `write_xlsx`, everything as text, but data rows are streamed into the sheet as XML a batch at a time
    instead of one xlsxwriter call per cell: 50,000 members in a second or two.

    `readable`: the watermark line, then the header frozen with filter buttons; each column as wide as its header
    or its `widths` entry (in characters of text_width); `date_columns` written as dates (yyyy-mm-dd)."""
    with SafeWorkbook(target, user=user) as book:
        sheet = _head(book, headers, user=user, title=title)
        date_format = None
        if readable:
            date_format = book.add_format({"num_format": "yyyy-mm-dd"})
            for col, header in enumerate(headers):
                wanted = max(text_width(header) + 4, (widths[col] if widths and col < len(widths) else 0) + 2)
                sheet.set_column(col, col, min(wanted, 60), date_format if col in date_columns else None)
            sheet.freeze_panes(2, 0)
        count = sheet.stream_rows(2, rows, len(headers), date_columns=date_columns, date_format=date_format)
        if readable:
            sheet.autofilter(1, 0, 1 + count, len(headers) - 1)
    return count


# ---------------------------------------------------------------- fast batches


# A batch of rows becomes one string: cells joined with US (0x1f), rows with RS (0x1e). Cleaning, neutralizing,
# escaping and turning separators into XML are then a few scans of that string in C instead of a dozen operations
# per cell. Rows and cells carry no r="B7" reference (optional in SpreadsheetML: they follow on from the last one).
_CELL, _ROW, _DATE = "\x1f", "\x1e", "\x1c"
# not allowed in XML; \x1c followed by digits marks our date cells (a stray one goes before neutralizing)
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1b\x1d]|\x1c(?!\\d)")
_NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters; the public path drops them
_DATE_XML = re.compile('<c t="inlineStr"><is><t(?: xml:space="preserve")?>\x1c(\\d{1,6})</t></is></c>')
_EPOCH = date(1899, 12, 30)
_MARKUP = re.compile("[&<>\r]")
_ESCAPED = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}  # a literal CR would be read back as LF
_DANGER = re.compile("([\x1e\x1f])(?=[" + re.escape("".join(DANGEROUS_PREFIXES)) + "])")
_EDGE_SPACE = re.compile(r"[\x1e\x1f]\s|\s[\x1e\x1f]|\s$")
_OPEN, _OPEN_PRESERVE, _CLOSE = (
    '<c t="inlineStr"><is><t>',
    '<c t="inlineStr"><is><t xml:space="preserve">',
    "</t></is></c>",
)
_BATCH = 1000


def _as_text(value) -> str:
    if value is None:
        return ""
    text = value if type(value) is str else str(value)
    return text.replace(_CELL, "").replace(_ROW, "")


def _as_date(value) -> date | None:
    """A date, or its ISO text as the database gives it; None for anything else (it stays text)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _date_cell(value):
    """A date (or its ISO text) as the marked serial day number the batch turns into a date cell."""
    day = _as_date(value)
    if day is None:
        return "" if value is None else value
    return f"{_DATE}{(day - _EPOCH).days}"


def _batch_xml(batch: list, width: int, date_style: int | None = None) -> str:
    """The XML of a batch of rows. Rows that are not lists of `width` strings free of the two separators (rare)
    are normalized first."""
    try:
        joined = _ROW + _ROW.join([_CELL.join(row) for row in batch])
        regular = (
            joined.count(_CELL) == len(batch) * (width - 1)
            and joined.count(_ROW) == len(batch)
            and all(len(row) == width for row in batch)
        )
    except TypeError:
        regular = False
    if not regular:
        rows = [[_as_text(v) for v in row][:width] for row in batch]
        joined = _ROW + _ROW.join([_CELL.join(row + [""] * (width - len(row))) for row in rows])
    text = _DANGER.sub(r"\1'", _CONTROL.sub("", joined))
    text = _MARKUP.sub(lambda m: _ESCAPED[m.group()], text)
    open_ = _OPEN_PRESERVE if _EDGE_SPACE.search(text) else _OPEN
    xml = text.replace(_CELL, _CLOSE + open_).replace(_ROW, _CLOSE + "</row><row>" + open_)
    xml = (xml.removeprefix(_CLOSE + "</row>") + _CLOSE + "</row>").replace(open_ + _CLOSE, "<c/>")
    if _DATE in xml:  # a whole cell of our marker and digits is a date; a stray marker anywhere is dropped
        if date_style is not None:
            xml = _DATE_XML.sub(f'<c s="{date_style}"><v>\\1</v></c>', xml)
        xml = xml.replace(_DATE, "")
    return xml
