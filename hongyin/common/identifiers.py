"""Validation of the two national identifiers the platform stores (DOMAIN.md, "Regulations").

- ID numbers (GB 11643-1999): 18 characters, a real birth date, the ISO 7064 MOD 11-2 check character
  (X in any case). The region code is a warning at most, never a rejection: a number keeps the code of the
  place where it was first issued, and region codes are renamed and retired.
- USCC (GB 32100-2015): 18 characters from the code alphabet, an administrative-division code in positions
  3-8 and the check character.

Both raise `DomainError` with a Chinese, user-understandable message naming the field.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import ric as _ric
from stdnum.cn import uscc as _uscc

from .errors import DomainError

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_SEPARATORS = str.maketrans("", "", " -\u3000\t")


def _clean(value) -> str:
    if value is None:
        return ""
    return str(value).translate(_SEPARATORS).strip().upper()


def validate_id_number(value, *, field: str = "id_number") -> tuple[str, datetime.date, list[str]]:
    """Returns (normalized, birth_date, warnings). Raises DomainError when the number cannot be right."""
    number = _clean(value)
    if not number:
        raise DomainError(_("请填写身份证号码。"), field=field)
    if len(number) != 18:
        raise DomainError(_("身份证号码应为 18 位（当前 %(n)d 位）。") % {"n": len(number)}, field=field)
    if not number.isascii() or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise DomainError(_("身份证号码格式不正确：前 17 位须为数字，最后一位为数字或 X。"), field=field)
    try:
        birth = datetime.date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise DomainError(_("身份证号码中的出生日期不存在。"), field=field) from None
    today = timezone.localdate()
    if birth > today or birth.year < 1900:
        raise DomainError(_("身份证号码中的出生日期不合理。"), field=field)
    if _ric.calc_check_digit(number) != number[17]:
        raise DomainError(_("身份证号码校验位不正确，请核对后重新输入。"), field=field)
    warnings: list[str] = []
    try:
        _ric.get_birth_place(number)
    except Exception:  # unknown or retired region code: a warning, never a rejection
        warnings.append(_("身份证号码的地区代码未在现行行政区划中找到，请核对（不影响保存）。"))
    return number, birth, warnings


def validate_uscc(value, *, field: str = "uscc") -> str:
    """Returns the normalized USCC. Raises DomainError when it cannot be right."""
    code = _clean(value)
    if not code:
        raise DomainError(_("请填写统一社会信用代码。"), field=field)
    if len(code) != 18:
        raise DomainError(_("统一社会信用代码应为 18 位（当前 %(n)d 位）。") % {"n": len(code)}, field=field)
    if any(c not in USCC_ALPHABET for c in code):
        raise DomainError(
            _("统一社会信用代码含有不允许的字符（不使用 I、O、Z、S、V）。"),
            field=field,
        )
    if not code[2:8].isdigit():
        raise DomainError(_("统一社会信用代码第 3-8 位应为行政区划代码（数字）。"), field=field)
    if _uscc.calc_check_digit(code) != code[17]:
        raise DomainError(_("统一社会信用代码校验位不正确，请核对后重新输入。"), field=field)
    return code


def id_number_check_char(first17: str) -> str:
    """The check character for 17 digits (used by demo data and tests)."""
    return _ric.calc_check_digit(first17 + "0")


def uscc_check_char(first17: str) -> str:
    return _uscc.calc_check_digit(first17 + "0")
