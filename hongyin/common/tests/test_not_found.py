"""A service's NotFound answers 404 at the edge, on a page and in the API, like a view's own 404."""

import pytest
from django.http import Http404
from django.test import RequestFactory, override_settings
from django.urls import path

from hongyin.common.errors import NotFound
from hongyin.common.permissions import get_for_user_or_404, get_in_scope, public
from hongyin.common.scopes import ScopeFields

pytestmark = pytest.mark.django_db


@public
def raises_not_found(request):
    raise NotFound("内部说明")


@public
def raises_http404(request):
    raise Http404


urlpatterns = [path("nf/", raises_not_found), path("404/", raises_http404)]
handler404 = "hongyin.common.errors_views.page_not_found"


@override_settings(ROOT_URLCONF=__name__)
def test_a_page_answers_404_for_a_service_not_found(client):
    mapped = client.get("/nf/")
    plain = client.get("/404/")
    assert mapped.status_code == plain.status_code == 404
    assert [t.name for t in mapped.templates][:1] == [t.name for t in plain.templates][:1] == ["404.html"]
    assert "内部说明" not in mapped.content.decode()  # the service's words are not shown


def test_the_api_answers_404_with_the_usual_message():
    from hongyin.site.api import api

    request = RequestFactory().get("/api/v1/x")
    mapped, plain = api.on_exception(request, NotFound("内部说明")), api.on_exception(request, Http404())
    assert mapped.status_code == plain.status_code == 404
    assert mapped.content == plain.content and "内部说明" not in mapped.content.decode()


def test_services_fetch_with_not_found_and_views_with_404(demo):
    from hongyin.accounts.models import User
    from hongyin.orgs.models import Organization

    chain_admin = User.objects.get(username="chain_admin")
    fields = ScopeFields(org="")
    qs = Organization.objects.all()
    assert get_in_scope(chain_admin, qs, "orgs.view", fields, pk=demo.chain.pk) == demo.chain
    with pytest.raises(NotFound):
        get_in_scope(chain_admin, qs, "orgs.view", fields, pk=demo.park.pk)
    with pytest.raises(NotFound):
        get_in_scope(chain_admin, qs, "orgs.view", fields, pk="not a number")
    with pytest.raises(Http404):
        get_for_user_or_404(chain_admin, qs, "orgs.view", fields, pk=demo.park.pk)


def test_no_service_or_selector_raises_http404():
    """Services and selectors raise NotFound; only views, API operations and the permissions' *_or_404 helpers
    (the edge) speak HTTP."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for file in root.glob("*/services*.py"):
        offenders += [str(file)] if "Http404" in file.read_text() else []
    for file in root.glob("*/services/*.py"):
        offenders += [str(file)] if "Http404" in file.read_text() else []
    for file in root.glob("*/selectors.py"):
        offenders += [str(file)] if "Http404" in file.read_text() else []
    assert not offenders, offenders
