"""The 两个覆盖 panel: the coverage page's own figures (selectors.coverage_for), each a link to that page."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel

from .selectors import DEFAULT_VISIT_DAYS, coverage_for


def _pct(value) -> str:
    return "—" if value is None else f"{value:.1f}%"


@panel(
    key="enterprise_coverage",
    title=_("企业与两个覆盖"),
    template="accounts/panels/figures.html",
    perm="grid.view",
    order=30,
)
def enterprise_coverage(user) -> dict:
    report = coverage_for(user)
    if report is None:
        return {"figures": []}
    t, page = report.total, f"{reverse('grid:coverage')}?cell={report.cell.pk}"
    figures = [
        (_("企业"), t.total, page),
        (_("组织覆盖率"), _pct(t.org_pct), page),
        (_("工作覆盖率"), _pct(t.instructor_pct), page),
        (_("未建党组织"), t.total - t.with_org, reverse("grid:lacking", args=[report.cell.pk]) + "?what=org"),
    ]
    if report.visits_available:
        figures.append((_("近%(n)d天走访率") % {"n": DEFAULT_VISIT_DAYS}, _pct(t.visited_pct), page))
    return {"figures": figures}
