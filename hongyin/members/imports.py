"""The member roster import (issue 3, §6; issue 11: a roster as a secretary keeps it) on the shared engine
(hongyin.common.excel). Registered as the "members" import kind in import_kinds.py."""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hongyin.common.errors import DomainError
from hongyin.common.excel import Column, ImportSpec, RowError, choice_map, choice_options
from hongyin.common.fields import index_of, mask_id_number
from hongyin.orgs.models import BRANCH_KINDS, Organization
from hongyin.orgs.permissions import orgs_visible_to

from . import services
from .choices import ETHNICITIES, Education, Gender, MemberCategory, MemberStatus
from .models import Member
from .validation import clean_member

GENDER = choice_map(Gender, {"男性": "male", "女性": "female", "m": "male", "f": "female"})
EDUCATION = choice_map(
    Education,
    {
        "博士": "postgraduate",
        "博士研究生": "postgraduate",
        "硕士": "postgraduate",
        "硕士研究生": "postgraduate",
        "本科": "university",
        "大学": "university",
        "大专": "college",
        "专科": "college",
        "中专": "secondary",
        "中技": "secondary",
        "职高": "secondary",
        "高中": "high_school",
        "初中": "junior",
        "小学": "junior",
    },
)
CATEGORY = choice_map(
    MemberCategory, {"离休": "retired", "退休": "retired", "失业": "unemployed", "在校学生": "student"}
)
STATUS = choice_map(MemberStatus, {"正式": "full", "预备": "probationary"})

COLUMNS = (
    Column("name", "姓名", ("党员姓名", "名字", "name"), required=True, max_length=40, example="张伟"),
    Column("gender", "性别", ("sex",), kind="choice", choices=GENDER, options=choice_options(Gender), example="男"),
    Column("ethnicity", "民族", ("族别",), max_length=10, example="汉族"),
    Column("birth_date", "出生日期", ("出生年月", "生日"), kind="date", example="1990-05-17"),
    Column(
        "id_number",
        "公民身份号码",
        ("身份证号", "身份证号码", "身份证", "证件号码", "居民身份证号", "idnumber"),
        required=True,
        max_length=24,
        example="610113199005170019",
    ),
    Column(
        "phone", "手机号码", ("手机", "手机号", "联系电话", "电话", "联系方式"), max_length=20, example="13912345678"
    ),
    Column(
        "education",
        "学历",
        ("文化程度", "最高学历"),
        kind="choice",
        choices=EDUCATION,
        options=choice_options(Education),
    ),
    Column(
        "category",
        "人员类别",
        ("党员类别", "人员类型"),
        kind="choice",
        choices=CATEGORY,
        options=choice_options(MemberCategory),
        example="在职",
    ),
    Column(
        "status",
        "党员状态",
        ("党籍状态", "党员类型", "正式/预备"),
        kind="choice",
        choices=STATUS,
        options=choice_options(MemberStatus),
        example="正式党员",
    ),
    Column("joined_on", "入党日期", ("入党时间", "加入党组织日期"), required=True, kind="date", example="2015.07"),
    Column("full_member_on", "转正日期", ("转正时间",), kind="date", example="2016年7月"),
    Column(  # a branch's own roster has no such column: its rows go to the branch chosen on upload
        "org_name",
        "所在党支部",
        ("党支部", "所在支部", "所在党组织", "党组织", "支部名称"),
        max_length=120,
        example="第一楼宇电子党支部7",
    ),
    Column("employer_name", "工作单位", ("单位", "工作单位及职务"), max_length=200),
    Column("job_title", "职务", ("职务/职称", "职称"), max_length=60),
    Column("is_floating", "流动党员", ("是否流动党员",), kind="bool", example="否"),
    Column("floating_place", "流动去向", ("外出流向",), max_length=200),
    Column("registered_on", "组织关系转入日期", ("转入日期", "转入时间"), kind="date"),
)


