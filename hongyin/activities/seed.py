"""A year of activities for the demo zone (issue 12, items 3 and 10), through the bulk service.

Most branches organize a few activities over the past year (volunteer service, visits, study tours, culture) and
some joint activities with a neighbouring branch; their members sign up (a popular one fills up and keeps a
waiting list), most check in at the place, volunteers check out and earn hours; points go through award_many.
Every branch also has one or two coming activities open for sign-up. Idempotent: nothing if activities exist.
"""

import random
from datetime import datetime, time, timedelta

from django.utils import timezone

from hongyin.members.models import Member
from hongyin.orgs.models import BRANCH_KINDS, Organization

from . import services
from .models import Activity, ActivityKind

TITLES = {
    ActivityKind.VOLUNTEER: [
        "志愿服务进社区",
        "楼宇文明引导志愿服务",
        "关爱孤寡老人志愿服务",
        "无偿献血志愿服务",
        "植树护绿志愿服务",
    ],
    ActivityKind.VISIT: ["参观红色会客厅", "走访困难党员", "参观八路军西安办事处纪念馆", "参观党风廉政教育基地"],
    ActivityKind.STUDY_TOUR: ["照金红色研学", "延安革命旧址研学", "梁家河学习实践"],
    ActivityKind.JOINT: ["联建共建：党建引领产业链协同", "支部共建：技术交流与岗位建功", "联建共建主题党日"],
    ActivityKind.CULTURE: ["红歌合唱比赛", "党史知识竞赛", "健步走迎七一"],
}
PLACES = ["红色会客厅", "楼宇党群服务中心", "高新区社区服务站", "科技路街心公园", "党员活动室"]
KINDS = [ActivityKind.VOLUNTEER] * 4 + [ActivityKind.VISIT, ActivityKind.STUDY_TOUR, ActivityKind.CULTURE] * 2


def _when(rng: random.Random, day, hours: int):
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(day, time(rng.choice([9, 14]), 0)), tz)
    return start, start + timedelta(hours=hours)


def seed_activities(zone, scale: str, rng: random.Random) -> int:
    if Activity.objects.exists():
        return 0
    today = timezone.localdate()
    branches = list(
        Organization.objects.filter(
            path__startswith=zone.root.path, kind__in=BRANCH_KINDS, dissolved_on__isnull=True
        ).order_by("path")
    )
    members: dict[int, list[Member]] = {}
    for m in Member.objects.filter(org__in=branches, left_on__isnull=True).only("id", "org_id", "registered_on"):
        members.setdefault(m.org_id, []).append(m)
    per_branch = 6 if scale == "demo" else 3
    rows = []
    for i, branch in enumerate(branches):
        people = members.get(branch.pk, [])
        if not people:
            continue
        neighbour = branches[i + 1] if i + 1 < len(branches) and branches[i + 1].path[:-4] == branch.path[:-4] else None
        plan = [(rng.choice(KINDS), today - timedelta(days=rng.randrange(3, 360))) for _ in range(per_branch)]
        if neighbour is not None and rng.random() < 0.5:
            plan.append((ActivityKind.JOINT, today - timedelta(days=rng.randrange(3, 300))))
        plan.append((rng.choice(KINDS), today + timedelta(days=rng.randrange(3, 30))))
        for kind, day in plan:
            hours = 3 if kind != ActivityKind.STUDY_TOUR else 8
            starts_at, ends_at = _when(rng, day, hours)
            co = [neighbour] if kind == ActivityKind.JOINT and neighbour is not None else []
            pool = people + (members.get(neighbour.pk, []) if co else [])
            capacity = max(3, min(40, int(len(pool) * rng.uniform(0.4, 0.9))))
            past = ends_at < timezone.now()
            signups = []
            for m in rng.sample(pool, min(len(pool), capacity + rng.choice([0, 0, 1, 2]))):
                queued = starts_at - timedelta(days=rng.randrange(1, 10), minutes=rng.randrange(600))
                checked_in = checked_out = None
                if past and rng.random() < 0.85:
                    checked_in = starts_at + timedelta(minutes=rng.randrange(-20, 30))
                    if kind == ActivityKind.VOLUNTEER and rng.random() < 0.9:
                        checked_out = ends_at + timedelta(minutes=rng.randrange(-60, 40))
                signups.append((m, queued, checked_in, checked_out))
            # whoever queued after the capacity waits: drop their check-ins (the bulk service refuses them)
            signups.sort(key=lambda r: r[1])
            signups = [r if k < capacity else (r[0], r[1], None, None) for k, r in enumerate(signups)]
            title = rng.choice(TITLES[kind])
            rows.append(
                {
                    "org": branch,
                    "co_orgs": co,
                    "kind": kind,
                    "title": title,
                    "place": rng.choice(PLACES),
                    "starts_at": starts_at,
                    "ends_at": ends_at,
                    "signup_deadline": starts_at - timedelta(days=1),
                    "capacity": capacity,
                    "description": f"{title}。请报名的党员准时到场，扫码签到。",
                    "summary": f"{title}顺利开展，参与党员积极投入，展现了先锋模范作用。" if past else "",
                    "signups": signups,
                }
            )
    return services.activities_record_bulk(actor=None, activities=rows)
