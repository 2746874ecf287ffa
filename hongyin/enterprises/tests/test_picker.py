import pytest
from django.urls import reverse

from hongyin.enterprises.models import Enterprise
from hongyin.enterprises.permissions import enterprises_visible_to

pytestmark = pytest.mark.django_db


def test_picker_returns_matches_inside_the_forms_scope_only(as_user):
    from hongyin.accounts.models import User

    officer = User.objects.get(username="grid_officer")
    inside = enterprises_visible_to(officer, "visits.manage").order_by("name").first()
    outside = Enterprise.objects.exclude(pk__in=enterprises_visible_to(officer, "visits.manage")).first()
    client = as_user("grid_officer")
    url = reverse("enterprises:pick")
    found = client.get(url, {"for": "visits.manage", "enterprise__q": inside.name}).content.decode()
    assert inside.name in found
    hidden = client.get(url, {"for": "visits.manage", "enterprise__q": outside.name}).content.decode()
    assert outside.name not in hidden
    assert client.get(url, {"for": "members.view", "q": "x"}).status_code == 403


def test_appeal_form_does_not_send_every_enterprise(as_user):
    body = as_user("zone_admin").get(reverse("appeals:new")).content.decode()
    assert body.count("<option") < 60
    assert "enterprise__q" in body
