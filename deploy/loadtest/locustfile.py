"""Hongyin's load test: a mix of roles on the pages they use every day (scripts/loadtest.sh runs it; `make loadtest`).

Every simulated user works with its own session, made before the run (make_sessions.py, sessions.json in
LOADTEST_SESSIONS), so nobody passes the login form. Requests are named by URL pattern ("/appeals/[id]/"), not by
id, so the report has one line per page. Forms are posted as the page renders them (hidden inputs, CSRF token,
the version of the record), filled like a person would. A request fails when the answer is not 2xx, when a page
lands on the sign-in or second-factor page (the session was lost), or when a form is refused where it should not be.

LOADTEST_ALONE=1: short pauses; the script runs one user of one class at a time to measure each page alone."""

import json
import os
import random
import re
import sys
import time
from html.parser import HTMLParser
from itertools import count
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from locust import HttpUser, between, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mix import MIX

ALONE = os.environ.get("LOADTEST_ALONE") == "1"
_data = json.loads(Path(os.environ["LOADTEST_SESSIONS"]).read_text()) if os.environ.get("LOADTEST_SESSIONS") else {}
_next = {name: count() for name in MIX}
rng = random.Random()  # noqa: S311  load, not secrets
WAIT = (0.1, 0.3) if ALONE else tuple(float(x) for x in os.environ.get("LOADTEST_WAIT", "3,9").split(","))
# The refusals that are right answers under concurrency: another user moved the appeal first (the version the form
# carries is stale, or the state no longer allows the action). Any other 422 is an error.
STALE = ("已被他人处理", "不能执行")
SIGN_IN_PATHS = ("/accounts/login/", "/accounts/otp/", "/accounts/password/")
IDS = re.compile(r"/\d+(?=/|$)")


def pattern(path: str) -> str:
    """/appeals/123/rate/ -> /appeals/[id]/rate/ (query strings dropped)."""
    return IDS.sub("/[id]", urlsplit(path).path)


