"""Cell values as rosters write them: full-width digits, dates in a dozen spellings, yes and no, headers."""

import re
import unicodedata
from datetime import date, datetime, timedelta
from functools import lru_cache

from django.utils.translation import gettext as _

EXCEL_EPOCH = date(1899, 12, 30)


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


choice_key = lru_cache(maxsize=4096)(norm_header)  # choice cells repeat (男, 汉族, 大学本科): one str -> one key
