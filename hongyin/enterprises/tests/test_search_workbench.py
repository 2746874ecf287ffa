import random

import pytest
from django.urls import reverse

from hongyin.common.search import global_search
from hongyin.common.workbench import panels_for
from hongyin.enterprises.models import Building, ChainNode, Enterprise
from hongyin.enterprises.search import search_enterprises

pytestmark = pytest.mark.django_db


def _user(name):
    from hongyin.accounts.models import User

    return User.objects.get(username=name)


def test_search_by_tag_node_building_uscc_and_initials():
    admin = _user("zone_admin")
    tagged = Enterprise.objects.filter(tags__name="独角兽企业").first()
    assert tagged.name in {r["label"] for r in search_enterprises(admin, "独角兽企业")}
    node = ChainNode.objects.filter(memberships__isnull=False).first()
    on_node = Enterprise.objects.filter(chain_memberships__node=node).order_by("name").first()
    assert (
        on_node.name in {r["label"] for r in search_enterprises(admin, node.name)}
        or len(search_enterprises(admin, node.name)) == 10
    )
    b = Building.objects.get(name="迈科中心")
    assert all(r["label"] for r in search_enterprises(admin, "迈科中心"))
    assert search_enterprises(admin, "迈科中心")
    e = Enterprise.objects.filter(building=b).first()
    assert [r["label"] for r in search_enterprises(admin, e.uscc)] == [e.name]
    assert e.name in {r["label"] for r in search_enterprises(admin, e.name_initials)}


def test_search_is_scoped():
    contact = _user("enterprise_contact")
    own = Enterprise.objects.order_by("id")[1]
    other = Enterprise.objects.order_by("id")[2]
    assert search_enterprises(contact, other.uscc) == []
    assert [r["label"] for r in search_enterprises(contact, own.uscc)] == [own.name]
    groups = global_search(_user("member"), own.uscc)
    assert all(g["key"] != "enterprises" for g in groups)


def test_workbench_panels_per_role():
    keys = {p["key"] for p in panels_for(_user("zone_admin"))["figures"]}
    assert {"enterprise_coverage", "building_vacancy", "chain_gaps"} <= keys
    officer = {p["key"]: p for p in panels_for(_user("grid_officer"))["figures"]}
    assert "enterprise_coverage" in officer and "chain_gaps" not in officer
    total = {f[0]: f[1] for f in officer["enterprise_coverage"]["figures"]}
    assert int(next(iter(total.values()))) > 0
    chain = {p["key"]: p for p in panels_for(_user("chain_admin"))["figures"]}
    gaps = {f[0]: f[1] for f in chain["chain_gaps"]["figures"]}
    assert list(gaps.values())[2] >= 3  # 光刻光源, 量子光学器件, 激光显示
    instructor = {p["key"] for p in panels_for(_user("instructor"))["figures"]}
    assert "enterprise_coverage" not in instructor  # zone coverage of its one enterprise means nothing to it


def test_workbench_page_renders(as_user):
    for name in ("zone_admin", "chain_admin", "building_admin", "grid_officer", "instructor"):
        assert as_user(name).get(reverse("accounts:workbench")).status_code == 200, name


def test_seed_is_idempotent(demo):
    from hongyin.devtools.seed_enterprises import seed_enterprises

    n = Enterprise.objects.count()
    seed_enterprises(demo, "demo", random.Random(1))
    assert Enterprise.objects.count() == n
