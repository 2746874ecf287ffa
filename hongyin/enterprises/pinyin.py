"""Pinyin of enterprise names for search by full pinyin and initials (e.g. 西安光电 -> xianguangdian / xagd)."""

from pypinyin import Style, lazy_pinyin


def name_pinyin(name: str) -> tuple[str, str]:
    full = lazy_pinyin(name, errors="ignore")
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")
    return "".join(full).lower()[:400], "".join(initials).lower()[:100]
