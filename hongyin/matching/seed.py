"""The photonics chain's supply-demand posts and a year of matches, contacts and deals (issue 13, item 10).

Demo scale: a few hundred posts written through the services (so their matches are the engine's), then a year of
contact requests, answers and deals through the services too, their dates moved back afterwards by one UPDATE per
table. Larger scales: posts, contacts and deals in bulk (100,000 posts and 20,000 deals at zone scale), matches for
a sample of posts. Idempotent: a zone with posts is left as it is."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import F, OuterRef, Subquery
from django.utils import timezone

from hongyin.accounts.models import User
from hongyin.common.errors import DomainError
from hongyin.enterprises.models import ChainMembership, ChainNode, Enterprise, IndustryChain

from . import engine, services
from .models import ContactRequest, ContactStatus, Deal, Match, Post, PostKind, PostStatus, Visibility

COUNTS = {"demo": 320, "zone": 100_000, "province": 300_000}
DEALS = {"demo": 90, "zone": 20_000, "province": 60_000}

# product words per node name, with what a supplier offers and what a buyer asks for
PRODUCTS = {
    "光学晶体与玻璃材料": ["激光晶体", "非线性光学晶体", "特种光学玻璃", "蓝宝石衬底"],
    "光子芯片设计": ["硅光芯片设计服务", "光子集成电路版图", "光芯片仿真设计", "相干光收发芯片"],
    "光子芯片制造与封测": ["光芯片流片", "光电芯片封装测试", "晶圆级光学封装", "光子芯片耦合封装"],
    "半导体激光器": ["高功率半导体激光器", "976nm泵浦源芯片", "半导体激光器巴条", "VCSEL激光芯片"],
    "光纤激光器": ["连续光纤激光器", "脉冲光纤激光器", "光纤合束器", "掺镱光纤"],
    "超快激光器": ["飞秒激光器", "皮秒激光器", "超快激光种子源", "超快激光放大器"],
    "精密光学镜头": ["工业镜头", "红外光学镜头", "非球面透镜", "远心镜头"],
    "光栅与滤光片": ["体布拉格光栅", "窄带滤光片", "衍射光栅", "光学薄膜镀膜"],
    "光通信模块": ["400G光模块", "硅光光模块", "光收发模块", "相干光模块"],
    "光电传感器": ["光电传感器", "光纤传感器", "激光测距传感器", "光电编码器"],
    "红外探测器": ["非制冷红外探测器", "红外热成像机芯", "InGaAs探测器", "红外焦平面阵列"],
    "机器视觉系统": ["机器视觉检测系统", "3D视觉相机", "视觉定位系统", "缺陷检测设备"],
    "激光雷达": ["车载激光雷达", "激光雷达光源", "固态激光雷达", "激光雷达接收模组"],
    "光通信设备": ["光传输设备", "光网络交换设备", "波分复用设备", "光接入设备"],
    "光纤光缆": ["特种光纤", "通信光缆", "保偏光纤", "光纤跳线"],
    "激光切割焊接装备": ["激光切割机", "激光焊接机", "激光清洗设备", "激光熔覆设备"],
    "激光微纳加工装备": ["激光微纳加工设备", "晶圆激光隐切设备", "激光打孔设备", "玻璃激光切割设备"],
    "Micro-LED显示": ["Micro-LED芯片", "Micro-LED巨量转移", "微显示模组", "LED外延片"],
    "光学测试仪器": ["光学测试仪器", "激光功率计", "光束质量分析仪", "光谱测试系统"],
    "光谱分析仪器": ["光谱分析仪", "拉曼光谱仪", "近红外光谱仪", "高光谱相机"],
    "激光医疗设备": ["激光医疗设备", "医用激光光纤", "眼科激光设备", "激光治疗仪"],
}
SUPPLY = ["供应{p}", "{p}现货供应", "提供{p}定制开发", "{p}批量供货"]
DEMAND = ["采购{p}", "寻求{p}供应商", "需要{p}，长期合作", "求购一批{p}"]
COOPERATION = ["{p}联合研发合作", "寻求{p}技术合作伙伴", "{p}产学研合作", "共建{p}中试平台"]
DETAILS = [
    "用于光通信与数据中心项目，要求性能稳定、交付及时。",
    "面向激光加工和半导体制造应用，需提供测试报告。",
    "配套光子芯片与光电器件生产线，优先考虑园区内企业。",
    "应用于激光雷达和智能驾驶感知系统，需通过车规认证。",
    "用于半导体晶圆检测和精密加工，参数可面议。",
    "支持国产化替代，可提供样品试用和技术支持。",
]
OUTSIDE = ["深圳光迅科技有限公司", "武汉锐科光纤激光技术有限公司", "苏州长光华芯光电技术有限公司", "上海某光电研究院"]
REGIONS = ["西安高新区", "西安高新区", "西安高新区", "西安市", "陕西省", "全国"]


def _chain():
    return IndustryChain.objects.filter(nodes__isnull=False).order_by("id").first()


def _plan(rng: random.Random, n: int, leaves, members: dict, today: date) -> list[dict]:
    """The posts to write: kind, node, enterprise (or a firm outside), text, budget, deadline, creation day."""
    rows = []
    for i in range(n):
        node = leaves[i % len(leaves)]
        firms = members.get(node.pk) or []
        kind = rng.choices([PostKind.SUPPLY, PostKind.DEMAND, PostKind.COOPERATION], weights=[45, 40, 15])[0]
        product = rng.choice(PRODUCTS.get(node.name, ["光电器件"]))
        if kind == PostKind.DEMAND and rng.random() < 0.5:
            # a buyer one segment down the chain asks for this node's products
            downstream = [leaf for leaf in leaves if leaf.segment != node.segment]
            node = rng.choice(downstream) if downstream else node
            firms = members.get(node.pk) or firms
        template = {PostKind.SUPPLY: SUPPLY, PostKind.DEMAND: DEMAND, PostKind.COOPERATION: COOPERATION}[kind]
        low = rng.choice([5, 10, 20, 50, 100, 200, 500])
        created = today - timedelta(days=rng.randint(0, 364))
        rows.append(
            {
                "kind": kind,
                "node": node,
                "enterprise": rng.choice(firms) if firms and rng.random() > 0.22 else None,
                "outside_name": rng.choice(OUTSIDE),
                "title": rng.choice(template).format(p=product),
                "product": product,
                "description": rng.choice(DETAILS),
                "quantity": rng.choice(["", "100套", "500片", "1000件", "10台", "按需"]),
                "budget": (low, low * rng.choice([2, 3, 5])) if rng.random() < 0.8 else None,
                "created": created,
                # most run for 60-180 days from their creation: older ones have expired
                "deadline": created + timedelta(days=rng.randint(60, 180)),
                "region": rng.choice(REGIONS),
                "visibility": Visibility.ZONE if rng.random() < 0.3 else Visibility.CHAIN,
                "withdrawn": rng.random() < 0.05,
            }
        )
    return rows


def seed_matching(zone, scale: str, rng: random.Random) -> None:
    chain = _chain()
    if chain is None or Post.objects.exists():
        return
    today = timezone.localdate()
    leaves = [n for n in ChainNode.objects.filter(chain=chain).order_by("path") if n.is_leaf() and n.depth > 1]
    members: dict = {}
    for m in ChainMembership.objects.filter(node__chain=chain).select_related("enterprise").order_by("id"):
        members.setdefault(m.node_id, []).append(m.enterprise)
    contact_user = User.objects.filter(username="enterprise_contact").first()
    own = contact_user.assignments[0].enterprise if contact_user and contact_user.assignments else None
    plan = _plan(rng, COUNTS.get(scale, COUNTS["demo"]), leaves, members, today)
    if own is not None:  # the demo contact's enterprise posts a few of them, the last ones this week
        for k, row in enumerate(plan[:6]):
            row["enterprise"] = own
            if k < 3:
                row["created"] = today - timedelta(days=k)
                row["deadline"], row["withdrawn"] = today + timedelta(days=60 + k), False
    if scale == "demo":
        _demo(plan, rng, today, own)
    else:
        _bulk(plan, rng, today, chain)


def _demo(plan: list[dict], rng: random.Random, today: date, own=None) -> None:
    """Through the services: every post is published (its deadline still ahead), matched by the engine, contacted,
    answered and dealt; then the days are moved back to the plan's year and the real deadlines set."""
    engine.reset()
    with transaction.atomic():
        posts = []
        for row in plan:
            low, high = row["budget"] or (None, None)
            post = services.post_create(
                actor=None,
                kind=row["kind"],
                chain=row["node"].chain,
                node=row["node"],
                enterprise=row["enterprise"],
                outside_name="" if row["enterprise"] else row["outside_name"],
                title=row["title"],
                product=row["product"],
                description=row["description"],
                quantity=row["quantity"],
                budget_min=low,
                budget_max=high,
                deadline=today + timedelta(days=(row["deadline"] - row["created"]).days),
                region=row["region"],
                visibility=row["visibility"],
                match=False,
            )
            posts.append((post, row))
        engine.reset()
        for post, _row in posts:
            services.matches_refresh(post=post)
        for post, row in posts:
            post.created_at = post.updated_at = _at(row["created"])
        Post.objects.bulk_update([p for p, _r in posts], ["created_at", "updated_at"], batch_size=500)
        # a match is found when the later of its two posts is published
        Match.objects.update(created_at=Subquery(Post.objects.filter(pk=OuterRef("post_id")).values("created_at")))
        later = Match.objects.filter(other_post__created_at__gt=F("created_at"))
        later.update(created_at=Subquery(Post.objects.filter(pk=OuterRef("other_post_id")).values("created_at")))
        _contacts_and_deals(posts, rng, today)
        if own is not None:
            _waiting_for(own, posts[:3], today)
        for post, row in posts:
            post.deadline = row["deadline"]
            post.status = PostStatus.WITHDRAWN if row["withdrawn"] else PostStatus.OPEN
        Post.objects.bulk_update([p for p, _r in posts], ["deadline", "status"], batch_size=500)
    engine.reset()


