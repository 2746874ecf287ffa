"""Date arithmetic that cannot raise: whole years from 29 February land on 28 February."""

from datetime import date


def add_years(d: date, years: int) -> date:
    """`d` moved by whole `years` (negative goes back); 29 February becomes 28 February in a common year."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February in a year that has none
        return d.replace(year=d.year + years, day=28)
