"""Reading an upload: refuse what is not a plain workbook (`check_xlsx`), then its rows and its header."""

import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from python_calamine import CalamineError, CalamineWorkbook

from ..errors import DomainError
from .specs import Column
from .values import halfwidth, norm_header

MAX_ROWS = 200_000
MAX_UNCOMPRESSED = 400 * 1024 * 1024
MAX_RATIO = 120  # uncompressed / compressed, per member of the zip


def max_upload_bytes() -> int:
    return getattr(settings, "HONGYIN_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)


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


def find_header(first_rows: list[list], columns: tuple[Column, ...]) -> tuple[int, dict[int, Column], list[str]]:
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