def _at(day: date):
    """10 o'clock of the day, never later than now (the index follows the latest update)."""
    at = timezone.make_aware(timezone.datetime.combine(day, timezone.datetime.min.time().replace(hour=10)))
    return min(at, timezone.now())


def _contacts_and_deals(posts, rng: random.Random, today: date) -> None:
    """Most posts of an enterprise contact one of their three best counterparts; most requests are accepted, and
    most accepted ones end in a deal. Each happens some days after the later post was published."""
    created = {p.pk: row["created"] for p, row in posts}
    budgets = {p.pk: row["budget"] for p, row in posts}
    contacts = []
    for post, _row in posts:
        if post.enterprise_id is None or rng.random() > 0.6:
            continue
        found = list(Match.objects.filter(post=post, other_post__isnull=False).order_by("-score", "id")[:3])
        if not found:
            continue
        other = rng.choice(found).other_post
        contact = _try_contact(post, other)
        if contact is None:
            continue
        day = min(max(created[post.pk], created[other.pk]) + timedelta(days=rng.randint(1, 20)), today)
        contact.created_at = contact.updated_at = _at(day)
        contacts.append((contact, day))
    ContactRequest.objects.bulk_update([c for c, _d in contacts], ["created_at", "updated_at"], batch_size=500)
    made = 0
    for contact, day in contacts:
        roll = rng.random()
        if roll < 0.12 and day > today - timedelta(days=30):
            continue  # recent ones still wait for the answer
        accept = roll < 0.82
        contact = services.contact_answer(
            actor=None, contact=contact, accept=accept, reply="" if accept else "暂无需求"
        )
        if not accept or made >= DEALS["demo"] or rng.random() < 0.2:
            continue
        signed = min(day + timedelta(days=rng.randint(5, 40)), today)
        low, high = budgets.get(contact.post_id) or (20, 80)
        amount = Decimal(rng.randint(int(low), int(high))) + Decimal(rng.randint(0, 99)) / 100
        services.deal_record(actor=None, contact=contact, amount=amount, signed_on=signed)
        made += 1


