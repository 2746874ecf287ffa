"""Study for the demo zone (issue 12, items 4 and 10): 30 materials on the themes of the source articles, courses,
assignments from the zone and the committees, a year of reading progress for most members (their study hours),
discussion threads in the branches with posts and replies, and the points of it all through `award_many`.

Materials, courses, assignments and threads go through the services; the progress and the posts, many rows,
through the bulk services (`progress_record_bulk`, `posts_record_bulk`), which check and audit once per batch.
Idempotent: nothing is added when the zone already has its materials."""

import random
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from hongyin.members.models import Member
from hongyin.orgs.models import BRANCH_KINDS, Organization
from hongyin.points.services import award_many

from . import services
from .models import Material, MaterialKind, Post, ThreadKind

# (theme, title, summary) drawn from the source articles: the Red Reception Hall, "党建链" linking the industry
# chain and the innovation chain, building committees, five-star party organizations, science and technology.
MATERIALS = [
    (
        "党的创新理论",
        "深入学习贯彻习近平新时代中国特色社会主义思想",
        "原原本本学、联系实际学，做到学思用贯通、知信行统一。",
    ),
    (
        "党的创新理论",
        "学习党的二十大报告：以中国式现代化全面推进中华民族伟大复兴",
        "把握中国式现代化的中国特色和本质要求。",
    ),
    ("党的创新理论", "学习二十届三中全会精神：进一步全面深化改革", "围绕推进中国式现代化，进一步全面深化改革。"),
    ("党章党规", "《中国共产党章程》逐条学", "党章是党的根本大法，是全党必须遵循的总章程。"),
    ("党章党规", "《中国共产党支部工作条例（试行）》解读", "支部的职责、组织设置、组织生活和工作机制。"),
    ("党章党规", "《中国共产党纪律处分条例》学习辅导", "以案释纪，明确纪律红线和行为底线。"),
    ("党章党规", "党员的权利和义务", "党员的八项义务与八项权利。"),
    ("党建引领", "以“党建链”串联“产业链”、激活“创新链”", "西安高新区把组织优势转化为发展优势的实践。"),
    ("党建引领", "光子产业链党委成立：链上企业党建联建共建", "产业链党委统筹链上企业党组织共商共建。"),
    ("党建引领", "楼宇党委：让党建在商务楼宇“立起来”“强起来”", "第一楼宇委员会的组建与楼宇党群服务阵地建设。"),
    ("党建引领", "“五星级党组织”创建标准与经验", "非公经济组织党组织争创五星的做法。"),
    ("党建引领", "创新“党建+”模式赋能楼宇经济高质量发展", "获评市组织工作改革创新优秀成果的项目解读。"),
    (
        "红色教育",
        "红色会客厅：在双创高地高高飘扬的红色旗帜",
        "创业园红色会客厅的建设与可视、可听、可感、可触的红色体验。",
    ),
    ("红色教育", "弘扬伟大建党精神", "坚持真理、坚守理想，践行初心、担当使命。"),
    ("红色教育", "延安精神与新时代奋斗者", "自力更生、艰苦奋斗的精神在科技创业中的传承。"),
    ("红色教育", "西迁精神：胸怀大局、无私奉献、弘扬传统、艰苦创业", "交大西迁的历史与科技报国的当代意义。"),
    ("科技自立自强", "为科技自立自强注入红色动能", "坚持以党建为统领，紧扣经济社会发展需要。"),
    ("科技自立自强", "全国首个硬科技创新示范区建设", "硬科技的内涵与示范区的使命任务。"),
    ("科技自立自强", "培育和发展新质生产力", "以科技创新引领产业创新。"),
    ("科技自立自强", "秦创原创新驱动平台建设与党员先锋作用", "科技成果转化中的党员突击队。"),
    ("服务企业", "党建引领企业服务：诉求直通与“两个覆盖”", "网格化服务非公企业和社会组织。"),
    ("服务企业", "优化营商环境：党员干部怎么做", "用心用情为企业解难题、办实事。"),
    ("作风建设", "深入贯彻中央八项规定精神", "锲而不舍落实中央八项规定精神，持续纠治“四风”。"),
    ("作风建设", "力戒形式主义、官僚主义", "为基层减负，让党员把精力用在干事创业上。"),
    ("组织生活", "如何开好“三会一课”", "支部党员大会、支委会、党小组会和党课的规范与要求。"),
    ("组织生活", "主题党日活动的组织与创新", "结合企业实际开展主题党日。"),
    ("组织生活", "开好组织生活会：批评与自我批评", "会前谈心谈话、会上对照检查、会后整改落实。"),
    ("组织生活", "党员发展工作规范流程", "入党申请到转正的五个阶段二十五个步骤。"),
    ("廉洁教育", "以案为鉴：科技领域廉洁风险防控", "典型案例剖析与风险点排查。"),
    ("廉洁教育", "家风建设：廉洁从家庭做起", "以良好家风涵养清风正气。"),
]
VIDEO_AT = {2, 13, 17}  # intranet videos
PDF_AT = {4, 27}  # PDF documents
COURSES = [
    ("党章党规必修课", [3, 4, 5, 6], "系统学习党章和党内法规。"),
    ("党的创新理论专题", [0, 1, 2, 18], "年度理论学习重点。"),
    ("党建引领高质量发展", [7, 8, 9, 10, 11], "高新区党建引领产业发展的实践。"),
    ("红色教育课程", [12, 13, 14, 15], "传承红色基因。"),
    ("支部书记履职能力", [24, 25, 26, 27], "组织生活的规范与创新。"),
]
POSTS = [
    "通过学习，我对党建引领产业发展有了更深的认识，要在岗位上当好先锋。",
    "结合我们企业的研发工作，党员要带头攻关，把学习成果转化为实际成效。",
    "建议支部下次组织大家到红色会客厅现场学习。",
    "学习党章，重在对照检查，找差距、明方向。",
    "这份资料讲得很透彻，特别是关于产业链党建的部分。",
    "作为年轻党员，要在科技创新一线践行初心使命。",
    "我们部门准备成立党员突击队，攻克项目难点。",
    "学习后写了心得体会，已经在党小组会上交流。",
    "要把学习和解决企业实际问题结合起来。",
    "感谢支部组织，这样的交流研讨很有收获。",
]
REPLIES = ["同意，很有启发。", "说得好，我们一起努力。", "赞同这个建议。", "学习了！", "下次党小组会再交流。"]
THREAD_TITLES = [
    (ThreadKind.COLLECTIVE, "集体学习：{t}"),
    (ThreadKind.SELF, "自学体会：{t}"),
    (ThreadKind.DISCUSSION, "交流研讨：{t}"),
]
PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _moment(rng: random.Random, start: datetime, end: datetime) -> datetime:
    span = max(1, int((end - start).total_seconds()))
    return start + timedelta(seconds=rng.randrange(span))


