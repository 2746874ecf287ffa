"""The navigation: the entries every app's manifest declares, grouped into sections, shown only to roles whose
permission they name, with exactly one entry active.

The active entry is the one that owns the current page's URL name (its own, or one it lists in `also`, where
"orgs:detail?tab=figures" owns that page only with that query); failing that, the one whose URL is the longest
prefix of the current path.
"""

from urllib.parse import parse_qsl

from django.urls import reverse

from .manifests import SECTIONS, nav_entries


def _owns(names, view_name: str, query) -> bool:
    for name in names:
        name, _, wanted = name.partition("?")
        if name == view_name and all(query.get(k) == v for k, v in parse_qsl(wanted)):
            return True
    return False


def nav_for(
    user,
    current_path: str,
    view_name: str = "",
    query=None,
    surfaces: frozenset = frozenset({"desktop", "phone"}),
) -> list[dict]:
    """The entries the user may use on these surfaces (the web shell serves desktop and phone; the kiosk and the
    cockpit have their own), flat and in section order. `desktop`/`phone` say where the shell shows each."""
    items = [
        {
            "label": entry.label,
            "url": reverse(entry.url_name),
            "icon": entry.icon,
            "section": entry.section,
            "names": {entry.url_name, *entry.also},
            "desktop": "desktop" in entry.surfaces,
            "phone": "phone" in entry.surfaces,
            "active": False,
        }
        for entry in nav_entries()
        if entry.surfaces & surfaces
        if user.has_role_perm(entry.perm)
    ]
    query = query or {}
    for i in items:
        i["owner"] = bool(view_name) and _owns(i.pop("names"), view_name, query)
    owners = [i for i in items if i["owner"]]
    if not owners:
        owners = [
            i for i in items if current_path == i["url"] or (i["url"] != "/" and current_path.startswith(i["url"]))
        ]
    if owners:
        max(owners, key=lambda i: len(i["url"]))["active"] = True
    return items


def nav_sections(items: list[dict]) -> list[dict]:
    """The flat entries grouped by section; a section is open when it holds the active entry, or when the user has
    few entries at all (collapsing a short list only hides things)."""
    few = len(items) <= 10
    sections = []
    for key, label in SECTIONS.items():
        entries = [i for i in items if i["section"] == key]
        if entries:
            active = any(i["active"] for i in entries)
            sections.append({"key": key, "label": label, "items": entries, "active": active, "open": few or active})
    return sections
