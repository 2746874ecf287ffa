from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hongyin.accounts.models import User
from hongyin.audit.models import AuditEvent
from hongyin.enterprises import services
from hongyin.enterprises.models import (
    Building,
    ChainMembership,
    Enterprise,
    Floor,
    Incubation,
    IncubationBase,
    IndustryChain,
    InnovationPlatform,
    Lease,
    Unit,
)
from hongyin.enterprises.permissions import enterprises_visible_to

pytestmark = pytest.mark.django_db


def test_floor_outside_building_via_page_shows_message(as_user):
    b = Building.objects.get(name="万象汇")
    n = Floor.objects.filter(building=b).count()
    r = as_user("zone_admin").post(reverse("enterprises:building_floor_add", args=[b.pk]), {"number": 40}, follow=True)
    assert "不在" in r.content.decode()
    assert Floor.objects.filter(building=b).count() == n


def test_unit_and_lease_via_page(as_user):
    c = as_user("zone_admin")
    b = Building.objects.get(name="万象汇")
    floor = Floor.objects.filter(building=b).order_by("number").last()
    c.post(reverse("enterprises:building_unit_add", args=[b.pk]), {"floor": floor.pk, "number": "X9", "area": "88.5"})
    unit = Unit.objects.get(floor=floor, number="X9")
    e1, e2 = Enterprise.objects.order_by("id")[20:22]
    url = reverse("enterprises:building_lease_add", args=[b.pk])
    c.post(url, {"unit": unit.pk, "uscc": e1.uscc, "start_on": "2025-01-01", "end_on": "2025-12-31"})
    r = c.post(url, {"unit": unit.pk, "uscc": e2.uscc, "start_on": "2025-03-01"}, follow=True)
    assert "重叠" in r.content.decode()
    assert Lease.objects.filter(unit=unit).count() == 1


def test_building_admin_cannot_manage_another_building(as_user):
    other = Building.objects.get(name="绿地中心")
    r = as_user("building_admin").post(reverse("enterprises:building_floor_add", args=[other.pk]), {"number": 5})
    assert r.status_code == 404


def test_chain_admin_adds_lead_enterprise(as_user):
    chain = IndustryChain.objects.get(name="光子产业链")
    node = chain.nodes.filter(name="光刻光源").first()
    # an enterprise the chain committee already sees (one outside its scope becomes a link request)
    e = enterprises_visible_to(User.objects.get(username="chain_admin")).exclude(chain_memberships__node=node)
    e = e.order_by("id").first()
    c = as_user("chain_admin")
    c.post(
        reverse("enterprises:chain_enterprise_add", args=[chain.pk]), {"node": node.pk, "uscc": e.uscc, "is_lead": "on"}
    )
    assert ChainMembership.objects.get(node=node, enterprise=e).is_lead
    assert (
        as_user("building_admin")
        .post(reverse("enterprises:chain_node_add", args=[chain.pk]), {"name": "x", "segment": "upstream"})
        .status_code
        == 404
    )


def test_list_filters_by_building_and_node(as_user):
    c = as_user("zone_admin")
    b = Building.objects.get(name="第一楼宇")
    r = c.get(reverse("enterprises:list"), {"building": b.pk})
    assert r.context["page"].paginator.count == Enterprise.objects.filter(building=b).count()
    node = IndustryChain.objects.get(name="光子产业链").nodes.filter(depth=1).first()
    r = c.get(reverse("enterprises:list"), {"node": node.pk})
    expected = Enterprise.objects.filter(chain_memberships__node__path__startswith=node.path).distinct().count()
    assert r.context["page"].paginator.count == expected > 0


# --- incubation graduation on the enterprise page ------------------------------------------------------------------


def _open_stay(*, manager: str = "", outside_of: str = "") -> Incubation:
    qs = Incubation.objects.filter(graduated_on__isnull=True).select_related("base").order_by("id")
    if manager:
        qs = qs.filter(enterprise__in=enterprises_visible_to(User.objects.get(username=manager), "enterprises.manage"))
    if outside_of:
        user = User.objects.get(username=outside_of)
        qs = qs.exclude(enterprise__in=enterprises_visible_to(user, "enterprises.manage"))
    return qs.first()


