"""A few transfers in each state and some floating members (issue 3, §9), through the transfer services."""

import random
from datetime import date, timedelta

from django.utils import timezone

from hongyin.common.errors import DomainError
from hongyin.devtools.people import person
from hongyin.members.models import Member
from hongyin.orgs.models import BRANCH_KINDS, Organization
from hongyin.transfers import services
from hongyin.transfers.models import Transfer

PER_STATE = {"demo": 2, "zone": 6, "province": 10}
PLACES = ["深圳市南山区", "上海市浦东新区", "北京市海淀区", "成都市高新区", "杭州市滨江区", "武汉市东湖高新区"]
OUTSIDE = [
    "中共北京中关村某科技有限公司支部委员会",
    "中共上海张江某集成电路有限公司支部委员会",
    "中共深圳某光电股份有限公司委员会",
]


def seed_transfers(zone, scale: str, rng: random.Random) -> None:
    if Transfer.objects.exists():
        return
    n = PER_STATE.get(scale, 2)
    branches = list(
        Organization.objects.filter(kind__in=BRANCH_KINDS, path__startswith=zone.root.path).order_by("path")
    )
    if len(branches) < 2:
        return
    members = iter(
        Member.objects.filter(left_on__isnull=True, user__isnull=True, org__in=branches[: max(20, n * 8)])
        .select_related("org")
        .order_by("id")[: n * 12]
    )
    today = timezone.localdate()
    old = timezone.now() - timedelta(days=45)

    def target_for(member):
        return next(b for b in reversed(branches) if b.pk != member.org_id)

    try:
        for i in range(n):
            m = next(members)
            t = services.transfer_request(actor=None, member=m, target=target_for(m), reason="工作调动")
            if i == 0:
                Transfer.objects.filter(pk=t.pk).update(created_at=old)  # an overdue one
            m = next(members)
            t = services.transfer_approve(
                actor=None,
                transfer=services.transfer_request(actor=None, member=m, target=target_for(m), reason="单位变更"),
            )
            m = next(members)
            t = services.transfer_approve(
                actor=None,
                transfer=services.transfer_request(actor=None, member=m, target=target_for(m), reason="工作调动"),
            )
            services.transfer_return(actor=None, transfer=t, reason="接收党组织名称有误，请核对后重新提交")
            m = next(members)
            t = services.transfer_approve(
                actor=None,
                transfer=services.transfer_request(actor=None, member=m, target=target_for(m), reason="工作调动"),
            )
            services.transfer_accept(actor=None, transfer=t)
            m = next(members)
            services.transfer_out_issue(actor=None, member=m, external_org=OUTSIDE[i % len(OUTSIDE)], reason="工作调动")
            m = next(members)
            t = services.transfer_out_issue(actor=None, member=m, external_org=OUTSIDE[(i + 1) % 3], reason="随迁")
            services.transfer_out_slip_returned(actor=None, transfer=t, returned_on=today)
            p = person(rng, born_to=date(1994, 12, 31))
            p["joined_on"] = date(p["birth_date"].year + 23, 7, 1)
            services.transfer_in_receive(
                actor=None,
                target=branches[i % len(branches)],
                external_org=OUTSIDE[(i + 2) % 3],
                incoming_letter_number=f"组转字〔{today.year}〕第{100 + i}号",
                **p,
            )
            m = next(members)
            services.floating_set(actor=None, member=m, is_floating=True, place=PLACES[i % len(PLACES)])
    except (StopIteration, DomainError):
        return
