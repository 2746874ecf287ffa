"""Permission-crawler samples: a submitted check-up of the canary member (only the zone sees it), one of a member
of the demo secretary's branch, and a number that exists nowhere."""

from hongyin.common.crawl import Sample, crawl_samples

MISSING = 10**9


def _checkups(ctx):
    from django.utils import timezone

    from .models import Checkup, CheckupStatus
    from .services import current_questionnaire

    made = getattr(ctx, "_checkup_samples", None)
    if made is not None:
        return made
    from hongyin.members.models import Member

    q = current_questionnaire()
    year = 2001  # far from the demo's own years, so the samples never clash with them
    secretary_branch = ctx.users["branch_secretary"].assignments[0].org
    own = Member.objects.filter(org=secretary_branch, left_on__isnull=True, user__isnull=True).first()
    out = []
    for member in (ctx.canary.member, own):
        c, _created = Checkup.objects.get_or_create(
            member=member,
            year=year,
            defaults={
                "org": member.org,
                "questionnaire": q,
                "status": CheckupStatus.SUBMITTED,
                "submitted_at": timezone.now(),
                "self_scores": {"理想信念": 80.0},
            },
        )
        out.append(c)
    ctx._checkup_samples = out
    return out


@crawl_samples(
    "checkup:detail",
    "GET /api/v1/checkup/{checkup_id}",
    "POST /api/v1/checkup/{checkup_id}/review",
)
def checkup_samples(ctx):
    from hongyin.common.permissions import scope_queryset

    from .models import Checkup
    from .selectors import CHECKUP_SCOPE, REVIEW

    def visible(user, *_args):
        return scope_queryset(user, Checkup.objects.exclude(status="draft"), REVIEW, CHECKUP_SCOPE)

    out = [Sample({"pk": MISSING, "checkup_id": MISSING}, set(), body={"comment": "x", "version": 0})]
    for c in _checkups(ctx):
        out.append(
            Sample(
                {"pk": c.pk, "checkup_id": c.pk},
                ctx.scoped(visible, c.pk, takes_perm=False),
                body={"comment": "x", "version": 999},
            )
        )
    return out
