"""The enterprise-side import kinds and their upload page (its manifest names it).
They commit on upload, all or nothing (no confirm step), as they always have."""

from django.utils.translation import gettext_lazy as _

from hongyin.imports.registry import ImportGroup, ImportKind, register, register_group

from .imports import BuildingImport, EnterpriseImport, FigureImport, UnitImport

PERM = "enterprises.import"

register_group(
    ImportGroup(
        key="enterprises",
        title=_("从 Excel 导入"),
        upload_url="enterprises:import",
        template_url="enterprises:import_template",
        back_url="enterprises:list",
        back_label=_("企业"),
    )
)

for order, (key, spec, title, hint, done) in enumerate(
    (
        (
            "enterprises",
            EnterpriseImport,
            _("企业"),
            "统一社会信用代码、企业名称、法定代表人、注册资本、成立日期、行业代码、企业规模、从业人数、标签、地址",
            "enterprises:list",
        ),
        ("buildings", BuildingImport, _("楼宇"), "楼宇名称、地上层数、地下层数、地址、建筑面积", ""),
        (
            "units",
            UnitImport,
            _("房间与租约"),
            "楼宇名称、楼层、房号、面积、承租企业信用代码、起租日期、到期日期",
            "",
        ),
        ("figures", FigureImport, _("楼宇月度数据"), "楼宇名称、月份、纳税额、产值、从业人员", ""),
    )
):
    register(
        ImportKind(
            key=key,
            group="enterprises",
            title=title,
            spec=spec,
            perm=PERM,
            columns_hint=hint,
            preview_first=False,
            done_url=done,
            order=order,
        )
    )
