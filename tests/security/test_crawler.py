"""The permission crawler: every URL pattern and every API operation, as every demo role, against objects inside
and outside each role's scope (samples registered through hongyin.common.crawl).

Fails on: a view or operation without a declared permission; a pattern with parameters but no samples; a status
other than the expected one (outside the scope -> 404, page the role lacks -> 403); a canary name (an object only
zone_admin covers) in any answer of another role, including lists, searches and xlsx exports; an inline script
without the page's nonce, or an inline event handler; an answer without Cache-Control: no-store.
Prints "crawler: N cases, M leaks".
"""

import io
import json
import re
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from hongyin.common.crawl import CANARY, REGISTRY, Canary, CrawlContext, autodiscover
from hongyin.common.permissions import PERM_ATTR, PUBLIC, SIGNED_IN
from hongyin.common.roles import roles_with
from hongyin.devtools.demo import DEMO_USERNAMES as ROLES
from hongyin.devtools.sessions import login_as

pytestmark = pytest.mark.django_db

# Allow-listed explicitly: Django admin (its own staff checks, has_permission -> system admin only) and the
# ninja internals (the schema and the docs page; every operation is checked one by one below).
ALLOWED_UNDECLARED = {"api:openapi-json", "api:openapi-view", "api:api-root"}
ADMIN_NAMESPACE = "admin"
API_PREFIX = "api/v1/"
SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
HANDLER = re.compile(r"<[a-zA-Z][^>]*\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)
OK_VISIBLE = {200, 302, 405}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass
class Report:
    timing: dict = field(default_factory=dict)
    cases: int = 0
    leaks: list = field(default_factory=list)
    wrong: list = field(default_factory=list)
    csp: list = field(default_factory=list)
    undeclared: list = field(default_factory=list)
    missing: list = field(default_factory=list)
    unreachable: set = field(default_factory=set)
    cache: list = field(default_factory=list)


TIMING: dict[str, float] = {}
RAISED: list[str] = []


class Raised:
    """Stands for the response of a view that raised."""

    status_code = 599
    streaming = False
    content = b""

    def get(self, key, default=None):
        return default


class Timed:
    """A test client that adds up the time spent per path (digits folded), to point at slow pages."""

    def __init__(self, client):
        self.client = client

    def _timed(self, fn, path, *args, **kwargs):
        import time

        start = time.perf_counter()
        try:
            return fn(path, *args, **kwargs)
        except Exception as exc:  # a view that raises (the test client re-raises): record it, keep crawling
            RAISED.append(f"{path}: {type(exc).__name__}: {str(exc)[:160]}")
            return Raised()
        finally:
            key = re.sub(r"\d+", "N", path)
            TIMING[key] = TIMING.get(key, 0.0) + time.perf_counter() - start

    def get(self, path, *args, **kwargs):
        return self._timed(self.client.get, path, *args, **kwargs)

    def post(self, path, *args, **kwargs):
        return self._timed(self.client.post, path, *args, **kwargs)

    def generic(self, method, path, *args, **kwargs):
        return self._timed(lambda p, *a, **k: self.client.generic(method, p, *a, **k), path, *args, **kwargs)


def walk(resolver, prefix="", namespace=None):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = p.namespace or namespace
            if namespace and p.namespace:
                ns = f"{namespace}:{p.namespace}"
            yield from walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else p.name
            yield prefix + str(p.pattern), name, p


def api_operations():
    from hongyin.site.api import api

    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for op in path_view.operations:
                for method in op.methods:
                    yield method, "/api/v1" + prefix + path, op.view_func


def make_canary(zone) -> Canary:
    import datetime

    from hongyin.common.identifiers import id_number_check_char, uscc_check_char
    from hongyin.enterprises.models import Enterprise
    from hongyin.grid.models import GridCell
    from hongyin.members.services import member_create
    from hongyin.orgs.services import org_create

    committee = org_create(actor=None, parent=zone.root, name=f"{CANARY}综合党委", kind="committee", category="social")
    branch = org_create(actor=None, parent=committee, name=f"{CANARY}党支部", kind="branch", category="social")
    root_cell = GridCell.objects.get(code="61")
    cell = GridCell.objects.add_child(root_cell, create_kwargs={"name": f"{CANARY}网格", "code": "6197", "level": 2})
    body = "91610131QQ7CRAWL9"
    enterprise = Enterprise.objects.create(
        name=f"{CANARY}科技有限公司", uscc=body + uscc_check_char(body), org=branch, grid_cell=cell
    )
    first17 = "61010419700101771"
    member = member_create(
        actor=None,
        org=branch,
        name=f"{CANARY}党员",
        gender="male",
        birth_date=datetime.date(1970, 1, 1),
        id_number=first17 + id_number_check_char(first17),
        joined_on=datetime.date(1995, 7, 1),
        phone="13700007777",
    )
    from hongyin.accounts.models import User
    from hongyin.grid.permissions import cells_visible_to

    business_only = {"zone_admin", "audit_admin"}  # the audit log legitimately shows everything
    config_too = business_only | {"security_admin"}  # role scope pickers list every organization and grid cell
    # by design every org-scoped role with grid.view sees the whole grid (hongyin.grid.permissions)
    grid_seers = {u.username for u in User.objects.filter(is_demo=True) if cells_visible_to(u).filter(pk=cell.pk)}
    names = {
        committee.name: config_too,
        branch.name: config_too,
        cell.name: config_too | grid_seers,
        enterprise.name: business_only,
        member.name: business_only,
    }
    return Canary(committee=committee, branch=branch, grid_cell=cell, enterprise=enterprise, member=member, names=names)


def canary_scope_objects(canary: Canary) -> dict:
    """The canary's object for every declared scope kind a role carries (hongyin.common.scopes, ROLE_SCOPE):
    organizations, grid cells and enterprises from make_canary, a fresh row for the other kinds."""
    from hongyin.accounts.models import RoleAssignment
    from hongyin.common.roles import ROLE_SCOPE
    from hongyin.common.scopes import SCOPE_KINDS

    made = {"org": canary.branch, "grid": canary.grid_cell, "enterprise": canary.enterprise}
    objects = {}
    for code in sorted({ROLE_SCOPE[r] for r in ROLE_SCOPE} & set(SCOPE_KINDS)):
        if code in made:
            objects[code] = made[code]
            continue
        model = RoleAssignment._meta.get_field(SCOPE_KINDS[code].field).related_model
        required = {
            f.name: (f"canary-{code}" if f.get_internal_type() == "SlugField" else f"{CANARY}{code}")
            for f in model._meta.fields
            if f.get_internal_type() in ("CharField", "SlugField") and not f.blank and not f.has_default()
        }
        objects[code] = model._default_manager.create(**required)
    return objects


def scope_problems(users: dict, objects: dict) -> list[str]:
    """Each scope kind a role carries is held by a demo user (the crawler walks as that user), and no such user
    except the whole zone covers the kind's canary object."""
    from hongyin.common.roles import ROLE_SCOPE
    from hongyin.common.scopes import SCOPE_KINDS, assignment_covers_whole_zone

    problems = []
    for code in sorted({ROLE_SCOPE[r] for r in ROLE_SCOPE} & set(SCOPE_KINDS)):
        kind, obj = SCOPE_KINDS[code], objects.get(code)
        holders = [(name, a) for name, u in users.items() for a in u.assignments if a.scope_kind == code]
        if not holders:
            problems.append(f"no demo user holds a {code} scope: add one to the demo (DEMO_USERS)")
        if obj is None:
            problems.append(f"no canary object for the {code} scope: add it to make_canary")
            continue
        for name, a in holders:
            covered = type(obj)._default_manager.filter(kind.q("", a), pk=obj.pk).exists()
            if covered and not assignment_covers_whole_zone(a):
                problems.append(f"{name}'s {code} scope covers the canary {obj}")
    return problems


def test_the_crawler_walks_every_role_and_every_scope_kind_in_use(demo):
    from hongyin.accounts.models import User
    from hongyin.common.roles import Role
    from hongyin.devtools.demo import DEMO_USERS

    assert {role for _username, _name, role in DEMO_USERS} == set(Role), "a role without a demo user"
    users = {u.username: u for u in User.objects.filter(username__in=ROLES)}
    canary = make_canary(demo)
    assert not scope_problems(users, canary_scope_objects(canary))


def body_text(response) -> str:
    ctype = response.get("Content-Type", "")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if ctype.startswith(XLSX) or content[:4] == b"PK\x03\x04":
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(content))
            return "\n".join(
                " ".join(str(c) for c in row)
                for name in book.sheet_names
                for row in book.get_sheet_by_name(name).to_python()
            )
        except Exception:
            return ""
    text = content.decode("utf-8", errors="replace")
    if "json" in ctype:
        try:
            return json.dumps(json.loads(text), ensure_ascii=False)
        except ValueError:
            return text
    return text


