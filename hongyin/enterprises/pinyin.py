"""Pinyin of enterprise names for search by full pinyin and initials (e.g. 西安光电 -> xianguangdian / xagd).

Names are cut into words by pypinyin's own phrase segmenter and each word's reading is cached: enterprise names
repeat their words (西安, 光电, 科技, 有限公司), so a 20,000-row import converts each word once, with the same
phrase-aware readings as lazy_pinyin (长安 -> chang an, 银行 -> yin hang)."""

from functools import lru_cache

from pypinyin import lazy_pinyin
from pypinyin.seg.mmseg import seg


@lru_cache(maxsize=50_000)
def _word(word: str) -> tuple[str, ...]:
    return tuple(t for t in lazy_pinyin(word) if t and t[0].isalnum())


def name_pinyin(name: str) -> tuple[str, str]:
    """The full spelling and the initial of each syllable (ASCII words keep their first letter)."""
    tokens = [t for word in seg.cut(name or "") for t in _word(word)]
    full = "".join(tokens).lower()
    initials = "".join(t[0] for t in tokens).lower()
    return full[:400], initials[:100]