class MemberImport(ImportSpec):
    title = gettext_lazy("党员名册")
    columns = COLUMNS
    preview_fields = ("name", "gender", "id_number", "joined_on", "org_name", "status")
    parallel_validation = True
    unique_column = "id_number"

    def __init__(self, *, actor, target: Organization | None = None):
        super().__init__(actor=actor)
        self.target = target
        visible = orgs_visible_to(actor, "members.manage").filter(kind__in=BRANCH_KINDS, dissolved_on__isnull=True)
        self.orgs_by_name: dict[str, list[Organization]] = {}
        for org in visible.only("pk", "name", "code", "path", "kind", "dissolved_on", "short_name"):
            for key in {org.name, org.code, org.short_name} - {""}:
                self.orgs_by_name.setdefault(key, []).append(org)
        self.today = date.today()

    def unique_shown(self, key: str) -> str:
        return mask_id_number(key)

    def clean_row(self, values: dict, row: int):
        org_name = values.pop("org_name")
        if not org_name:
            if self.target is None:
                raise DomainError(_("请填写所在党支部，或在上传时选择导入到哪个党支部。"), field="org_name")
            values["org_name"] = ""
            return self._clean(values, self.target)
        matches = self.orgs_by_name.get(org_name, [])
        if not matches:
            raise DomainError(_("找不到党支部“%(o)s”（或不在您的管理范围内）。") % {"o": org_name}, field="org_name")
        if len(matches) > 1:
            raise DomainError(_("有多个名为“%(o)s”的党支部，请填写组织代码。") % {"o": org_name}, field="org_name")
        return self._clean(values, matches[0])

    def _clean(self, values: dict, org: Organization):
        values.pop("org_name", None)
        ethnicity = values.get("ethnicity") or "汉族"
        if ethnicity not in ETHNICITIES and ethnicity + "族" not in ETHNICITIES:
            raise DomainError(_("民族“%(e)s”不在 56 个民族名称之列。") % {"e": ethnicity}, field="ethnicity")
        data = clean_member(values, today=self.today, fast=True)
        data["org"] = org
        data["id_number_index"] = index_of(data["id_number"])
        data["_clean"] = True
        return data

    def check_all(self, cleaned):
        """Numbers already registered (repeats inside the file are found by the engine, valid rows or not)."""
        errors = []
        first_row: dict[str, int] = {}
        for row, data in cleaned:
            first_row.setdefault(data["id_number_index"], row)
        keys = list(first_row)
        existing = set()
        for start in range(0, len(keys), 900):
            existing.update(
                Member.objects.filter(id_number_index__in=keys[start : start + 900]).values_list(
                    "id_number_index", flat=True
                )
            )
        for blind in existing:
            errors.append(RowError(first_row[blind], _("公民身份号码"), "", _("该公民身份号码已有党员登记。")))
        return errors

    def commit(self, cleaned, progress):
        return services.members_bulk_create(
            actor=self.actor, rows=(data for _row, data in cleaned), source="import", progress=progress
        )

    def preview_row(self, data) -> dict:
        return {
            "name": data["name"],
            "gender": Gender(data["gender"]).label,
            "id_number": mask_id_number(data["id_number"]),
            "joined_on": data["joined_on"].isoformat(),
            "org_name": data["org"].name,
            "status": MemberStatus(data["status"]).label,
        }


TEMPLATE_NOTES = (
    gettext_lazy("带 * 的列必须填写；其余列可留空。"),
    gettext_lazy("日期可写作 2019-07-01、2019.07、2019年7月 或 Excel 日期。"),
    gettext_lazy("公民身份号码 18 位，末位 X 大小写均可；出生日期可不填（从号码中读取），填写时须一致。"),
    gettext_lazy("所在党支部填写平台中的党支部全称、简称或组织代码，且须在您的管理范围内。"),
    gettext_lazy("本支部的名册可以没有“所在党支部”列：上传时选择导入到哪个党支部。"),
    gettext_lazy("出生日期可只写到月（1985.03、1985年3月），与公民身份号码按月核对。"),
    gettext_lazy("性别、学历、人员类别、党员状态请从下拉列表中选择。"),
    gettext_lazy("一次最多 200,000 行；文件中不能有公式和宏。导入为全部成功或全部不写入。"),
)
