"""Export of any filtered enterprise list to xlsx (the shared writer: constant memory, watermark, formula
neutralization), audited with the filters used."""

import tempfile
from datetime import date

from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.exports import write_xlsx

from . import industry
from .models import PartyStatus
from .selectors import EnterpriseFilterForm, enterprise_list

HEADERS = (
    "统一社会信用代码",
    "企业名称",
    "法定代表人",
    "成立日期",
    "行业代码",
    "行业",
    "企业规模",
    "从业人数",
    "党组织状况",
    "所在党组织",
    "楼宇",
    "网格",
)


def export_enterprises(*, actor, form: EnterpriseFilterForm) -> tuple[str, str]:
    qs = enterprise_list(user=actor, form=form, perm="enterprises.export")
    labels = dict(PartyStatus.choices)

    def rows():
        for e in qs.iterator(chunk_size=2000):
            item = industry.get(e.industry_code)
            yield (
                e.uscc,
                e.name,
                e.legal_representative,
                e.founded_on.isoformat() if e.founded_on else "",
                e.industry_code,
                item.name if item else "",
                str(e.get_size_class_display()),
                e.employees,
                str(labels.get(e.party_status, "")),
                e.org.name if e.org else "",
                e.building.name if e.building else "",
                e.grid_cell.name if e.grid_cell else "",
            )

    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as handle:
        pass
    count = write_xlsx(handle.name, [_(h) for h in HEADERS], rows(), user=actor, title=_("企业"))
    filters = {k: str(v) for k, v in (form.cleaned_data if form.is_valid() else {}).items() if v}
    audit.record(actor=actor, action="enterprise.export", details={"rows": count, "filters": filters})
    return handle.name, f"enterprises-{date.today():%Y%m%d}.xlsx"
