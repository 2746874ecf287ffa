"""A year of organizational life for the demo zone (issue 12, item 10), through the bulk service.

Every branch gets the twelve months before the current one and the current month so far: committee meetings,
party group meetings and theme party days monthly, a general meeting and a party lecture each quarter, the annual
organizational life meeting and democratic review. Most branches keep to it; some skip a few months and a few fall
far behind (the compliance red list); a few members stop coming (the art. 9 alerts). Older records are approved
(their attendance earns points through hongyin.points, in bulk), the last month's are submitted and wait for the
committee above. The zone's monthly guide of each month, published. Idempotent: a branch with meetings is
skipped, and a month with its guide.
"""

import random
from collections import defaultdict
from datetime import date, datetime, timedelta

from django.utils import timezone

from hongyin.orgs.models import BRANCH_KINDS, Organization

from . import services
from .models import AttendanceState, Meeting, MeetingKind, MeetingStatus, MonthlyGuide
from .periods import add_months, month_start
from .selectors import RosterCache

TOPICS = {
    MeetingKind.COMMITTEE: ["研究本月党建工作安排", "讨论发展党员工作", "研究党费收缴情况", "部署主题党日活动"],
    MeetingKind.GROUP: ["学习党的创新理论", "交流岗位建功体会", "学习《中国共产党章程》", "讨论企业发展中的党员作用"],
    MeetingKind.THEME_DAY: ["重温入党誓词", "参观红色会客厅", "志愿服务进楼宇", "学习先进典型事迹", "党员政治生日"],
    MeetingKind.GENERAL: ["通报季度党建工作", "审议发展对象", "选举出席上级党代会代表", "讨论支部年度工作计划"],
    MeetingKind.LECTURE: ["书记讲党课：践行初心使命", "专题党课：新质生产力与党建引领", "党课：弘扬伟大建党精神"],
    MeetingKind.LIFE: ["年度组织生活会：对照检查、批评与自我批评"],
    MeetingKind.REVIEW: ["年度民主评议党员"],
}
PLACES = ["党员活动室", "红色会客厅", "会议室", "楼宇党群服务中心"]
GUIDE_THEMES = ["学习贯彻党的创新理论", "党建引领企业发展", "弘扬伟大建党精神", "服务楼宇和园区企业", "党员先锋岗建功"]
MATERIALS = (
    "《中国共产党章程》 https://www.12371.cn/special/zggcdzc/\n"
    "《中国共产党支部工作条例（试行）》\n"
    "高新区党工委本月工作要点（见附件）"
)
CHUNK = 100  # branches recorded per bulk call
ABSENCES = [AttendanceState.LEAVE, AttendanceState.SICK, AttendanceState.BUSINESS, AttendanceState.ABSENT]


def _schedule(rng: random.Random, months: list[date], profile: str) -> list[tuple[str, date]]:
    """(kind, month) of the meetings a branch holds in the year, with the gaps of its profile."""
    skip = {"keeps": 0.03, "patchy": 0.25, "behind": 0.6}[profile]
    out = []
    for i, month in enumerate(months):
        for kind in (MeetingKind.COMMITTEE, MeetingKind.GROUP, MeetingKind.THEME_DAY):
            if rng.random() >= skip:
                out.append((kind, month))
        if month.month % 3 == 0 or i == len(months) - 1:  # the quarter's last month
            for kind in (MeetingKind.GENERAL, MeetingKind.LECTURE):
                if rng.random() >= skip / 2:
                    out.append((kind, month))
        if month.month == 1:
            out.append((MeetingKind.LIFE, month))
            out.append((MeetingKind.REVIEW, month))
    return out


def _day(rng: random.Random, month: date, today: date) -> date:
    last = min(add_months(month, 1) - timedelta(days=1), today)
    return month + timedelta(days=rng.randrange((last - month).days + 1))


