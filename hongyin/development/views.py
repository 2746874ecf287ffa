from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongyin.common.errors import DomainError
from hongyin.common.permissions import require_perm
from hongyin.common.uploads import Attachment, attachment_response
from hongyin.orgs.models import BRANCH_KINDS
from hongyin.orgs.permissions import get_org_for_user_or_404, orgs_visible_to

from . import selectors, services
from .forms import STEP_FIELDS, CaseForm, CloseForm, ExtendForm, StepForm, add_domain_error
from .models import StepDocument
from .permissions import get_case_for_user_or_404
from .steps import STEP_BY_NUMBER, Stage


@require_perm("development.view")
def case_list(request: HttpRequest) -> HttpResponse:
    stage = request.GET.get("stage", "")
    q = request.GET.get("q", "")[:40]
    org = None
    if request.GET.get("org"):
        org = get_org_for_user_or_404(request.user, request.GET["org"], "development.manage")
    cases = selectors.case_list(user=request.user, stage=stage, q=q, org=org)
    page = Paginator(cases, 30).get_page(request.GET.get("page"))
    ctx = {
        "page": page,
        "stage": stage,
        "q": q,
        "stages": Stage.choices,
        "counts": selectors.stage_counts(user=request.user),
        "can_manage": request.user.has_role_perm("development.manage"),
    }
    return render(request, "development/list.html#rows" if request.htmx else "development/list.html", ctx)


def _branches(user):
    return orgs_visible_to(user, "development.manage").filter(kind__in=BRANCH_KINDS).order_by("path")


@require_perm("development.manage")
def case_new(request: HttpRequest) -> HttpResponse:
    form = CaseForm(request.POST or None, branches=_branches(request.user))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.development_case_create(actor=request.user, **d)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已建立发展党员档案：%(n)s") % {"n": case.name})
            return redirect("development:detail", pk=case.pk)
    return render(request, "development/new.html", {"form": form}, status=422 if request.method == "POST" else 200)


def _available_steps(user, case) -> list:
    """Steps the user may record next: right stage, requirements met, not done (or repeatable)."""
    if not case.is_open and case.stage != Stage.FULL:
        return []
    done = set(case.steps.values_list("step", flat=True))
    higher = user.has_role_perm("development.approve") and services.is_higher_committee(user, case.branch)
    out = []
    for number in range(2, 26):
        s = STEP_BY_NUMBER[number]
        if s.stage != case.stage or (number in done and not s.repeatable):
            continue
        if any(r not in done for r in s.requires):
            continue
        if number in services.HIGHER_STEPS and not higher:
            continue
        out.append(s)
    return out


def _current(form, case, request) -> bool:
    """The page the user acted on shows the case as it is now (else a clear refusal at the top of the page: the
    form it came from may no longer be offered)."""
    try:
        services.DEVELOPMENT_FLOW.expect_version(case, request.POST.get("version"))
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    return True


def _detail(request, case, forms=None, status=200):
    can_manage = request.user.has_role_perm("development.manage")
    people = services.full_members_of(case.branch).order_by("name")
    steps = _available_steps(request.user, case) if can_manage else []
    forms = forms or {}
    step_forms = []
    steps += [STEP_BY_NUMBER[n] for n in forms if isinstance(n, int) and STEP_BY_NUMBER[n] not in steps]
    for s in steps:
        form = forms.get(s.number) or StepForm(people=people, prefix=f"s{s.number}")
        step_forms.append({"step": s, "form": form, "fields": STEP_FIELDS.get(s.number, [])})
    timeline = selectors.timeline(case)
    ctx = {
        "case": case,
        "timeline": timeline,
        "done_count": sum(1 for row in timeline if row["done"]),
        "step_forms": step_forms,
        "can_manage": can_manage,
        "extend_form": forms.get("extend") or ExtendForm(),
        "close_form": forms.get("close") or CloseForm(),
        "review_due": services.review_due_on(case) if case.stage == Stage.ACTIVIST else None,
    }
    return render(request, "development/detail.html", ctx, status=status)


@require_perm("development.view")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, get_case_for_user_or_404(request.user, pk))


@require_POST
@require_perm("development.manage")
def case_step(request: HttpRequest, pk: int, step: int) -> HttpResponse:
    case = get_case_for_user_or_404(request.user, pk)
    if step not in STEP_BY_NUMBER:
        raise Http404
    people = services.full_members_of(case.branch).order_by("name")
    form = StepForm(request.POST, request.FILES, people=people, prefix=f"s{step}")
    if form.is_valid() and _current(form, case, request):
        d = form.cleaned_data
        data = {
            k: d[k]
            for k in ("yes_votes", "training_days", "training_hours", "conclusion")
            if d.get(k) not in (None, "")
        }
        try:
            record = services.development_record_step(
                actor=request.user,
                case=case,
                step=step,
                done_on=d["done_on"],
                note=d["note"],
                people=d["people"],
                data=data,
                files=d["files"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            if record.warning:
                messages.warning(request, record.warning)
            messages.success(request, _("已记录：%(t)s") % {"t": STEP_BY_NUMBER[step].title})
            return redirect("development:detail", pk=case.pk)
    case.refresh_from_db()
    return _detail(request, case, {step: form}, status=422)


@require_POST
@require_perm("development.manage")
def case_extend(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user_or_404(request.user, pk)
    form = ExtendForm(request.POST)
    if form.is_valid() and _current(form, case, request):
        try:
            services.development_extend_probation(actor=request.user, case=case, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("已延长预备期。"))
            return redirect("development:detail", pk=case.pk)
    return _detail(request, case, {"extend": form}, status=422)


@require_POST
@require_perm("development.manage")
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for_user_or_404(request.user, pk)
    form = CloseForm(request.POST)
    if form.is_valid() and _current(form, case, request):
        try:
            services.development_case_close(actor=request.user, case=case, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("档案已终止。"))
            return redirect("development:detail", pk=case.pk)
    return _detail(request, case, {"close": form}, status=422)


@require_perm("development.view")
def document(request: HttpRequest, pk: int, doc: int) -> HttpResponse:
    case = get_case_for_user_or_404(request.user, pk)
    try:
        att = StepDocument.objects.select_related("attachment").get(pk=doc, record__case=case).attachment
    except (StepDocument.DoesNotExist, ValueError):
        raise Http404
    assert isinstance(att, Attachment)
    return attachment_response(att)


@require_perm("development.manage")
def due_lists(request: HttpRequest) -> HttpResponse:
    user = request.user
    ctx = {
        "reviews": selectors.reviews_due(user=user)[:100],
        "ready": selectors.candidates_ready(user=user)[:100],
        "ending": selectors.probations_ending(user=user)[:100],
    }
    return render(request, "development/due.html", ctx)
