"""Pages of the quizzes: a member's papers, the timed answer sheet and the review of wrong answers; the papers and
their results per branch; the bank with its import; the short answers to grade."""

import random

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongyin.common.errors import DomainError
from hongyin.common.permissions import get_or_404, require_perm
from hongyin.common.posted import posted_id
from hongyin.imports import views as import_views
from hongyin.orgs.permissions import orgs_visible_to

from . import selectors, services
from .forms import RULE_ROWS, PaperForm, QuestionForm, add_domain_error
from .models import AttemptStatus, Difficulty, Question, QuestionKind
from .permissions import (
    BANK,
    GRADE,
    MANAGE,
    RESULTS,
    TAKE,
    get_answer_to_grade_or_404,
    get_own_attempt_or_404,
    papers_for_member,
    papers_for_results,
    papers_managed_by,
)

# --- a member -------------------------------------------------------------------------------------------------------


@require_perm(TAKE)
def home(request: HttpRequest) -> HttpResponse:
    member = services.member_of(request.user)
    if member is None and request.user.has_role_perm(RESULTS):
        return redirect("quizzes:papers")
    attempts = Paginator(selectors.my_attempts(member), 20).get_page(request.GET.get("page"))
    return render(
        request,
        "quizzes/home.html",
        {
            "member": member,
            "open": selectors.open_papers(member),
            "page": attempts,
            "now": timezone.now(),
            "can_results": request.user.has_role_perm(RESULTS),
        },
    )


def _member_paper(request, pk):
    member = services.member_of(request.user)
    return member, get_or_404(lambda: papers_for_member(member).select_related("org").get(pk=pk))


@require_perm(TAKE)
def paper(request: HttpRequest, pk: int) -> HttpResponse:
    member, p = _member_paper(request, pk)
    found = next((o for o in selectors.open_papers(member) if o.paper.pk == p.pk), None)
    return render(
        request,
        "quizzes/paper.html",
        {
            "p": p,
            "o": found,
            "count": p.items.count(),
            "mine": selectors.my_attempts(member).filter(paper=p),
            "now": timezone.now(),
        },
    )


@require_perm(TAKE)
@require_POST
def start(request: HttpRequest, pk: int) -> HttpResponse:
    member, p = _member_paper(request, pk)
    try:
        attempt = services.attempt_start(actor=request.user, paper=p, member=member)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("quizzes:paper", pk=p.pk)
    return redirect("quizzes:attempt", pk=attempt.pk)


def _posted_responses(request, items) -> dict:
    out = {}
    for item in items:
        key = f"q{item.pk}"
        if item.question.kind == QuestionKind.SHORT:
            out[item.pk] = request.POST.get(key, "")
        else:
            out[item.pk] = request.POST.getlist(key)
    return out


@require_perm(TAKE)
def attempt(request: HttpRequest, pk: int) -> HttpResponse:
    """The answer sheet while the time runs, then the result with the review of the wrong answers."""
    a = get_own_attempt_or_404(request.user, pk)
    now = timezone.now()
    if a.status == AttemptStatus.IN_PROGRESS and now <= a.deadline + services.GRACE:
        items = list(a.paper.items.select_related("question"))
        return render(
            request,
            "quizzes/attempt.html",
            {"a": a, "items": items, "remaining": max(int((a.deadline - now).total_seconds()), 0)},
        )
    answers = selectors.review(a)
    wrong = [x for x in answers if x.correct is False]
    return render(
        request,
        "quizzes/review.html",
        {
            "a": a,
            "answers": answers,
            "wrong": wrong,
            "pending": [x for x in answers if x.points is None],
            "show_all": request.GET.get("all") == "1",
        },
    )


@require_perm(TAKE)
@require_POST
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_own_attempt_or_404(request.user, pk)
    items = list(a.paper.items.select_related("question"))
    try:
        services.attempt_submit(actor=request.user, attempt=a, responses=_posted_responses(request, items))
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("quizzes:attempt", pk=a.pk)
    messages.success(request, _("答卷已提交。"))
    return redirect("quizzes:attempt", pk=a.pk)


# --- papers and results ---------------------------------------------------------------------------------------------


