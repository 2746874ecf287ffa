"""Field rules for members, shared by the form, the API, the import and the seed (one place, one message each).

`clean_member(data)` returns the normalized values or raises DomainError naming the field.
"""

import operator
import re
from datetime import date
from functools import lru_cache

from django.utils.translation import gettext as _
from pypinyin import lazy_pinyin

from hongyin.common.errors import DomainError
from hongyin.common.excel import as_date, halfwidth, month_only

from .choices import ETHNICITIES, Education, Gender, LeaveReason, MemberCategory, MemberStatus

EDUCATION_VALUES = frozenset(Education.values)
CATEGORY_VALUES = frozenset(MemberCategory.values)
STATUS_VALUES = frozenset(MemberStatus.values)
GENDER_VALUES = frozenset(Gender.values)
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")
NAME_EXTRA = set("·• .")


def id_check_char(body17: str) -> str:
    total = sum(map(operator.mul, map(int, body17), ID_WEIGHTS))
    return "10X98765432"[total % 11]


def _validate_id_local(value: str) -> str:
    number = halfwidth(value).replace(" ", "").upper()
    if len(number) != 18:
        raise DomainError(_("公民身份号码应为 18 位。"), field="id_number")
    if not number.isascii() or not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise DomainError(_("公民身份号码只能由数字和末位的 X 组成。"), field="id_number")
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise DomainError(_("公民身份号码中的出生日期不存在。"), field="id_number") from None
    if born.year < 1900 or born > date.today():
        raise DomainError(_("公民身份号码中的出生日期不合理。"), field="id_number")
    if id_check_char(number[:17]) != number[17]:
        raise DomainError(_("公民身份号码校验位不正确，请核对。"), field="id_number")
    return number


def validate_id_number(value: str, *, fast: bool = False) -> str:
    """GB 11643: length, birth date and check digit (lower-case x accepted); the region code never rejects.

    The shared validator (hongyin.common.identifiers) also looks the region up for a warning, which costs
    ~0.3 ms; bulk paths (import, seed) use the same checks without the lookup (fast=True)."""
    if fast:
        return _validate_id_local(value)
    from hongyin.common.identifiers import validate_id_number as shared

    _validate_id_local(value)  # our messages name the field the same way; the shared one adds the region warning
    number, _birth, _warnings = shared(halfwidth(value))
    return number


def birth_date_from_id(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def gender_from_id(number: str) -> str:
    return Gender.MALE if int(number[16]) % 2 else Gender.FEMALE


def validate_phone(value: str) -> str:
    phone = halfwidth(value).replace(" ", "")
    if phone.startswith("+86"):
        phone = phone[3:]
    if phone and not PHONE_RE.match(phone):
        raise DomainError(_("手机号码格式不正确（11 位手机号或带区号的固定电话）。"), field="phone")
    return phone


def validate_name(value: str) -> str:
    name = halfwidth(value)
    if all(not c.isascii() for c in name.replace(" ", "")):
        name = name.replace(" ", "")  # 张 伟 -> 张伟 (spaces typed to align two-character names)
    if not name:
        raise DomainError(_("请填写姓名。"), field="name")
    if len(name) > 40:
        raise DomainError(_("姓名不能超过 40 个字。"), field="name")
    if not all(c.isalpha() or c in NAME_EXTRA for c in name):
        raise DomainError(_("姓名只能包含文字和间隔号“·”。"), field="name")
    return name


SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "朴": "piao",
    "区": "ou",
    "查": "zha",
    "盖": "ge",
    "乐": "yue",
    "尉": "yu",
    "缪": "miao",
    "翟": "zhai",
    "覃": "qin",
    "黑": "he",
    "秘": "bi",
    "重": "chong",
    "种": "chong",
    "繁": "po",
    "那": "na",
    "召": "shao",
    "员": "yun",
    "卜": "bu",
    "藏": "zang",
    "长": "chang",
}


@lru_cache(maxsize=20000)
def _char_pinyin(char: str) -> str:
    return "".join(lazy_pinyin(char, errors="ignore"))


def pinyin_of(name: str) -> tuple[str, str]:
    """Full pinyin and initials of a name, character by character (surnames read as surnames: 单 = shan)."""
    syllables = []
    for i, char in enumerate(name):
        if char.isspace() or char in NAME_EXTRA:
            continue
        if char.isascii():
            syllables.append(char.lower())
            continue
        reading = SURNAME_READINGS.get(char) if i == 0 else None
        reading = reading or _char_pinyin(char)
        if reading:
            syllables.append(reading)
    full = "".join(syllables).lower()
    initials = "".join(s[0] for s in syllables).lower()
    return full[:120], initials[:40]


def age_on(birth: date, day: date) -> int:
    """Whole years; at month precision when `day` was written to the month only (joined 2003.05)."""
    if month_only(day):
        return day.year - birth.year - (day.month < birth.month)
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _before(a: date, b: date) -> bool:
    """a earlier than b, compared at the precision written (2016.07 is not before 2016-07-15)."""
    if month_only(a) or month_only(b):
        return (a.year, a.month) < (b.year, b.month)
    return a < b


