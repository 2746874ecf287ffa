"""The transfer to-dos on the workbench link to the transfer list narrowed to the rows they count (issue 11 item 4)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _panel(client, key):
    panels = client.get(reverse("accounts:workbench")).context["panels"]
    return next((p for section in panels.values() for p in section if p["key"] == key), None)


@pytest.mark.parametrize("username", ["zone_admin", "building_admin", "branch_secretary"])
def test_transfer_figures_are_the_counts_of_the_lists_they_link_to(as_user, username):
    client = as_user(username)
    for label, value, url, _danger in _panel(client, "transfers_queue")["items"]:
        page = client.get(url)
        assert page.status_code == 200
        assert page.context["page"].paginator.count == value, (username, str(label), url)


def test_the_lists_own_figures_link_to_their_rows(as_user):
    client = as_user("building_admin")
    page = client.get(reverse("transfers:list"))
    counts = page.context["counts"]
    for queue in ("to_act", "to_accept", "overdue"):
        assert f'href="?status=all&amp;queue={queue}"' in page.content.decode()
        listed = client.get(reverse("transfers:list"), {"status": "all", "queue": queue})
        assert listed.context["page"].paginator.count == counts[queue], queue
    assert client.get(reverse("transfers:list"), {"queue": "bogus"}).status_code == 200
