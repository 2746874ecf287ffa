"""The API's foundation: who am I (token and session), CSRF, revoked tokens, OpenAPI, docs page, JSON errors."""

import json
import re

import pytest
from django.test import Client

from hongyin.accounts import services as account_services
from hongyin.accounts.models import ApiToken, User
from hongyin.devtools.sessions import login_as

ME = "/api/v1/me"


@pytest.fixture
def token_for(db):
    def _make(username: str) -> tuple[ApiToken, str]:
        user = User.objects.get(username=username)
        return account_services.api_token_create(actor=user, name="测试令牌", scope="write")

    return _make


def bearer(raw: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_me_with_bearer_token(token_for):
    token, raw = token_for("building_admin")
    response = Client().get(ME, **bearer(raw))
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "building_admin"
    assert body["roles"] and body["roles"][0]["scope_label"] == "第一楼宇党委"
    assert body["roles"][0]["scope_kind"]
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().first())  # only the digest is stored
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_me_with_session(db):
    client = login_as(Client(), "member")
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == "member"
    assert {r["role"] for r in response.json()["roles"]} == {"member"}


def test_me_anonymous_is_401_json(db):
    response = Client().get(ME)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_session_needs_csrf_for_unsafe_methods(db, token_for):
    client = login_as(Client(enforce_csrf_checks=True), "system_admin")
    payload = json.dumps({"username": "csrf_probe"})
    refused = client.post("/api/v1/accounts/users", payload, content_type="application/json")
    assert refused.status_code in (401, 403)
    assert refused["Content-Type"].startswith("application/json")
    assert not User.objects.filter(username="csrf_probe").exists()
    # With the token from the cookie the same call goes through the CSRF check (and then the permission check).
    client.get("/accounts/tokens/")
    csrf = client.cookies["csrftoken"].value
    allowed = client.post("/api/v1/accounts/users", payload, content_type="application/json", HTTP_X_CSRFTOKEN=csrf)
    assert allowed.status_code == 201, allowed.content
    assert User.objects.filter(username="csrf_probe").exists()
    # Safe methods need no token.
    assert client.get(ME).status_code == 200


def test_bearer_token_needs_no_csrf(db, token_for):
    _token, raw = token_for("system_admin")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/v1/accounts/users", json.dumps({"username": "token_made"}), content_type="application/json", **bearer(raw)
    )
    assert response.status_code == 201, response.content


def test_revoked_token_is_refused(token_for):
    token, raw = token_for("member")
    assert Client().get(ME, **bearer(raw)).status_code == 200
    account_services.api_token_revoke(actor=token.user, token=token)
    response = Client().get(ME, **bearer(raw))
    assert response.status_code == 401
    assert response.json()["detail"]


BAD_HEADERS = ["Bearer hy_not-a-real-token", "Bearer " + "x" * 500, "Basic Zm9vOmJhcg==", "Bearer"]


@pytest.mark.parametrize("header", BAD_HEADERS)
def test_bad_authorization_headers_are_401(db, header):
    response = Client().get(ME, HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert "detail" in response.json()


def test_inactive_users_token_is_refused(token_for):
    token, raw = token_for("instructor")
    User.objects.filter(pk=token.user_id).update(is_active=False)
    assert Client().get(ME, **bearer(raw)).status_code == 401


def test_openapi_is_valid(db):
    client = login_as(Client(), "member")
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] == "Hongyin API"
    assert "/api/v1/me" in spec["paths"]
    schemes = spec["components"]["securitySchemes"]
    assert {s["type"] for s in schemes.values()} >= {"apiKey", "http"}
    # Every reference resolves.
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(spec)))
    assert refs <= set(spec["components"]["schemas"]), refs - set(spec["components"]["schemas"])
    # Every operation declares its error answers.
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            assert "401" in op["responses"] or "403" in op["responses"], f"{method} {path} declares no errors"


def test_docs_page_uses_local_assets_only(db):
    client = login_as(Client(), "member")
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls, "no assets found"
    assert all(u.startswith("/static/") for u in urls), urls
    assert not re.search(r"https?://", html.replace("http://www.w3.org", "")), "the docs page names another host"
    # No inline script code (CSP): only JSON data blocks and external files.
    for attrs, body in re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S):
        assert "src=" in attrs or 'type="application/json"' in attrs, attrs
    settings_json = re.search(r'id="swagger-settings">(.*?)</script>', html, flags=re.S).group(1)
    assert json.loads(settings_json)["validatorUrl"] is None  # no badge image from validator.swagger.io
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "cdn" not in csp


def test_docs_assets_are_served(db):
    client = login_as(Client(), "member")
    html = client.get("/api/v1/docs").content.decode()
    for url in re.findall(r'src="(/static/[^"]+)"', html):
        response = client.get(url)
        assert response.status_code == 200, url


def test_malformed_json_body_is_4xx_json(token_for):
    _token, raw = token_for("system_admin")
    response = Client().post("/api/v1/accounts/users", "{not json", content_type="application/json", **bearer(raw))
    assert 400 <= response.status_code < 500
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_wrong_types_are_422_with_message(token_for):
    _token, raw = token_for("system_admin")
    response = Client().post(
        "/api/v1/accounts/users", json.dumps({"username": ["a", "b"]}), content_type="application/json", **bearer(raw)
    )
    assert response.status_code == 422
    assert "username" in response.json()["detail"]


def test_bad_path_parameter_is_4xx_json(token_for):
    _token, raw = token_for("zone_admin")
    response = Client().get("/api/v1/orgs/not-a-number/children", **bearer(raw))
    assert 400 <= response.status_code < 500
    assert response.json()["detail"]


def test_unknown_object_is_404_json(token_for):
    _token, raw = token_for("zone_admin")
    response = Client().get("/api/v1/orgs/999999999/children", **bearer(raw))
    assert response.status_code == 404
    assert response.json()["detail"]


def test_role_without_permission_is_403_json(token_for):
    _token, raw = token_for("member")
    response = Client().get("/api/v1/accounts/users", **bearer(raw))
    assert response.status_code == 403
    assert response.json()["detail"]


def test_bearer_token_wins_over_a_session_without_csrf(token_for):
    _token, raw = token_for("system_admin")
    client = login_as(Client(enforce_csrf_checks=True), "member")
    response = client.post(
        "/api/v1/accounts/users", json.dumps({"username": "both_ways"}), content_type="application/json", **bearer(raw)
    )
    assert response.status_code == 201


def test_anonymous_post_is_401_not_a_csrf_403(db):
    response = Client(enforce_csrf_checks=True).post(
        "/api/v1/accounts/users", json.dumps({"username": "anon"}), content_type="application/json"
    )
    assert response.status_code == 401
    assert not User.objects.filter(username="anon").exists()


def test_unknown_api_path_is_404(token_for):
    _token, raw = token_for("member")
    response = Client().get("/api/v1/no-such-thing", **bearer(raw))
    assert response.status_code == 404
