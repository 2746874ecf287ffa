import random
from datetime import date

import pytest

from hongyin.devtools.people import person

pytestmark = pytest.mark.django_db
J = "application/json"


def test_development_api_create_step_and_scope(as_user, branch, other_branch):
    c = as_user("branch_secretary")
    young = person(random.Random(1), born_from=date(2010, 1, 1), born_to=date(2010, 12, 1))
    body = {"branch_id": branch.pk, "name": young["name"], "id_number": young["id_number"], "applied_on": "2025-01-10"}
    r = c.post("/api/v1/development/cases", body, content_type=J)
    assert r.status_code == 422 and r.json()["field"] == "applied_on"
    p = person(random.Random(2), born_to=date(2000, 1, 1))
    r = c.post("/api/v1/development/cases", {**body, "name": p["name"], "id_number": p["id_number"]}, content_type=J)
    assert r.status_code == 201
    case = r.json()
    assert "*" in case["id_number_masked"] and case["stage"] == "applicant"
    r = c.post(f"/api/v1/development/cases/{case['id']}/steps", {"step": 2, "done_on": "2025-03-01"}, content_type=J)
    assert r.status_code == 201 and r.json()["warning"]
    r = c.post(f"/api/v1/development/cases/{case['id']}/steps", {"step": 4, "done_on": "2025-03-01"}, content_type=J)
    assert r.status_code == 422
    r = c.get(f"/api/v1/development/cases/{case['id']}")
    assert [s["step"] for s in r.json()["steps"]] == [1, 2]
    assert as_user("chain_admin").get(f"/api/v1/development/cases/{case['id']}").status_code == 404
    body_other = {**body, "branch_id": other_branch.pk}
    assert c.post("/api/v1/development/cases", body_other, content_type=J).status_code == 404
    assert c.get("/api/v1/development/cases", {"stage": "applicant"}).status_code == 200
    assert c.get("/api/v1/development/due").status_code == 200
    assert as_user("grid_officer").get("/api/v1/development/cases").status_code == 403