def _waiting_for(own, posts, today: date) -> None:
    """Two firms matched with the demo contact's newest posts ask for contact: requests waiting for its answer."""
    asked = 0
    for post, _row in posts:
        for m in Match.objects.filter(post=post, other_post__enterprise__isnull=False).select_related("other_post"):
            other = m.other_post
            if asked >= 2 or other.enterprise_id == own.pk or not other.open:
                continue
            if _try_contact(other, post) is not None:
                asked += 1


def _try_contact(post, other):
    """The contact request, or None when the rules refuse it (a plan row is then skipped)."""
    try:
        return services.contact_request(actor=None, post=post, other_post=other, message="您好，希望进一步沟通。")
    except DomainError:
        return None


def _bulk(plan: list[dict], rng: random.Random, today: date, chain) -> None:
    """Zone and province scale: rows in bulk (tokens from a small cache of the few distinct texts)."""
    cache: dict = {}
    rows = []
    for row in plan:
        key = (row["title"], row["product"], row["description"])
        if key not in cache:
            cache[key] = " ".join(engine.tokenize(*key))
        low, high = row["budget"] or (None, None)
        rows.append(
            Post(
                kind=row["kind"],
                chain_id=chain.pk,
                node=row["node"],
                enterprise=row["enterprise"],
                outside_name="" if row["enterprise"] else row["outside_name"],
                title=row["title"],
                product=row["product"],
                description=row["description"],
                quantity=row["quantity"],
                budget_min=low,
                budget_max=high,
                deadline=row["deadline"],
                region=row["region"],
                visibility=row["visibility"],
                status=PostStatus.WITHDRAWN if row["withdrawn"] else PostStatus.OPEN,
                tokens=cache[key],
                created_at=_at(row["created"]),
                updated_at=_at(row["created"]),
            )
        )
    with transaction.atomic():
        Post.objects.bulk_create(rows, batch_size=5000)
        # auto_now_add wrote now: put back each post's day
        posts = list(Post.objects.filter(chain=chain).order_by("id").values_list("id", "enterprise_id", "kind"))
        created = [r["created"] for r in plan]
        _bulk_days(posts, created)
        with_firm = [(pk, e, k) for pk, e, k in posts if e]
        demands = [p for p in with_firm if p[2] == PostKind.DEMAND]
        supplies = [p for p in with_firm if p[2] == PostKind.SUPPLY]
        enterprises = Enterprise.objects.in_bulk({e for _pk, e, _k in with_firm})
        contacts, deals = [], []
        n = DEALS.get("zone") if len(plan) <= 100_000 else DEALS["province"]
        for i in range(int(n * 1.4)):
            a, b = rng.choice(demands), rng.choice(supplies)
            if a[1] == b[1]:
                continue
            day = today - timedelta(days=rng.randint(5, 364))
            status = ContactStatus.ACCEPTED if i < n else rng.choice([ContactStatus.PENDING, ContactStatus.DECLINED])
            contacts.append(
                ContactRequest(
                    post_id=a[0],
                    other_post_id=b[0],
                    from_enterprise_id=a[1],
                    to_enterprise_id=b[1],
                    chain_id=chain.pk,
                    status=status,
                    created_at=_at(day),
                    updated_at=_at(day),
                )
            )
        ContactRequest.objects.bulk_create(contacts, batch_size=5000)
        accepted = ContactRequest.objects.filter(chain=chain, status=ContactStatus.ACCEPTED).values_list(
            "id", "from_enterprise_id", "to_enterprise_id"
        )
        for cid, a, b in accepted[:n]:
            signed = today - timedelta(days=rng.randint(0, 360))
            ea, eb = enterprises.get(a), enterprises.get(b)
            deals.append(
                Deal(
                    contact_id=cid,
                    chain_id=chain.pk,
                    amount=Decimal(rng.randint(5, 2000)),
                    signed_on=signed,
                    month=signed.replace(day=1),
                    is_local=services.in_zone(ea) and services.in_zone(eb),
                    enterprise_a_id=a,
                    enterprise_b_id=b,
                )
            )
        Deal.objects.bulk_create(deals, batch_size=5000)
    # matches for a sample of the open posts (the rest are found when their page asks)
    engine.reset()
    sample = Post.objects.filter(status=PostStatus.OPEN, deadline__gte=today).order_by("-id")[:300]
    for post in sample:
        services.matches_refresh(post=post)


def _bulk_days(posts, created) -> None:
    rows = [
        Post(pk=pk, created_at=_at(day), updated_at=_at(day)) for (pk, _e, _k), day in zip(posts, created, strict=False)
    ]
    Post.objects.bulk_update(rows, ["created_at", "updated_at"], batch_size=2000)
