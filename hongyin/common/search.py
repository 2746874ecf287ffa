"""The global search box. Each app registers a searcher; results are always scoped to the user."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Searcher:
    key: str
    title: str
    perm: str
    func: Callable  # (user, q) -> list[dict(label, url, extra)]


SEARCHERS: list[Searcher] = []


def searcher(*, key: str, title, perm: str):
    def decorator(func: Callable) -> Callable:
        if not any(s.key == key for s in SEARCHERS):
            SEARCHERS.append(Searcher(key, title, perm, func))
        return func

    return decorator


def global_search(user, q: str, limit: int = 10) -> list[dict]:
    groups = []
    for s in SEARCHERS:
        if user.has_role_perm(s.perm):
            groups.append({"key": s.key, "title": s.title, "results": s.func(user, q)[:limit]})
    return groups
