"""Pinyin of enterprise names for search by full pinyin and initials (e.g. 西安光电 -> xianguangdian / xagd)."""

from pypinyin import lazy_pinyin


def name_pinyin(name: str) -> tuple[str, str]:
    """One pinyin pass: the full spelling and the initial of each syllable (ASCII words keep their first letter)."""
    tokens = [t for t in lazy_pinyin(name) if t and t[0].isalnum()]
    full = "".join(tokens).lower()
    initials = "".join(t[0] for t in tokens).lower()
    return full[:400], initials[:100]
