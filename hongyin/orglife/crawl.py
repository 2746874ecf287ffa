"""Permission-crawler samples (hongyin.common.crawl): a meeting in the canary branch (only the zone sees it), a
reported and a draft meeting of the demo secretary's branch, and numbers that exist nowhere."""

from datetime import timedelta

from django.utils import timezone

from hongyin.common.crawl import Sample, crawl_samples

MISSING = 10**9


def _meetings(ctx):
    from . import services
    from .models import Meeting

    made = getattr(ctx, "_orglife_meetings", None)
    if made is not None:
        return made
    day = timezone.localdate() - timedelta(days=3)
    secretary_branch = ctx.users["branch_secretary"].assignments[0].org
    canary = services.meeting_create(
        actor=None,
        org=ctx.canary.branch,
        kind="committee",
        title=f"{ctx.canary.branch.name}支委会",
        held_on=day,
        minutes="研究季度工作",
        attendance={},
    )
    ctx.canary.names[canary.title] = {"zone_admin", "audit_admin"}
    reported = services.meeting_create(
        actor=None,
        org=secretary_branch,
        kind="theme_day",
        title="主题党日：重温入党誓词",
        held_on=day,
        minutes="重温入党誓词",
        attendance={},
    )
    Meeting.objects.filter(pk=reported.pk).update(status="submitted")
    draft = services.meeting_create(
        actor=None, org=secretary_branch, kind="lecture", title="书记讲党课（草稿）", planned_on=day + timedelta(days=9)
    )
    made = [canary, reported, draft]
    ctx._orglife_meetings = made
    return made


@crawl_samples(
    "orglife:detail",
    "orglife:edit",
    "orglife:act",
    "orglife:photo_add",
    "GET /api/v1/orglife/meetings/{meeting_id}",
    "GET /api/v1/orglife/meetings/{meeting_id}/attendance",
    "PUT /api/v1/orglife/meetings/{meeting_id}/attendance",
    "POST /api/v1/orglife/meetings/{meeting_id}/{action}",
)
def meeting_samples(ctx):
    from .permissions import meetings_visible_to

    def visible(user, *_args):
        return meetings_visible_to(user)

    out = [Sample({"pk": MISSING, "meeting_id": MISSING, "action": "submit"}, set())]
    for m in _meetings(ctx):
        out.append(
            Sample({"pk": m.pk, "meeting_id": m.pk, "action": "submit"}, ctx.scoped(visible, m.pk, takes_perm=False))
        )
    return out


@crawl_samples("orglife:photo")
def photo_samples(ctx):
    """A photo number under a meeting it does not belong to (or none): nothing for anyone."""
    return [Sample({"pk": m.pk, "photo_pk": MISSING}, set()) for m in _meetings(ctx)]


def _guides(ctx):
    from datetime import date

    from . import services
    from .models import MonthlyGuide

    made = getattr(ctx, "_orglife_guides", None)
    if made is not None:
        return made
    # months far from the demo's own guides, so the samples never clash with them
    published = MonthlyGuide.objects.filter(month=date(2001, 1, 1)).first() or services.guide_save(
        actor=None,
        month=date(2001, 1, 1),
        title="2001年1月组织生活指南",
        deadline=date(2001, 1, 25),
        topics={"committee": ["研究本月工作"]},
    )
    if not published.published:
        services.guide_publish(actor=None, guide=published)
    draft = MonthlyGuide.objects.filter(month=date(2001, 2, 1)).first() or services.guide_save(
        actor=None,
        month=date(2001, 2, 1),
        title="2001年2月组织生活指南（草稿）",
        deadline=date(2001, 2, 25),
        topics={"group": ["学习党章"]},
    )
    made = [published, draft]
    ctx._orglife_guides = made
    return made


@crawl_samples(
    "orglife:guide",
    "orglife:guide_edit",
    "orglife:guide_publish",
    "GET /api/v1/orglife/guides/{guide_id}",
    "GET /api/v1/orglife/guides/{guide_id}/outstanding",
    "PUT /api/v1/orglife/guides/{guide_id}",
    "POST /api/v1/orglife/guides/{guide_id}/publish",
)
def guide_samples(ctx):
    """A published and a draft guide (drafts: the zone only), and a number that exists nowhere."""
    from .selectors import guides_visible_to

    def visible(user, *_args):
        return guides_visible_to(user)

    out = [Sample({"pk": MISSING, "guide_id": MISSING}, set())]
    for g in _guides(ctx):
        out.append(Sample({"pk": g.pk, "guide_id": g.pk}, ctx.scoped(visible, g.pk, takes_perm=False)))
    return out
