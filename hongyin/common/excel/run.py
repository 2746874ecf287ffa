"""The roster engine: read an uploaded xlsx safely, map tolerant headers, normalize values, validate row by row,
report every error (row, column, value, message) and commit all-or-nothing. Used by the member and organization
imports (and any later import): an app describes its columns and three hooks in an `ImportSpec`.

Reading uses python-calamine (fast, no formulas evaluated). Before it opens a file, `check_xlsx` refuses what is
not a plain workbook: not a zip, too big, a zip bomb, macros, formulas. Writing uses hongyin.common.exports
(xlsxwriter constant_memory, watermark, formula neutralization).
"""

import contextlib
import gc
import itertools
import logging
import multiprocessing
import re
import unicodedata
import zipfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db import connections, transaction
from django.utils.translation import gettext as _

from .bulk_crypto import WORKER_TIMEOUT_S, can_fork
from .errors import DomainError
from .exports import SafeWorkbook, write_xlsx

log = logging.getLogger(__name__)

MAX_ROWS = 200_000
MAX_UNCOMPRESSED = 400 * 1024 * 1024
MAX_RATIO = 120  # uncompressed / compressed, per member of the zip
MAX_ERRORS_KEPT = 20_000
PARALLEL_FROM = 5_000  # rows: below, forking costs more than it saves
EXCEL_EPOCH = date(1899, 12, 30)
HEADER_SCAN_ROWS = 6


def max_upload_bytes() -> int:
    return getattr(settings, "HONGYIN_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)


# ---------------------------------------------------------------- values


def halfwidth(value) -> str:
    """Full-width to half-width (NFKC), trimmed, inner runs of spaces collapsed; Excel's 123.0 becomes "123"."""
    if type(value) is str:  # most cells: no isinstance chain (this runs for every cell of a 50,000-row roster)
        text = value
    elif value is None:
        return ""
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, datetime):
        text = value.date().isoformat() if not value.time() else value.isoformat(sep=" ")
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    if not text.isascii():
        text = unicodedata.normalize("NFKC", text).replace("\u3000", " ")
    return " ".join(text.split())


class MonthDate(date):
    """A date written to the month only (1985.03, 1992年11月): the first of that month, compared at month
    precision by the rules that check it (a roster's 出生年月 against the ID number's full birth date)."""

    precision = "month"

    def __reduce__(self):  # pickled as itself across the parallel validation's pipe
        return (MonthDate, (self.year, self.month, self.day))


def as_date(value: date | None) -> date | None:
    """A plain date (a MonthDate becomes the first of its month) for storage and JSON."""
    return date(value.year, value.month, value.day) if isinstance(value, MonthDate) else value


def month_only(value) -> bool:
    return isinstance(value, MonthDate)


_DATE_RE = re.compile(r"^(\d{4})\s*[.\-/年]\s*(\d{1,2})\s*(?:(?:[.\-/月])\s*(\d{1,2})\s*日?|月)?$")
_COMPACT_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def parse_date(value) -> date | None:
    """2019.07 / 2019-7-1 / 2019/7/1 / 2019年7月 / 2019年7月1日 / 20190701 / Excel serials / date cells.

    A month without a day means the first of the month, as a MonthDate (it says it was written to the month).
    Excel turns a typed 2019.10 into the number 2019.1: such a number is read as year.month (two decimals).
    Raises ValueError with a Chinese message."""
    if value is None or value == "":
        return None
    if type(value) is str and len(value) == 10 and value[4] == "-" and value[7] == "-" and value[:4] >= "1900":
        try:
            return date.fromisoformat(value)  # the common 2019-07-01, without the regular expressions
        except ValueError:
            pass  # 2019-7-01 and the like, or a day that does not exist: the general path says which
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
        if 1900 <= number < 2100 and not number.is_integer():
            year = int(number)
            month = round((number - year) * 100)
            return _make_date(year, month, 1, month_only=True)
        if number.is_integer() and 19000101 <= number <= 21001231:
            text = str(int(number))
            return _make_date(int(text[:4]), int(text[4:6]), int(text[6:]))
        if 1 <= number <= 73050 and number.is_integer():  # serial day numbers up to 2099
            return EXCEL_EPOCH + timedelta(days=int(number))
        raise ValueError(_("无法识别的日期"))
    text = halfwidth(value)
    match = _DATE_RE.match(text)
    if match:
        year, month, day = match.groups()
        return _make_date(int(year), int(month), int(day or 1), month_only=day is None)
    match = _COMPACT_RE.match(text)
    if match:
        return _make_date(*(int(g) for g in match.groups()))
    if text.isdigit():
        return parse_date(int(text))
    raise ValueError(_("无法识别的日期（可写作 2019-07-01、2019.07 或 2019年7月）"))