class Forms(HTMLParser):
    """The forms of a page: action, method and the fields as a browser would send them untouched."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"action": a.get("action") or "", "method": (a.get("method") or "get").lower(), "fields": {}}
            self._form["options"] = {}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio"):
                self._form["options"].setdefault(a["name"], []).append(a.get("value", "on"))
                if "checked" in a:
                    self._form["fields"][a["name"]] = a.get("value", "on")
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._form["fields"][a["name"]] = a.get("value", "")
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
            self._form["options"][self._select] = []
        elif tag == "option" and self._select:
            value = a.get("value", "")
            if value:
                self._form["options"][self._select].append(value)
            if "selected" in a or (self._select not in self._form["fields"] and value):
                self._form["fields"][self._select] = value
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form["fields"][self._textarea] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._form is not None and self._textarea:
            self._form["fields"][self._textarea] += data


def forms_of(html: str) -> list[dict]:
    parser = Forms()
    parser.feed(html)
    return parser.forms


def form_ending(html: str, suffix: str) -> dict | None:
    """The POST form whose action ends with `suffix` (e.g. "/rate/"), or None."""
    for form in forms_of(html):
        if form["method"] == "post" and urlsplit(form["action"]).path.endswith(suffix):
            return form
    return None


def links(html: str, regex: str) -> list[str]:
    return sorted(set(re.findall(regex, html)))


class Browser(HttpUser):
    """A signed-in person: one session for the whole run, pages named by pattern."""

    abstract = True
    wait_time = between(*WAIT)

    def on_start(self):
        name = type(self).__name__
        keys = _data["sessions"][name]
        self.client.cookies.set(_data["cookie"], keys[next(_next[name]) % len(keys)])

    def _check(self, response, expect=(200,)):
        if response.status_code == 0:  # no answer at all: say why (connection reset, refused, timed out)
            response.failure(f"no answer: {response.error!r}"[:200])
        elif response.status_code not in expect:
            response.failure(f"HTTP {response.status_code}")
        elif any(urlsplit(response.url).path.startswith(p) for p in SIGN_IN_PATHS):
            response.failure("landed on the sign-in page: the session was lost")
        else:
            response.success()

    def page(self, path: str, name: str | None = None) -> str:
        with self.client.get(path, name=name or pattern(path), catch_response=True) as response:
            self._check(response)
            return response.text if response.ok else ""

    def post_form(self, page_url: str, form: dict, fields: dict, name: str, refusals=()) -> str:
        """POST a rendered form with some fields filled in. `refusals`: the answers that are a correct refusal
        under concurrency (another user moved the record first: a 422 that names the reason)."""
        data = {**form["fields"], **fields}
        url = urljoin(self.host + page_url, form["action"]) if form["action"] else self.host + page_url
        with self.client.post(url, data=data, name=name, catch_response=True) as response:
            if response.status_code == 422 and any(r in response.text for r in refusals):
                response.success()  # counted, not an error: the page said clearly why
                return ""
            self._check(response)
            return response.text


class Member(Browser):
    """A party member looking at their own record, dues and points (the phone's daily visit)."""

    weight = MIX["Member"][0]

    @task(3)
    def workbench(self):
        self.page("/")

    @task(3)
    def my_record(self):
        self.page("/members/me/")

    @task(3)
    def my_dues(self):
        self.page("/dues/mine/")

    @task(2)
    def my_points(self):
        self.page("/points/")

    @task(1)
    def notifications(self):
        self.page("/notifications/")


class Secretary(Browser):
    """A branch secretary on the roster, the meetings of the branch and the dues ledger."""

    weight = MIX["Secretary"][0]

    @task(3)
    def roster(self):
        self.page("/orglife/roster/")

    @task(3)
    def meetings(self):
        html = self.page("/orglife/")
        ids = links(html, r'href="/orglife/(\d+)/"')
        if ids:
            self.page(f"/orglife/{rng.choice(ids)}/")

    @task(1)
    def standing(self):
        self.page("/orglife/standing/")

    @task(2)
    def ledger(self):
        self.page("/dues/")

    @task(1)
    def members(self):
        self.page("/members/")


class EnterpriseContact(Browser):
    """An enterprise's contact: files an appeal, rates answered ones, reads the policies pushed to the firm."""

    weight = MIX["EnterpriseContact"][0]

    @task(3)
    def portal(self):
        html = self.page("/appeals/portal/")
        ids = links(html, r'href="/appeals/(\d+)/"')
        if not ids:
            return
        pk = rng.choice(ids)
        detail = self.page(f"/appeals/{pk}/")
        form = form_ending(detail, "/rate/")
        if form:
            rating = rng.choice(form["options"].get("rating") or ["satisfied"])
            comment = "响应及时，问题已解决。" if rng.random() < 0.5 else ""
            if rating == "dissatisfied":  # the form asks why (a person reads the hint and writes it)
                comment = "答复未解决用电增容的时间问题。"
            self.post_form(
                f"/appeals/{pk}/",
                form,
                {"rating": rating, "comment": comment},
                name="/appeals/[id]/rate/",
                refusals=(*STALE, "已评价过"),
            )

    @task(2)
    def file_appeal(self):
        html = self.page("/appeals/new/")
        form = next((f for f in forms_of(html) if f["method"] == "post" and "title" in f["fields"]), None)
        if form is None:
            return
        fields = {
            "title": f"压测诉求 {int(time.time() * 1000) % 10**8}",
            "content": "公司新建产线需要协调用电增容，请相关部门给予支持。",
        }
        for name in ("enterprise", "category"):
            if not form["fields"].get(name) and form["options"].get(name):
                fields[name] = rng.choice(form["options"][name])
        self.post_form("/appeals/new/", form, fields, name="/appeals/new/")

    @task(3)
    def policies(self):
        html = self.page("/policies/received/")
        ids = links(html, r'href="/policies/(\d+)/"')
        if ids:
            self.page(f"/policies/{rng.choice(ids)}/")


class Handler(Browser):
    """A department handler working the queue: opens the most urgent appeals, signs for them, answers."""

    weight = MIX["Handler"][0]

    @task(4)
    def queue(self):
        html = self.page("/appeals/queue/")
        ids = links(html, r'href="/appeals/(\d+)/"')
        if not ids:
            return
        pk = rng.choice(ids[:20])
        detail = self.page(f"/appeals/{pk}/")
        stale = STALE
        form = form_ending(detail, "/accept/")
        if form:
            self.post_form(f"/appeals/{pk}/", form, {}, name="/appeals/[id]/accept/", refusals=stale)
            return
        final = form_ending(detail, "/reply_final/")
        if final and rng.random() < 0.4:  # answered for good: the zone closes it, the enterprise rates it
            text = "已协调供电部门完成增容方案，问题已解决。"
            fields = {"text": text, "resolved": "1"}
            self.post_form(f"/appeals/{pk}/", final, fields, name="/appeals/[id]/reply_final/", refusals=stale)
            return
        form = form_ending(detail, "/reply/")
        if form and rng.random() < 0.5:
            text = "已联系企业了解情况，正在协调办理，预计一周内答复。"
            self.post_form(f"/appeals/{pk}/", form, {"text": text}, name="/appeals/[id]/reply/", refusals=stale)

    @task(1)
    def appeals(self):
        self.page("/appeals/")

    @task(1)
    def workbench(self):
        self.page("/")


class Zone(Browser):
    """The zone's organization department on the workbench, the statistics and the compliance pages."""

    weight = MIX["Zone"][0]

    @task(3)
    def workbench(self):
        self.page("/")

    @task(2)
    def member_stats(self):
        self.page("/members/stats/")

    @task(2)
    def appeal_stats(self):
        self.page("/appeals/stats/")

    @task(1)
    def compliance(self):
        self.page("/orglife/compliance/")

    @task(1)
    def dues_report(self):
        self.page("/dues/report/")

    @task(1)
    def organizations(self):
        self.page("/orgs/")

    @task(1)
    def close_answered(self):
        """The zone office closes an appeal answered for good (then its enterprise may rate it)."""
        html = self.page("/appeals/?status=replied", name="/appeals/?status=replied")
        ids = links(html, r'href="/appeals/(\d+)/"')
        if not ids:
            return
        pk = rng.choice(ids)
        form = form_ending(self.page(f"/appeals/{pk}/"), "/close/")
        if form:
            refusals = STALE
            self.post_form(
                f"/appeals/{pk}/", form, {"note": "企业确认已解决。"}, name="/appeals/[id]/close/", refusals=refusals
            )


class ApiClient(HttpUser):
    """A program with a personal read-only token (the zone's reporting system) pulling lists and figures."""

    weight = MIX["ApiClient"][0]
    wait_time = between(*WAIT)

    def on_start(self):
        self.client.headers["Authorization"] = f"Bearer {_data['token']}"

    def _get(self, path, name):
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code == 0:
                response.failure(f"no answer: {response.error!r}"[:200])
            elif response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            return response

    @task(3)
    def members(self):
        offset = rng.choice((0, 50, 100))
        self._get(f"/api/v1/members?limit=50&offset={offset}", "/api/v1/members")

    @task(2)
    def appeals(self):
        self._get("/api/v1/appeals/", "/api/v1/appeals/")

    @task(1)
    def appeal_stats(self):
        self._get("/api/v1/appeals/stats", "/api/v1/appeals/stats")

    @task(1)
    def enterprises(self):
        self._get("/api/v1/enterprises/", "/api/v1/enterprises/")
