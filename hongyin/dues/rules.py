"""The official dues brackets (关于中国共产党党费收缴、使用和管理的规定, 2008), in one table used by both the
Python computation (Decimal) and the set-based SQL of the month close, so the two can never disagree.

Amounts are computed in cents with half-up rounding: due_cents = (base_cents * rate_bp + 5000) // 10000.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from hongyin.common.errors import DomainError
from hongyin.members.choices import MemberCategory

CENT = Decimal("0.01")
# (upper bound of the base in cents, inclusive, or None for "above"; rate in basis points)
BRACKETS: dict[str, list[tuple[int | None, int]]] = {
    MemberCategory.EMPLOYED: [(300000, 50), (500000, 100), (1000000, 150), (None, 200)],
    MemberCategory.RETIRED: [(500000, 50), (None, 100)],
}
FIXED_CENTS: dict[str, int] = {MemberCategory.STUDENT: 20, MemberCategory.UNEMPLOYED: 20}
FARMER_MIN = Decimal("0.20")
FARMER_MAX = Decimal("1.00")
FARMER_DEFAULT = Decimal("0.20")


def to_cents(amount: Decimal) -> int:
    return int((Decimal(amount) * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def rate_bp(category: str, base: Decimal) -> int | None:
    """The rate in basis points (0.5% = 50) for a percentage category, None for fixed-amount categories."""
    brackets = BRACKETS.get(category)
    if brackets is None:
        return None
    cents = to_cents(base)
    for upper, bp in brackets:
        if upper is None or cents <= upper:
            return bp
    raise AssertionError("unreachable")


def monthly_amount(
    *,
    category: str,
    base: Decimal = Decimal("0"),
    voluntary_extra: Decimal = Decimal("0"),
    farmer_amount: Decimal | None = None,
) -> Decimal:
    """The monthly dues in yuan (Decimal with 2 places) for a member's category and base, plus voluntary extra."""
    base = Decimal(base)
    if base < 0:
        raise DomainError(_("缴纳基数不能为负数。"), field="base")
    if Decimal(voluntary_extra) < 0:
        raise DomainError(_("自愿多缴金额不能为负数。"), field="voluntary_extra")
    bp = rate_bp(category, base)
    if bp is not None:
        cents = (to_cents(base) * bp + 5000) // 10000
    elif category == MemberCategory.FARMER:
        amount = FARMER_DEFAULT if farmer_amount is None else Decimal(farmer_amount)
        validate_farmer_amount(amount)
        cents = to_cents(amount)
    else:
        cents = FIXED_CENTS[category]
    return (Decimal(cents) / 100 + Decimal(voluntary_extra)).quantize(CENT, rounding=ROUND_HALF_UP)


def validate_farmer_amount(amount: Decimal) -> None:
    if not (FARMER_MIN <= Decimal(amount) <= FARMER_MAX):
        raise DomainError(_("农民党员每月党费应在 0.2 元至 1 元之间。"), field="farmer_amount")


def due_cents_sql(category: str = "m.category", base: str = "p.base", farmer: str = "p.farmer_amount") -> str:
    """The same computation as `monthly_amount` (without extra) as a SQL expression giving integer cents."""
    base_cents = f"CAST(ROUND(COALESCE({base}, 0) * 100) AS INTEGER)"
    whens = []
    for cat, brackets in BRACKETS.items():
        inner = []
        for upper, bp in brackets:
            expr = f"(({base_cents} * {bp} + 5000) / 10000)"
            inner.append(f"WHEN {base_cents} <= {upper} THEN {expr}" if upper is not None else f"ELSE {expr}")
        whens.append(f"WHEN {category} = '{cat}' THEN (CASE {' '.join(inner)} END)")
    for cat, cents in FIXED_CENTS.items():
        whens.append(f"WHEN {category} = '{cat}' THEN {cents}")
    farmer_default = to_cents(FARMER_DEFAULT)
    whens.append(
        f"WHEN {category} = '{MemberCategory.FARMER}' THEN "
        f"COALESCE(CAST(ROUND({farmer} * 100) AS INTEGER), {farmer_default})"
    )
    return f"(CASE {' '.join(whens)} ELSE 0 END)"


def month_start(value: date) -> date:
    return value.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def parse_month(value: str, *, field: str = "month") -> date:
    """'2026-03' (or a date) -> date(2026, 3, 1); DomainError when it is not a month."""
    if isinstance(value, date):
        return month_start(value)
    text = str(value or "").strip().replace("/", "-").replace("年", "-").rstrip("月")
    try:
        year, month = text.split("-")[:2]
        result = date(int(year), int(month), 1)
    except (ValueError, TypeError):
        raise DomainError(_("月份格式不正确，应为“2026-03”。"), field=field)
    if not 2000 <= result.year <= 2100:
        raise DomainError(_("月份超出范围。"), field=field)
    return result
