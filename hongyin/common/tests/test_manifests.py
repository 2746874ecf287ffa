"""App manifests: every app's pages, API, permissions and registering modules come from its manifest; the navigation
is grouped by section with exactly one entry active."""

import importlib
import importlib.util
import re

import pytest
from django.apps import apps
from django.urls import reverse

from hongyin.accounts.models import User
from hongyin.common import manifests as registry
from hongyin.common.manifests import MODULE_KINDS, AppManifest, Nav, manifests
from hongyin.common.navigation import nav_for, nav_sections
from hongyin.common.roles import Role, permissions, roles_with

HONGYIN_APPS = [c.name for c in apps.get_app_configs() if c.name.startswith("hongyin.")]


def _has(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@pytest.mark.parametrize("app", HONGYIN_APPS)
def test_pages_and_api_of_every_app_are_declared_by_its_manifest(app):
    """No central list to edit: an app with a urls or an api module says so in its manifest, or it is not served."""
    declared = {m.app: m for m in manifests()}
    manifest = declared.get(app)
    if _has(f"{app}.urls"):
        assert manifest is not None and manifest.url_prefix is not None, f"{app} has urls.py but no url_prefix"
    api = f"{app}.api"
    if _has(api) and hasattr(importlib.import_module(api), "ROUTERS"):
        assert manifest is not None and manifest.module(manifest.api) == api, f"{app} has API routers undeclared"


@pytest.mark.parametrize("kind", MODULE_KINDS)
def test_every_module_a_manifest_names_exists(kind):
    for m in manifests():
        name = m.module(getattr(m, kind))
        if name:
            assert _has(name), f"{m.app}'s manifest names {kind}={name!r}, which does not exist"
    for m in manifests():
        if m.seed:
            assert callable(registry.resolve(m.seed)), m.seed


def test_permission_codes_come_from_the_manifests_and_every_nav_entry_names_one():
    table = permissions()
    assert table["members.view"] == frozenset({Role.ZONE_ADMIN, Role.COMMITTEE_ADMIN, Role.BRANCH_SECRETARY})
    assert table["audit.view"] == frozenset({Role.AUDIT_ADMIN})
    for entry in registry.nav_entries():
        assert roles_with(entry.perm), entry
        reverse(entry.url_name)
    with pytest.raises(LookupError):
        roles_with("no.such_code")


def test_a_code_declared_by_two_apps_is_refused(monkeypatch):
    twice = [AppManifest(permissions={"x.view": frozenset()}, app="a"), AppManifest(permissions={"x.view": {}})]
    monkeypatch.setattr(registry, "_found", twice)
    with pytest.raises(Exception, match=r"x\.view"):
        registry.declared_permissions()


def test_a_new_app_plugs_in_through_its_manifest_alone(monkeypatch, db):
    """What an app adds with its manifest shows up in the navigation of the roles its permission names."""
    extra = AppManifest(nav=(Nav("Cockpit", "accounts:workbench", "display", "shell.use", section="insight"),))
    object.__setattr__(extra, "app", "hongyin.example")
    monkeypatch.setattr(registry, "_found", [*manifests(), extra])
    member = User.objects.get(username="member")
    labels = [i["label"] for i in nav_for(member, "/elsewhere/")]
    assert "Cockpit" in labels


def test_unknown_sections_and_surfaces_are_refused():
    with pytest.raises(Exception, match="section"):
        Nav("x", "accounts:workbench", "x", "shell.use", section="nowhere")
    with pytest.raises(Exception, match="surface"):
        Nav("x", "accounts:workbench", "x", "shell.use", surfaces=frozenset({"fridge"}))


def test_the_zone_admin_navigation_is_grouped_into_short_sections(db):
    user = User.objects.get(username="zone_admin")
    items = nav_for(user, "/")
    sections = nav_sections(items)
    assert len(items) > 15, "the zone admin uses most of the platform"
    assert len(sections) >= 4
    assert all(len(s["items"]) <= 8 for s in sections), [(s["key"], len(s["items"])) for s in sections]
    opened = [s["key"] for s in sections if s["open"]]
    assert opened == ["home"], "with many entries only the section of the current page starts open"


def _active(body: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r'aria-current="page">(.*?)</a>', body)]


@pytest.mark.parametrize(
    ("username", "url", "expected"),
    [
        ("zone_admin", "/members/stats/", "党建统计"),  # it leads to the organization's figures tab
        ("zone_admin", "/orgs/", "组织架构"),
        ("enterprise_contact", "/appeals/new/", "企业服务"),  # the portal's form, not the appeal list
        ("zone_admin", "/appeals/new/", "诉求"),
        ("zone_admin", "/appeals/stats/", "诉求统计"),
        ("zone_admin", "/appeals/queue/", "诉求队列"),
        ("member", "/", "工作台"),
    ],
)
def test_exactly_the_right_entry_is_active(as_user, username, url, expected):
    response = as_user(username).get(url, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert _active(body) == [expected]
    section = re.search(r'<details class="hy-nav-section" data-nav-section="(\w+)" open>\s*<summary[^>]*active', body)
    assert section or expected == "工作台", "the active entry's section is open and marked"