def _make_date(year: int, month: int, day: int, *, month_only: bool = False) -> date:
    try:
        result = (MonthDate if month_only else date)(year, month, day)
    except ValueError:
        raise ValueError(_("日期不存在")) from None
    if result.year < 1900:
        raise ValueError(_("日期不合理"))
    return result


TRUE_WORDS = {"是", "y", "yes", "true", "1", "√", "✓", "对"}
FALSE_WORDS = {"否", "n", "no", "false", "0", "", "×", "不是"}


def parse_bool(value) -> bool:
    text = halfwidth(value).lower()
    if text in TRUE_WORDS:
        return True
    if text in FALSE_WORDS:
        return False
    raise ValueError(_("请填写“是”或“否”"))


_HEADER_NOTE = re.compile(r"[(\[（【].*?[)\]）】]")
_HEADER_NOISE = re.compile(r"[\s*:：_\-]")


def norm_header(value) -> str:
    """姓名* / 姓 名 / 公民身份号码（必填） / ID Number -> comparable keys."""
    return _HEADER_NOISE.sub("", _HEADER_NOTE.sub("", halfwidth(value).lower()))


_choice_key = lru_cache(maxsize=4096)(norm_header)  # choice cells repeat (男, 汉族, 大学本科): one str -> one key


# ---------------------------------------------------------------- columns and specs


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    kind: str = "text"  # text | date | bool | choice
    choices: dict | None = None  # normalized label -> value
    options: tuple[str, ...] = ()  # the labels shown in messages and in the template's drop-down
    max_length: int = 200
    example: str = ""

    def header_keys(self) -> set[str]:
        return {norm_header(self.label), norm_header(self.key), *(norm_header(a) for a in self.aliases)}

    def parse(self, raw):
        if self.kind == "date":
            return parse_date(raw)
        if self.kind == "bool":
            return parse_bool(raw)
        text = halfwidth(raw)
        if self.kind == "choice":
            if text == "":
                return ""
            key = _choice_key(text)
            if key in self.choices:
                return self.choices[key]
            options = "、".join(self.options)
            raise ValueError(_("应为以下之一：%(o)s") % {"o": options})
        if len(text) > self.max_length:
            raise ValueError(_("内容过长（不超过 %(n)s 个字）") % {"n": self.max_length})
        return text


def choice_options(choices) -> tuple[str, ...]:
    return tuple(str(label) for _value, label in choices.choices)


def choice_map(choices, extra: dict | None = None) -> dict:
    """A Django TextChoices class -> {normalized label or value: value}, plus extra spellings."""
    mapping = {}
    for value, label in choices.choices:
        mapping[norm_header(str(label))] = value
        mapping[norm_header(value)] = value
    for spelling, value in (extra or {}).items():
        mapping[norm_header(spelling)] = value
    return mapping


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message: str


@dataclass
class ImportResult:
    total: int = 0
    valid: int = 0
    created: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    preview: list[dict] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    dry_run: bool = True

    unique_keys: list = field(default_factory=list, repr=False)  # (key, excel row) of every data row

    @property
    def ok(self) -> bool:
        return self.error_count == 0 and self.total > 0


