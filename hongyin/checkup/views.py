"""Pages of the party-spirit check-up: a member's own (fill by touch, then the radar and the history), a branch's
completion and average, a member's check-up reviewed by the branch, the zone's questionnaire versions."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from hongyin.common.errors import DomainError
from hongyin.common.permissions import covers_whole_zone, get_or_404, require_perm
from hongyin.orgs.permissions import get_org_for_user_or_404

from . import selectors, services
from .models import SCORE_LABELS, SCORE_MAX, SCORE_MIN, Checkup, CheckupStatus

SCALE = [(n, SCORE_LABELS[n]) for n in range(SCORE_MIN, SCORE_MAX + 1)]


def _year(request: HttpRequest) -> int:
    this = timezone.localdate().year
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and len(raw) == 4 and 2000 <= int(raw) <= this else this


def posted_scores(post, prefix: str) -> dict[str, str]:
    return {k[len(prefix) :]: v for k, v in post.items() if k.startswith(prefix) and k[len(prefix) :].isdecimal()}


def _chart(q, series):
    names = selectors.dimension_names(q, *(s for _l, s in series))
    return selectors.radar(names, series), selectors.table_rows(names, series), names


@require_perm("checkup.view")
def mine(request: HttpRequest) -> HttpResponse:
    member = selectors.own_member(request.user)
    this_year = timezone.localdate().year
    year = _year(request)
    if member is None:
        return render(request, "checkup/mine.html", {"member": None, "year": year})
    checkup = Checkup.objects.filter(member=member, year=year).select_related("questionnaire").first()
    error, posted = "", None
    if request.method == "POST":
        posted = request.POST
        try:
            checkup = services.checkup_save(
                actor=request.user,
                member=member,
                year=this_year,
                scores=posted_scores(request.POST, "item_"),
                summary=request.POST.get("summary", ""),
                submit=request.POST.get("do") == "submit",
                version=request.POST.get("version") or None,
            )
        except DomainError as exc:
            error = exc.message
        else:
            if checkup.status == CheckupStatus.DRAFT:
                messages.success(request, _("已保存，可以稍后继续填写。"))
            else:
                messages.success(request, _("党性体检已提交。"))
            return redirect("checkup:mine")
    editable = year == this_year and (checkup is None or checkup.status == CheckupStatus.DRAFT)
    q = selectors.questionnaire(checkup.questionnaire_id) if checkup else selectors.current_questionnaire()
    ctx = {
        "member": member,
        "year": year,
        "this_year": this_year,
        "checkup": checkup,
        "q": q,
        "editable": editable,
        "scale": SCALE,
        "error": error,
        "history": selectors.own_checkups(member),
    }
    if editable and q is not None:
        answers = {a.item_id: a.self_score for a in checkup.answers.all()} if checkup else {}
        if posted is not None:
            answers = {int(k): int(v) for k, v in posted_scores(posted, "item_").items() if v.isdecimal()}
        ctx["answers"] = answers
        ctx["summary"] = posted.get("summary", "") if posted is not None else (checkup.self_summary if checkup else "")
        ctx["answered"] = len(answers)
        ctx["item_count"] = sum(len(d.items.all()) for d in q.dimensions.all())
    elif checkup is not None:
        labels = selectors.labels()
        series = [(labels["self"], checkup.self_scores)]
        if checkup.review_scores:
            series.append((labels["review"], checkup.review_scores))
        series.append((labels["branch"], selectors.branch_average(checkup.org_id, checkup.year)))
        ctx["chart_json"], ctx["table"], names = _chart(q, series)
        ctx["series_labels"] = [label for label, _s in series]
        ctx["history_names"] = names
        ctx["history_rows"] = selectors.history_rows(ctx["history"], names)
    return render(request, "checkup/mine.html", ctx, status=422 if error else 200)


def _default_branch(user):
    orgs = selectors.review_orgs(user)
    return orgs, (orgs[0] if orgs else None)


@require_perm("checkup.review")
def branch(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    orgs, org = _default_branch(request.user)
    raw = request.GET.get("org", "")
    if raw:
        org = get_org_for_user_or_404(request.user, raw if raw.isdigit() else -1, selectors.REVIEW)
    ctx = {
        "orgs": orgs,
        "org": org,
        "year": year,
        "years": list(range(timezone.localdate().year, 2019, -1)),
        "can_configure": covers_whole_zone(request.user, services.CONFIGURE),
    }
    if org is not None:
        status = selectors.branch_status(request.user, org, year)
        ctx["s"] = status
        labels = selectors.labels()
        q = selectors.current_questionnaire()
        ctx["chart_json"], ctx["table"], _n = _chart(q, [(labels["branch"], status.average)])
    return render(request, "checkup/branch.html", ctx)


@require_perm("checkup.review")
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    checkup = get_or_404(lambda: selectors.checkup_for_user(request.user, pk))
    error = ""
    if request.method == "POST":
        try:
            services.checkup_review(
                actor=request.user,
                checkup=checkup,
                scores=posted_scores(request.POST, "review_"),
                comment=request.POST.get("comment", ""),
                version=request.POST.get("version", ""),
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("评议已保存。"))
            return redirect("checkup:detail", pk=checkup.pk)
    q = selectors.questionnaire(checkup.questionnaire_id)
    labels = selectors.labels()
    series = [(labels["self"], checkup.self_scores)]
    if checkup.review_scores:
        series.append((labels["review"], checkup.review_scores))
    series.append((labels["branch"], selectors.branch_average(checkup.org_id, checkup.year)))
    chart_json, table, names = _chart(q, series)
    history = [c for c in selectors.own_checkups(checkup.member)]
    ctx = {
        "c": checkup,
        "q": q,
        "answers": {a.item_id: a for a in checkup.answers.all()},
        "chart_json": chart_json,
        "table": table,
        "series_labels": [label for label, _s in series],
        "history_names": names,
        "history_rows": selectors.history_rows(history, names),
        "can_review": checkup.status != CheckupStatus.DRAFT and checkup.member.user_id != request.user.pk,
        "scale": SCALE,
        "error": error,
        "posted": request.POST if error else None,
    }
    return render(request, "checkup/detail.html", ctx, status=422 if error else 200)


@require_perm("checkup.configure")
def questionnaire(request: HttpRequest) -> HttpResponse:
    if not covers_whole_zone(request.user, services.CONFIGURE):
        raise Http404
    error = ""
    q = selectors.current_questionnaire()
    if request.method == "POST":
        try:
            new = services.questionnaire_create(
                actor=request.user,
                title=request.POST.get("title", ""),
                note=request.POST.get("note", ""),
                dimensions=services.parse_outline(request.POST.get("outline", "")),
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("问卷第 %(v)d 版已发布。") % {"v": new.version})
            return redirect("checkup:questionnaire")
    ctx = {
        "q": q,
        "error": error,
        "title": request.POST.get("title", "") if error else (q.title if q else _("党员党性体检表")),
        "outline": request.POST.get("outline", "") if error else services.outline_of(q),
        "versions": list(selectors.Questionnaire.objects.order_by("-version")[:20]),
    }
    return render(request, "checkup/questionnaire.html", ctx, status=422 if error else 200)
