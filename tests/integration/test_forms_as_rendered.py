"""Every action form, submitted as the page renders it, reaches its view with every field the view requires
(issue 11, item 1: a development step could not be recorded because the form class required a field the template
never rendered, while the view tests posted it by hand).

As each demo role, every page the permission crawler reaches (its URL patterns and samples) plus one object per
workflow state (appeals, transfers, development cases) is opened; each <form method="post"> is read as a browser
would post it (hongyin.devtools.forms: hidden fields, defaults, the clicked submit button and its formaction), the
visible empty fields get valid filler (dates -> today, numbers -> 1, selects -> the first non-empty option, text ->
"测试") and it is posted inside a savepoint that is rolled back. While the view runs, every bound Django form that
is cleaned is inspected: a required field whose value the rendered markup can never send, or an error on a field
the markup lacks, is a defect. A 5xx is a defect too. Prints "forms as rendered: N forms, M posts, ...".
"""

import re
from collections import Counter
from datetime import date
from urllib.parse import urlsplit

import pytest
from django import forms as django_forms
from django.db import transaction
from django.test import Client
from django.urls import get_resolver, reverse
from django.utils.datastructures import MultiValueDict

from hongyin.common.crawl import REGISTRY, CrawlContext, autodiscover
from hongyin.common.permissions import PERM_ATTR, PUBLIC, SIGNED_IN
from hongyin.devtools.demo import DEMO_USERNAMES as ROLES
from hongyin.devtools.forms import RenderedForm, rendered_forms
from hongyin.devtools.sessions import login_as
from tests.security.test_crawler import ADMIN_NAMESPACE, API_PREFIX, make_canary, walk

pytestmark = pytest.mark.django_db

# Forms that end the session or switch the language: posting them changes the client, not the data.
SKIP_ACTIONS = re.compile(r"/accounts/logout|/i18n/|/logout")
PER_SHAPE = 2  # the same form (action with ids folded, same field names) posted at most this often per role


class Recorder:
    """Patches BaseForm.full_clean while a post runs: what each bound form required that the markup cannot send."""

    def __init__(self):
        self.markup: MultiValueDict | None = None
        self.files: dict = {}
        self.problems: list[str] = []
        self.errors: list[str] = []  # fields with errors in the last post (for the report)
        self.cleaned = 0

    def __enter__(self):
        self._original = django_forms.BaseForm.full_clean
        recorder = self

        def full_clean(form):
            recorder._original(form)
            if recorder.markup is not None and form.is_bound:
                recorder.inspect(form)

        django_forms.BaseForm.full_clean = full_clean
        return self

    def __exit__(self, *exc):
        django_forms.BaseForm.full_clean = self._original

    def inspect(self, form) -> None:
        self.cleaned += 1
        self.errors.extend(form.add_prefix(k) for k in form.errors)
        for name, field in form.fields.items():
            html_name = form.add_prefix(name)
            omitted = field.widget.value_omitted_from_data(self.markup, self.files, html_name)
            if not omitted:
                continue
            label = f"{type(form).__module__}.{type(form).__name__}.{name}"
            if field.required and not field.disabled:
                self.problems.append(f"{label}: required, but the page renders no {html_name!r}")
            elif name in form.errors:
                self.problems.append(f"{label}: {form.errors[name][0]} (the page renders no {html_name!r})")


def fill(form: RenderedForm, submitter: tuple[str, str, str]) -> dict:
    today = date.today()
    data = form.data()
    for name, kind in form.kinds.items():
        values = data.get(name) or []
        if kind == "hidden" or kind == "file" or any(v for v in values):
            continue
        if kind in ("checkbox", "radio"):
            if name in form.required and form.options.get(name):
                data[name] = [form.options[name][0]]
            continue
        if kind == "select":
            options = [o for o in form.options.get(name, []) if o]
            data[name] = options[:1]
        elif kind == "date":
            data[name] = today.isoformat()
        elif kind == "month":
            data[name] = today.strftime("%Y-%m")
        elif kind == "datetime-local":
            data[name] = today.isoformat() + "T09:00"
        elif kind == "time":
            data[name] = "09:00"
        elif kind == "number":
            data[name] = "1"
        elif kind == "email":
            data[name] = "ceshi@example.com"
        elif kind == "tel":
            data[name] = "13800000000"
        elif kind == "url":
            data[name] = "https://example.com/"
        elif kind == "password":
            continue  # credentials are not filler
        else:
            data[name] = "测试"
    if submitter[0]:
        data[submitter[0]] = submitter[1]
    return data


def markup_names(form: RenderedForm, submitter) -> tuple[MultiValueDict, dict]:
    names = {n: ["x"] for n, k in form.kinds.items() if k != "file"}
    names.update({n: ["x"] for n in form.fields})
    if submitter and submitter[0]:
        names[submitter[0]] = [submitter[1]]
    files = {n: "x" for n, k in form.kinds.items() if k == "file"}
    return MultiValueDict(names), files


def pages_for(who, user, ctx) -> list[str]:
    """One URL per pattern the role may open (the first sample it sees), GET patterns without parameters as is."""
    urls = []
    for route, name, pattern in walk(get_resolver()):
        if (name and name.split(":")[0] == ADMIN_NAMESPACE) or route.startswith(("admin/", API_PREFIX)):
            continue
        perm = getattr(pattern.callback, PERM_ATTR, None)
        if perm is None or (perm not in (PUBLIC, SIGNED_IN) and not user.has_role_perm(perm)):
            continue
        params = list(pattern.pattern.converters) if hasattr(pattern.pattern, "converters") else []
        if not params:
            urls.append("/" + route)
            continue
        if name not in REGISTRY:
            continue
        ctx.perm, ctx.current = perm, name
        for sample in REGISTRY[name](ctx):
            if who in sample.visible_to:
                kwargs = {k: v for k, v in sample.kwargs.items() if k in params}
                url = reverse(name, kwargs=kwargs)
                if sample.query:
                    from urllib.parse import urlencode

                    url += "?" + urlencode(sample.query)
                urls.append(url)
                break
    return urls


