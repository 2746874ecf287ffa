"""Every page, read in English by every demo role, shows words: no raw code, no Chinese punctuation inside an
English sentence, no "1 items" (issue 11, item 9).

As each demo role with the language set to English, every page the role may open is fetched (the permission
crawler's URL patterns and samples, plus one object per workflow state so that every timeline is read) and its
visible text (text nodes and placeholders; not scripts, styles, tooltips, <pre>/<code> blocks, URLs, e-mail
addresses or file names) is checked for:

- a raw dotted code (`auth.otp_verify`, `member.create`, `members.member`): an action or object code shown as is;
- a Chinese comma, full stop, semicolon, colon, enumeration comma or bracket touching an English word (a label
  translated around a Chinese template, "Overdue：3");
- a count of one with a plural noun ("1 items", "1 working days"): counts agree with their nouns (ngettext);
- in a chart (the ECharts option of a `data-chart` attribute): a label that is a bare code (`male`, `probationary`),
  Chinese punctuation touching an English word, or a pie without a legend.

Chinese data (names, addresses, appeal texts) keeps its own punctuation: only punctuation next to an English word
counts. Prints "english pages: N pages, M roles".
"""

import json
import re
from collections import defaultdict
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client

from hongyin.common.crawl import CrawlContext, autodiscover
from hongyin.devtools.demo import DEMO_USERNAMES as ROLES
from hongyin.devtools.sessions import login_as
from tests.integration.test_forms_as_rendered import pages_for, workflow_objects
from tests.security.test_crawler import make_canary

pytestmark = pytest.mark.django_db

