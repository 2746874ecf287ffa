"""Writes of study: publish materials and courses, assign them, count the time actually spent on a material
(heartbeats), the zone's annual required hours, private notes, threads, posts and replies, and the secretary's
moderation.

Every write checks the actor's scope (NotFound outside it) and writes its audit event in the same transaction;
refused input raises a DomainError in the user's language and writes nothing. Heartbeats are not audited one by
one (one every few seconds per reader): the progress row is their record; the first one and the finish are."""

import ipaddress
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from hongyin.audit import services as audit
from hongyin.common.errors import DomainError, NotFound
from hongyin.common.permissions import check_in_scope
from hongyin.common.uploads import attachment_save
from hongyin.members.models import Member
from hongyin.orgs.models import BRANCH_KINDS, Organization
from hongyin.orgs.permissions import ORG_SCOPE
from hongyin.points.services import award

from .models import (
    Assignment,
    Course,
    CourseItem,
    Material,
    MaterialKind,
    Note,
    Post,
    Progress,
    StudyYear,
    Thread,
    ThreadKind,
)
from .permissions import (
    CONFIGURE,
    MANAGE,
    VIEW,
    can_moderate,
    materials_visible_to,
    own_member,
    threads_visible_to,
)

DEFAULT_REQUIRED_HOURS = Decimal("32")  # 党员每年集中学习培训一般不少于 32 学时
LONG_LIMIT = 20_000
POST_LIMIT = 2_000
INTRANET_SUFFIXES = (".intranet", ".local", ".lan", ".internal", ".corp")


def heartbeat_seconds() -> int:
    """How often the material page reports that it is being read (a test may shorten it)."""
    return max(1, int(getattr(settings, "HONGYIN_STUDY_HEARTBEAT_SECONDS", 15)))


def heartbeat_cap() -> int:
    """The most one heartbeat may add: twice the interval (a late timer), never more."""
    return 2 * heartbeat_seconds()


# --- checks ---------------------------------------------------------------------------------------------------------


def _text(value, *, field: str, label, required: bool = False, limit: int = LONG_LIMIT) -> str:
    value = str(value or "").strip()
    if required and not value:
        raise DomainError(_("请填写%(l)s。") % {"l": label}, field=field)
    if len(value) > limit:
        raise DomainError(_("%(l)s不能超过 %(n)d 个字。") % {"l": label, "n": limit}, field=field)
    if "\x00" in value:
        raise DomainError(_("%(l)s含有无法保存的字符。") % {"l": label}, field=field)
    return value


def _is_intranet_host(host: str) -> bool:
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return (
            "." not in host
            or host.endswith(INTRANET_SUFFIXES)
            or host in getattr(settings, "HONGYIN_STUDY_VIDEO_HOSTS", ())
        )
    return ip.is_private and not ip.is_loopback


def _video_url(value) -> str:
    url = _text(value, field="video_url", label=_("内网视频地址"), required=True, limit=300)
    try:
        parts = urlsplit(url)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise DomainError(_("请填写以 http:// 或 https:// 开头的视频地址。"), field="video_url")
    if not _is_intranet_host(parts.hostname):
        raise DomainError(
            _("视频须放在内网视频服务器上（如 video.intranet 或内网 IP），不能链接外网地址。"), field="video_url"
        )
    return url


def _positive_int(value, *, field: str, label, low: int, high: int) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        raise DomainError(_("请填写正确的%(l)s。") % {"l": label}, field=field) from None
    if not low <= number <= high:
        raise DomainError(_("%(l)s须在 %(a)d 到 %(b)d 之间。") % {"l": label, "a": low, "b": high}, field=field)
    return number


def _hours(value, *, field: str, label, high: int) -> Decimal:
    try:
        hours = Decimal(str(value).strip()).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise DomainError(_("请填写正确的%(l)s。") % {"l": label}, field=field) from None
    if not Decimal("0.5") <= hours <= high:
        raise DomainError(_("%(l)s须在 0.5 到 %(b)d 之间。") % {"l": label, "b": high}, field=field)
    return hours


def _check_publisher(actor, org: Organization) -> None:
    if actor is not None:
        check_in_scope(actor, org, MANAGE, ORG_SCOPE)
    if org.dissolved_on:
        raise DomainError(_("该党组织已撤销。"), field="org")


