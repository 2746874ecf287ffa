"""Workbench panels of the quizzes: a member's open papers; the short answers a secretary has to grade and the
results of the latest paper for the secretary's (or the zone's) organizations. Each figure comes from the selector
of the page it links to."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hongyin.common.workbench import panel

from . import selectors
from .permissions import papers_for_results
from .services import member_of


@panel(
    key="quizzes_open",
    title=_("知识测试"),
    template="development/panels/todo.html",
    perm="quizzes.take",
    section="todo",
    order=52,
)
def quizzes_open(user) -> dict:
    member = member_of(user)
    if member is None:  # a party role without a member record: the papers it follows
        now = timezone.now()
        running = papers_for_results(user).filter(opens_at__lte=now, closes_at__gt=now).count()
        return {"items": [(_("进行中的测试"), running, reverse("quizzes:papers"), False)]}
    items = []
    for o in selectors.open_papers(member):
        if o.passed or not (o.left or o.current):
            continue
        url = (
            reverse("quizzes:attempt", args=[o.current.pk])
            if o.current
            else reverse("quizzes:paper", args=[o.paper.pk])
        )
        label = _("%(t)s（%(d)s 截止）") % {
            "t": o.paper.title,
            "d": timezone.localtime(o.paper.closes_at).strftime("%m-%d"),
        }
        items.append((label, o.left, url, False))
    return {"items": items[:6] or [(_("目前没有待参加的测试"), 0, reverse("quizzes:home"), False)]}


@panel(
    key="quizzes_grading",
    title=_("知识测试阅卷与成绩"),
    template="accounts/panels/figures.html",
    perm="quizzes.grade",
    section="figures",
    order=53,
)
def quizzes_grading(user) -> dict:
    figures = [(_("待评分的简答题"), selectors.answers_to_grade(user).count(), reverse("quizzes:grading"))]
    now = timezone.now()
    latest = papers_for_results(user).filter(opens_at__lte=now).order_by("-opens_at", "-pk").first()
    if latest is not None:
        total = selectors.paper_results(user, latest).total
        url = reverse("quizzes:results", args=[latest.pk])
        figures += [
            (_("参与率"), f"{total.participation}%" if total.participation is not None else "—", url),
            (_("及格率"), f"{total.pass_rate}%" if total.pass_rate is not None else "—", url),
            (_("平均分"), total.average if total.average is not None else "—", url),
        ]
    return {"figures": figures}