HIDDEN = {"script", "style", "template", "pre", "code", "noscript", "svg"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
URL_OR_MAIL = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|/\S*")
FILE_NAME = re.compile(r"\b[\w.-]+\.(?:xlsx|xls|csv|pdf|docx?|pptx?|png|jpe?g|gif|zip|txt|json|ofd|wps)\b", re.I)
CODE = re.compile(r"\b[a-z_]+\.[a-z_]+\b")
NOT_CODES = {"e.g", "i.e", "n.e"}  # "n.e.c." (not elsewhere classified) in GB/T 4754 names
CHINESE_PUNCTUATION = re.compile(r"[A-Za-z]{2,}\s?[，。；：、（）]|[，。；：、（）]\s?[A-Za-z]{2,}")
ONE_PLURAL = re.compile(r"(?<![\d.,])\b1 (?:working |party |probationary |full |open |new |unread )?([a-z]+s)\b")
NOT_PLURALS = {"is", "was", "has", "does", "this", "its", "as", "us", "plus", "less", "status", "gps", "yes"}


class VisibleText(HTMLParser):
    """The text a reader sees: text nodes outside HIDDEN elements, and placeholders (read in an empty field)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.parts: list[str] = []
        self.charts: list[str] = []  # the ECharts options of data-chart attributes

    def handle_starttag(self, tag, attrs):
        if dict(attrs).get("data-chart"):
            self.charts.append(dict(attrs)["data-chart"])
        if tag in HIDDEN:
            self.depth += 1
        elif not self.depth:
            placeholder = dict(attrs).get("placeholder")
            if placeholder:
                self.parts.append(placeholder)
            if tag in VOID or tag in ("td", "th", "li", "p", "div", "option", "dd", "dt", "br", "tr"):
                self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in HIDDEN:
            self.depth = max(0, self.depth - 1)
        elif tag in ("td", "th", "li", "p", "div", "option", "dd", "dt", "tr", "h1", "h2", "h3", "h4", "h5", "a"):
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def read(html: str) -> tuple[str, list[str]]:
    """The visible text of a page, and the options of its charts."""
    parser = VisibleText()
    parser.feed(html)
    text = "\n".join(re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in "".join(parser.parts).split("\n"))
    return text, parser.charts


def visible_text(html: str) -> str:
    return read(html)[0]


BARE_CODE = re.compile(r"^[a-z][a-z_]*(?:\.[a-z_]+)*$")


def chart_labels(option: dict) -> list[str]:
    """Every text a chart draws: title, legend, axis categories and names, series and slice names."""
    labels = []

    def texts(value):
        return [v if isinstance(v, str) else v.get("name", "") for v in value or [] if isinstance(v, str | dict)]

    for key in ("title", "legend", "xAxis", "yAxis", "series"):
        parts = option.get(key) or []
        for part in parts if isinstance(parts, list) else [parts]:
            if isinstance(part, dict):
                labels += [part.get("text", ""), part.get("name", ""), *texts(part.get("data"))]
    return [label for label in labels if isinstance(label, str) and label]


def chart_problems(raw: str) -> list[str]:
    try:
        option = json.loads(raw)
    except ValueError:
        return [f"chart option is not JSON: {raw[:80]!r}"]
    found = []
    for label in chart_labels(option):
        if BARE_CODE.match(label):
            found.append(f"chart label is a bare code {label!r}")
        elif CHINESE_PUNCTUATION.search(label):
            found.append(f"Chinese punctuation in chart label {label!r}")
    series = option.get("series") or []
    if any(isinstance(s, dict) and s.get("type") == "pie" for s in series) and not option.get("legend"):
        found.append(f"pie chart without a legend: {option.get('title', {}).get('text', '')!r}")
    return found


def problems_in(text: str) -> list[str]:
    """What a reader of English would stumble on in one page's visible text."""
    found = []
    for line in text.split("\n"):
        if not line:
            continue
        plain = FILE_NAME.sub(" ", URL_OR_MAIL.sub(" ", line))
        for code in CODE.findall(plain):
            if code not in NOT_CODES:
                found.append(f"raw code {code!r} in {line[:100]!r}")
        for mark in CHINESE_PUNCTUATION.findall(line):
            found.append(f"Chinese punctuation {mark!r} in {line[:100]!r}")
        for noun in ONE_PLURAL.findall(line):
            if noun not in NOT_PLURALS:
                found.append(f"count of one with a plural {noun!r} in {line[:100]!r}")
    return found


def test_the_checks_catch_what_they_are_for():
    page = (
        "<html><head><title>Audit</title><script>var a = 'x.y';</script></head><body>"
        "<td title='auth.otp_verify'>auth.otp_verify</td><p>Overdue：3</p><p>1 items</p><p>1 working days left</p>"
        "<p>Write to ops@hongyin.example or see https://zone.example/a.b and report.xlsx</p>"
        "<pre>{'k': 'members.member'}</pre><p>张三（党支部）、李四</p><p>Other manufacturing n.e.c.</p>"
        "<p>1 item · 3 items · 21 items · page 1 of 3</p><input placeholder='member.create'></body></html>"
    )
    found = problems_in(visible_text(page))
    assert found == [
        "raw code 'auth.otp_verify' in 'auth.otp_verify'",
        "Chinese punctuation 'Overdue：' in 'Overdue：3'",
        "count of one with a plural 'items' in '1 items'",
        "count of one with a plural 'days' in '1 working days left'",
        "raw code 'member.create' in 'member.create'",
    ], found
    assert chart_problems(json.dumps({"series": [{"type": "pie", "data": [{"name": "male", "value": 3}]}]})) == [
        "chart label is a bare code 'male'",
        "pie chart without a legend: ''",
    ]
    legend = {"legend": {"data": ["Male"]}, "series": [{"type": "pie", "data": [{"name": "Male", "value": 3}]}]}
    assert chart_problems(json.dumps(legend)) == []


def test_every_page_in_english_shows_words_not_codes(demo):
    autodiscover()
    import tests.security.crawl_samples  # noqa: F401
    from hongyin.accounts.models import User

    users = {u.username: u for u in User.objects.filter(username__in=ROLES)}
    ctx = CrawlContext(zone=demo, users=users, canary=make_canary(demo))
    extra = workflow_objects()
    where: dict[str, set[str]] = defaultdict(set)  # problem -> "role page" (one line per problem in the report)
    pages = charts_seen = 0
    for who in ROLES:
        client = login_as(Client(), who)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        for url in pages_for(who, users[who], ctx) + extra:
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            pages += 1
            assert response.get("Content-Language") == "en", url
            text, charts = read(response.content.decode("utf-8", errors="replace"))
            charts_seen += len(charts)
            for problem in problems_in(text) + [p for c in charts for p in chart_problems(c)]:
                where[problem].add(f"{who} {url}")
    print(f"english pages: {pages} pages, {charts_seen} charts, {len(ROLES)} roles")
    assert pages > 100 and charts_seen > 5, "too few pages or charts were read: the check would prove nothing"
    report = [f"{p}  (e.g. {sorted(w)[0]}; {len(w)} pages)" for p, w in sorted(where.items())]
    assert not report, f"{len(report)} problems in English pages:\n  " + "\n  ".join(report)