def check_body(report: Report, who: str, label: str, response, canary: Canary) -> None:
    if response.status_code != Raised.status_code and "no-store" not in response.get("Cache-Control", ""):
        report.cache.append(f"{label}: no Cache-Control: no-store on a signed-in answer")
    if response.status_code != 200:
        return
    text = body_text(response)
    for name, allowed in canary.names.items():
        if who not in allowed and name in text:
            report.leaks.append(f"{who} {label}: shows out-of-scope {name!r}")
    if "text/html" in response.get("Content-Type", ""):
        header = response.get("Content-Security-Policy", "")
        nonce = re.search(r"'nonce-([^']+)'", header)
        for attrs in SCRIPT.findall(text):
            if "src=" in attrs:
                continue
            if not nonce or f'nonce="{nonce.group(1)}"' not in attrs:
                report.csp.append(f"{label}: inline <script{attrs}> without the page nonce")
        for handler in HANDLER.findall(text):
            report.csp.append(f"{label}: inline handler {handler}=")


def expected_ok(perm: str, user) -> bool | None:
    if perm in (PUBLIC, SIGNED_IN):
        return True
    return user.has_role_perm(perm)


def test_every_page_and_operation_declares_a_permission_and_leaks_nothing(demo):
    autodiscover()
    import tests.security.crawl_samples  # noqa: F401  fallbacks for apps without their own crawl.py
    from hongyin.accounts.models import User
    from hongyin.common.unmask import REGISTRY as UNMASK
    from hongyin.common.unmask import register_unmaskable

    if "members.member" not in UNMASK:
        from hongyin.members.permissions import get_member_for_user_or_404

        register_unmaskable("members.member", ["id_number", "phone"], get_for_user=get_member_for_user_or_404)
    users = {u.username: u for u in User.objects.filter(username__in=ROLES)}
    canary = make_canary(demo)
    ctx = CrawlContext(zone=demo, users=users, canary=canary)
    clients = {name: Timed(login_as(Client(), name)) for name in ROLES}
    report = Report()

    # sanity of the canary: the selectors agree that only the zone admin covers it, for every scope kind in use
    from hongyin.enterprises.permissions import enterprises_visible_to

    assert ctx.who_sees(enterprises_visible_to, canary.enterprise.pk) == {"zone_admin"}
    assert not scope_problems(users, canary_scope_objects(canary))

    # 1. pages
    for route, name, pattern in walk(get_resolver()):
        if (name and name.split(":")[0] == ADMIN_NAMESPACE) or route.startswith("admin/"):
            continue
        if route.startswith(API_PREFIX):
            if name not in ALLOWED_UNDECLARED and getattr(pattern.callback, PERM_ATTR, None) is None:
                pass  # API operations are checked one by one below
            continue
        perm = getattr(pattern.callback, PERM_ATTR, None)
        if perm is None:
            report.undeclared.append(f"page {route} ({name})")
            continue
        if perm not in (PUBLIC, SIGNED_IN):
            roles_with(perm)
        params = list(pattern.pattern.converters) if hasattr(pattern.pattern, "converters") else []
        if params:
            if name not in REGISTRY:
                report.missing.append(f"page {route} ({name})")
                continue
            ctx.perm, ctx.current = perm, name
            samples = REGISTRY[name](ctx)
        else:
            samples = None
        for who, client in clients.items():
            user = users[who]
            allowed = expected_ok(perm, user)
            if samples is None:
                url = "/" + route
                response = client.get(url)
                report.cases += 1
                status = response.status_code
                if allowed and status not in OK_VISIBLE:
                    report.wrong.append(f"{who} GET {url}: {status}, expected 200")
                if not allowed and status not in (403, 404, 405):
                    report.wrong.append(f"{who} GET {url}: {status}, expected 403")
                if not allowed and status == 405:  # POST-only: the refusal must hold for a POST too
                    posted = client.post(url)
                    report.cases += 1
                    if posted.status_code not in (403, 404):
                        report.wrong.append(f"{who} POST {url}: {posted.status_code}, expected 403")
                check_body(report, who, f"GET {url}", response, canary)
                if allowed and status == 200 and not response.streaming and b'name="q"' in response.content:
                    searched = client.get(url, {"q": CANARY})
                    report.cases += 1
                    if searched.status_code >= 500:
                        report.wrong.append(f"{who} GET {url}?q=: {searched.status_code}")
                    check_body(report, who, f"GET {url}?q={CANARY}", searched, canary)
                continue
            for sample in samples:
                kwargs = {k: v for k, v in sample.kwargs.items() if k in params}
                from django.urls import reverse

                url = reverse(name, kwargs=kwargs)
                response = client.get(url, sample.query)
                report.cases += 1
                status = response.status_code
                if not allowed:
                    ok = status in (403, 404, 405)
                    want = "403"
                elif who in sample.visible_to:
                    ok = status in OK_VISIBLE
                    want = "200"
                elif who in sample.may_see:
                    ok = status in OK_VISIBLE | {404}
                    want = "200 or 404"
                else:
                    ok = status in (404, 405)
                    want = "404"
                if not ok:
                    report.wrong.append(f"{who} GET {url}: {status}, expected {want} {sample.note}")
                check_body(report, who, f"GET {url}", response, canary)
                if status == 405 and who not in sample.visible_to:  # POST-only: an outsider's POST must do nothing
                    posted = client.post(url)
                    report.cases += 1
                    if posted.status_code not in (403, 404):
                        report.wrong.append(f"{who} POST {url}: {posted.status_code}, expected 403/404")

    # 2. API operations
    for method, path, view in api_operations():
        perm = getattr(view, PERM_ATTR, None)
        if perm is None:
            report.undeclared.append(f"api {method} {path}")
            continue
        path = re.sub(r"{\w+:(\w+)}", r"{\1}", path)  # ninja's {int:name} converters: key by the plain name
        params = re.findall(r"{(\w+)}", path)
        key = f"{method} {path}"
        if params:
            if key not in REGISTRY:
                report.missing.append(f"api {key}")
                continue
            ctx.perm, ctx.current = perm, key
            samples = REGISTRY[key](ctx)
        else:
            samples = [None]
        for sample in samples:
            url = path
            if sample is not None:
                for p in params:
                    url = url.replace("{" + p + "}", str(sample.kwargs[p]))
            for who, client in clients.items():
                user = users[who]
                allowed = expected_ok(perm, user)
                visible = sample is None or who in sample.visible_to
                if method == "GET":
                    response = client.get(url)
                else:
                    if allowed and visible:
                        continue  # writes by those allowed are the apps' own tests; here only refusals
                    body = (sample.body if sample is not None else None) or {}
                    response = client.generic(method, url, json.dumps(body), content_type="application/json")
                report.cases += 1
                status = response.status_code
                if status == 405:  # the route does not reach this operation at all: nothing shown, but say so
                    report.unreachable.add(f"{method} {path}")
                elif status >= 500:
                    report.wrong.append(f"{who} {method} {url}: {status}")
                elif not allowed:
                    if status not in (403, 404, 422):
                        report.wrong.append(f"{who} {method} {url}: {status}, expected 403")
                elif visible:
                    if method == "GET" and status != 200 and not (status == 422 and sample is None):
                        report.wrong.append(f"{who} GET {url}: {status}, expected 200")
                elif status not in (404, 403) and not (status == 422 and sample is not None and sample.body is None):
                    report.wrong.append(f"{who} {method} {url}: {status}, expected 404")
                check_body(report, who, f"{method} {url}", response, canary)

    slow = sorted(TIMING.items(), key=lambda kv: -kv[1])[:8]
    print("crawler slowest:", ", ".join(f"{k} {v:.1f}s" for k, v in slow))
    if report.unreachable:
        print("crawler: operations the URL router never reaches (405):", ", ".join(sorted(report.unreachable)))
    summary = f"crawler: {report.cases} cases, {len(report.leaks)} leaks"
    print(summary)
    problems = {
        "undeclared permission": report.undeclared,
        "parameters without registered samples": report.missing,
        "wrong status": report.wrong,
        "leaks": report.leaks,
        "CSP": sorted(set(report.csp)),
        "cacheable private answers": sorted(set(report.cache)),
        "views that raised": sorted(set(RAISED)),
    }
    text = "\n".join(f"{k} ({len(v)}):\n  " + "\n  ".join(v) for k, v in problems.items() if v)
    assert not text, summary + "\n" + text