def workflow_objects() -> list[str]:
    """One object per state of each workflow, so that every state's action forms are rendered."""
    from hongyin.appeals.models import Appeal
    from hongyin.development.models import DevelopmentCase
    from hongyin.transfers.models import Transfer

    urls = []
    for model, attr, name in (
        (Appeal, "status", "appeals:detail"),
        (Transfer, "status", "transfers:detail"),
        (DevelopmentCase, "stage", "development:detail"),
    ):
        seen = set()
        for pk, state in model.objects.order_by("-pk").values_list("pk", attr):
            if state not in seen:
                seen.add(state)
                urls.append(reverse(name, args=[pk]))
    return urls


ERROR_TEXT = re.compile(r'class="(?:invalid-feedback[^"]*|alert alert-danger[^"]*)"[^>]*>(.*?)</div>', re.S)


def _said(answer) -> str:
    """The first error a refused answer shows (for the report)."""
    text = answer.content.decode("utf-8", errors="replace") if not answer.streaming else ""
    found = ERROR_TEXT.findall(text)
    return re.sub(r"<[^>]+>|\s+", " ", found[0]).strip()[:120] if found else "(no error shown)"


def shape(url: str, form: RenderedForm, submitter) -> str:
    action = re.sub(r"\d+", "N", urlsplit(url).path)
    return f"{action} {sorted(form.fields)} {submitter[:1] if submitter else ''}"


def test_every_rendered_form_carries_the_fields_its_view_requires(demo):
    autodiscover()
    import tests.security.crawl_samples  # noqa: F401
    from hongyin.accounts.models import User

    users = {u.username: u for u in User.objects.filter(username__in=ROLES)}
    ctx = CrawlContext(zone=demo, users=users, canary=make_canary(demo))
    extra = workflow_objects()
    posted: Counter = Counter()
    statuses: Counter = Counter()
    problems: list[str] = []
    raised: list[str] = []
    refused: list[str] = []
    forms_seen = no_button = 0
    with Recorder() as recorder:
        for who in ROLES:
            client = login_as(Client(), who)
            for page_url in pages_for(who, users[who], ctx) + extra:
                response = client.get(page_url)
                if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                    continue
                for form in rendered_forms(response.content.decode("utf-8", errors="replace")):
                    if form.method != "post":
                        continue
                    forms_seen += 1
                    if not form.submitters:  # nothing to click (e.g. a table wrapped for a role that may not act)
                        no_button += 1
                        continue
                    for submitter in form.submitters:
                        action = submitter[2] or form.action or page_url
                        if SKIP_ACTIONS.search(action):
                            continue
                        key = (who, shape(action, form, submitter))
                        if posted[key] >= PER_SHAPE:
                            continue
                        posted[key] += 1
                        recorder.markup, recorder.files = markup_names(form, submitter)
                        before = len(recorder.problems)
                        recorder.errors = []
                        try:
                            with transaction.atomic():
                                answer = client.post(action, fill(form, submitter))
                                transaction.set_rollback(True)
                            statuses[answer.status_code // 100 * 100] += 1
                            if 400 <= answer.status_code < 500:
                                said = f"{_said(answer)} {recorder.errors}"
                                refused.append(f"{answer.status_code} {who} {action}: {said}")
                            if answer.status_code >= 500:
                                raised.append(f"{who} POST {action} (form on {page_url}): {answer.status_code}")
                        except Exception as exc:  # the test client re-raises a view's exception
                            raised.append(f"{who} POST {action} (form on {page_url}): {type(exc).__name__}: {exc}")
                        finally:
                            recorder.markup = None
                        for problem in recorder.problems[before:]:
                            problems.append(f"{who} POST {action} (form on {page_url}): {problem}")
    total = sum(posted.values())
    print(
        f"forms as rendered: {forms_seen} post forms on pages ({no_button} without a submit button), "
        f"{len(posted)} distinct forms, {total} posts, "
        f"{recorder.cleaned} bound Django forms inspected, answers {dict(sorted(statuses.items()))}"
    )
    print("refused as rendered (with filler values):", *refused, sep="\nrefused: ")
    assert recorder.cleaned > 50, "too few bound forms were inspected: the check would prove nothing"
    assert not problems, "fields the view requires but the page never renders:\n  " + "\n  ".join(sorted(set(problems)))
    assert not raised, "forms that fail as rendered:\n  " + "\n  ".join(sorted(set(raised)))


def test_the_recorder_flags_a_required_field_the_markup_never_renders():
    """The defect of issue 11 in miniature: the form class needs `step`, the template renders only `done_on`."""

    class StepForm(django_forms.Form):
        done_on = django_forms.DateField()
        step = django_forms.IntegerField(widget=django_forms.HiddenInput)
        note = django_forms.CharField(required=False)
        agree = django_forms.BooleanField(required=False)

    (form,) = rendered_forms(
        '<form method="post"><input type="date" name="done_on"><input name="note"><button>记录</button></form>'
    )
    submitter = form.submitters[0]
    original = django_forms.BaseForm.full_clean
    with Recorder() as recorder:
        recorder.markup, recorder.files = markup_names(form, submitter)
        bound = StepForm(fill(form, submitter))
        assert not bound.is_valid()
    assert recorder.problems == [f"{__name__}.StepForm.step: required, but the page renders no 'step'"]
    assert django_forms.BaseForm.full_clean is original  # the patch is undone
