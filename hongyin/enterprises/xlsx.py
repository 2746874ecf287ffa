"""A minimal xlsx reader with tolerant headers (python-calamine), until the shared engine hongyin/common/excel.py
lands; then the imports switch to it. Headers are matched after removing spaces, brackets and asterisks."""

import re
from collections.abc import Iterator
from datetime import date, datetime

from django.utils.translation import gettext as _

from hongyin.common.errors import DomainError

_NOISE = re.compile(r"[\s\*（）()：:]+")


def norm(header) -> str:
    return _NOISE.sub("", str(header or "")).lower()


def read_rows(path, aliases: dict[str, list[str]], required: list[str]) -> Iterator[dict]:
    """Yields dicts keyed by field name with `row` = the sheet row number. Unknown columns are ignored."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        sheet = book.get_sheet_by_index(0)
        data = sheet.to_python(skip_empty_area=False)
    except Exception:
        raise DomainError(_("无法读取文件：请上传 .xlsx 格式的 Excel 文件。")) from None
    if not data:
        raise DomainError(_("文件是空的。"))
    lookup = {norm(a): field for field, names in aliases.items() for a in [field, *names]}
    columns = {}
    for i, h in enumerate(data[0]):
        field = lookup.get(norm(h))
        if field and field not in columns.values():
            columns[i] = field
    missing = [aliases[f][0] if aliases.get(f) else f for f in required if f not in columns.values()]
    if missing:
        raise DomainError(_("缺少必填列：%(c)s") % {"c": "、".join(missing)})
    for n, values in enumerate(data[1:], start=2):
        if not any(v not in (None, "") for v in values):
            continue
        row = {"row": n}
        for i, field in columns.items():
            v = values[i] if i < len(values) else None
            if isinstance(v, str):
                v = v.strip()
            elif isinstance(v, float) and v.is_integer():
                v = int(v)
            row[field] = v
        yield row


def as_date(value, field: str, row: int) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-").replace("年", "-").replace("月", "-").rstrip("日")
    parts = text.split("-")
    try:
        if len(parts) == 2:
            return date(int(parts[0]), int(parts[1]), 1)
        return date(int(parts[0]), int(parts[1]), int(parts[2]))
    except (ValueError, IndexError):
        raise DomainError(_("第 %(r)s 行：%(f)s“%(v)s”不是有效日期。") % {"r": row, "f": field, "v": value}) from None