class ImportSpec(ABC):
    """What an app supplies. `clean_row` raises DomainError(field=<column key>) for a bad row; `check_all` returns
    RowErrors found across rows (duplicates, database conflicts); `commit` writes everything (inside one
    transaction opened by the engine) and returns how many objects it created."""

    title = ""
    columns: tuple[Column, ...] = ()
    preview_fields: tuple[str, ...] = ()
    # clean_row uses only what __init__ loaded (no queries): big files are validated in two processes
    parallel_validation = False
    # a column whose values must differ from row to row: every repeat is reported against the row it repeats,
    # whether or not either row is otherwise valid (check_all sees only the valid rows)
    unique_column: str | None = None

    def unique_key(self, raw) -> str:
        """The comparable form of a unique_column cell ("" for an empty cell, never reported)."""
        return halfwidth(raw).replace(" ", "").upper()

    def unique_shown(self, key: str) -> str:
        """How a repeated value is shown in the report (an app masks personal numbers here)."""
        return key

    def __init__(self, *, actor):
        self.actor = actor

    def clean_row(self, values: dict, row: int):
        return values

    def check_all(self, cleaned: list[tuple[int, object]]) -> list[RowError]:
        return []

    @abstractmethod
    def commit(self, cleaned: list[tuple[int, object]], progress: Callable | None) -> int:
        """Write every cleaned row in one transaction; return the number written."""

    def preview_row(self, obj) -> dict:
        return {k: obj.get(k, "") for k in self.preview_fields} if isinstance(obj, dict) else {"": str(obj)}

    def label_of(self, key: str | None) -> str:
        for column in self.columns:
            if column.key == key:
                return column.label
        return key or ""


# ---------------------------------------------------------------- reading


