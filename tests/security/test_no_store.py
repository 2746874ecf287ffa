"""Private pages are not cached (issue 17, item 9): Cache-Control: no-store on every signed-in page, every API
answer and every download; a response that already says no-store keeps its header; public pages and static files
are left alone. The permission crawler checks the same header on every page and operation it requests."""

import io
import json

import pytest
from django.http import FileResponse, HttpResponse
from django.test import Client, RequestFactory

from hongyin.common.middleware import NoStoreMiddleware
from hongyin.devtools.sessions import login_as

pytestmark = pytest.mark.django_db


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


def test_signed_in_pages_api_answers_and_downloads_are_not_stored(demo):
    from hongyin.accounts.models import User
    from hongyin.accounts.services import api_token_create

    client = login_as(Client(), "zone_admin")
    for url in ("/", "/members/", "/enterprises/", "/appeals/", "/no-such-page/"):
        response = client.get(url)
        assert response.status_code < 500 and _no_store(response), url
    for url in ("/api/v1/me", "/api/v1/members", "/api/v1/orgs/999999999"):
        response = client.get(url)
        assert _no_store(response), url
    _token, raw = api_token_create(actor=User.objects.get(username="zone_admin"), name="no-store")
    bearer = Client(headers={"Authorization": f"Bearer {raw}"})
    assert _no_store(bearer.get("/api/v1/me"))
    assert _no_store(Client().get("/api/v1/me"))  # a refusal too (401)
    for url in ("/members/export/", "/enterprises/export/", "/members/import/template/"):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment"), url
        assert _no_store(response), url
    posted = client.post("/api/v1/personal-data/unmask", json.dumps({}), content_type="application/json")
    assert _no_store(posted)


def test_public_pages_and_static_files_are_left_alone(db):
    anonymous = Client()
    login = anonymous.get("/accounts/login/")
    assert login.status_code == 200 and not _no_store(login)
    static = anonymous.get("/static/hongyin/css/app.css")
    assert static.status_code == 200 and not _no_store(static)


def test_a_response_that_says_no_store_already_is_not_touched():
    request = RequestFactory().get("/api/v1/x")

    def view(_request):
        response = HttpResponse()
        response["Cache-Control"] = "no-store, private"
        return response

    assert NoStoreMiddleware(view)(request)["Cache-Control"] == "no-store, private"

    def download(_request):
        return FileResponse(io.BytesIO(b"x"), as_attachment=True, filename="a.txt")

    anonymous = RequestFactory().get("/public/file")
    assert NoStoreMiddleware(download)(anonymous)["Cache-Control"] == "no-store"