# --- materials and courses ------------------------------------------------------------------------------------------


@transaction.atomic
def material_create(
    *,
    actor,
    org: Organization,
    title: str,
    kind: str,
    body: str = "",
    upload=None,
    video_url: str = "",
    theme: str = "",
    summary: str = "",
    min_minutes=5,
    class_hours="1",
) -> Material:
    """Publish a material for the organization's subtree: text, a PDF (common.uploads) or an intranet video."""
    _check_publisher(actor, org)
    if kind not in MaterialKind.values:
        raise DomainError(_("请选择资料类型。"), field="kind")
    material = Material(
        org=org,
        kind=kind,
        title=_text(title, field="title", label=_("标题"), required=True, limit=120),
        theme=_text(theme, field="theme", label=_("专题"), limit=40),
        summary=_text(summary, field="summary", label=_("摘要"), limit=300),
        body=_text(body, field="body", label=_("正文"), required=kind == MaterialKind.TEXT),
        min_seconds=60 * _positive_int(min_minutes, field="min_minutes", label=_("最短学习时长"), low=1, high=240),
        class_hours=_hours(class_hours, field="class_hours", label=_("学时"), high=40),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if kind == MaterialKind.VIDEO:
        material.video_url = _video_url(video_url)
    if kind == MaterialKind.PDF and upload is None:
        raise DomainError(_("请上传 PDF 文件。"), field="file")
    material.save()
    if kind == MaterialKind.PDF:
        material.attachment = attachment_save(actor=actor, upload=upload, owner=material, allowed={"pdf"})
        material.save(update_fields=["attachment"])
    audit.record(
        actor=actor,
        action="study.material_create",
        obj=material,
        org=org,
        details={"kind": kind, "title": material.title},
    )
    return material


@transaction.atomic
def course_create(*, actor, org: Organization, title: str, materials: list[Material], description: str = "") -> Course:
    """A course: the chosen materials in order (each visible to the publisher)."""
    _check_publisher(actor, org)
    if not materials:
        raise DomainError(_("请至少选择一份学习资料。"), field="materials")
    if len({m.pk for m in materials}) != len(materials):
        raise DomainError(_("同一份资料不能重复加入课程。"), field="materials")
    if actor is not None:
        seen = set(
            materials_visible_to(actor, MANAGE).filter(pk__in=[m.pk for m in materials]).values_list("pk", flat=True)
        )
        if len(seen) != len(materials):
            raise NotFound
    course = Course.objects.create(
        org=org,
        title=_text(title, field="title", label=_("课程名称"), required=True, limit=120),
        description=_text(description, field="description", label=_("课程简介"), limit=2000),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    CourseItem.objects.bulk_create(CourseItem(course=course, material=m, position=i) for i, m in enumerate(materials))
    audit.record(actor=actor, action="study.course_create", obj=course, org=org, details={"materials": len(materials)})
    return course


def course_hours(course: Course) -> Decimal:
    return sum((i.material.class_hours for i in course.items.select_related("material")), Decimal(0))


# --- assignments ----------------------------------------------------------------------------------------------------


@transaction.atomic
def assignment_create(
    *,
    actor,
    org: Organization,
    due_on: date,
    course: Course | None = None,
    material: Material | None = None,
    target_org: Organization | None = None,
    members: list[Member] | None = None,
    note: str = "",
) -> Assignment:
    """Assign a course or one material to a subtree, or to listed members, with a deadline."""
    _check_publisher(actor, org)
    if (course is None) == (material is None):
        raise DomainError(_("请选择一门课程或一份学习资料。"), field="course")
    if actor is not None:
        if course is not None and not course.pk:
            raise NotFound
        from_user = materials_visible_to(actor, MANAGE)
        if material is not None and not from_user.filter(pk=material.pk).exists():
            raise NotFound
    members = list(members or [])
    if (target_org is None) == (not members):
        raise DomainError(_("请选择学习对象：一个党组织，或若干名党员（二选一）。"), field="target_org")
    if target_org is not None:
        if not target_org.path.startswith(org.path):
            raise DomainError(_("只能向本组织及下级组织布置学习任务。"), field="target_org")
        if actor is not None:
            check_in_scope(actor, target_org, MANAGE, ORG_SCOPE)
    for m in members:
        if not m.org.path.startswith(org.path) or m.left_on:
            raise DomainError(_("%(n)s不是本组织的在册党员。") % {"n": m.name}, field="members")
        if actor is not None:
            check_in_scope(actor, m.org, MANAGE, ORG_SCOPE)
    today = timezone.localdate()
    if not isinstance(due_on, date) or due_on < today:
        raise DomainError(_("完成期限不能早于今天。"), field="due_on")
    if due_on.year > today.year + 2:
        raise DomainError(_("请填写正确的完成期限。"), field="due_on")
    assignment = Assignment.objects.create(
        org=org,
        course=course,
        material=material,
        target_org=target_org,
        due_on=due_on,
        note=_text(note, field="note", label=_("说明"), limit=300),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if members:
        assignment.members.set(members)
    audit.record(
        actor=actor,
        action="study.assign",
        obj=assignment,
        org=org,
        details={
            "course": course.pk if course else None,
            "material": material.pk if material else None,
            "target_org": target_org.pk if target_org else None,
            "members": len(members),
            "due_on": str(due_on),
        },
    )
    return assignment


# --- reading progress -----------------------------------------------------------------------------------------------


def _elapsed(value) -> int:
    if isinstance(value, bool):
        raise DomainError(_("学习时长无效。"), field="elapsed")
    try:
        elapsed = int(value)
    except (TypeError, ValueError, OverflowError):
        raise DomainError(_("学习时长无效。"), field="elapsed") from None
    if elapsed < 0 or elapsed > heartbeat_cap():
        raise DomainError(
            _("单次上报的学习时长（%(s)d 秒）超出上限 %(c)d 秒，未记录。") % {"s": elapsed, "c": heartbeat_cap()},
            field="elapsed",
        )
    return elapsed


@transaction.atomic
def heartbeat(*, actor, material: Material, elapsed, now: datetime | None = None) -> Progress:
    """The material page was visible for `elapsed` seconds since its last heartbeat (0: it just opened or came back
    into view). The server adds no more than the time since the last heartbeat it received, and never more than
    the cap; the material is finished when the time reaches its minimum (study hours, points)."""
    elapsed = _elapsed(elapsed)
    member = own_member(actor)
    if member is None or not actor.has_role_perm(VIEW):
        raise DomainError(_("只有党员本人登录后才能记录学习时长。"))
    if not materials_visible_to(actor).filter(pk=material.pk).exists():
        raise NotFound
    now = now or timezone.now()
    progress = Progress.objects.select_for_update().filter(member=member, material=material).first()
    created = progress is None
    if created:
        progress = Progress.objects.create(member=member, material=material, last_beat_at=now, beats=1)
        audit.record(actor=actor, action="study.start", obj=material, org=member.org, details={"member": member.pk})
        return progress
    credited = 0
    if elapsed and progress.last_beat_at is not None:
        since = (now - progress.last_beat_at).total_seconds()
        credited = int(max(0, min(elapsed, since + 1, heartbeat_cap())))
    progress.seconds += credited
    progress.beats += 1
    progress.last_beat_at = now
    fields = ["seconds", "beats", "last_beat_at"]
    if progress.finished_at is None and progress.seconds >= material.min_seconds:
        progress.finished_at = now
        fields.append("finished_at")
    progress.save(update_fields=fields)
    if "finished_at" in fields:
        audit.record(
            actor=actor,
            action="study.finish",
            obj=material,
            org=member.org,
            details={"member": member.pk, "seconds": progress.seconds},
        )
        _award(member=member, action="study_finish", source=progress, occurred_at=now, dwell_seconds=progress.seconds)
    return progress


def _award(**kwargs) -> None:
    """Points for a real event (hongyin.points): a rule that gives nothing (a cap, a minimum above this material's
    own) leaves the study recorded and gives no points."""
    try:
        with transaction.atomic():
            award(**kwargs)
    except DomainError:
        pass


# --- the zone's required hours --------------------------------------------------------------------------------------


@transaction.atomic
def required_hours_set(*, actor, year: int, hours) -> StudyYear:
    if actor is not None and not actor.has_role_perm(CONFIGURE):
        raise NotFound
    year = _positive_int(year, field="year", label=_("年度"), low=2000, high=timezone.localdate().year + 1)
    value = _hours(hours, field="required_hours", label=_("年度应学学时"), high=500)
    row, _created = StudyYear.objects.update_or_create(
        year=year,
        defaults={"required_hours": value, "updated_by": actor if getattr(actor, "is_authenticated", False) else None},
    )
    audit.record(actor=actor, action="study.required_hours", obj=row, details={"year": year, "hours": str(value)})
    return row


def required_hours(year: int) -> Decimal:
    row = StudyYear.objects.filter(year=year).first()
    return row.required_hours if row else DEFAULT_REQUIRED_HOURS


# --- notes ----------------------------------------------------------------------------------------------------------


def _own_member_or_refuse(actor) -> Member:
    member = own_member(actor)
    if member is None:
        raise DomainError(_("只有党员本人可以记学习笔记。"))
    return member


@transaction.atomic
def note_save(*, actor, material: Material, body: str, note: Note | None = None) -> Note:
    """Add a note on a material, or edit one of the member's own notes."""
    member = _own_member_or_refuse(actor)
    if not materials_visible_to(actor).filter(pk=material.pk).exists():
        raise NotFound
    body = _text(body, field="body", label=_("笔记内容"), required=True, limit=5000)
    if note is not None:
        if note.member_id != member.pk or note.material_id != material.pk:
            raise NotFound
        note.body = body
        note.save(update_fields=["body", "updated_at"])
    else:
        note = Note.objects.create(member=member, material=material, body=body)
    audit.record(actor=actor, action="study.note", obj=note, org=member.org, details={"material": material.pk})
    return note


@transaction.atomic
def note_delete(*, actor, note: Note) -> None:
    member = _own_member_or_refuse(actor)
    if note.member_id != member.pk:
        raise NotFound
    audit.record(actor=actor, action="study.note_delete", obj=note, org=member.org)
    note.delete()


# --- threads and posts ----------------------------------------------------------------------------------------------


def _author_name(actor, member: Member | None) -> str:
    if member is not None:
        return member.name
    return (getattr(actor, "display_name", "") or getattr(actor, "username", "") or _("管理员"))[:60]


@transaction.atomic
def thread_create(
    *,
    actor,
    branch: Organization,
    kind: str,
    title: str,
    material: Material | None = None,
    meeting=None,
    body: str = "",
) -> Thread:
    """Open a discussion in a branch, about a material or a meeting of the branch; `body` is its first post."""
    if actor is not None:
        check_in_scope(actor, branch, VIEW, ORG_SCOPE)
    if branch.kind not in BRANCH_KINDS or branch.dissolved_on:
        raise DomainError(_("研讨须在一个党支部内开展。"), field="branch")
    if kind not in ThreadKind.values:
        raise DomainError(_("请选择学习形式。"), field="kind")
    if material is not None and actor is not None and not materials_visible_to(actor).filter(pk=material.pk).exists():
        raise NotFound
    if meeting is not None and meeting.org_id != branch.pk:
        raise DomainError(_("只能就本支部的会议开展研讨。"), field="meeting")
    thread = Thread.objects.create(
        branch=branch,
        kind=kind,
        title=_text(title, field="title", label=_("主题"), required=True, limit=120),
        material=material,
        meeting=meeting,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(actor=actor, action="study.thread_create", obj=thread, org=branch, details={"kind": kind})
    if str(body or "").strip():
        post_create(actor=actor, thread=thread, body=body)
    return thread


@transaction.atomic
def post_create(*, actor, thread: Thread, body: str, parent: Post | None = None) -> Post:
    """A post in a thread of the actor's branch, or a reply to one of its posts. A member's post earns the
    feedback points (once per post)."""
    if actor is not None and not threads_visible_to(actor).filter(pk=thread.pk).exists():
        raise NotFound
    body = _text(body, field="body", label=_("发言内容"), required=True, limit=POST_LIMIT)
    if parent is not None:
        parent = Post.objects.filter(pk=parent.pk, thread_id=thread.pk).first()  # as stored now (hidden meanwhile?)
        if parent is None:
            raise NotFound
        if parent.parent_id is not None:
            parent = parent.parent  # a reply to a reply joins the post's replies
        if parent.hidden:
            raise DomainError(_("该发言已被屏蔽，不能回复。"), field="parent")
    member = own_member(actor)
    post = Post.objects.create(
        thread=thread,
        parent=parent,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        member=member,
        author_name=_author_name(actor, member),
        body=body,
    )
    Thread.objects.filter(pk=thread.pk).update(posts_count=F("posts_count") + 1, updated_at=timezone.now())
    thread.posts_count += 1
    audit.record(
        actor=actor,
        action="study.reply" if parent else "study.post",
        obj=post,
        org=thread.branch,
        details={"thread": thread.pk},
    )
    if member is not None:
        _award(member=member, action="feedback_post", source=post, occurred_at=post.created_at)
    return post


@transaction.atomic
def post_hide(*, actor, post: Post, reason: str) -> Post:
    """The branch secretary (or a committee above) hides a post with a reason; the post stays, audited."""
    locked = Post.objects.select_for_update().select_related("thread__branch").get(pk=post.pk)
    if actor is not None and not can_moderate(actor, locked.thread):
        raise NotFound
    if locked.hidden:
        raise DomainError(_("该发言已被屏蔽。"), field="reason", code="stale")
    reason = _text(reason, field="reason", label=_("屏蔽原因"), required=True, limit=200)
    locked.hidden, locked.hidden_reason, locked.hidden_at = True, reason, timezone.now()
    locked.hidden_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.save(update_fields=["hidden", "hidden_reason", "hidden_at", "hidden_by"])
    thread = locked.thread
    Thread.objects.filter(pk=thread.pk, posts_count__gt=0).update(posts_count=F("posts_count") - 1)
    audit.record(
        actor=actor,
        action="study.post_hide",
        obj=locked,
        org=thread.branch,
        details={"reason": reason, "thread": thread.pk},
    )
    return locked


# --- bulk (the demo year, a migration from another platform) -------------------------------------------------------


@transaction.atomic
def progress_record_bulk(*, actor, rows: list[dict]) -> list[Progress]:
    """Reading progress recorded elsewhere, many rows at once: each row's member, material, seconds, started_at and
    finished_at (set only when the seconds reach the material's minimum). One audit event for the batch."""
    if actor is not None and not actor.has_role_perm(CONFIGURE):
        raise NotFound
    built = []
    for row in rows:
        material = row["material"]
        seconds = int(row["seconds"])
        finished_at = row.get("finished_at")
        if seconds < 0 or (finished_at is not None and seconds < material.min_seconds):
            raise DomainError(_("学习时长未达到该资料的最短学习时长，不能记为完成。"), field="seconds")
        built.append(
            Progress(
                member_id=row["member_id"],
                material=material,
                seconds=seconds,
                beats=max(1, seconds // heartbeat_seconds()),
                started_at=row["started_at"],
                last_beat_at=finished_at or row["started_at"],
                finished_at=finished_at,
            )
        )
    made = Progress.objects.bulk_create(built, batch_size=2000)
    audit.record(actor=actor, action="study.progress_bulk", details={"rows": len(made)})
    return made


@transaction.atomic
def posts_record_bulk(*, actor, rows: list[dict]) -> list[Post]:
    """Posts (each with its `replies`) in existing threads, many at once; the threads' counts follow."""
    if actor is not None and not actor.has_role_perm(CONFIGURE):
        raise NotFound
    firsts = [
        Post(
            thread=row["thread"],
            member_id=row["member_id"],
            author_name=row["author_name"][:60],
            body=_text(row["body"], field="body", label=_("发言内容"), required=True, limit=POST_LIMIT),
            created_at=row["created_at"],
        )
        for row in rows
    ]
    Post.objects.bulk_create(firsts, batch_size=2000)
    replies = [
        Post(
            thread=row["thread"],
            parent=first,
            member_id=reply["member_id"],
            author_name=reply["author_name"][:60],
            body=_text(reply["body"], field="body", label=_("发言内容"), required=True, limit=POST_LIMIT),
            created_at=reply["created_at"],
        )
        for row, first in zip(rows, firsts, strict=True)
        for reply in row.get("replies", ())
    ]
    Post.objects.bulk_create(replies, batch_size=2000)
    counts: dict[int, int] = {}
    for p in (*firsts, *replies):
        counts[p.thread_id] = counts.get(p.thread_id, 0) + 1
    for thread_id, n in counts.items():
        Thread.objects.filter(pk=thread_id).update(posts_count=F("posts_count") + n)
    audit.record(actor=actor, action="study.posts_bulk", details={"posts": len(firsts), "replies": len(replies)})
    return [*firsts, *replies]
