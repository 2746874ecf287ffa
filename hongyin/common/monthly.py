"""Monthly series: counts per month from a date column, and the running total at the end of each month (the
growth charts of members and of organizations)."""

from datetime import date

from django.db.models import Count


def per_month(qs, field: str, start: date, end: date) -> dict:
    """{first day of month: count} for rows whose date `field` is in [start, end]: grouped by day in SQL and
    by month in Python, so no per-row date function runs in the database."""
    rows = (
        qs.filter(**{f"{field}__gte": start, f"{field}__lte": end})
        .order_by()
        .values_list(field)
        .annotate(n=Count("pk"))
        .values_list(field, "n")
    )
    months: dict = {}
    for day, n in rows:
        key = day.replace(day=1)
        months[key] = months.get(key, 0) + n
    return months


def _month_key(value) -> tuple[int, int]:
    return (value.year, value.month)


def cumulate(before: int, added: dict, left: dict, start: date, end: date) -> list[tuple[str, int]]:
    """[("YYYY-MM", running total)] from `before`, adding `added` and taking away `left` month by month."""
    added = {_month_key(k): v for k, v in added.items() if k}
    left = {_month_key(k): v for k, v in left.items() if k}
    out = []
    running = before
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        running += added.get((y, m), 0) - left.get((y, m), 0)
        out.append((f"{y}-{m:02d}", running))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out