def _graduate_url(stay: Incubation, enterprise_id: int | None = None) -> str:
    return reverse("enterprises:incubation_graduate", args=[enterprise_id or stay.enterprise_id, stay.pk])


def test_enterprise_page_shows_graduate_form_for_open_stays_to_managers_only(as_user):
    stay = _open_stay(manager="zone_admin")
    page = reverse("enterprises:detail", args=[stay.enterprise_id])
    body = as_user("zone_admin").get(page).content.decode()
    assert _graduate_url(stay) in body and "登记毕业" in body
    Incubation.objects.filter(pk=stay.pk).update(graduated_on=stay.entered_on)
    assert _graduate_url(stay) not in as_user("zone_admin").get(page).content.decode()
    # a grid officer sees the enterprises of its cells, the stays too, but no form
    officer = User.objects.get(username="grid_officer")
    e = enterprises_visible_to(officer).order_by("id").first()
    own = Incubation.objects.create(enterprise=e, base=IncubationBase.objects.first(), entered_on=date(2023, 3, 1))
    body = as_user("grid_officer").get(reverse("enterprises:detail", args=[e.pk])).content.decode()
    assert own.base.name in body and _graduate_url(own) not in body and "登记毕业" not in body


def test_graduate_via_page(as_user):
    stay = _open_stay(manager="chain_admin")
    day = stay.entered_on + timedelta(days=365)
    r = as_user("chain_admin").post(_graduate_url(stay), {"graduated_on": day.isoformat()}, follow=True)
    assert r.redirect_chain[-1][0] == reverse("enterprises:detail", args=[stay.enterprise_id])
    assert "毕业日期已登记" in r.content.decode()
    stay.refresh_from_db()
    assert stay.graduated_on == day
    assert AuditEvent.objects.filter(action="incubation.graduate", object_id=str(stay.enterprise_id)).exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "请填写毕业日期"),
        ("2024-13-45", "毕业日期不是有效日期"),
        ("not a date", "毕业日期不是有效日期"),
        ("1990-01-01", "毕业日期不能早于入驻日期"),
        ((date.today() + timedelta(days=2)).isoformat(), "毕业日期不能晚于今天"),
    ],
)
def test_graduate_bad_date_shows_message_and_writes_nothing(as_user, value, message):
    stay = _open_stay(manager="zone_admin")
    r = as_user("zone_admin").post(_graduate_url(stay), {"graduated_on": value}, follow=True)
    assert r.status_code == 200
    assert message in r.content.decode()
    stay.refresh_from_db()
    assert stay.graduated_on is None
    assert not AuditEvent.objects.filter(action="incubation.graduate").exists()


def test_graduate_outside_scope_or_without_right_refused(as_user):
    stay = _open_stay(outside_of="building_admin")
    day = (stay.entered_on + timedelta(days=10)).isoformat()
    assert as_user("building_admin").post(_graduate_url(stay), {"graduated_on": day}).status_code == 404
    assert as_user("grid_officer").post(_graduate_url(stay), {"graduated_on": day}).status_code == 403
    # a stay is looked up among the stays of the enterprise in the URL only
    other = Incubation.objects.exclude(enterprise_id=stay.enterprise_id).order_by("id").first()
    assert (
        as_user("zone_admin").post(_graduate_url(stay, other.enterprise_id), {"graduated_on": day}).status_code == 404
    )
    assert as_user("zone_admin").get(_graduate_url(stay)).status_code == 405
    stay.refresh_from_db()
    assert stay.graduated_on is None


# --- innovation platforms on the chain page ------------------------------------------------------------------------


@pytest.fixture
def chain():
    return IndustryChain.objects.get(name="光子产业链")


def _platform(chain) -> InnovationPlatform:
    return chain.platforms.order_by("id").first()


