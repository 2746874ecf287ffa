"""The audit admin's figures are the audit list's own count, filtered the way each figure's link filters it."""

import pytest
from django.urls import reverse

from hongyin.audit import services

pytestmark = pytest.mark.django_db


def test_each_audit_figure_is_the_count_of_the_list_it_links_to(as_user):
    services.record(actor=None, action="auth.login_failed", actor_name="someone", details={})
    client = as_user("audit_admin")
    panels = client.get(reverse("accounts:workbench")).context["panels"]
    panel = next(p for section in panels.values() for p in section if p["key"] == "audit_figures")
    assert len(panel["figures"]) == 3
    for label, count, url in panel["figures"]:
        page = client.get(url)
        assert page.status_code == 200, url
        assert page.context["page"].paginator.count == count, (str(label), url)
    assert panel["figures"][1][1] >= 1
