"""Valid test identities: ID numbers with a correct check digit."""

import itertools
from datetime import date

from hongyin.members.validation import id_check_char

_seq = itertools.count(100)


def make_id(birth: date = date(1990, 5, 17), region: str = "610113", male: bool = True) -> str:
    n = next(_seq) % 500
    order = n * 2 + (1 if male else 0)
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    return body + id_check_char(body)
