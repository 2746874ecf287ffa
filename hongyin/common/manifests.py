"""App manifests: each app declares in one place what it adds to the platform; the platform finds them once.

An app's `manifest.py` holds `MANIFEST = AppManifest(...)`:

    MANIFEST = AppManifest(
        url_prefix="orgs/",                       # its pages, from its urls.py
        api="api",                                # its module with ROUTERS = {"/orgs": router}
        nav=(Nav(_("组织架构"), "orgs:tree", "diagram-3", "orgs.view", section="party"),),
        permissions={"orgs.view": frozenset({Role.ZONE_ADMIN, ...})},   # codes and the roles holding them
        panels="workbench", searchers="search",   # modules that register panels / searchers when imported
        seed="hongyin.devtools.seed_members.seed_members",
    )

Module names without a dot are relative to the app. Adding an app touches its folder and INSTALLED_APPS (and its
line in the import-linter layers), nothing else: the URLs, the API mount, the navigation, the permission table, the
workbench, the search box, job and import kinds, the demo builder, the bench and the crawler all read manifests.
"""

import importlib
import importlib.util
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

SURFACES = frozenset({"desktop", "phone", "kiosk", "cockpit"})

# The navigation's sections, in order (an entry names one of these keys).
SECTIONS: dict[str, str] = {
    "home": _("首页"),
    "party": _("党的建设"),
    "learning": _("学习与活动"),
    "enterprise": _("企业与网格"),
    "service": _("企业服务"),
    "chain": _("链上协作与金融"),
    "insight": _("统计分析"),
    "system": _("系统管理"),
    "me": _("个人设置"),
}

MODULE_KINDS = ("hooks", "panels", "searchers", "jobs", "import_kinds", "crawl", "bench")


@dataclass(frozen=True)
class Nav:
    """One navigation entry. `also` names further URL names that belong to this entry (a form reached from it),
    so the entry is highlighted there rather than whichever entry has the longest matching URL prefix."""

    label: str
    url_name: str
    icon: str
    perm: str
    section: str = "home"
    order: int = 50
    surfaces: frozenset = frozenset({"desktop", "phone"})
    also: tuple[str, ...] = ()

    def __post_init__(self):
        if self.section not in SECTIONS:
            raise ImproperlyConfigured(f"unknown navigation section {self.section!r} for {self.url_name}")
        if not self.surfaces <= SURFACES:
            raise ImproperlyConfigured(f"unknown surface in {sorted(self.surfaces)} for {self.url_name}")


@dataclass(frozen=True)
class AppManifest:
    url_prefix: str | None = None  # None: the app has no pages
    urls: str = "urls"
    api: str | None = None  # a module with ROUTERS = {"/prefix": router}
    nav: tuple[Nav, ...] = ()
    permissions: Mapping[str, frozenset] = field(default_factory=dict)
    # modules imported once at start-up, so that their decorators register
    hooks: str | None = None  # hook implementations
    panels: str | None = None  # workbench panels (hongyin.common.workbench.panel)
    searchers: str | None = None  # the search box (hongyin.common.search.searcher)
    jobs: str | None = None  # job kinds (hongyin.jobs)
    import_kinds: str | None = None  # import kinds (hongyin.imports.registry)
    crawl: str | None = None  # permission-crawler samples (hongyin.common.crawl.crawl_samples); loaded by the crawler
    bench: str | None = None  # benchmarks (@benchmark); loaded by `manage.py bench`
    seed: str | None = None  # "module.function(zone, scale, rng)" adding the app's demo data
    seed_order: int = 50
    cockpit: tuple = ()  # cockpit figures (the cockpit issue)
    app: str = ""  # filled in at discovery: the app's module path

    def module(self, name: str | None) -> str | None:
        if not name:
            return None
        return name if "." in name else f"{self.app}.{name}"


_found: list[AppManifest] | None = None


def manifests() -> list[AppManifest]:
    """Every installed hongyin app's manifest, in INSTALLED_APPS order (found once)."""
    global _found
    if _found is None:
        found = []
        for config in apps.get_app_configs():
            if not config.name.startswith("hongyin."):
                continue
            name = f"{config.name}.manifest"
            if importlib.util.find_spec(name) is None:
                continue
            manifest = importlib.import_module(name).MANIFEST
            object.__setattr__(manifest, "app", config.name)
            found.append(manifest)
        _found = found
    return _found


def declared_permissions() -> dict[str, frozenset]:
    """The permission table: every manifest's codes with their default roles. A code declared twice is an error."""
    table: dict[str, frozenset] = {}
    for m in manifests():
        for code, roles in m.permissions.items():
            if code in table:
                raise ImproperlyConfigured(f"permission {code!r} is declared by {m.app} and by another app")
            table[code] = frozenset(roles)
    return table


def load_modules(kind: str) -> list[str]:
    """Import one kind of module (see MODULE_KINDS) of every app, so that their decorators register."""
    assert kind in MODULE_KINDS, kind
    loaded = []
    for m in manifests():
        name = m.module(getattr(m, kind))
        if name:
            importlib.import_module(name)
            loaded.append(name)
    return loaded


def start_up() -> None:
    """Once the apps are ready: import what every app registers at run time."""
    for kind in ("hooks", "panels", "searchers", "jobs", "import_kinds"):
        load_modules(kind)


def nav_entries() -> list[Nav]:
    order = list(SECTIONS)
    return sorted((n for m in manifests() for n in m.nav), key=lambda n: (order.index(n.section), n.order))


def seed_steps() -> list[tuple[str, str]]:
    """(app, "module.function") of every app with a demo seed step, in seed order."""
    steps = sorted((m.seed_order, i, m.app, m.seed) for i, m in enumerate(manifests()) if m.seed)
    return [(app, seed) for _order, _i, app, seed in steps]


def resolve(dotted: str):
    module, _, attr = dotted.rpartition(".")
    return getattr(importlib.import_module(module), attr)


def url_includes() -> list[tuple[str, str]]:
    """(prefix, urls module) of every app with pages, in INSTALLED_APPS order."""
    return [(m.url_prefix, m.module(m.urls)) for m in manifests() if m.url_prefix is not None]