def _materials(zone) -> list[Material]:
    made = []
    for i, (theme, title, summary) in enumerate(MATERIALS):
        kind = MaterialKind.VIDEO if i in VIDEO_AT else MaterialKind.PDF if i in PDF_AT else MaterialKind.TEXT
        body = "\n\n".join(
            [
                f"一、{title}的重大意义。{summary}",
                "二、主要内容。结合高新区党建工作实际，从理论和实践两个方面加以阐述。",
                "三、学习要求。各党支部要组织党员认真学习，结合岗位实际谈体会、找差距、定措施。",
            ]
        )
        made.append(
            services.material_create(
                actor=None,
                org=zone.root,
                title=title,
                kind=kind,
                theme=theme,
                summary=summary,
                body=body,
                video_url=f"http://video.intranet/study/{i + 1:03d}.mp4" if kind == MaterialKind.VIDEO else "",
                upload=SimpleUploadedFile(f"study-{i + 1}.pdf", PDF_BYTES, "application/pdf")
                if kind == MaterialKind.PDF
                else None,
                min_minutes=10 + (i % 3) * 5,
                class_hours=["1", "1.5", "2"][i % 3],
            )
        )
    return made


def seed_study(zone, scale: str, rng: random.Random) -> int:
    if Material.objects.filter(org=zone.root).exists():
        return 0
    now = timezone.now()
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    year_start = datetime(today.year, 1, 1, tzinfo=tz)
    last_year = datetime(today.year - 1, 3, 1, tzinfo=tz)
    materials = _materials(zone)
    courses = [
        services.course_create(actor=None, org=zone.root, title=t, materials=[materials[i] for i in idx], description=d)
        for t, idx, d in COURSES
    ]
    services.required_hours_set(actor=None, year=today.year, hours="32")
    # the zone assigns the theory course to everyone; each building or chain committee one course to its subtree
    services.assignment_create(
        actor=None, org=zone.root, course=courses[1], target_org=zone.root, due_on=today + timedelta(days=45)
    )
    services.assignment_create(
        actor=None, org=zone.root, course=courses[0], target_org=zone.root, due_on=today + timedelta(days=10)
    )
    for i, committee in enumerate([*zone.buildings, zone.chain]):
        services.assignment_create(
            actor=None,
            org=committee,
            course=courses[2 + i % 3],
            target_org=committee,
            due_on=today + timedelta(days=5 + 7 * (i % 4)),
            note="请各支部组织党员按期完成。",
        )

    members = list(
        Member.objects.filter(left_on__isnull=True, org__path__startswith=zone.root.path).values_list("pk", "org_id")
    )
    # progress: most members study through the year; a few never opened anything, some left one half-read
    rows = []
    for member_id, _org in members:
        profile = rng.random()
        if profile < 0.12:
            continue
        count = rng.randint(3, 8) if profile < 0.4 else rng.randint(8, 20) if profile < 0.9 else rng.randint(20, 30)
        if scale != "demo":  # the zone and province data sets: fewer rows per member, the same shape
            count = max(1, count // 3)
        for material in rng.sample(materials, count):
            started = _moment(rng, last_year if rng.random() < 0.15 else year_start, now - timedelta(hours=2))
            finished = rng.random() < 0.88
            seconds = (
                material.min_seconds + rng.randint(0, 900) if finished else rng.randint(30, material.min_seconds - 1)
            )
            rows.append(
                {
                    "member_id": member_id,
                    "material": material,
                    "seconds": seconds,
                    "started_at": started,
                    "finished_at": started + timedelta(seconds=seconds) if finished else None,
                }
            )
    progress = services.progress_record_bulk(actor=None, rows=rows)
    award_many(
        {
            "member": p.member_id,
            "action": "study_finish",
            "source": ("learning.progress", p.pk),
            "occurred_at": p.finished_at,
            "dwell_seconds": p.seconds,
        }
        for p in progress
        if p.finished_at is not None
    )

    # discussions: a few threads per branch (most branches), posts and replies by its members
    by_branch: dict[int, list[int]] = {}
    for member_id, org_id in members:
        by_branch.setdefault(org_id, []).append(member_id)
    branches = list(
        Organization.objects.filter(
            path__startswith=zone.root.path, kind__in=BRANCH_KINDS, dissolved_on__isnull=True, pk__in=list(by_branch)
        ).order_by("path")
    )
    limit = 80 if scale == "demo" else 400
    names = dict(Member.objects.filter(pk__in=[m for m, _o in members]).values_list("pk", "name"))
    posts = []
    for branch in branches[:limit]:
        if rng.random() < 0.15:
            continue  # a quiet branch: no discussion yet
        people = by_branch[branch.pk]
        for _n in range(rng.randint(1, 3)):
            kind, pattern = rng.choice(THREAD_TITLES)
            material = rng.choice(materials)
            thread = services.thread_create(
                actor=None, branch=branch, kind=kind, title=pattern.format(t=material.title)[:120], material=material
            )
            for _p in range(rng.randint(1, min(8, 2 + len(people)))):
                at = _moment(rng, year_start, now - timedelta(hours=1))
                posts.append(
                    {
                        "thread": thread,
                        "member_id": (who := rng.choice(people)),
                        "author_name": names[who],
                        "body": rng.choice(POSTS),
                        "created_at": at,
                        "replies": [
                            {
                                "member_id": (r := rng.choice(people)),
                                "author_name": names[r],
                                "body": rng.choice(REPLIES),
                                "created_at": at + timedelta(minutes=rng.randint(5, 3000)),
                            }
                            for _r in range(rng.choice([0, 0, 1, 1, 2, 3]))
                        ],
                    }
                )
    made = services.posts_record_bulk(actor=None, rows=posts)
    award_many(
        {
            "member": p.member_id,
            "action": "feedback_post",
            "source": ("learning.post", p.pk),
            "occurred_at": p.created_at,
        }
        for p in sorted(made, key=lambda p: p.created_at)
    )
    # one post hidden by the branch for being off topic (the moderation, audited)
    first = Post.objects.filter(parent__isnull=True).order_by("id").first()
    if first is not None:
        services.post_hide(actor=None, post=first, reason="与学习主题无关")
    return len(progress) + len(made) + len(materials)
