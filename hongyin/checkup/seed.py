"""The demo's party-spirit check-up: the questionnaire (five dimensions of the 党性体检 used in the zone's Red
Reception Hall) and check-ups for most members, this year and the year before; some reviewed by the branch. The demo
member (陈静) has last year's but not this year's, so the journey can fill it. Bulk inserts: fast at any scale (at
zone scale and above only the first few thousand members get check-ups)."""

import random

from django.db import connection
from django.utils import timezone

from hongyin.accounts.models import User
from hongyin.members.models import Member

from . import services
from .models import Checkup, CheckupStatus, Questionnaire

OUTLINE = [
    (
        "理想信念",
        [
            "坚定共产主义远大理想和中国特色社会主义共同理想",
            "认真学习党的创新理论，做到学思用贯通",
            "在大是大非面前立场坚定、旗帜鲜明",
            "不信仰宗教，不参与封建迷信活动",
        ],
    ),
    (
        "政治纪律",
        [
            "严格遵守党章党规，维护党中央权威",
            "按时参加组织生活，按时足额交纳党费",
            "如实向组织报告个人有关事项",
            "不传播违背党的理论和路线方针政策的言论",
        ],
    ),
    (
        "宗旨意识",
        [
            "主动联系服务群众，为群众办实事",
            "积极参加志愿服务和社区（楼宇）报到",
            "关心企业职工和困难群众",
            "倾听群众意见，及时反映群众诉求",
        ],
    ),
    (
        "作风纪律",
        [
            "落实中央八项规定精神，反对“四风”",
            "廉洁自律，不以权谋私",
            "实事求是，不搞形式主义",
            "勤俭节约，生活作风正派",
        ],
    ),
    (
        "先锋模范",
        [
            "立足岗位建功立业，业绩突出",
            "在急难险重任务中冲锋在前",
            "带头钻研业务、创新创造",
            "在企业和群众中树立良好形象",
        ],
    ),
]
SUMMARIES = [
    "理论学习还不够系统，今后坚持每周自学。",
    "联系群众不够主动，今后多参加楼宇志愿服务。",
    "岗位工作中创新意识有待加强。",
    "",
]
COMMENTS = ["自评客观，体检情况良好。", "先锋模范作用发挥明显，望继续保持。", "理论学习需加强，请按计划补学。"]
MAX_MEMBERS = {"demo": 10_000, "zone": 3_000, "province": 3_000}


def seed_checkups(zone, scale: str, rng: random.Random) -> int:
    q = Questionnaire.objects.order_by("-version").first()
    if q is None:
        q = services.questionnaire_create(actor=None, title="党员党性体检表", dimensions=OUTLINE, note="示范区统一版本")
    if Checkup.objects.exists():
        return 0
    items = [(d.name, i.pk) for d in q.dimensions.all() for i in d.items.all()]
    year = timezone.localdate().year
    member_user = User.objects.filter(username="member").first()
    members = list(
        Member.objects.filter(left_on__isnull=True, org__path__startswith=zone.root.path)
        .order_by("org__path", "id")
        .only("id", "org_id", "user_id")[: MAX_MEMBERS.get(scale, 3000)]
    )
    reviewer = User.objects.filter(username="branch_secretary").first()
    now = timezone.now()
    checkups, scores = [], []
    for m in members:
        base = rng.choice([3, 4, 4, 4, 5])
        for y in (year - 1, year):
            roll = rng.random()
            if roll < 0.12 and y == year:
                continue  # not done yet this year
            if member_user is not None and m.user_id == member_user.pk and y == year:
                continue  # the journey fills it
            draft = y == year and roll < 0.2
            reviewed = not draft and (y < year or roll > 0.6)
            item_scores = {pk: max(1, min(5, base + rng.choice([-1, 0, 0, 1]))) for _n, pk in items}
            per_dim: dict[str, list[int]] = {}
            for name, pk in items:
                per_dim.setdefault(name, []).append(item_scores[pk])
            dims = {n: round(sum(v) / len(v) / 5 * 100, 1) for n, v in per_dim.items()}
            c = Checkup(
                member_id=m.pk,
                org_id=m.org_id,
                year=y,
                questionnaire=q,
                status=CheckupStatus.DRAFT
                if draft
                else (CheckupStatus.REVIEWED if reviewed else CheckupStatus.SUBMITTED),
                version=1,
                self_summary=rng.choice(SUMMARIES),
                submitted_at=None if draft else now,
                self_scores={} if draft else dims,
                review_scores=dims if reviewed else {},
                review_comment=rng.choice(COMMENTS) if reviewed else "",
                reviewed_by=reviewer if reviewed else None,
                reviewed_at=now if reviewed else None,
            )
            checkups.append(c)
            scores.append((item_scores, reviewed))
    Checkup.objects.bulk_create(checkups, batch_size=2000)
    rows = [
        (c.pk, pk, n, n if reviewed else None)
        for c, (item_scores, reviewed) in zip(checkups, scores, strict=True)
        for pk, n in item_scores.items()
    ]
    with connection.cursor() as cur:  # plain rows: model instances cost more than the insert itself
        for start in range(0, len(rows), 10_000):
            cur.executemany(
                "INSERT INTO checkup_answer (checkup_id, item_id, self_score, review_score) VALUES (%s, %s, %s, %s)",
                rows[start : start + 10_000],
            )
    return len(checkups)
