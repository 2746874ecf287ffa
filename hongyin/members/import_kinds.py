"""The roster import kind and the party upload page (its manifest names it)."""

from django.utils.translation import gettext_lazy as _

from hongyin.imports.registry import ImportGroup, ImportKind, Target, register, register_group
from hongyin.orgs.models import BRANCH_KINDS

from .imports import TEMPLATE_NOTES, MemberImport

MANAGE = "members.manage"


def _branches(user):
    from hongyin.orgs.permissions import orgs_visible_to

    return orgs_visible_to(user, MANAGE).filter(kind__in=BRANCH_KINDS, dissolved_on__isnull=True)


def branch_options(user) -> list[tuple[int, str]]:
    return [(o.pk, o.name) for o in _branches(user).order_by("path").only("pk", "name")[:3000]]


def branch_in_scope(user, pk: int):
    return _branches(user).filter(pk=pk).first()


def own_branch(user) -> int | None:
    """A branch secretary's own branch (the one branch among the user's role assignments)."""
    branches = {a.org_id for a in user.assignments if a.org_id and a.org and a.org.kind in BRANCH_KINDS}
    if len(branches) != 1:
        return None
    pk = branches.pop()
    return pk if branch_in_scope(user, pk) is not None else None


register_group(
    ImportGroup(
        key="party",
        title=_("导入名册"),
        upload_url="members:import",
        template_url="members:template",
        back_url="members:list",
        back_label=_("党员名册"),
        chooser="select",
        intro=(
            _("第二步：上传文件。系统先检查每一行并给出预览和错误报告，确认后才写入；有任何错误时不写入任何数据。"),
        ),
    )
)

register(
    ImportKind(
        key="members",
        group="party",
        title=_("党员名册"),
        spec=MemberImport,
        perm=MANAGE,
        target=Target(
            label=_("导入到党支部"),
            options=branch_options,
            resolve=branch_in_scope,
            default=own_branch,
            help=_("文件中没有“所在党支部”列（或该列留空）的行导入到这里；有该列时以文件为准。"),
        ),
        notes=TEMPLATE_NOTES,
        done_url="members:list",
        job_kind="members.import",
        order=10,
    )
)
