"""Permission-crawler samples (hongyin.common.crawl): an activity of the canary branch (only the zone sees it), one
of the demo secretary's branch, a joint activity hosted by a branch of the chain with the secretary's branch as
co-organizer, and numbers that exist nowhere. The check-in page is sampled with a valid code."""

from datetime import timedelta

from django.utils import timezone

from hongyin.common.crawl import Sample, crawl_samples
from hongyin.orgs.models import Organization, OrgKind

MISSING = 10**9


def _activities(ctx):
    from . import services

    made = getattr(ctx, "_activities_made", None)
    if made is not None:
        return made
    now = timezone.now()
    times = {
        "starts_at": now + timedelta(minutes=30),
        "ends_at": now + timedelta(hours=3),
        "signup_deadline": now + timedelta(minutes=20),
    }
    secretary_branch = ctx.users["branch_secretary"].assignments[0].org
    canary = services.activity_publish(
        actor=None,
        org=ctx.canary.branch,
        kind="volunteer",
        title=f"{ctx.canary.branch.name}志愿服务",
        place="探针广场",
        capacity=10,
        **times,
    )
    ctx.canary.names[canary.title] = {"zone_admin", "audit_admin"}
    own = services.activity_publish(
        actor=None, org=secretary_branch, kind="visit", title="参观红色会客厅", place="红色会客厅", capacity=20, **times
    )
    host = Organization.objects.filter(path__startswith=ctx.zone.chain.path, kind=OrgKind.BRANCH).order_by("path")[0]
    joint = services.activity_publish(
        actor=None,
        org=host,
        kind="joint",
        title="联建共建：走进产业链",
        place="产业链党群服务中心",
        capacity=40,
        co_orgs=[secretary_branch],
        **times,
    )
    made = [canary, own, joint]
    ctx._activities_made = made
    return made


def _code(a) -> str:
    from .services import checkin_code

    return checkin_code(a)[0]


@crawl_samples(
    "activities:detail",
    "activities:act",
    "GET /api/v1/activities/{activity_id}",
    "POST /api/v1/activities/{activity_id}/signup",
    "POST /api/v1/activities/{activity_id}/cancel-signup",
)
def activity_samples(ctx):
    from .permissions import activities_visible_to

    out = [Sample({"pk": MISSING, "activity_id": MISSING, "action": "signup"}, set())]
    for a in _activities(ctx):
        who = ctx.scoped(lambda user, *_a: activities_visible_to(user), a.pk, takes_perm=False)
        out.append(Sample({"pk": a.pk, "activity_id": a.pk, "action": "signup"}, who))
    return out


@crawl_samples(
    "activities:checkin",
    "POST /api/v1/activities/{activity_id}/checkin",
    "POST /api/v1/activities/{activity_id}/checkout",
)
def checkin_samples(ctx):
    from .permissions import activities_visible_to

    out = [Sample({"pk": MISSING, "activity_id": MISSING}, set(), query={"c": "x"}, body={"code": "x"})]
    for a in _activities(ctx):
        code = _code(a)
        who = ctx.scoped(lambda user, *_a: activities_visible_to(user), a.pk, takes_perm=False)
        out.append(Sample({"pk": a.pk, "activity_id": a.pk}, who, query={"c": code}, body={"code": code}))
    return out


@crawl_samples("activities:qr", "GET /api/v1/activities/{activity_id}/attendance")
def organizer_samples(ctx):
    from .permissions import activities_organized_by

    out = [Sample({"pk": MISSING, "activity_id": MISSING}, set())]
    for a in _activities(ctx):
        who = ctx.scoped(lambda user, *_a: activities_organized_by(user), a.pk, takes_perm=False)
        out.append(Sample({"pk": a.pk, "activity_id": a.pk}, who))
    return out


@crawl_samples("activities:edit", "activities:photo_add")
def host_samples(ctx):
    from .permissions import activities_edited_by

    out = [Sample({"pk": MISSING}, set())]
    for a in _activities(ctx):
        out.append(
            Sample({"pk": a.pk}, ctx.scoped(lambda user, *_a: activities_edited_by(user), a.pk, takes_perm=False))
        )
    return out


@crawl_samples("activities:photo")
def photo_samples(ctx):
    """A photo number under an activity it does not belong to (or none): nothing for anyone."""
    return [Sample({"pk": a.pk, "photo_pk": MISSING}, set()) for a in _activities(ctx)]
