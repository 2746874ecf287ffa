"""API of study: the same services and scoping as the pages. A member sees only its own progress and notes and its
branch's threads."""

from datetime import datetime
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema

from hongyin.api.permissions import api_perm
from hongyin.api.schemas import ErrorOut
from hongyin.orgs.permissions import get_org_for_user_or_404

from . import selectors, services
from .models import Note, ThreadKind
from .permissions import get_material_or_404, get_thread_or_404, materials_visible_to, own_member, threads_visible_to
from .views import MEETING_MODEL

router = Router(tags=["learning"])
ROUTERS = {"/learning": router}  # mounted by hongyin.site.api
ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut}


class MaterialOut(Schema):
    id: int
    org_id: int
    title: str
    kind: str
    theme: str
    summary: str
    min_seconds: int
    class_hours: float
    created_at: datetime


class MaterialDetailOut(MaterialOut):
    body: str
    video_url: str
    has_pdf: bool


class ProgressOut(Schema):
    material_id: int
    seconds: int
    required_seconds: int
    finished: bool
    finished_at: datetime | None


class MyProgressOut(Schema):
    year: int
    hours_done: float
    hours_required: float
    share: int
    materials: list[ProgressOut]


class HeartbeatIn(Schema):
    elapsed: int = Field(description="Seconds the page was visible since the last heartbeat (0 when it opens)")


class NoteIn(Schema):
    material_id: int
    body: str = Field(max_length=5000)


class NoteOut(Schema):
    id: int
    material_id: int
    body: str
    created_at: datetime
    updated_at: datetime


class ThreadIn(Schema):
    branch_id: int
    kind: str = Field(description=", ".join(ThreadKind.values))
    title: str = Field(max_length=120)
    material_id: int | None = None
    meeting_id: int | None = Field(None, description="A meeting of the branch (organizational life)")
    body: str = Field("", max_length=2000)


class ThreadOut(Schema):
    id: int
    branch_id: int
    kind: str
    title: str
    material_id: int | None
    meeting_id: int | None
    posts_count: int
    updated_at: datetime


class StudyPostIn(Schema):
    body: str = Field(max_length=2000)
    parent_id: int | None = None


class StudyPostOut(Schema):
    id: int
    thread_id: int
    parent_id: int | None
    author_name: str
    body: str
    hidden: bool
    hidden_reason: str
    created_at: datetime


def _material(m) -> dict:
    return {f: getattr(m, f) for f in MaterialOut.model_fields} | {"class_hours": float(m.class_hours)}


def _progress(p) -> dict:
    return {
        "material_id": p.material_id,
        "seconds": p.seconds,
        "required_seconds": p.material.min_seconds,
        "finished": p.finished_at is not None,
        "finished_at": p.finished_at,
    }


def _post(p) -> dict:
    out = {f: getattr(p, f) for f in StudyPostOut.model_fields}
    if p.hidden:
        out["body"] = ""  # hidden by the branch: the reason stays, the text does not
    return out


@router.get("/materials", response={200: list[MaterialOut], **ERRORS}, summary="Study materials the user may read")
@api_perm("learning.view")
def material_list(request, q: str = "", limit: int = 50, offset: int = 0):
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    qs = materials_visible_to(request.auth).order_by("-created_at", "-id")
    if q:
        qs = qs.filter(title__icontains=q[:40])
    return [_material(m) for m in qs[offset : offset + limit]]


@router.get("/materials/{material_id}", response={200: MaterialDetailOut, **ERRORS}, summary="One material")
@api_perm("learning.view")
def material_detail(request, material_id: int):
    m = get_material_or_404(request.auth, material_id)
    return _material(m) | {"body": m.body, "video_url": m.video_url, "has_pdf": m.attachment_id is not None}


