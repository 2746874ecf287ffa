from decimal import Decimal

import pytest
from django.db import connection

from hongyin.common.errors import DomainError
from hongyin.dues.rules import due_cents_sql, monthly_amount, parse_month

D = Decimal

# (category, base, expected monthly dues) — every bracket boundary of the 2008 regulation, on both sides
BOUNDARIES = [
    ("employed", "0", "0.00"),
    ("employed", "2999.99", "15.00"),
    ("employed", "3000", "15.00"),  # <= 3000: 0.5%
    ("employed", "3000.01", "30.00"),  # above 3000: 1%
    ("employed", "5000", "50.00"),  # 3000-5000 incl.: 1%
    ("employed", "5000.01", "75.00"),  # above 5000: 1.5%
    ("employed", "10000", "150.00"),  # 5000-10000 incl.: 1.5%
    ("employed", "10000.01", "200.00"),  # above 10000: 2%
    ("employed", "20000", "400.00"),
    ("employed", "2999", "15.00"),  # 14.995 rounds half up
    ("retired", "5000", "25.00"),  # <= 5000: 0.5%
    ("retired", "5000.01", "50.00"),  # above 5000: 1%
    ("retired", "3000", "15.00"),
    ("student", "8000", "0.20"),
    ("unemployed", "0", "0.20"),
    ("farmer", "0", "0.20"),
]


@pytest.mark.parametrize(("category", "base", "expected"), BOUNDARIES)
def test_brackets_at_each_boundary(category, base, expected):
    assert monthly_amount(category=category, base=D(base)) == D(expected)


def test_voluntary_extra_is_added():
    assert monthly_amount(category="employed", base=D("4000"), voluntary_extra=D("10.5")) == D("50.50")


def test_farmer_setting_between_02_and_1():
    assert monthly_amount(category="farmer", farmer_amount=D("1.00")) == D("1.00")
    assert monthly_amount(category="farmer", farmer_amount=D("0.5")) == D("0.50")
    with pytest.raises(DomainError) as e:
        monthly_amount(category="farmer", farmer_amount=D("1.5"))
    assert e.value.field == "farmer_amount"
    with pytest.raises(DomainError):
        monthly_amount(category="farmer", farmer_amount=D("0.1"))


def test_negative_base_refused():
    with pytest.raises(DomainError) as e:
        monthly_amount(category="employed", base=D("-1"))
    assert e.value.field == "base"


@pytest.mark.django_db
@pytest.mark.parametrize(("category", "base", "expected"), BOUNDARIES)
def test_sql_expression_agrees_with_python(category, base, expected):
    expr = due_cents_sql(category="c", base="b", farmer="f")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {expr} FROM (SELECT %s AS c, CAST(%s AS NUMERIC) AS b, CAST(NULL AS NUMERIC) AS f) x",
            [category, D(base)],
        )
        cents = cursor.fetchone()[0]
    assert D(cents) / 100 == D(expected)


def test_parse_month():
    assert parse_month("2026-03").month == 3
    assert parse_month("2026年3月").year == 2026
    for bad in ["", "abc", "2026-13", "1800-01"]:
        with pytest.raises(DomainError):
            parse_month(bad)