@require_perm(RESULTS)
def papers(request: HttpRequest) -> HttpResponse:
    managed = set(papers_managed_by(request.user).values_list("pk", flat=True))
    qs = papers_for_results(request.user).select_related("org").order_by("-opens_at", "-pk")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "quizzes/papers.html",
        {
            "page": page,
            "managed": managed,
            "now": timezone.now(),
            "can_manage": request.user.has_role_perm(MANAGE),
            "can_bank": request.user.has_role_perm(BANK),
            "can_grade": request.user.has_role_perm(GRADE),
            "to_grade": selectors.answers_to_grade(request.user).count() if request.user.has_role_perm(GRADE) else 0,
        },
    )


def _manage_orgs(user):
    return list(orgs_visible_to(user, MANAGE).filter(dissolved_on__isnull=True).order_by("path")[:500])


def _posted_rules(request) -> list[services.DrawRule]:
    rules = []
    for i in range(RULE_ROWS):
        kind = request.POST.get(f"rule_kind_{i}", "")
        count = request.POST.get(f"rule_count_{i}", "").strip()
        if not kind and not count:
            continue
        if not kind:
            raise DomainError(_("抽题规则第 %(n)d 行：请选择题型。") % {"n": i + 1}, field="rules")
        diff = request.POST.get(f"rule_difficulty_{i}", "")
        rules.append(
            services.DrawRule(
                kind=kind,
                count=posted_id(count, _("题数"), field="rules"),
                points=posted_id(request.POST.get(f"rule_points_{i}") or "2", _("分值"), field="rules"),
                tag=request.POST.get(f"rule_tag_{i}", ""),
                difficulty=int(diff) if diff.isdigit() else None,
            )
        )
    return rules


@require_perm(MANAGE)
def paper_new(request: HttpRequest) -> HttpResponse:
    orgs = _manage_orgs(request.user)
    now = timezone.localtime().replace(second=0, microsecond=0)
    initial = {
        "org": orgs[0].pk if orgs else None,
        "targets": [orgs[0].pk] if orgs else [],
        "opens_at": now,
        "closes_at": now + timezone.timedelta(days=14),
    }
    form = PaperForm(request.POST or None, orgs=orgs, initial=initial)
    error = ""
    rule_rows = [
        {
            "kind": request.POST.get(f"rule_kind_{i}", ""),
            "tag": request.POST.get(f"rule_tag_{i}", ""),
            "difficulty": request.POST.get(f"rule_difficulty_{i}", ""),
            "count": request.POST.get(f"rule_count_{i}", ""),
            "points": request.POST.get(f"rule_points_{i}", ""),
        }
        for i in range(RULE_ROWS)
    ]
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        by_pk = {o.pk: o for o in orgs}
        try:
            made = services.paper_create(
                actor=request.user,
                org=by_pk[data["org"]],
                title=data["title"],
                description=data["description"],
                targets=[by_pk[t] for t in data["targets"]],
                time_limit=data["time_limit"],
                pass_mark=data["pass_mark"],
                max_attempts=data["max_attempts"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
                rules=_posted_rules(request),
                question_ids=data["question_ids"],
                hand_points=data["hand_points"],
                rng=random.SystemRandom(),
            )
        except DomainError as exc:
            add_domain_error(form, exc)
            if exc.field not in form.fields:
                error = exc.message
        else:
            messages.success(request, _("试卷已发布。"))
            return redirect("quizzes:paper_admin", pk=made.pk)
    return render(
        request,
        "quizzes/paper_form.html",
        {
            "form": form,
            "error": error,
            "rule_rows": rule_rows,
            "kinds": QuestionKind.choices,
            "difficulties": Difficulty.choices,
            "tags": selectors.bank_tags(),
        },
        status=422 if form.is_bound else 200,
    )


def _results_paper(request, pk):
    return get_or_404(lambda: papers_for_results(request.user).select_related("org").get(pk=pk))


@require_perm(RESULTS)
def paper_admin(request: HttpRequest, pk: int) -> HttpResponse:
    p = _results_paper(request, pk)
    return render(
        request,
        "quizzes/paper_admin.html",
        {
            "p": p,
            "items": p.items.select_related("question"),
            "targets": p.targets.order_by("path"),
            "can_close": papers_managed_by(request.user).filter(pk=p.pk).exists() and p.closes_at > timezone.now(),
        },
    )


@require_perm(MANAGE)
@require_POST
def paper_close(request: HttpRequest, pk: int) -> HttpResponse:
    p = get_or_404(lambda: papers_managed_by(request.user).get(pk=pk))
    try:
        version = posted_id(request.POST.get("version"), _("版本"), field="version", required=False)
        services.paper_close(actor=request.user, paper=p, version=version)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("试卷已截止。"))
    return redirect("quizzes:paper_admin", pk=p.pk)


