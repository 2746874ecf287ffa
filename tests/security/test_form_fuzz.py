"""No 500 on any input (issue 17, item 8): every <form method="post"> on every page the permission crawler reaches
(as each demo role, with the crawler's samples) gets garbage in each of its fields — the other fields keep the
values the page offers — and must answer below 500 (a form error, a message and a redirect, or a 4xx). Posted
ids go through hongyin.common.posted. Prints "form fuzz: N forms, M fields, K posts, J 5xx".
"""

import re
import time
from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import get_resolver, reverse

from hongyin.common.crawl import REGISTRY, CrawlContext, autodiscover
from hongyin.common.permissions import PERM_ATTR
from hongyin.devtools.demo import DEMO_USERNAMES as ROLES
from hongyin.devtools.sessions import login_as

from .test_crawler import ADMIN_NAMESPACE, API_PREFIX, make_canary, walk

pytestmark = pytest.mark.django_db

GARBAGE = ["abc", "1;DROP TABLE x", "", "99999999999999999999", "-1", "１２", "²", "1.5"]
BUDGET_SECONDS = 100
# Forms that end the session or change the signed-in account's own credentials: fuzzing them would sign the role out.
SKIP_ACTIONS = re.compile(r"/accounts/(logout|password|security|otp|two-factor)|/logout")


class Forms(HTMLParser):
    """The post forms of a page: action and [(name, value, kind)] (a select's first option, a textarea's text)."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, list]] = []
        self._fields = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            if (a.get("method") or "get").lower() == "post" or "hx-post" in a:
                self._fields = []
                self.forms.append((a.get("action") or a.get("hx-post") or "", self._fields))
            else:
                self._fields = None
        elif self._fields is None or not a.get("name"):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                self._fields.append((a["name"], None, kind))
            elif kind not in ("submit", "button", "image", "reset"):
                self._fields.append((a["name"], a.get("value", ""), kind))
        elif tag == "select":
            self._select = [a["name"], None]
            self._fields.append(self._select)
        elif tag == "option" and self._select is not None and self._select[1] is None:
            self._select[1] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = [a["name"], "", "textarea"]
            self._fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._fields = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def post_forms(html: str) -> list[tuple[str, dict, list[str]]]:
    parser = Forms()
    parser.feed(html)
    out = []
    for action, fields in parser.forms:
        data, names = {}, []
        for field in fields:
            name, value = field[0], field[1]
            kind = field[2] if len(field) > 2 else "select"
            if name == "csrfmiddlewaretoken" or kind == "file":
                continue
            if name not in names:
                names.append(name)
            if value is not None:
                data.setdefault(name, value)
        out.append((action, data, names))
    return out


def pages(ctx, users):
    """(role, url) of every page the crawler reaches that the role may open."""
    for route, name, pattern in walk(get_resolver()):
        if (name and name.split(":")[0] == ADMIN_NAMESPACE) or route.startswith(("admin/", API_PREFIX)):
            continue
        perm = getattr(pattern.callback, PERM_ATTR, None)
        if perm is None:
            continue
        params = list(pattern.pattern.converters) if hasattr(pattern.pattern, "converters") else []
        if not params:
            yield from ((who, "/" + route) for who in users)
            continue
        if name not in REGISTRY:
            continue
        ctx.perm, ctx.current = perm, name
        for sample in REGISTRY[name](ctx):
            kwargs = {k: v for k, v in sample.kwargs.items() if k in params}
            for who in sample.visible_to:
                yield who, reverse(name, kwargs=kwargs)


def test_garbage_in_any_posted_field_is_never_a_500(demo):
    autodiscover()
    import tests.security.crawl_samples  # noqa: F401
    from hongyin.accounts.models import User

    users = {u.username: u for u in User.objects.filter(username__in=ROLES)}
    ctx = CrawlContext(zone=demo, users=users, canary=make_canary(demo))
    clients = {name: login_as(Client(raise_request_exception=False), name) for name in ROLES}
    seen_forms: dict[tuple, tuple[str, str, dict, list]] = {}
    for who, url in pages(ctx, users):
        response = clients[who].get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for action, data, names in post_forms(response.content.decode()):
            target = action or url
            if not target.startswith("/") or SKIP_ACTIONS.search(target):
                continue
            key = (re.sub(r"\d+", "N", target.split("?")[0]), tuple(sorted(names)))
            seen_forms.setdefault(key, (who, target, data, names))

    started = time.monotonic()
    posts, fields, errors = 0, 0, []
    for index, (who, target, data, names) in enumerate(seen_forms.values()):
        for n, field in enumerate(names):
            fields += 1
            # every field gets "abc" and two more values, in turn: all values over the fields of a form
            values = {"abc", GARBAGE[(index + n) % len(GARBAGE)], GARBAGE[(index + n + 3) % len(GARBAGE)]}
            for value in sorted(values):
                if time.monotonic() - started > BUDGET_SECONDS:
                    break
                response = clients[who].post(target, {**data, field: value})
                posts += 1
                if response.status_code >= 500:
                    errors.append(f"{who} POST {target} {field}={value!r}: {response.status_code}")
    print(f"form fuzz: {len(seen_forms)} forms, {fields} fields, {posts} posts, {len(errors)} 5xx")
    assert len(seen_forms) > 20 and posts > 100
    assert not errors, "\n".join(errors[:40])
