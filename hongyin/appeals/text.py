"""jieba tokens for "has this enterprise asked the same thing lately?" and for policy relevance."""

from datetime import date, timedelta
from functools import lru_cache

STOP = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "是",
        "在",
        "我们",
        "我司",
        "公司",
        "企业",
        "希望",
        "请求",
        "申请",
        "问题",
        "情况",
        "相关",
        "有关",
        "进行",
        "一个",
        "没有",
        "能够",
        "需要",
        "目前",
        "已经",
        "协调",
        "帮助",
        "解决",
    ]
)


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def tokens_of(text: str) -> list[str]:
    """Distinct meaningful tokens (two characters or more, no stop words), in order of appearance."""
    seen = {}
    for token in _jieba().cut_for_search(text or ""):
        token = token.strip().lower()
        if len(token) >= 2 and token not in STOP and not token.isdigit():
            seen.setdefault(token, None)
    return list(seen)


def overlap(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def similar_appeals(
    enterprise_id: int, tokens: str, *, exclude_pk=None, before: date | None = None, within=None
) -> list:
    """Appeals of the same enterprise in the window whose tokens overlap at least SIMILAR_MIN_OVERLAP, among
    `within` (the viewer's appeals) when given."""
    from . import conf
    from .models import Appeal

    mine = set((tokens or "").split())
    if not mine:
        return []
    end = before or date.today()
    start = end - timedelta(days=conf.get("SIMILAR_WINDOW_DAYS"))
    qs = (Appeal.objects.all() if within is None else within).filter(
        enterprise_id=enterprise_id, submitted_on__gte=start, submitted_on__lte=end
    )
    if exclude_pk:
        qs = qs.exclude(pk=exclude_pk)
    threshold = conf.get("SIMILAR_MIN_OVERLAP")
    found = []
    for other in qs.only("id", "number", "title", "tokens", "submitted_on", "status"):
        score = overlap(mine, set(other.tokens.split()))
        if score >= threshold:
            other.score = round(score, 2)
            found.append(other)
    return sorted(found, key=lambda a: -a.score)
