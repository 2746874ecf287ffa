"""The audit log: the hash-chained events, their page and export."""

from django.utils.translation import gettext_lazy as _

from hongyin.common.manifests import AppManifest, Nav
from hongyin.common.roles import Role

MANIFEST = AppManifest(
    url_prefix="audit/",
    nav=(Nav(_("审计日志"), "audit:list", "journal-text", "audit.view", section="system", order=30),),
    permissions={"audit.view": frozenset({Role.AUDIT_ADMIN}), "audit.export": frozenset({Role.AUDIT_ADMIN})},
    panels="workbench",
)
