"""Hooks: a lower layer names a point, a higher app registers into it at start-up (its AppConfig.ready), as in
Wagtail's wagtail_hooks. `common` imports no app; where it needs an app's service it calls a hook instead.

    # hongyin/audit/apps.py
    def ready(self):
        hooks.register(hooks.AUDIT_RECORD, services.record)

    # hongyin/common/uploads.py
    hooks.call_one(hooks.AUDIT_RECORD, actor=actor, action="upload", obj=attachment)
"""

from collections import defaultdict
from collections.abc import Callable

# The points, one name each, declared by the layer that calls them (a typo is a KeyError at start-up).
AUDIT_RECORD = "audit.record"  # (actor, action, obj, org, result, details) -> event; audit app
CALENDAR_ENTRIES = "calendar.entries"  # () -> (overrides {date: is_workday}, confirmed years); the calendar owner
DELIVER_EXTERNAL = "notifications.deliver"  # (rows of (user_id, title, body, url)) -> None; notifications app
POINTS = {AUDIT_RECORD, CALENDAR_ENTRIES, DELIVER_EXTERNAL}


def define(point: str) -> str:
    """An app's own hook point (its name starts with the app's label), e.g. `enterprises.visit_model`."""
    POINTS.add(point)
    return point


_registry: dict[str, list[Callable]] = defaultdict(list)


def register(point: str, func: Callable) -> Callable:
    if point not in POINTS:
        raise KeyError(f"unknown hook point {point!r}")
    if func not in _registry[point]:
        _registry[point].append(func)
    return func


def registered(point: str) -> list[Callable]:
    return list(_registry[point])


def call_one(point: str, *args, **kwargs):
    """Call the one function registered for `point` (an app that must be installed provides it)."""
    funcs = _registry[point]
    if len(funcs) != 1:
        raise LookupError(f"hook {point!r} needs exactly one function, has {len(funcs)}")
    return funcs[0](*args, **kwargs)


def call_all(point: str, *args, **kwargs) -> list:
    return [f(*args, **kwargs) for f in _registry[point]]
