"""Export of any filtered enterprise list to xlsx (xlsxwriter, constant memory), audited."""

import tempfile
from datetime import date

from django.utils.translation import gettext as _

from hongyin.audit import services as audit

from . import industry
from .models import PartyStatus
from .selectors import EnterpriseFilterForm, enterprise_list


def export_enterprises(*, actor, form: EnterpriseFilterForm) -> tuple[str, str]:
    import xlsxwriter

    qs = enterprise_list(user=actor, form=form, perm="enterprises.export")
    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as handle:
        pass
    book = xlsxwriter.Workbook(handle.name, {"constant_memory": True})
    sheet = book.add_worksheet(_("企业"))
    headers = [
        _("统一社会信用代码"),
        _("企业名称"),
        _("法定代表人"),
        _("成立日期"),
        _("行业代码"),
        _("行业"),
        _("企业规模"),
        _("从业人数"),
        _("党组织状况"),
        _("所在党组织"),
        _("楼宇"),
        _("网格"),
    ]
    sheet.write_row(0, 0, headers)
    labels = dict(PartyStatus.choices)
    n = 0
    for n, e in enumerate(qs.iterator(chunk_size=2000), start=1):
        sheet.write_row(
            n,
            0,
            [
                e.uscc,
                e.name,
                e.legal_representative,
                e.founded_on.isoformat() if e.founded_on else "",
                e.industry_code,
                industry.get(e.industry_code).name if industry.get(e.industry_code) else "",
                e.get_size_class_display(),
                e.employees,
                str(labels.get(e.party_status, "")),
                e.org.name if e.org else "",
                e.building.name if e.building else "",
                e.grid_cell.name if e.grid_cell else "",
            ],
        )
    book.close()
    filters = {k: v for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
    audit.record(
        actor=actor, action="enterprise.export", details={"rows": n, "filters": {k: str(v) for k, v in filters.items()}}
    )
    return handle.name, f"enterprises-{date.today():%Y%m%d}.xlsx"
