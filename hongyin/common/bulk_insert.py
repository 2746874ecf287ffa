"""Inserting many validated rows in one go: COPY on PostgreSQL, one executemany INSERT elsewhere.

Django's bulk_create prepares every value of every field per object; the roster and enterprise imports prepare
their rows themselves (constants once, dates and encryption per column) and hand them here. On PostgreSQL an
executemany of 50,000 rows still costs a round of statement work per row; COPY streams them (about 5×).
"""

from django.db import connection


def insert_rows(model, columns: list[str], rows: list[list]) -> None:
    """`rows` hold the values of `columns` (database column names of `model`), ready for the driver."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608  names from meta
