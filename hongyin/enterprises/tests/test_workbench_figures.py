"""The 楼宇经济 and 产业链 panels link to the pages they count, and the count is the page's own."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _panel(client, key):
    panels = client.get(reverse("accounts:workbench")).context["panels"]
    return next((p for section in panels.values() for p in section if p["key"] == key), None)


@pytest.mark.parametrize("username", ["zone_admin", "building_admin"])
def test_the_building_count_is_the_building_lists(username, as_user):
    client = as_user(username)
    figures = {str(label): (value, url) for label, value, url in _panel(client, "building_vacancy")["figures"]}
    count, url = figures["楼宇"]
    page = client.get(url)
    assert page.status_code == 200 and count == len(page.context["buildings"]) > 0
    tiers = {key: n for key, _label, n in page.context["tiers"]}
    assert figures["亿元楼及以上"][0] == tiers.get("hundred_million", 0) + tiers.get("ten_billion", 0)


@pytest.mark.parametrize("username", ["zone_admin", "chain_admin"])
def test_the_chain_count_is_the_chain_pages(username, as_user):
    client = as_user(username)
    figures = {str(label): (value, url) for label, value, url in _panel(client, "chain_gaps")["figures"]}
    count, url = figures["产业链"]
    page = client.get(url)
    if page.status_code == 302:  # one chain opens its map directly
        assert count == 1
    else:
        assert page.status_code == 200 and count == len(page.context["chains"])
