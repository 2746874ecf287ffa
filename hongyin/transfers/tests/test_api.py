import pytest

from hongyin.transfers.models import Transfer

pytestmark = pytest.mark.django_db
J = "application/json"


def test_transfer_api_flow(as_user, branch, other_branch, make_member):
    m = make_member(branch)
    sec, chain = as_user("branch_secretary"), as_user("chain_admin")
    r = sec.post("/api/v1/transfers/", {"member_id": m.pk, "target_id": other_branch.pk, "reason": ""}, content_type=J)
    assert r.status_code == 422
    r = sec.post(
        "/api/v1/transfers/", {"member_id": m.pk, "target_id": other_branch.pk, "reason": "调动"}, content_type=J
    )
    assert r.status_code == 201
    tid = r.json()["id"]
    assert chain.get(f"/api/v1/transfers/{tid}").status_code == 404  # not approved yet
    assert sec.post(f"/api/v1/transfers/{tid}/approve", {}, content_type=J).status_code == 200
    assert chain.post(f"/api/v1/transfers/{tid}/return", {"reason": ""}, content_type=J).status_code == 422
    assert chain.post(f"/api/v1/transfers/{tid}/accept", {}, content_type=J).status_code == 200
    m.refresh_from_db()
    assert m.org == other_branch and Transfer.objects.get(pk=tid).status == "accepted"
    r = chain.get("/api/v1/transfers/queue")
    assert r.status_code == 200 and "overdue" in r.json()
    assert as_user("member").get("/api/v1/transfers/").status_code == 403
    assert sec.post(f"/api/v1/transfers/{tid}/bogus", {}, content_type=J).status_code == 404


def test_transfer_api_out_and_in(as_user, branch, make_member):
    import random
    from datetime import date

    from hongyin.devtools.people import person

    m = make_member(branch)
    sec = as_user("branch_secretary")
    r = sec.post(
        "/api/v1/transfers/out",
        {"member_id": m.pk, "external_org": "中共某公司支部", "reason": "调动", "letter_valid_days": 200},
        content_type=J,
    )
    assert r.status_code == 422
    r = sec.post(
        "/api/v1/transfers/out", {"member_id": m.pk, "external_org": "中共某公司支部", "reason": "调动"}, content_type=J
    )
    assert r.status_code == 201 and r.json()["status"] == "issued"
    p = person(random.Random(8), born_to=date(1990, 1, 1))
    body = {"target_id": branch.pk, "external_org": "中共某地支部", "name": p["name"], "id_number": p["id_number"]}
    r = sec.post("/api/v1/transfers/in", {**body, "joined_on": "2015-07-01"}, content_type=J)
    assert r.status_code == 201 and r.json()["kind"] == "in"
