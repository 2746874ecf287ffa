import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", ["branch_secretary", "building_admin", "zone_admin"])
def test_todo_panels_and_nav_for_party_roles(as_user, username):
    body = as_user(username).get(reverse("accounts:workbench")).content.decode()
    for key in ("development_due", "transfers_queue", "dues_arrears"):
        assert f'data-panel="{key}"' in body
    for url in (reverse("development:list"), reverse("transfers:list"), reverse("dues:ledger")):
        assert f'href="{url}"' in body


def test_no_party_panels_for_grid_officer(as_user):
    body = as_user("grid_officer").get(reverse("accounts:workbench")).content.decode()
    assert 'data-panel="dues_arrears"' not in body and reverse("dues:ledger") not in body
