from datetime import date

import pytest

from hongyin.members.models import Member
from hongyin.members.tests.factories import make_id
from hongyin.orgs.models import Organization, OrgKind

pytestmark = pytest.mark.django_db


def branch(demo, i=2):
    return Organization.objects.filter(path__startswith=demo.buildings[i].path, kind=OrgKind.BRANCH).first()


def test_list_search_and_scope(as_user, demo):
    client = as_user("zone_admin")
    m = Member.objects.filter(org__path__startswith=demo.buildings[0].path).first()
    r = client.get("/api/v1/members", {"q": m.name_pinyin, "org": demo.buildings[0].pk})
    assert r.status_code == 200
    data = r.json()
    assert data["count"] >= 1 and any(i["id"] == m.pk for i in data["items"])
    assert all("*" in i["id_number_masked"] for i in data["items"])
    assert as_user("chain_admin").get(f"/api/v1/members/{m.pk}").status_code == 404
    assert as_user("member").get("/api/v1/members").status_code == 403
    assert client.get("/api/v1/members", {"limit": 100000}).status_code == 422
    assert client.get("/api/v1/members", {"age": "bogus"}).status_code == 422


def test_create_update_move_leave(as_user, demo):
    client = as_user("zone_admin")
    org = branch(demo)
    payload = {"org_id": org.pk, "name": "接口党员", "id_number": "bad", "joined_on": "2015-07-01"}
    r = client.post("/api/v1/members", payload, content_type="application/json")
    assert r.status_code == 422 and r.json()["field"] == "id_number"
    payload["id_number"] = make_id(date(1988, 8, 8))
    r = client.post("/api/v1/members", payload, content_type="application/json")
    assert r.status_code == 201, r.content
    mid = r.json()["id"]
    r = client.patch(f"/api/v1/members/{mid}", {"education": "university"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["education"] == "university"
    target = branch(demo, 3)
    r = client.post(
        f"/api/v1/members/{mid}/move", {"to_org_id": target.pk, "reason": "调动"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["org_id"] == target.pk
    r = client.post(
        f"/api/v1/members/{mid}/leave", {"left_on": "2099-01-01", "reason": "deceased"}, content_type="application/json"
    )
    assert r.status_code == 422
    r = client.get(f"/api/v1/members/{mid}")
    assert len(r.json()["timeline"]) >= 3


def test_org_api(as_user, demo):
    client = as_user("zone_admin")
    r = client.get(f"/api/v1/orgs/{demo.buildings[0].pk}/children")
    assert r.status_code == 200 and all("member_count" in c for c in r.json())
    r = client.post(
        "/api/v1/orgs",
        {"parent_id": demo.buildings[0].pk, "name": "接口党支部", "kind": "branch", "category": "enterprise"},
        content_type="application/json",
    )
    assert r.status_code == 201
    oid = r.json()["id"]
    assert any(c["level"] == "error" for c in r.json()["checks"])
    r = client.patch(f"/api/v1/orgs/{oid}", {"name": "接口党支部二"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["name"] == "接口党支部二"
    r = client.post(
        f"/api/v1/orgs/{oid}/move", {"new_parent_id": demo.buildings[1].pk}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["parent_id"] == demo.buildings[1].pk
    r = client.post(f"/api/v1/orgs/{oid}/dissolve", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["dissolved_on"]
    r = client.post(f"/api/v1/orgs/{branch(demo).pk}/dissolve", {}, content_type="application/json")
    assert r.status_code == 422
    r = client.get(f"/api/v1/orgs/{demo.buildings[0].pk}/stats", {"start": "2021-02-01", "end": "2025-06-30"})
    data = r.json()
    assert r.status_code == 200
    assert data["growth"][0]["organizations"] == 21 and data["growth"][-1]["organizations"] == 65
    assert data["growth"][-1]["members"] >= 1000


def test_import_via_api(as_user, demo, tmp_path, django_capture_on_commit_callbacks):
    import xlsxwriter

    client = as_user("zone_admin")
    path = tmp_path / "r.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    for c, h in enumerate(["姓名", "公民身份号码", "入党日期", "所在党支部"]):
        ws.write(0, c, h)
    for c, v in enumerate(["接口导入", make_id(), "2016-07-01", branch(demo).name]):
        ws.write(1, c, v)
    wb.close()
    with path.open("rb") as fh, django_capture_on_commit_callbacks(execute=True):
        r = client.post("/api/v1/members/import", {"file": fh, "kind": "members", "dry_run": "false"})
    assert r.status_code == 202, r.content
    r = client.get(f"/api/v1/members/import/{r.json()['job_id']}")
    assert r.json()["created"] == 1
    assert Member.objects.filter(name="接口导入").exists()