def clean_member(data: dict, *, today: date | None = None, fast: bool = False) -> dict:
    """Normalize and check one member's fields (everything but the organization)."""
    today = today or date.today()
    out = dict(data)
    out["name"] = validate_name(data.get("name", ""))
    out["id_number"] = validate_id_number(data.get("id_number") or "", fast=fast)
    id_birth = birth_date_from_id(out["id_number"])
    birth = data.get("birth_date")
    if birth is None:
        birth = id_birth
    elif month_only(birth):  # 出生年月 1985.03: the month is what was written, the number gives the day
        if (birth.year, birth.month) != (id_birth.year, id_birth.month):
            raise DomainError(
                _("出生年月 %(b)s 与公民身份号码中的出生日期 %(i)s 不一致。")
                % {"b": f"{birth.year}.{birth.month:02d}", "i": id_birth},
                field="birth_date",
            )
        birth = id_birth
    elif birth != id_birth:
        raise DomainError(
            _("出生日期 %(b)s 与公民身份号码中的出生日期 %(i)s 不一致。") % {"b": birth, "i": id_birth},
            field="birth_date",
        )
    out["birth_date"] = birth
    gender = data.get("gender") or gender_from_id(out["id_number"])
    if gender not in GENDER_VALUES:
        raise DomainError(_("性别应为“男”或“女”。"), field="gender")
    out["gender"] = gender
    ethnicity = halfwidth(data.get("ethnicity") or "汉族")
    if ethnicity not in ETHNICITIES and ethnicity + "族" in ETHNICITIES:
        ethnicity += "族"
    if ethnicity not in ETHNICITIES:
        raise DomainError(_("民族“%(e)s”不在 56 个民族名称之列。") % {"e": ethnicity}, field="ethnicity")
    out["ethnicity"] = ethnicity
    out["phone"] = validate_phone(data.get("phone") or "")
    for key, choices, message in (
        ("education", EDUCATION_VALUES, "学历不正确。"),
        ("category", CATEGORY_VALUES, "人员类别不正确。"),
        ("status", STATUS_VALUES, "党员状态应为正式党员或预备党员。"),
    ):
        value = data.get(key)
        if value in (None, "") and key == "education":
            out[key] = ""
            continue
        if value in (None, ""):
            value = MemberCategory.EMPLOYED if key == "category" else MemberStatus.FULL
        if value not in choices:
            raise DomainError(_(message), field=key)
        out[key] = value
    joined = data.get("joined_on")
    if joined is None:
        raise DomainError(_("请填写入党日期。"), field="joined_on")
    if joined > today:
        raise DomainError(_("入党日期不能晚于今天。"), field="joined_on")
    if age_on(birth, joined) < 18:
        raise DomainError(_("入党时须年满 18 周岁，请核对入党日期和出生日期。"), field="joined_on")
    full_on = data.get("full_member_on")
    if out["status"] == MemberStatus.PROBATIONARY and full_on:
        raise DomainError(_("预备党员不应填写转正日期。"), field="full_member_on")
    if full_on and _before(full_on, joined):
        raise DomainError(
            _("转正日期 %(f)s 早于入党日期 %(j)s，请核对。") % {"f": as_date(full_on), "j": as_date(joined)},
            field="full_member_on",
        )
    if full_on and full_on > today:
        raise DomainError(_("转正日期不能晚于今天。"), field="full_member_on")
    out["full_member_on"] = as_date(full_on)
    out["joined_on"] = as_date(joined)
    registered = data.get("registered_on") or today
    if registered > today:
        raise DomainError(_("组织关系转入日期不能晚于今天。"), field="registered_on")
    if _before(registered, joined):
        raise DomainError(_("组织关系转入日期不能早于入党日期。"), field="registered_on")
    out["registered_on"] = as_date(registered)
    for key, limit in (("employer_name", 200), ("job_title", 60), ("floating_place", 200)):
        value = halfwidth(data.get(key) or "")
        if len(value) > limit:
            raise DomainError(_("内容过长（不超过 %(n)s 个字）。") % {"n": limit}, field=key)
        if "<" in value or ">" in value:
            raise DomainError(_("不能包含尖括号等标记字符。"), field=key)
        out[key] = value
    out["is_floating"] = bool(data.get("is_floating"))
    if out["is_floating"] and not out["floating_place"]:
        raise DomainError(_("流动党员请填写流动去向。"), field="floating_place")
    out["name_pinyin"], out["name_initials"] = pinyin_of(out["name"])
    return out


def validate_leave(*, left_on: date | None, reason: str, joined_on: date, today: date | None = None) -> None:
    today = today or date.today()
    if left_on is None:
        raise DomainError(_("请填写离开日期。"), field="left_on")
    if left_on > today:
        raise DomainError(_("离开日期不能晚于今天。"), field="left_on")
    if left_on < joined_on:
        raise DomainError(_("离开日期不能早于入党日期。"), field="left_on")
    if reason not in LeaveReason.values:
        raise DomainError(_("请选择离开原因。"), field="leave_reason")
