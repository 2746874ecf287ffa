"""The system admin's workbench: which years' deadlines are computed on a provisional calendar."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongyin.common.calendar import uncovered_years
from hongyin.common.workbench import panel


@panel(
    key="calendar_years",
    title=_("工作日历"),
    template="directory/panels/calendar.html",
    perm="admin.site",
    section="todo",
    order=5,
)
def calendar_years(user) -> dict:
    today = timezone.localdate()
    return {"provisional_years": uncovered_years(today), "years": (today.year, today.year + 1)}
