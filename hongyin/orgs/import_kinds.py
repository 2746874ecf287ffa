"""The organization import kind, offered on the party upload page (found by hongyin.imports.registry)."""

from django.utils.translation import gettext_lazy as _

from hongyin.imports.registry import ImportKind, register

from .imports import OrgImport

register(
    ImportKind(
        key="orgs",
        group="party",
        title=_("党组织"),
        spec=OrgImport,
        perm="members.manage",
        notes=(_("上级组织填写平台中已有组织的全称，或本文件中前面行的组织名称。"),),
        done_url="orgs:tree",
        order=20,
    )
)
