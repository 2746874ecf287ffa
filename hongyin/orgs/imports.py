"""Import of organizations from xlsx (issue 3, §6) on the shared engine. Parents may be earlier rows of the file.

The check runs every row through org_create inside a transaction that is rolled back, so the dry run finds
exactly the errors the commit would meet."""

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongyin.common.errors import DomainError
from hongyin.common.excel import Column, ImportSpec, RowError, choice_map, choice_options

from . import services
from .models import OrgCategory, OrgKind
from .permissions import orgs_visible_to

KIND = choice_map(OrgKind, {"支部": "branch", "总支": "general_branch", "党小组": "group", "小组": "group"})
CATEGORY = choice_map(OrgCategory, {"企业": "enterprise", "非公": "enterprise", "研发机构": "institute"})

COLUMNS = (
    Column("name", "组织名称", ("党组织名称", "名称"), required=True, max_length=120, example="第一楼宇示例党支部"),
    Column("parent", "上级组织", ("上级党组织", "隶属党组织"), required=True, max_length=120, example="第一楼宇党委"),
    Column(
        "kind",
        "组织类型",
        ("类型",),
        required=True,
        kind="choice",
        choices=KIND,
        options=choice_options(OrgKind),
        example="党支部",
    ),
    Column(
        "category",
        "组织类别",
        ("类别", "单位类别"),
        required=True,
        kind="choice",
        choices=CATEGORY,
        options=choice_options(OrgCategory),
        example="非公企业",
    ),
    Column("short_name", "简称", (), max_length=40),
    Column("code", "组织代码", ("代码", "编码"), max_length=40),
    Column("founded_on", "成立日期", ("成立时间",), kind="date", example="2021-03-01"),
    Column("approved_by", "批准机关", ("批准单位",), max_length=120),
    Column("covered_units", "覆盖单位", ("联合单位",), max_length=800),
)


class _Rollback(Exception):
    pass


class OrgImport(ImportSpec):
    title = gettext_lazy("党组织")
    columns = COLUMNS
    preview_fields = ("name", "parent", "kind", "category", "founded_on")

    def __init__(self, *, actor):
        super().__init__(actor=actor)
        self.visible = {o.name: o for o in orgs_visible_to(actor, "orgs.manage").filter(dissolved_on__isnull=True)}

    def clean_row(self, values, row):
        for key in ("kind", "category"):
            if not values[key]:
                raise DomainError(_("请填写%(c)s。") % {"c": self.label_of(key)}, field=key)
        if "<" in values["name"] or ">" in values["name"]:
            raise DomainError(_("组织名称不能包含尖括号等标记字符。"), field="name")
        return values

    def _create_all(self, cleaned):
        created = {}
        errors = []
        for row, values in cleaned:
            parent = created.get(values["parent"]) or self.visible.get(values["parent"])
            if parent is None:
                errors.append(
                    RowError(row, _("上级组织"), values["parent"], _("找不到上级组织（或不在您的管理范围内）。"))
                )
                continue
            fields = {k: v for k, v in values.items() if k != "parent"}
            try:
                with transaction.atomic():
                    org = services.org_create(actor=self.actor, parent=parent, **fields)
            except DomainError as exc:
                errors.append(RowError(row, self.label_of(exc.field), str(values.get(exc.field, "")), exc.message))
                continue
            created[org.name] = org
        return created, errors

    def check_all(self, cleaned):
        errors = []
        try:
            with transaction.atomic():
                _created, errors = self._create_all(cleaned)
                raise _Rollback
        except _Rollback:
            pass
        return errors

    def commit(self, cleaned, progress):
        created, errors = self._create_all(cleaned)
        if errors:
            raise DomainError(errors[0].message)
        return len(created)

    def preview_row(self, values):
        return {
            "name": values["name"],
            "parent": values["parent"],
            "kind": OrgKind(values["kind"]).label,
            "category": OrgCategory(values["category"]).label,
            "founded_on": values["founded_on"].isoformat() if values["founded_on"] else "",
        }
