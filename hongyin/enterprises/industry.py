"""The GB/T 4754-2017 industry classification (sections, divisions, groups), shipped as data in data/."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils import translation

DATA = Path(__file__).parent / "data" / "gbt4754_2017.csv"
DATA_EN = Path(__file__).parent / "data" / "gbt4754_2017_en.csv"  # English names of every section, division, group


@dataclass(frozen=True)
class Industry:
    code: str
    name: str
    level: str  # section / division / group
    parent: str

    @property
    def display_name(self) -> str:
        """The name in the active language (English: data/gbt4754_2017_en.csv, every code of the table; a code
        added to the table without its English name reads as its parent's until it gets one)."""
        if not (translation.get_language() or "").startswith("en"):
            return self.name
        english = english_names()
        item = self
        while item is not None:
            if item.code in english:
                return english[item.code]
            item = get(item.parent) if item.parent else None
        return self.name

    @property
    def label(self) -> str:
        return f"{self.code} {self.display_name}"


@cache
def table() -> dict[str, Industry]:
    with DATA.open(encoding="utf-8") as f:
        return {row["code"]: Industry(**row) for row in csv.DictReader(f)}


@cache
def english_names() -> dict[str, str]:
    with DATA_EN.open(encoding="utf-8") as f:
        return {row["code"]: row["name_en"] for row in csv.DictReader(f)}


def name(code: str) -> str:
    """The industry's name in the active language; the code itself only when it is not in the table."""
    item = get(code)
    return item.display_name if item else (code or "")


def prefix(code: str) -> str:
    """A code as people write it, as the table keys it: "C39" (the section letter before the division, as the
    statistical bureau writes it) is "39"; any other code is trimmed and upper-cased."""
    code = (code or "").strip().upper()
    return code[1:] if len(code) > 1 and code[0].isalpha() and code[1:].isdigit() else code


def get(code: str) -> Industry | None:
    return table().get((code or "").strip().upper())


def section_of(code: str) -> Industry | None:
    item = get(code)
    while item is not None and item.level != "section":
        item = get(item.parent)
    return item


def label(code: str) -> str:
    item = get(code)
    return item.label if item else code


def choices() -> list[tuple[str, str]]:
    """Divisions and groups (what an enterprise is classified by), grouped for a <select>."""
    return [
        (i.code, ("\u3000" if i.level == "group" else "") + i.label) for i in table().values() if i.level != "section"
    ]


def search(q: str, limit: int = 30) -> list[Industry]:
    q = (q or "").strip()
    items = [i for i in table().values() if i.level != "section"]
    if not q:
        return [i for i in items if i.level == "division"][:limit]
    low = q.lower()
    return [i for i in items if i.code.startswith(q) or q in i.name or low in i.display_name.lower()][:limit]
