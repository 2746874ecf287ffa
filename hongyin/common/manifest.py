"""The shell's own pieces: search box, notifications, language switch, health check, unmasking."""

from .manifests import AppManifest
from .roles import BUSINESS, Role

MANIFEST = AppManifest(
    url_prefix="",
    permissions={
        "shell.use": frozenset(Role),  # every signed-in account
        "search.global": BUSINESS,
        "workbench.business": BUSINESS,
    },
)
