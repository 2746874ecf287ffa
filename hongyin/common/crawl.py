"""Samples for the permission crawler (tests/security/test_crawler.py).

The crawler GETs every URL pattern and every API operation as every demo role. A pattern with parameters needs
samples: objects inside and outside each role's scope, and which demo usernames may see each one. Apps
register them in `hongyin/<app>/crawl.py` (imported by the crawler, nothing to wire):

    from hongyin.common.crawl import Sample, crawl_samples

    @crawl_samples("enterprises:detail", "enterprises:edit", "GET /api/v1/enterprises/{enterprise_id}")
    def enterprise_samples(ctx):
        from .permissions import enterprises_visible_to
        out = []
        for e in (ctx.canary.enterprise, ctx.zone.enterprises[1]):
            out.append(Sample({"pk": e.pk}, ctx.who_sees(enterprises_visible_to, e.pk)))
        return out

Keys are URL names ("app:name") for pages and "METHOD /api/v1/path/{param}" for API operations. For an API
operation the kwargs are its path parameters. `ctx.canary` holds objects placed in a corner of the zone no demo
role except zone_admin covers (an org subtree, a grid cell, an enterprise, a member); their names must never
appear in any page or API answer of another business role (lists, counts, searches, exports).

Expectations per (role, sample): role lacks the page's permission -> 403 (or 404); the role is in `visible_to`
-> 200 (302/405 accepted for redirects and POST-only views); otherwise -> 404. For a POST-only view the crawler
also POSTs as each role outside `visible_to` and expects 403/404 (nothing may happen).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .manifests import load_modules

CANARY = "探针琦柒"  # part of every canary object's name


@dataclass
class Sample:
    kwargs: dict
    visible_to: set[str]
    query: dict = field(default_factory=dict)
    note: str = ""
    body: dict | None = None  # JSON body for a non-GET API operation
    may_see: set[str] = field(default_factory=set)  # may get 200 or 404 (e.g. a document that exists only later)


@dataclass
class Canary:
    committee: Any = None
    branch: Any = None
    grid_cell: Any = None
    enterprise: Any = None
    member: Any = None
    names: dict[str, set[str]] = field(default_factory=dict)  # canary text -> usernames allowed to see it


@dataclass
class CrawlContext:
    zone: Any
    users: dict[str, Any]
    canary: Canary
    perm: str = ""  # the permission of the page or operation being sampled (set by the crawler)
    current: str = ""  # the URL name or API key being sampled

    def who_sees(self, visible_to: Callable, pk, *args, perm: str | None = None) -> set[str]:
        """Usernames for whom `visible_to(user[, perm])` contains pk (the app's own selector is the oracle)."""
        names = set()
        for name, user in self.users.items():
            qs = visible_to(user, perm) if perm else visible_to(user, *args)
            if qs.filter(pk=pk).exists():
                names.add(name)
        return names

    def with_perm(self, perm: str | None = None) -> set[str]:
        perm = perm or self.perm
        return {name for name, user in self.users.items() if user.has_role_perm(perm)}

    def scoped(self, visible_to: Callable, pk, *, takes_perm: bool = True) -> set[str]:
        """Who may open object pk on the current page: the page's permission and the app's selector."""
        if takes_perm:
            return self.who_sees(visible_to, pk, perm=self.perm) & self.with_perm()
        return self.who_sees(visible_to, pk) & self.with_perm()


SampleFn = Callable[[CrawlContext], list[Sample]]
REGISTRY: dict[str, SampleFn] = {}


def crawl_samples(*keys: str, replace: bool = True):
    def decorator(fn: SampleFn) -> SampleFn:
        for key in keys:
            if replace or key not in REGISTRY:
                REGISTRY[key] = fn
        return fn

    return decorator


def autodiscover() -> None:
    """Import the crawler samples every app's manifest names."""
    load_modules("crawl")