def test_chain_page_shows_platform_forms_to_chain_managers_only(as_user, chain):
    p = _platform(chain)
    page = reverse("enterprises:chain_detail", args=[chain.pk])
    body = as_user("chain_admin").get(page).content.decode()
    assert reverse("enterprises:chain_platform_add", args=[chain.pk]) in body
    assert reverse("enterprises:chain_platform_edit", args=[chain.pk, p.pk]) in body
    assert reverse("enterprises:chain_platform_delete", args=[chain.pk, p.pk]) in body
    body = as_user("building_admin").get(page).content.decode()
    assert p.name in body
    assert "platforms/" not in body and 'data-testid="platforms-manage"' not in body


def test_add_platform_via_page(as_user, chain):
    node = chain.nodes.order_by("path").last()
    host = enterprises_visible_to(User.objects.get(username="chain_admin")).order_by("id")[5]
    r = as_user("chain_admin").post(
        reverse("enterprises:chain_platform_add", args=[chain.pk]),
        {"name": "光子中试基地", "kind": "institute", "node": node.pk, "uscc": host.uscc.lower()},
        follow=True,
    )
    assert "创新平台已添加" in r.content.decode()
    p = InnovationPlatform.objects.get(name="光子中试基地")
    assert (p.chain_id, p.kind, p.node_id, p.enterprise_id) == (chain.pk, "institute", node.pk, host.pk)
    as_user("chain_admin").post(
        reverse("enterprises:chain_platform_add", args=[chain.pk]), {"name": "无依托平台", "kind": "platform"}
    )
    p = InnovationPlatform.objects.get(name="无依托平台")
    assert p.node_id is None and p.enterprise_id is None


def test_edit_platform_via_page(as_user, chain):
    p = _platform(chain)
    host = Enterprise.objects.order_by("id")[60]
    r = as_user("chain_admin").post(
        reverse("enterprises:chain_platform_edit", args=[chain.pk, p.pk]),
        {"name": "改名后的平台", "kind": "institute", "node": "", "uscc": host.uscc},
        follow=True,
    )
    assert "创新平台已保存" in r.content.decode()
    p.refresh_from_db()
    assert (p.name, p.kind, p.node_id, p.enterprise_id) == ("改名后的平台", "institute", None, host.pk)
    event = AuditEvent.objects.get(action="chain.platform_update", object_id=str(p.pk))
    assert event.details["name"][1] == "改名后的平台" and event.details["node"][1] == ""


def test_delete_platform_via_page_is_post_only(as_user, chain):
    p = _platform(chain)
    url = reverse("enterprises:chain_platform_delete", args=[chain.pk, p.pk])
    c = as_user("chain_admin")
    assert c.get(url).status_code == 405
    assert InnovationPlatform.objects.filter(pk=p.pk).exists()
    r = c.post(url, follow=True)
    assert f"已删除“{p.name}”" in r.content.decode()
    assert not InnovationPlatform.objects.filter(pk=p.pk).exists()
    assert AuditEvent.objects.filter(action="chain.platform_delete", object_id=str(p.pk)).exists()
    assert c.post(url).status_code == 404


def test_delete_platform_checks_csrf(chain):
    from django.test import Client

    from hongyin.devtools.sessions import login_as

    p = _platform(chain)
    c = login_as(Client(enforce_csrf_checks=True), "chain_admin")
    assert c.post(reverse("enterprises:chain_platform_delete", args=[chain.pk, p.pk])).status_code == 403
    assert InnovationPlatform.objects.filter(pk=p.pk).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": " ", "kind": "platform"}, "请填写平台名称"),
        ({"name": "新名称", "kind": "lab"}, "类型须为创新平台或新型研发机构"),
        ({"name": "新名称", "kind": "platform", "node": "abc"}, "请选择有效的环节"),
        ({"name": "新名称", "kind": "platform", "node": "999999999"}, "请选择本产业链的环节"),
        ({"name": "新名称", "kind": "platform", "uscc": "91610131XXXXXXXXX1"}, "找不到信用代码为"),
        ({"name": "新名称", "kind": "platform", "node": "foreign"}, "环节不属于该产业链"),
    ],
)
def test_platform_bad_input_shows_message_and_writes_nothing(as_user, chain, data, message):
    if data.get("node") == "foreign":
        other = services.chain_create(actor=None, name="测试产业链")
        data = {**data, "node": services.chain_node_create(actor=None, chain=other, name="外链", segment="upstream").pk}
    p = _platform(chain)
    before = (p.name, p.kind, p.node_id, p.enterprise_id)
    count = InnovationPlatform.objects.count()
    c = as_user("chain_admin")
    for url in (
        reverse("enterprises:chain_platform_add", args=[chain.pk]),
        reverse("enterprises:chain_platform_edit", args=[chain.pk, p.pk]),
    ):
        r = c.post(url, data, follow=True)
        assert r.status_code == 200 and message in r.content.decode()
    p.refresh_from_db()
    assert (p.name, p.kind, p.node_id, p.enterprise_id) == before
    assert InnovationPlatform.objects.count() == count
    assert not AuditEvent.objects.filter(action__startswith="chain.platform_").exists()