@router.get("/progress", response={200: MyProgressOut, **ERRORS}, summary="My study hours and progress")
@api_perm("learning.view")
def my_progress(request, year: int | None = None):
    member = own_member(request.auth)
    if member is None:  # an account with no member record has studied nothing
        mine = selectors.MyYear(
            year or timezone.localdate().year, Decimal(0), services.required_hours(year or timezone.localdate().year)
        )
        return {
            "year": mine.year,
            "hours_done": 0.0,
            "hours_required": float(mine.required),
            "share": 0,
            "materials": [],
        }
    mine = selectors.my_year(member, year)
    rows = member.study_progress.select_related("material").order_by("-last_beat_at")[:500]
    return {
        "year": mine.year,
        "hours_done": float(mine.done),
        "hours_required": float(mine.required),
        "share": mine.share,
        "materials": [_progress(p) for p in rows],
    }


@router.post(
    "/materials/{material_id}/heartbeat",
    response={200: ProgressOut, **ERRORS},
    summary="The material is being read: add the visible time since the last heartbeat (capped)",
)
@api_perm("learning.view")
def heartbeat(request, material_id: int, payload: HeartbeatIn):
    m = get_material_or_404(request.auth, material_id)
    p = services.heartbeat(actor=request.auth, material=m, elapsed=payload.elapsed)
    return _progress(p)


@router.get("/notes", response={200: list[NoteOut], **ERRORS}, summary="My self-study notes")
@api_perm("learning.view")
def note_list(request, material_id: int | None = None, limit: int = 50, offset: int = 0):
    member = own_member(request.auth)
    if member is None:
        return []
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    qs = Note.objects.filter(member=member)
    if material_id:
        qs = qs.filter(material_id=material_id)
    return list(qs[offset : offset + limit])


@router.post("/notes", response={201: NoteOut, **ERRORS}, summary="Add a note on a material")
@api_perm("learning.view")
def note_create(request, payload: NoteIn):
    m = get_material_or_404(request.auth, payload.material_id)
    return 201, services.note_save(actor=request.auth, material=m, body=payload.body)


@router.get("/threads", response={200: list[ThreadOut], **ERRORS}, summary="Discussion threads of my branches")
@api_perm("learning.view")
def thread_list(request, kind: str = "", material_id: int | None = None, limit: int = 50, offset: int = 0):
    limit, offset = max(1, min(limit, 200)), max(0, offset)
    qs = threads_visible_to(request.auth).order_by("-updated_at", "-id")
    if kind in ThreadKind.values:
        qs = qs.filter(kind=kind)
    if material_id:
        qs = qs.filter(material_id=material_id)
    return list(qs[offset : offset + limit])


@router.post("/threads", response={201: ThreadOut, **ERRORS}, summary="Open a discussion in a branch")
@api_perm("learning.view")
def thread_create(request, payload: ThreadIn):
    branch = get_org_for_user_or_404(request.auth, payload.branch_id, "learning.view")
    material = get_material_or_404(request.auth, payload.material_id) if payload.material_id else None
    meeting = None
    if payload.meeting_id:
        meeting = MEETING_MODEL.objects.filter(pk=payload.meeting_id, org=branch).first()
        if meeting is None:
            raise Http404
    t = services.thread_create(
        actor=request.auth,
        branch=branch,
        kind=payload.kind,
        title=payload.title,
        material=material,
        meeting=meeting,
        body=payload.body,
    )
    return 201, t


@router.get("/threads/{thread_id}/posts", response={200: list[StudyPostOut], **ERRORS}, summary="Posts and replies")
@api_perm("learning.view")
def post_list(request, thread_id: int, limit: int = 200, offset: int = 0):
    t = get_thread_or_404(request.auth, thread_id)
    limit, offset = max(1, min(limit, 500)), max(0, offset)
    return [_post(p) for p in t.posts.order_by("created_at", "id")[offset : offset + limit]]


@router.post("/threads/{thread_id}/posts", response={201: StudyPostOut, **ERRORS}, summary="Post, or reply to a post")
@api_perm("learning.view")
def post_create(request, thread_id: int, payload: StudyPostIn):
    t = get_thread_or_404(request.auth, thread_id)
    parent = None
    if payload.parent_id:
        parent = t.posts.filter(pk=payload.parent_id).first()
        if parent is None:
            raise Http404
    p = services.post_create(actor=request.auth, thread=t, body=payload.body, parent=parent)
    return 201, _post(p)
