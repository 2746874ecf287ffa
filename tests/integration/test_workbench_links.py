"""Every figure on every demo role's workbench links to a page that role may open (after its redirects)."""

import pytest
from django.urls import reverse

from hongyin.devtools.demo import DEMO_USERNAMES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("username", DEMO_USERNAMES)
def test_every_workbench_figure_links_to_a_page_its_role_opens(as_user, username):
    client = as_user(username)
    response = client.get(reverse("accounts:workbench"))
    assert response.status_code == 200
    unlinked, broken = [], []
    for section in response.context["panels"].values():
        for panel in section:
            for figure in panel.get("figures", ()):
                if len(figure) < 3 or not figure[2]:
                    unlinked.append(f"{panel['key']}: {figure[0]}")
                    continue
                status = client.get(figure[2], follow=True).status_code
                if status != 200:
                    broken.append(f"{panel['key']}: {figure[0]} -> {figure[2]} ({status})")
    assert not unlinked, f"figures without a list to open: {unlinked}"
    assert not broken, f"figure links that do not open for {username}: {broken}"
