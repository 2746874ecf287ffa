"""Workbench panels. Each app registers the panels it contributes; a role's workbench shows the panels its
permissions allow, to-dos first, then figures, then shortcuts."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    perm: str
    section: str  # "todo", "figures" or "shortcuts"
    order: int
    context: Callable


PANELS: list[Panel] = []
SECTIONS = ("todo", "figures", "shortcuts")


def panel(*, key: str, title, template: str, perm: str, section: str = "figures", order: int = 50):
    assert section in SECTIONS

    def decorator(func: Callable) -> Callable:
        if not any(p.key == key for p in PANELS):
            PANELS.append(Panel(key, title, template, perm, section, order, func))
        return func

    return decorator


def panels_for(user) -> dict[str, list[dict]]:
    result: dict[str, list[dict]] = {s: [] for s in SECTIONS}
    for p in sorted(PANELS, key=lambda p: (p.order, p.key)):
        if user.has_role_perm(p.perm):
            result[p.section].append({"key": p.key, "title": p.title, "template": p.template, **p.context(user)})
    return result