def check_xlsx(path: Path) -> None:
    """Refuse anything that is not a plain xlsx: wrong type, too big, a zip bomb, macros, formulas."""
    path = Path(path)
    size = path.stat().st_size
    if size == 0:
        raise DomainError(_("上传的文件是空的。"), field="file")
    if size > max_upload_bytes():
        raise DomainError(_("文件太大（不超过 %(n)s MB）。") % {"n": max_upload_bytes() // (1024 * 1024)}, field="file")
    if not zipfile.is_zipfile(path):
        raise DomainError(
            _("文件不是 Excel（.xlsx）格式或已损坏。请用 Excel 或 WPS 另存为 .xlsx 再上传（不支持 CSV、旧版 .xls）。"),
            field="file",
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            names = {i.filename for i in infos}
            if "[Content_Types].xml" not in names or not any(n.startswith("xl/worksheets/") for n in names):
                raise DomainError(_("文件不是有效的 Excel 工作簿。"), field="file")
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                raise DomainError(_("文件含有宏，不能导入。请另存为不含宏的 .xlsx 文件。"), field="file")
            total = 0
            for info in infos:
                total += info.file_size
                if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 10**7:
                    raise DomainError(_("文件压缩比异常（疑似压缩炸弹），已拒绝。"), field="file")
            if total > MAX_UNCOMPRESSED:
                raise DomainError(_("文件解压后过大，已拒绝。"), field="file")
            for info in infos:
                is_sheet = info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")
                if is_sheet and _has_formula(archive, info):
                    raise DomainError(_("文件中含有公式。请先把公式单元格“选择性粘贴为数值”，再导入。"), field="file")
    except zipfile.BadZipFile:
        raise DomainError(_("文件已损坏，无法读取。"), field="file") from None


def _has_formula(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    tail = b""
    seen = 0
    with archive.open(info) as stream:
        while chunk := stream.read(1 << 20):
            seen += len(chunk)
            if seen > MAX_UNCOMPRESSED:
                raise DomainError(_("文件解压后过大（疑似压缩炸弹），已拒绝。"), field="file")
            window = tail + chunk
            if b"<f>" in window or b"<f " in window or b"<x:f>" in window or b"<x:f " in window:
                return True
            tail = window[-8:]
    return False


def read_sheet(path: Path) -> tuple[list, Iterator[list], int]:
    """(header rows scanned, iterator over all rows, row count). Checks the file first."""
    from python_calamine import CalamineError, CalamineWorkbook

    check_xlsx(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
        height = sheet.height
        if height - 1 > MAX_ROWS:
            raise DomainError(_("文件行数超过上限 %(n)s 行，请拆分后分批导入。") % {"n": f"{MAX_ROWS:,}"}, field="file")
        rows = sheet.iter_rows()
    except DomainError:
        raise
    except (CalamineError, ValueError, OSError, Exception) as exc:  # calamine raises several types
        raise DomainError(
            _("无法读取文件内容（%(e)s）。请确认是有效的 .xlsx 文件。") % {"e": type(exc).__name__}, field="file"
        ) from None
    return [], rows, height


def map_header(row: list, columns: Iterable[Column]) -> tuple[dict[int, Column], list[str]]:
    lookup = {}
    for column in columns:
        for key in column.header_keys():
            lookup.setdefault(key, column)
    mapped: dict[int, Column] = {}
    ignored = []
    for index, cell in enumerate(row):
        key = norm_header(cell)
        if not key:
            continue
        column = lookup.get(key)
        if column is None:
            ignored.append(halfwidth(cell))
        elif column in mapped.values():
            raise DomainError(_("表头“%(h)s”重复出现。") % {"h": column.label}, field="file")
        else:
            mapped[index] = column
    return mapped, ignored


def _find_header(first_rows: list[list], columns: tuple[Column, ...]) -> tuple[int, dict[int, Column], list[str]]:
    best = (-1, {}, [])
    for index, row in enumerate(first_rows):
        try:
            mapped, ignored = map_header(row, columns)
        except DomainError:
            raise
        if len(mapped) > len(best[1]):
            best = (index, mapped, ignored)
    index, mapped, ignored = best
    missing = [c.label for c in columns if c.required and c not in mapped.values()]
    if index < 0 or len(mapped) < 2 or missing:
        expected = "、".join(c.label for c in columns if c.required)
        found = "、".join(halfwidth(c) for c in (first_rows[index] if index >= 0 else (first_rows or [[]])[0]) if c)
        message = _("表头不符合模板：缺少“%(m)s”。必填列为：%(e)s。文件中的表头：%(f)s。") % {
            "m": "、".join(missing) or expected,
            "e": expected,
            "f": found[:200] or _("（空）"),
        }
        raise DomainError(message, field="file")
    return index, mapped, ignored


def _repeats(spec: ImportSpec, result: ImportResult) -> list[RowError]:
    """Each row whose unique_column value an earlier row holds, named against that earlier row."""
    errors = []
    first: dict[str, int] = {}
    label = spec.label_of(spec.unique_column)
    for key, row in result.unique_keys:
        if not key:
            continue
        seen = first.setdefault(key, row)
        if seen != row:
            errors.append(RowError(row, label, spec.unique_shown(key), _("与第 %(r)s 行重复。") % {"r": seen}))
    result.unique_keys = []
    return errors


def run_import(
    spec: ImportSpec,
    path: Path,
    *,
    dry_run: bool,
    progress: Callable | None = None,
    on_commit: Callable[[ImportResult], None] | None = None,
) -> ImportResult:
    """Validate every row; commit everything (one transaction) only when no row has an error and not dry_run.
    `on_commit(result)` runs inside that transaction after the rows went in (the import's audit event)."""
    _unused, rows, height = read_sheet(Path(path))
    result = ImportResult(dry_run=dry_run)
    first_rows = []
    for row in rows:
        first_rows.append(row)
        if len(first_rows) >= HEADER_SCAN_ROWS:
            break
    header_index, mapped, result.ignored_columns = _find_header(first_rows, spec.columns)
    total_rows = max(height - header_index - 1, 0)
    if progress:
        progress(0, total_rows * (1 if dry_run else 2))

    def data_rows():
        yield from enumerate(first_rows[header_index + 1 :], start=header_index + 2)
        yield from enumerate(rows, start=len(first_rows) + 1)

    validate = _Validator(spec, mapped)
    if spec.parallel_validation and total_rows >= PARALLEL_FROM and can_fork():
        cleaned = validate.in_two(data_rows(), total_rows // 2, result, progress)
    else:
        cleaned = validate(data_rows(), result, progress)
    if result.total == 0:
        raise DomainError(_("文件中没有数据行。"), field="file")
    for error in _repeats(spec, result):
        _add_error(result, error)
    for error in spec.check_all(cleaned):
        _add_error(result, error)
    bad_rows = {e.row for e in result.errors}
    result.valid = sum(1 for r, _o in cleaned if r not in bad_rows)
    result.preview = [spec.preview_row(obj) for _r, obj in cleaned[:20]]
    if progress:
        progress(result.total)
    if dry_run or result.error_count:
        return result
    with transaction.atomic():
        result.created = spec.commit(cleaned, (lambda n: progress(result.total + n)) if progress else None)
        if on_commit is not None:
            on_commit(result)
    return result


class _Validator:
    """Parse and clean rows: (excel row, object) for the good ones, a RowError per bad cell or row."""

    def __init__(self, spec: ImportSpec, mapped: dict[int, Column]):
        self.spec = spec
        self.items = [(index, column.key, column.parse, column) for index, column in mapped.items()]
        mapped_keys = {column.key for column in mapped.values()}
        self.defaults = {c.key: None if c.kind == "date" else "" for c in spec.columns if c.key not in mapped_keys}
        self.unique_at = next((i for i, c in mapped.items() if c.key == spec.unique_column), None)

    def __call__(self, numbered_rows: Iterable, result: ImportResult, progress: Callable | None) -> list:
        spec, items, defaults, unique_at = self.spec, self.items, self.defaults, self.unique_at
        keys = result.unique_keys
        cleaned = []
        for excel_row, row in numbered_rows:
            if not any(cell not in (None, "") for cell in row):
                continue
            result.total += 1
            if unique_at is not None and unique_at < len(row):
                keys.append((spec.unique_key(row[unique_at]), excel_row))
            values = dict(defaults)
            raw_by_key = {}
            bad = False
            width = len(row)
            for index, key, parse, column in items:
                raw = row[index] if index < width else None
                raw_by_key[key] = raw
                try:
                    values[key] = parse(raw)
                except ValueError as exc:
                    _add_error(result, RowError(excel_row, column.label, halfwidth(raw), str(exc)))
                    bad = True
            if bad:
                continue
            try:
                obj = spec.clean_row(values, excel_row)
            except DomainError as exc:
                raw = raw_by_key.get(exc.field, "")
                _add_error(result, RowError(excel_row, spec.label_of(exc.field), halfwidth(raw), exc.message))
                continue
            cleaned.append((excel_row, obj))
            if progress and result.total % 500 == 0:
                progress(result.total)
        return cleaned

    def in_two(self, numbered_rows: Iterator, half: int, result: ImportResult, progress: Callable | None) -> list:
        """The first `half` rows here, the rest at the same time in a forked copy of this process, which sends
        back its cleaned rows and errors. The copy may not touch the database (its connection is this process's);
        if it fails, the rest is validated here."""
        context = multiprocessing.get_context("fork")
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=self._second_half, args=(numbered_rows, half, send), daemon=True)
        gc.freeze()  # the copy's garbage collector leaves the inherited objects alone: no copy-on-write of the heap
        try:
            child.start()
        finally:
            gc.unfreeze()
        send.close()
        both = (lambda n: progress(2 * n)) if progress else None  # the copy goes as fast as this half
        cleaned = self(itertools.islice(numbered_rows, half), result, both)
        try:
            # a copy that hangs (a lock some other thread held at the fork) is given up, not waited for forever
            answer = receive.recv() if receive.poll(WORKER_TIMEOUT_S) else "no answer in time"
        except EOFError:
            answer = "the validation process ended without an answer"
        if child.is_alive() and isinstance(answer, str):
            child.kill()
        child.join()
        if isinstance(answer, str):
            log.warning("parallel validation failed (%s); validating the rest here", answer)
            return cleaned + self(numbered_rows, result, progress)
        their_cleaned, total, errors, error_count, their_keys = answer
        result.total += total
        result.unique_keys.extend(their_keys)
        for error in errors:
            _add_error(result, error)
        result.error_count += error_count - len(errors)
        return cleaned + their_cleaned

    def _second_half(self, numbered_rows: Iterator, half: int, send) -> None:
        try:
            for _skipped in itertools.islice(numbered_rows, half):
                pass
            result = ImportResult()
            with contextlib.ExitStack() as stack:
                for connection in connections.all():
                    stack.enter_context(connection.execute_wrapper(_no_database_here))
                cleaned = self(numbered_rows, result, None)
            send.send((cleaned, result.total, result.errors, result.error_count, result.unique_keys))
        except BaseException as exc:  # anything: the parent validates the rest itself
            send.send(f"{type(exc).__name__}: {exc}")


def _no_database_here(execute, sql, params, many, context):
    raise RuntimeError("the validation process may not use the database connection of its parent")


def _add_error(result: ImportResult, error: RowError) -> None:
    result.error_count += 1
    if len(result.errors) < MAX_ERRORS_KEPT:
        result.errors.append(error)


# ---------------------------------------------------------------- writing


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