def seed_guides(months: list[date], today: date) -> int:
    """The zone's guide for each month of the demo year (published; the deadline the 5th of the next month, this
    month's on its 25th), with suggested topics from the meetings' own topics."""
    done = set(MonthlyGuide.objects.values_list("month", flat=True))
    made = 0
    for i, month in enumerate(months):
        if month in done:
            continue
        theme = GUIDE_THEMES[i % len(GUIDE_THEMES)]
        deadline = month.replace(day=25) if month == month_start(today) else add_months(month, 1).replace(day=5)
        topics = {kind: TOPICS[kind][i % len(TOPICS[kind]) :][:2] or TOPICS[kind][:1] for kind in TOPICS}
        guide = services.guide_save(
            actor=None,
            month=month,
            title=f"{month.year}年{month.month}月组织生活指南：{theme}",
            deadline=deadline,
            summary=f"本月围绕“{theme}”开展组织生活，各支部按时召开支委会、党小组会和主题党日，按期报送会议记录。",
            materials=MATERIALS,
            topics=topics,
        )
        MonthlyGuide.objects.filter(pk=guide.pk).update(
            published_at=timezone.make_aware(datetime(month.year, month.month, 1, 9)),
            reminders_sent=len(services.REMIND_BEFORE_DAYS) if deadline < today else 0,
            overdue_noticed_at=timezone.now() if deadline < today else None,
        )
        made += 1
    return made


def seed_meetings(zone, scale: str, rng: random.Random) -> int:
    today = timezone.localdate()
    this_month = month_start(today)
    months = [add_months(this_month, -i) for i in range(12, -1, -1)]
    seed_guides(months, today)
    done = set(Meeting.objects.values_list("org_id", flat=True).distinct())
    branches = [
        b
        for b in Organization.objects.filter(
            path__startswith=zone.root.path, kind__in=BRANCH_KINDS, dissolved_on__isnull=True
        ).order_by("path")
        if b.pk not in done
    ]
    made = 0
    for first in range(0, len(branches), CHUNK):  # bounded memory at zone scale (2,000 branches)
        chunk = branches[first : first + CHUNK]
        rosters = RosterCache()
        for b in chunk:
            rosters.prepare(b, months[0])
        batches = defaultdict(list)
        for branch in chunk:
            profile = rng.choices(["keeps", "patchy", "behind"], weights=[70, 20, 10])[0]
            drifting = set()  # members who stopped coming some months ago
            start_drift = add_months(this_month, -rng.choice([4, 7]))
            for kind, month in _schedule(rng, months, profile):
                held_on = _day(rng, month, today)
                if branch.founded_on and held_on < branch.founded_on:
                    continue
                roster = rosters.on(branch, held_on)
                if not roster:
                    continue
                if not drifting and rng.random() < 0.15:
                    drifting = {rng.choice(roster).member.pk}
                attendance = {}
                for entry in roster:
                    gone = entry.member.pk in drifting and held_on >= start_drift
                    if gone or rng.random() < 0.12:
                        attendance[entry.member.pk] = rng.choice(ABSENCES)
                    elif entry.member.is_floating:
                        attendance[entry.member.pk] = AttendanceState.FLOATING
                    else:
                        attendance[entry.member.pk] = AttendanceState.PRESENT
                voting = [e for e in roster if e.voting]
                quorate = sum(1 for e in voting if attendance[e.member.pk] == AttendanceState.PRESENT) * 2 > len(voting)
                topic = rng.choice(TOPICS[kind])
                data = {
                    "org": branch,
                    "kind": kind,
                    "title": topic,
                    "held_on": held_on,
                    "place": rng.choice(PLACES),
                    "presenter": "支部书记",
                    "recorder": "组织委员",
                    "topics": topic,
                    "minutes": f"{topic}。与会党员逐一发言，结合岗位实际谈认识、提措施。",
                    "resolutions": "会议一致同意上述事项。" if kind == MeetingKind.GENERAL and quorate else "",
                    "attendance": attendance,
                }
                status = MeetingStatus.SUBMITTED if month >= add_months(this_month, -1) else MeetingStatus.APPROVED
                batches[status].append(data)
        for status, rows in batches.items():
            made += services.meetings_record_bulk(actor=None, meetings=rows, status=status)
    return made
