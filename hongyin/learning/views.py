"""Pages of study: my study (hours, assignments, materials), a material with its heartbeat, notes and discussions,
courses, assignments with their completion, threads with posts and moderation, the figures for the zone."""

import json
from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hongyin.common.errors import DomainError
from hongyin.common.permissions import require_perm
from hongyin.common.posted import posted_id, posted_ids
from hongyin.common.uploads import attachment_response
from hongyin.members.models import Member
from hongyin.orgs.models import BRANCH_KINDS
from hongyin.orgs.permissions import orgs_visible_to

from . import selectors, services
from .models import Material, MaterialKind, Note, Post, Thread, ThreadKind
from .permissions import (
    CONFIGURE,
    MANAGE,
    MODERATE,
    STATS,
    VIEW,
    assignments_visible_to,
    can_moderate,
    courses_visible_to,
    get_assignment_or_404,
    get_course_or_404,
    get_material_or_404,
    get_thread_or_404,
    materials_visible_to,
    own_member,
    threads_visible_to,
)

# the meetings of organizational life, reached through the thread's foreign key (a sibling app: no import)
MEETING_MODEL = Thread._meta.get_field("meeting").related_model


def _manage_orgs(user):
    return list(orgs_visible_to(user, MANAGE).filter(dissolved_on__isnull=True).order_by("path")[:500])


def _pick(orgs, raw, label):
    pk = posted_id(raw, label, field="org")
    found = next((o for o in orgs if o.pk == pk), None)
    if found is None:
        raise Http404
    return found


# --- my study -------------------------------------------------------------------------------------------------------


