"""Money is Decimal with two places everywhere (SQLite sums decimals as floats: 1654.03000000000)."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def to_money(value) -> Decimal:
    """Any sum the database returns (None, float tails) as a Decimal with exactly two places."""
    if value is None:
        return Decimal("0.00")
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)