def test_platform_writes_outside_scope_or_without_right_refused(as_user, chain):
    p = _platform(chain)
    urls = [
        reverse("enterprises:chain_platform_add", args=[chain.pk]),
        reverse("enterprises:chain_platform_edit", args=[chain.pk, p.pk]),
        reverse("enterprises:chain_platform_delete", args=[chain.pk, p.pk]),
    ]
    data = {"name": "越权平台", "kind": "platform"}
    for url in urls:
        assert as_user("building_admin").post(url, data).status_code == 404  # committee admin of another committee
        assert as_user("grid_officer").post(url, data).status_code == 403  # may view chains, not manage them
    # a platform is looked up among the platforms of the chain in the URL only
    other = services.chain_create(actor=None, name="测试产业链")
    for name in ("chain_platform_edit", "chain_platform_delete"):
        assert (
            as_user("zone_admin").post(reverse(f"enterprises:{name}", args=[other.pk, p.pk]), data).status_code == 404
        )
    assert InnovationPlatform.objects.get(pk=p.pk).name == p.name
    assert not InnovationPlatform.objects.filter(name="越权平台").exists()


def test_chain_page_queries_do_not_grow_with_platforms(as_user, chain):
    c = as_user("chain_admin")
    url = reverse("enterprises:chain_detail", args=[chain.pk])
    c.get(url)  # warm the session and caches
    with CaptureQueriesContext(connection) as before:
        assert c.get(url).status_code == 200
    nodes = list(chain.nodes.order_by("path")[:5])
    for i, node in enumerate(nodes):
        services.platform_create(
            actor=None,
            chain=chain,
            name=f"查询计数平台{i}",
            kind="platform",
            node=node,
            enterprise=Enterprise.objects.order_by("id")[70 + i],
        )
    with CaptureQueriesContext(connection) as after:
        body = c.get(url).content.decode()
    assert "查询计数平台4" in body
    assert len(after) == len(before)


def test_platform_edit_form_loads_on_demand_for_managers_only(as_user, chain):
    p = _platform(chain)
    url = reverse("enterprises:chain_platform_edit", args=[chain.pk, p.pk])
    page = as_user("chain_admin").get(reverse("enterprises:chain_detail", args=[chain.pk])).content.decode()
    assert f'hx-get="{url}"' in page and f'id="p-n-{p.pk}"' not in page  # not rendered with the page
    c = as_user("chain_admin")
    fragment = c.get(url, headers={"HX-Request": "true"}).content.decode()
    assert f'id="p-n-{p.pk}"' in fragment and f'value="{p.name}"' in fragment and "<html" not in fragment
    last = chain.nodes.order_by("path").last()
    assert f'<option value="{last.pk}"' in fragment
    full = c.get(url).content.decode()  # without htmx: a page of its own with the same form
    assert "<html" in full and f'id="p-n-{p.pk}"' in full
    assert as_user("building_admin").get(url).status_code == 404
    assert as_user("grid_officer").get(url).status_code == 403
    other = services.chain_create(actor=None, name="测试产业链")
    assert c.get(reverse("enterprises:chain_platform_edit", args=[other.pk, p.pk])).status_code == 404