@require_perm(VIEW)
def home(request: HttpRequest) -> HttpResponse:
    member = own_member(request.user)
    qs = materials_visible_to(request.user).select_related("org")
    q = (request.GET.get("q") or "").strip()[:40]
    kind = request.GET.get("kind") if request.GET.get("kind") in MaterialKind.values else ""
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(theme__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    page = Paginator(qs.order_by("-created_at", "-id"), 20).get_page(request.GET.get("page"))
    progress = selectors.progress_by_material(member, [m.pk for m in page])
    ctx = {
        "member": member,
        "year": selectors.my_year(member) if member else None,
        "mine": selectors.my_assignments(member, open_only=True)[:8],
        "page": page,
        "rows": [(m, progress.get(m.pk)) for m in page],
        "q": q,
        "kind": kind,
        "kinds": MaterialKind.choices,
        "can_manage": request.user.has_role_perm(MANAGE),
        "query": f"q={q}&kind={kind}",
    }
    return render(request, "learning/home.html", ctx)


# --- materials ------------------------------------------------------------------------------------------------------


def _material_ctx(request, material, *, note_error="", note_body=""):
    member = own_member(request.user)
    progress = selectors.progress_by_material(member, [material.pk]).get(material.pk)
    seconds = progress.seconds if progress else 0
    return {
        "m": material,
        "member": member,
        "progress": progress,
        "percent": min(100, int(seconds * 100 / material.min_seconds)) if material.min_seconds else 100,
        "notes": list(material.notes.filter(member=member)) if member else [],
        "threads": list(threads_visible_to(request.user).filter(material=material).select_related("branch")[:20]),
        "beat_every": services.heartbeat_seconds(),
        "note_error": note_error,
        "note_body": note_body,
        "courses": list(courses_visible_to(request.user).filter(items__material=material).distinct()[:10]),
    }


@require_perm(VIEW)
def material_detail(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_material_or_404(request.user, pk)
    return render(request, "learning/material.html", _material_ctx(request, material))


@require_perm(VIEW)
def material_file(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_material_or_404(request.user, pk)
    if material.attachment_id is None:
        raise Http404
    return attachment_response(material.attachment)


@require_POST
@require_perm(VIEW)
def beat(request: HttpRequest, pk: int) -> HttpResponse:
    """A heartbeat of the material page (static/learning/study.js): JSON with the time counted so far."""
    material = get_material_or_404(request.user, pk)
    try:
        progress = services.heartbeat(actor=request.user, material=material, elapsed=request.POST.get("elapsed"))
    except DomainError as exc:
        return JsonResponse({"error": exc.message}, status=422)
    return JsonResponse(
        {
            "seconds": progress.seconds,
            "required": material.min_seconds,
            "percent": min(100, int(progress.seconds * 100 / material.min_seconds)) if material.min_seconds else 100,
            "finished": progress.finished_at is not None,
            "minutes": progress.seconds // 60,
        }
    )


@require_perm(MANAGE)
def material_new(request: HttpRequest) -> HttpResponse:
    orgs = _manage_orgs(request.user)
    data = request.POST if request.method == "POST" else {"kind": "text", "min_minutes": "10", "class_hours": "1"}
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            org = _pick(orgs, request.POST.get("org"), _("发布组织"))
            material = services.material_create(
                actor=request.user,
                org=org,
                title=request.POST.get("title", ""),
                kind=request.POST.get("kind", ""),
                body=request.POST.get("body", ""),
                upload=request.FILES.get("file"),
                video_url=request.POST.get("video_url", ""),
                theme=request.POST.get("theme", ""),
                summary=request.POST.get("summary", ""),
                min_minutes=request.POST.get("min_minutes"),
                class_hours=request.POST.get("class_hours"),
            )
        except DomainError as exc:
            errors[exc.field or "form"] = exc.message
        else:
            messages.success(request, _("学习资料已发布。"))
            return redirect("learning:material", pk=material.pk)
    ctx = {"orgs": orgs, "data": data, "errors": errors, "kinds": MaterialKind.choices}
    return render(request, "learning/material_form.html", ctx, status=422 if errors else 200)


# --- notes ----------------------------------------------------------------------------------------------------------


@require_POST
@require_perm(VIEW)
def note_add(request: HttpRequest, pk: int) -> HttpResponse:
    material = get_material_or_404(request.user, pk)
    try:
        services.note_save(actor=request.user, material=material, body=request.POST.get("body", ""))
    except DomainError as exc:
        ctx = _material_ctx(request, material, note_error=exc.message, note_body=request.POST.get("body", ""))
        return render(request, "learning/material.html", ctx, status=422)
    messages.success(request, _("笔记已保存。"))
    return redirect(reverse("learning:material", args=[material.pk]) + "#notes")


def _own_note_or_404(user, pk) -> Note:
    member = own_member(user)
    note = Note.objects.select_related("material").filter(pk=pk, member=member).first() if member else None
    if note is None:
        raise Http404
    return note


@require_POST
@require_perm(VIEW)
def note_delete(request: HttpRequest, pk: int) -> HttpResponse:
    note = _own_note_or_404(request.user, pk)
    services.note_delete(actor=request.user, note=note)
    messages.success(request, _("笔记已删除。"))
    return redirect("learning:notes")


@require_perm(VIEW)
def notes(request: HttpRequest) -> HttpResponse:
    member = own_member(request.user)
    qs = Note.objects.filter(member=member).select_related("material") if member else Note.objects.none()
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "learning/notes.html", {"page": page, "member": member})


# --- courses --------------------------------------------------------------------------------------------------------


@require_perm(VIEW)
def courses(request: HttpRequest) -> HttpResponse:
    qs = courses_visible_to(request.user).select_related("org").order_by("-created_at", "-id")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    hours = selectors.course_hours_of([c.pk for c in page])
    ctx = {
        "rows": [(c, hours.get(c.pk)) for c in page],
        "page": page,
        "can_manage": request.user.has_role_perm(MANAGE),
    }
    return render(request, "learning/courses.html", ctx)


@require_perm(VIEW)
def course_detail(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_course_or_404(request.user, pk)
    items = list(course.items.select_related("material"))
    member = own_member(request.user)
    progress = selectors.progress_by_material(member, [i.material_id for i in items])
    visible = set(
        materials_visible_to(request.user).filter(pk__in=[i.material_id for i in items]).values_list("pk", flat=True)
    )
    ctx = {
        "c": course,
        "rows": [(i.material, progress.get(i.material_id), i.material_id in visible) for i in items],
        "hours": sum((i.material.class_hours for i in items), 0),
        "can_assign": request.user.has_role_perm(MANAGE),
    }
    return render(request, "learning/course.html", ctx)


@require_perm(MANAGE)
def course_new(request: HttpRequest) -> HttpResponse:
    orgs = _manage_orgs(request.user)
    choices = list(materials_visible_to(request.user, MANAGE).order_by("-created_at")[:300])
    errors: dict[str, str] = {}
    data = request.POST if request.method == "POST" else {}
    chosen: list[int] = []
    if request.method == "POST":
        try:
            org = _pick(orgs, request.POST.get("org"), _("发布组织"))
            chosen = posted_ids(request.POST.getlist("materials"), _("学习资料"), field="materials")
            by_pk = {m.pk: m for m in choices}
            if any(pk not in by_pk for pk in chosen):
                raise DomainError(_("请选择有效的学习资料。"), field="materials")
            course = services.course_create(
                actor=request.user,
                org=org,
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
                materials=[by_pk[pk] for pk in chosen],
            )
        except DomainError as exc:
            errors[exc.field or "form"] = exc.message
        else:
            messages.success(request, _("课程已创建。"))
            return redirect("learning:course", pk=course.pk)
    ctx = {"orgs": orgs, "choices": choices, "chosen": chosen, "data": data, "errors": errors}
    return render(request, "learning/course_form.html", ctx, status=422 if errors else 200)


# --- assignments ----------------------------------------------------------------------------------------------------


@require_perm(VIEW)
def assignments(request: HttpRequest) -> HttpResponse:
    member = own_member(request.user)
    can_manage = request.user.has_role_perm(MANAGE)
    managed = None
    if can_manage:
        qs = assignments_visible_to(request.user).select_related("org", "course", "material", "target_org")
        managed = Paginator(qs.order_by("-due_on", "-id"), 20).get_page(request.GET.get("page"))
    ctx = {
        "mine": selectors.my_assignments(member),
        "member": member,
        "managed": managed,
        "page": managed,
        "can_manage": can_manage,
        "today": timezone.localdate(),
    }
    return render(request, "learning/assignments.html", ctx)


@require_perm(VIEW)
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    a = get_assignment_or_404(request.user, pk)
    material_ids = selectors.assignment_material_ids([a])[a.pk]
    within = selectors.members_q(request.user, STATS)
    rows = selectors.completion_rows(a, material_ids, within) if within is not None else []
    materials = {m.pk: m for m in Material.objects.filter(pk__in=material_ids)}
    member = own_member(request.user)
    progress = selectors.progress_by_material(member, material_ids)
    ctx = {
        "a": a,
        "materials": [(materials[i], progress.get(i)) for i in material_ids if i in materials],
        "rows": rows,
        "finished": sum(1 for r in rows if r["total"] and r["finished"] >= r["total"]),
        "listed": list(a.members.all()[:50]) if not a.target_org_id else [],
    }
    return render(request, "learning/assignment.html", ctx)


@require_perm(MANAGE)
def assignment_new(request: HttpRequest) -> HttpResponse:
    orgs = _manage_orgs(request.user)
    course_choices = list(courses_visible_to(request.user, MANAGE).order_by("-created_at")[:200])
    material_choices = list(materials_visible_to(request.user, MANAGE).order_by("-created_at")[:300])
    errors: dict[str, str] = {}
    data = request.POST if request.method == "POST" else {"course": request.GET.get("course", "")}
    if request.method == "POST":
        try:
            org = _pick(orgs, request.POST.get("org"), _("布置组织"))
            course_pk = posted_id(request.POST.get("course"), _("课程"), field="course", required=False)
            material_pk = posted_id(request.POST.get("material"), _("学习资料"), field="material", required=False)
            course = next((c for c in course_choices if c.pk == course_pk), None) if course_pk else None
            material = next((m for m in material_choices if m.pk == material_pk), None) if material_pk else None
            if (course_pk and course is None) or (material_pk and material is None):
                raise DomainError(_("请选择有效的课程或学习资料。"), field="course")
            target_pk = posted_id(request.POST.get("target_org"), _("学习对象"), field="target_org", required=False)
            target = next((o for o in orgs if o.pk == target_pk), None) if target_pk else None
            if target_pk and target is None:
                raise DomainError(_("请选择有效的学习对象。"), field="target_org")
            member_pks = posted_ids(
                [v for v in request.POST.get("members", "").replace("，", ",").split(",") if v.strip()],
                _("党员编号"),
                field="members",
            )
            members = list(
                Member.objects.filter(pk__in=member_pks, org__in=orgs_visible_to(request.user, MANAGE)).select_related(
                    "org"
                )
            )
            if len(members) != len(set(member_pks)):
                raise DomainError(_("党员编号中有不在您管理范围内的党员。"), field="members")
            try:
                due_on = date.fromisoformat(request.POST.get("due_on", ""))
            except ValueError:
                raise DomainError(_("请填写完成期限。"), field="due_on") from None
            assignment = services.assignment_create(
                actor=request.user,
                org=org,
                course=course,
                material=material,
                target_org=target,
                members=members,
                due_on=due_on,
                note=request.POST.get("note", ""),
            )
        except DomainError as exc:
            errors[exc.field or "form"] = exc.message
        else:
            messages.success(request, _("学习任务已布置。"))
            return redirect("learning:assignment", pk=assignment.pk)
    ctx = {
        "orgs": orgs,
        "courses": course_choices,
        "materials": material_choices,
        "data": data,
        "errors": errors,
        "today": timezone.localdate(),
    }
    return render(request, "learning/assignment_form.html", ctx, status=422 if errors else 200)


# --- threads --------------------------------------------------------------------------------------------------------


@require_perm(VIEW)
def threads(request: HttpRequest) -> HttpResponse:
    qs = threads_visible_to(request.user).select_related("branch", "material", "meeting")
    kind = request.GET.get("kind") if request.GET.get("kind") in ThreadKind.values else ""
    if kind:
        qs = qs.filter(kind=kind)
    page = Paginator(qs.order_by("-updated_at", "-id"), 20).get_page(request.GET.get("page"))
    ctx = {"page": page, "kind": kind, "kinds": ThreadKind.choices, "query": f"kind={kind}"}
    return render(request, "learning/threads.html", ctx)


def _branches(user):
    return list(
        orgs_visible_to(user, VIEW).filter(kind__in=BRANCH_KINDS, dissolved_on__isnull=True).order_by("path")[:500]
    )


@require_perm(VIEW)
def thread_new(request: HttpRequest) -> HttpResponse:
    branches = _branches(request.user)
    member = own_member(request.user)
    errors: dict[str, str] = {}
    material = None
    raw_material = request.POST.get("material") or request.GET.get("material")
    if raw_material:
        try:
            material = get_material_or_404(request.user, posted_id(raw_material, _("学习资料")))
        except DomainError:
            raise Http404 from None
    meeting = None
    raw_meeting = request.POST.get("meeting") or request.GET.get("meeting")
    if raw_meeting:  # a discussion of a meeting of one of the user's branches (orglife, reached through the FK)
        try:
            meeting_pk = posted_id(raw_meeting, _("会议"))
        except DomainError:
            raise Http404 from None
        meeting = MEETING_MODEL.objects.filter(pk=meeting_pk, org__in=branches).first()
        if meeting is None:
            raise Http404
    default_branch = meeting.org_id if meeting else member.org_id if member else (branches[0].pk if branches else None)
    data = (
        request.POST
        if request.method == "POST"
        else {
            "branch": default_branch,
            "kind": ThreadKind.COLLECTIVE if meeting else ThreadKind.SELF if material else ThreadKind.DISCUSSION,
            "title": meeting.title if meeting else "",
        }
    )
    if request.method == "POST":
        try:
            branch = _pick(branches, request.POST.get("branch"), _("党支部"))
            thread = services.thread_create(
                actor=request.user,
                branch=branch,
                kind=request.POST.get("kind", ""),
                title=request.POST.get("title", ""),
                material=material,
                meeting=meeting,
                body=request.POST.get("body", ""),
            )
        except DomainError as exc:
            errors[exc.field or "form"] = exc.message
        else:
            messages.success(request, _("研讨主题已发布。"))
            return redirect("learning:thread", pk=thread.pk)
    ctx = {
        "branches": branches,
        "kinds": ThreadKind.choices,
        "data": data,
        "errors": errors,
        "material": material,
        "meeting": meeting,
    }
    return render(request, "learning/thread_form.html", ctx, status=422 if errors else 200)


def _thread_ctx(request, thread, *, error="", body="", error_parent=None):
    posts = list(thread.posts.select_related("hidden_by").order_by("created_at", "id"))
    replies: dict[int, list[Post]] = {}
    for p in posts:
        if p.parent_id:
            replies.setdefault(p.parent_id, []).append(p)
    return {
        "t": thread,
        "posts": [(p, replies.get(p.pk, [])) for p in posts if p.parent_id is None],
        "moderator": can_moderate(request.user, thread),
        "error": error,
        "body": body,
        "error_parent": error_parent,
        "count": sum(1 for p in posts if not p.hidden),
    }


@require_perm(VIEW)
def thread_detail(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_thread_or_404(request.user, pk)
    return render(request, "learning/thread.html", _thread_ctx(request, thread))


@require_POST
@require_perm(VIEW)
def post_add(request: HttpRequest, pk: int) -> HttpResponse:
    thread = get_thread_or_404(request.user, pk)
    parent = None
    raw = request.POST.get("parent")
    try:
        if raw:
            parent = thread.posts.filter(pk=posted_id(raw, _("发言"), field="parent")).first()
            if parent is None:
                raise Http404
        post = services.post_create(actor=request.user, thread=thread, body=request.POST.get("body", ""), parent=parent)
    except DomainError as exc:
        ctx = _thread_ctx(
            request,
            thread,
            error=exc.message,
            body=request.POST.get("body", ""),
            error_parent=parent.pk if parent else None,
        )
        return render(request, "learning/thread.html", ctx, status=422)
    messages.success(request, _("发言已发布。"))
    return redirect(reverse("learning:thread", args=[thread.pk]) + f"#post-{post.pk}")


@require_POST
@require_perm(MODERATE)
def post_hide(request: HttpRequest, pk: int) -> HttpResponse:
    post = (
        Post.objects.filter(pk=pk, thread__in=threads_visible_to(request.user, MODERATE))
        .select_related("thread")
        .first()
    )
    if post is None:
        raise Http404
    try:
        services.post_hide(actor=request.user, post=post, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("发言已屏蔽。"))
    return redirect(reverse("learning:thread", args=[post.thread_id]) + f"#post-{post.pk}")


# --- figures --------------------------------------------------------------------------------------------------------


def hours_chart(rows) -> str:
    option = {
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 40, "right": 10, "bottom": 70, "top": 20},
        "xAxis": {
            "type": "category",
            "data": [r.org.short_name or r.org.name for r in rows],
            "axisLabel": {"interval": 0, "rotate": 30},
        },
        "yAxis": {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "series": [{"name": _("学时完成率"), "type": "bar", "data": [r.share for r in rows]}],
    }
    return json.dumps(option, ensure_ascii=False)


def _year(request) -> int:
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    return year if 2000 <= year <= today.year else today.year


@require_perm(STATS)
def stats(request: HttpRequest) -> HttpResponse:
    """Study hours completed by committee (the children of the user's highest organization), and the zone's rule."""
    year = _year(request)
    root = selectors.hours_root(request.user)
    if root is None:
        raise Http404
    rows = selectors.hours_by_committee(root, year)
    error = ""
    can_configure = request.user.has_role_perm(CONFIGURE)
    if request.method == "POST":
        if not can_configure:
            raise Http404
        try:
            services.required_hours_set(
                actor=request.user, year=request.POST.get("year"), hours=request.POST.get("hours")
            )
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("年度学时要求已保存。"))
            return redirect(f"{reverse('learning:stats')}?year={year}")
    ctx = {
        "root": root,
        "year": year,
        "years": list(range(timezone.localdate().year, timezone.localdate().year - 4, -1)),
        "rows": rows,
        "chart_json": hours_chart(rows),
        "required": services.required_hours(year),
        "can_configure": can_configure,
        "error": error,
        "members": sum(r.members for r in rows),
        "completed": sum(r.completed for r in rows),
    }
    return render(request, "learning/stats.html", ctx, status=422 if error else 200)


@require_perm(STATS)
def feedback(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    rows = selectors.feedback_counts(request.user, year=year)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    ctx = {"page": page, "year": year, "total": sum(r["count"] for r in rows), "query": f"year={year}"}
    return render(request, "learning/feedback.html", ctx)