@require_perm(RESULTS)
def results(request: HttpRequest, pk: int) -> HttpResponse:
    p = _results_paper(request, pk)
    found = selectors.paper_results(request.user, p)
    rows = sorted(found.rows, key=lambda r: (-(r.took > 0), r.org.path))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(request, "quizzes/results.html", {"p": p, "r": found, "page": page})


# --- grading --------------------------------------------------------------------------------------------------------


@require_perm(GRADE)
def grading(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.answers_to_grade(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "quizzes/grading.html", {"page": page})


@require_perm(GRADE)
@require_POST
def grade(request: HttpRequest, pk: int) -> HttpResponse:
    answer = get_answer_to_grade_or_404(request.user, pk)
    try:
        services.answer_grade(
            actor=request.user,
            answer=answer,
            points_given=request.POST.get("points", ""),
            comment=request.POST.get("comment", ""),
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("已评分：%(n)s 的第 %(p)d 题。") % {"n": answer.attempt.member.name, "p": answer.item.position}
        )
    return redirect("quizzes:grading")


# --- the bank -------------------------------------------------------------------------------------------------------


@require_perm(MANAGE)
def bank(request: HttpRequest) -> HttpResponse:
    diff = request.GET.get("difficulty", "")
    filters = selectors.BankFilter(
        kind=request.GET.get("kind", "") if request.GET.get("kind") in QuestionKind.values else "",
        tag=request.GET.get("tag", "")[:20],
        difficulty=int(diff) if diff.isdigit() else None,
        q=request.GET.get("q", "")[:50],
        inactive=request.GET.get("inactive") == "1",
    )
    page = Paginator(selectors.bank(filters), 30).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "quizzes/bank.html",
        {
            "page": page,
            "f": filters,
            "kinds": QuestionKind.choices,
            "difficulties": Difficulty.choices,
            "tags": selectors.bank_tags(),
            "can_bank": request.user.has_role_perm(BANK),
            "query": query.urlencode(),
        },
    )


def _question_data(form) -> services.QuestionData:
    d = form.cleaned_data
    kind = d["kind"]
    options = [line.strip() for line in d.get("options", "").splitlines() if line.strip()]
    answer = services.parse_answer(kind, d.get("answer", "")) if kind != QuestionKind.SHORT else []
    return services.QuestionData(
        kind=kind,
        stem=d["stem"],
        options=options if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE) else [],
        answer=answer,
        reference=d.get("reference", ""),
        explanation=d.get("explanation", ""),
        tags=d.get("tags", ""),
        difficulty=d["difficulty"],
    )


def _question_form(request, question=None):
    initial = None
    if question is not None:
        initial = {
            "kind": question.kind,
            "stem": question.stem,
            "options": "\n".join(question.options),
            "answer": question.answer_display() if question.kind != QuestionKind.SHORT else "",
            "reference": question.reference,
            "explanation": question.explanation,
            "tags": ", ".join(question.tag_list),
            "difficulty": question.difficulty,
        }
    form = QuestionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            data = _question_data(form)
            if question is None:
                saved = services.question_create(actor=request.user, data=data)
            else:
                version = posted_id(request.POST.get("version"), _("版本"), field="version", required=False)
                saved = services.question_update(actor=request.user, question=question, data=data, version=version)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("试题已保存（编号 %(n)d）。") % {"n": saved.pk})
            return redirect(reverse("quizzes:bank"))
    return render(
        request,
        "quizzes/question_form.html",
        {"form": form, "question": question},
        status=422 if form.is_bound else 200,
    )


@require_perm(BANK)
def question_new(request: HttpRequest) -> HttpResponse:
    return _question_form(request)


def _question(pk) -> Question:
    return get_or_404(lambda: Question.objects.get(pk=pk))


@require_perm(BANK)
def question_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _question_form(request, _question(pk))


@require_perm(BANK)
@require_POST
def question_active(request: HttpRequest, pk: int) -> HttpResponse:
    q = _question(pk)
    services.question_set_active(actor=request.user, question=q, active=request.POST.get("active") == "1")
    messages.success(request, _("已启用该试题。") if q.active else _("已停用该试题。"))
    return redirect(reverse("quizzes:bank"))


@require_perm(BANK)
def import_start(request: HttpRequest) -> HttpResponse:
    return import_views.upload(request, "quizzes")


@require_perm(BANK)
def import_template(request: HttpRequest) -> HttpResponse:
    return import_views.template(request, "quizzes")
