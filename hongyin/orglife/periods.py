"""Months and quarters: the periods the required frequencies count in."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from hongyin.common.errors import DomainError


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, n: int) -> date:
    """The first day of the month n months after day's month."""
    index = day.year * 12 + day.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def months_between(earlier: date, later: date) -> int:
    """Whole calendar months from earlier's month to later's month (0 in the same month)."""
    return month_index(later) - month_index(earlier)


@dataclass(frozen=True)
class PeriodSpan:
    start: date  # first day
    end: date  # last day
    label: str

    def ended(self, today: date) -> bool:
        return self.end < today


def _span(start: date, months: int, label: str) -> PeriodSpan:
    return PeriodSpan(start, add_months(start, months) - timedelta(days=1), label)


def periods(kind: str, first: date, last: date) -> list[PeriodSpan]:
    """The months, quarters or years (`kind`) overlapping the months first..last (first days of months)."""
    if kind == "month":
        out, m = [], month_start(first)
        while m <= last:
            out.append(_span(m, 1, f"{m.year}-{m.month:02d}"))
            m = add_months(m, 1)
        return out
    if kind == "quarter":
        out, q = [], date(first.year, (first.month - 1) // 3 * 3 + 1, 1)
        while q <= last:
            out.append(_span(q, 3, _("%(y)d年第%(q)d季度") % {"y": q.year, "q": (q.month - 1) // 3 + 1}))
            q = add_months(q, 3)
        return out
    out = []
    for y in range(first.year, last.year + 1):
        out.append(_span(date(y, 1, 1), 12, _("%(y)d年") % {"y": y}))
    return out


def parse_month(value, *, field: str, label: str) -> date:
    """ "2025-03" (a month input) or a date: the first day of that month; a clear message otherwise."""
    if isinstance(value, date):
        return month_start(value)
    text = str(value or "").strip()
    try:
        year, month = (int(p) for p in text.split("-")[:2])
        return date(year, month, 1)
    except (TypeError, ValueError):
        raise DomainError(_("%(l)s应为“年-月”，例如 2025-03。") % {"l": label}, field=field) from None


def check_range(start: date, end: date, *, longest: int = 36) -> None:
    """A report's months: end not before start, at most `longest` months."""
    if end < start:
        raise DomainError(_("截止月份不能早于起始月份。"), field="end")
    if month_index(end) - month_index(start) >= longest:
        raise DomainError(_("统计区间最长 %(n)d 个月。") % {"n": longest}, field="end")
