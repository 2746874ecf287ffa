"""Permission-crawler samples (hongyin.common.crawl): a material, course, assignment and thread of the canary branch
(only the zone sees them), the same of the demo secretary's branch, a zone-wide material, the demo member's note,
and numbers that exist nowhere."""

from datetime import timedelta

from django.utils import timezone

from hongyin.common.crawl import Sample, crawl_samples

MISSING = 10**9
SEEN_IN_AUDIT = {"zone_admin", "audit_admin"}


def _made(ctx):
    from hongyin.members.models import Member

    from . import services
    from .models import Post

    made = getattr(ctx, "_learning_made", None)
    if made is not None:
        return made
    secretary_branch = ctx.users["branch_secretary"].assignments[0].org
    canary = ctx.canary.branch
    due = timezone.localdate() + timedelta(days=20)

    def material(org, title):
        return services.material_create(actor=None, org=org, title=title, kind="text", body="学习内容。", min_minutes=1)

    canary_material = material(canary, f"{canary.name}学习资料")
    ctx.canary.names[canary_material.title] = SEEN_IN_AUDIT
    branch_material = material(secretary_branch, "支部学习资料：学习贯彻党章")
    zone_material = material(ctx.zone.root, "全区学习资料：党建引领高质量发展")
    canary_course = services.course_create(
        actor=None, org=canary, title=f"{canary.name}课程", materials=[canary_material]
    )
    ctx.canary.names[canary_course.title] = SEEN_IN_AUDIT
    branch_course = services.course_create(
        actor=None, org=secretary_branch, title="支部课程：党章学习", materials=[branch_material, zone_material]
    )
    canary_assignment = services.assignment_create(
        actor=None, org=canary, course=canary_course, target_org=canary, due_on=due
    )
    branch_assignment = services.assignment_create(
        actor=None, org=secretary_branch, course=branch_course, target_org=secretary_branch, due_on=due
    )
    canary_thread = services.thread_create(
        actor=None, branch=canary, kind="discussion", title=f"{canary.name}研讨", body="发言"
    )
    ctx.canary.names[canary_thread.title] = SEEN_IN_AUDIT
    branch_thread = services.thread_create(
        actor=None,
        branch=secretary_branch,
        kind="self",
        title="支部研讨：学习党章体会",
        material=branch_material,
        body="体会",
    )
    member = Member.objects.filter(user=ctx.users["member"], left_on__isnull=True).first()
    note = services.note_save(actor=ctx.users["member"], material=branch_material, body="笔记") if member else None
    made = {
        "materials": [canary_material, branch_material, zone_material],
        "courses": [canary_course, branch_course],
        "assignments": [canary_assignment, branch_assignment],
        "threads": [canary_thread, branch_thread],
        "posts": list(Post.objects.filter(thread__in=[canary_thread, branch_thread])),
        "note": note,
    }
    ctx._learning_made = made
    return made


@crawl_samples(
    "learning:material",
    "learning:beat",
    "learning:note_add",
    "GET /api/v1/learning/materials/{material_id}",
    "POST /api/v1/learning/materials/{material_id}/heartbeat",
)
def material_samples(ctx):
    from .permissions import materials_visible_to

    out = [Sample({"pk": MISSING, "material_id": MISSING}, set(), body={"elapsed": 0})]
    for m in _made(ctx)["materials"]:
        out.append(
            Sample({"pk": m.pk, "material_id": m.pk}, ctx.scoped(materials_visible_to, m.pk), body={"elapsed": 0})
        )
    return out


@crawl_samples("learning:material_file")
def file_samples(ctx):
    """Text materials have no file: nothing for anyone."""
    return [Sample({"pk": m.pk}, set()) for m in _made(ctx)["materials"]] + [Sample({"pk": MISSING}, set())]


@crawl_samples("learning:course")
def course_samples(ctx):
    from .permissions import courses_visible_to

    out = [Sample({"pk": MISSING}, set())]
    for c in _made(ctx)["courses"]:
        out.append(Sample({"pk": c.pk}, ctx.scoped(courses_visible_to, c.pk)))
    return out


@crawl_samples("learning:assignment")
def assignment_samples(ctx):
    from .permissions import assignments_visible_to

    out = [Sample({"pk": MISSING}, set())]
    for a in _made(ctx)["assignments"]:
        out.append(Sample({"pk": a.pk}, ctx.scoped(assignments_visible_to, a.pk, takes_perm=False)))
    return out


@crawl_samples(
    "learning:thread",
    "learning:post_add",
    "GET /api/v1/learning/threads/{thread_id}/posts",
    "POST /api/v1/learning/threads/{thread_id}/posts",
)
def thread_samples(ctx):
    from .permissions import threads_visible_to

    out = [Sample({"pk": MISSING, "thread_id": MISSING}, set(), body={"body": "探针发言"})]
    for t in _made(ctx)["threads"]:
        out.append(Sample({"pk": t.pk, "thread_id": t.pk}, ctx.scoped(threads_visible_to, t.pk), body={"body": "发言"}))
    return out


@crawl_samples("learning:post_hide")
def post_samples(ctx):
    from .permissions import threads_visible_to

    out = [Sample({"pk": MISSING}, set())]
    for p in _made(ctx)["posts"]:
        out.append(Sample({"pk": p.pk}, ctx.scoped(threads_visible_to, p.thread_id)))
    return out


@crawl_samples("learning:note_delete")
def note_samples(ctx):
    note = _made(ctx)["note"]
    out = [Sample({"pk": MISSING}, set())]
    if note is not None:
        out.append(Sample({"pk": note.pk}, {"member"}))
    return out
