"""Every audit action code written anywhere has a label in both languages, and no page shows a raw code."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from hongyin.audit import services as audit
from hongyin.audit.labels import ACTION_LABELS, action_label, all_codes, workflows

SOURCES = Path(settings.BASE_DIR) / "hongyin"
LITERAL = re.compile(r"""["']([a-z_]+\.[a-z0-9_]+)["']""")
ACTION_ARG = re.compile(r"\baction=([^,\n]+(?:\s+if\s+[^,\n]+)?)")
ADMIN_AUDIT = re.compile(r"""_audit\(request,\s*"([a-z_.]+)\"""")

# `action=` arguments that are not literals, and where their codes come from (checked below).
DYNAMIC = {
    "action": "a workflow's own action, or a variable holding a literal code",
    'f"{self.key}.{action}"': "workflow moves: the flows' transitions",
    'f"step_{step}"': "development steps: DEVELOPMENT_FLOW",
    "kind": "enterprise imports: SPECS keys",
    'f"{kind}.import" if not dry_run else f"{kind}.import_check"': "member and organization imports",
    'row["action"]': "an archived event read back",
    'a.get("action"': "devtools.forms: an HTML form's action, not an audit code",
    'f"{kind.key}.import"': "the import pipeline's kinds (hongyin.imports)",
    'f"{kind.key}.import_check"': "the import pipeline's kinds (hongyin.imports)",
    '"manual").exists():': "the points ledger's own action field (hongyin.points), not an audit code",
    "a": "the points rules' action field (hongyin.points), not an audit code",
    "Action.MANUAL": "the points ledger's own action field (hongyin.points), not an audit code",
}


def _sources():
    for path in SOURCES.rglob("*.py"):
        parts = path.relative_to(SOURCES).parts
        if "tests" in parts or "migrations" in parts:
            continue
        yield path, path.read_text(encoding="utf-8")


def _written_codes() -> tuple[set[str], set[str]]:
    """(literal codes passed as action= or to the admin's _audit, the non-literal action= expressions)"""
    codes, dynamic = set(), set()
    for _path, text in _sources():
        for match in ACTION_ARG.finditer(text):
            expression = match.group(1).strip().rstrip(")")
            found = LITERAL.findall(expression)
            if found:
                codes.update(found)
            elif not re.fullmatch(r"""["'][a-z_]*["']""", expression):  # argparse's store_true and the like
                dynamic.add(expression)
        codes.update(ADMIN_AUDIT.findall(text))
    return codes, dynamic


def _import_codes() -> set[str]:
    from hongyin.enterprises.imports import SPECS

    members = {f"{kind}.{suffix}" for kind in ("members", "orgs") for suffix in ("import", "import_check")}
    from hongyin.audit.labels import import_kinds

    pipeline = {f"{key}.{suffix}" for key in import_kinds() for suffix in ("import", "import_check")}
    return set(SPECS) | members | pipeline


def test_every_action_code_written_in_the_sources_has_a_label():
    codes, dynamic = _written_codes()
    assert len(codes) > 80  # the scan found the calls
    assert {"auth.otp_verify", "member.create", "admin.change", "enterprise.link_refuse"} <= codes
    assert dynamic <= set(DYNAMIC), f"a new computed action code: add its labels, then list it here: {dynamic}"
    missing = sorted((codes | _import_codes()) - all_codes())
    assert not missing, f"action codes without a label in hongyin/audit/labels.py: {missing}"


def test_every_workflow_move_has_a_label_in_both_languages():
    for flow in workflows():
        for action in flow.by_action:
            code = f"{flow.key}.{action}"
            with translation.override("zh-hans"):
                zh = action_label(code)
            with translation.override("en"):
                en = action_label(code)
            assert zh != en and "." not in en and re.search(r"[\u4e00-\u9fff]", zh), (code, zh, en)
    assert {"development.step_2", "transfer.accept", "appeal.reopen"} <= all_codes()


def test_every_fixed_label_is_translated_into_english():
    with translation.override("en"):
        chinese = [code for code, label in ACTION_LABELS.items() if re.search(r"[\u4e00-\u9fff]", str(label))]
        assert action_label("no.such_code") == "Other action"
    assert not chinese, chinese


def _visible(html: str) -> str:
    html = re.sub(r"(?s)<script.*?</script>|<style.*?</style>", " ", html)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.django_db
def test_the_audit_list_in_english_shows_labels_not_codes(as_user):
    codes = sorted(all_codes())
    for code in codes:
        audit.record(action=code, details={})
    client = as_user("audit_admin")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = ""
    for page in range(1, len(codes) // 50 + 3):
        text += _visible(client.get(reverse("audit:list"), {"page": page}).content.decode())
    shown = sorted(c for c in codes if re.search(rf"(?<![\w.]){re.escape(c)}(?![\w.])", text))
    assert not shown, shown[:20]
    assert "Signed in" in text and "Appeal: Accept" in text


@pytest.mark.django_db
def test_the_member_timeline_in_english_shows_labels_not_codes(as_user, branch, make_member):
    member = make_member(branch)
    audit.record(action="member.create", obj=member, org=branch)
    audit.record(action="member.update", obj=member, org=branch)
    client = as_user("branch_secretary")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    text = _visible(client.get(reverse("members:detail", args=[member.pk])).content.decode())
    assert "member.create" not in text and "member.update" not in text
    assert "Member registered" in text and "Member details changed" in text


@pytest.mark.django_db
def test_the_filter_bar_fits_the_page(as_user):
    """Every filter is a Bootstrap control in a responsive column (two per row on a phone, one row on a desktop)."""
    body = as_user("audit_admin").get(reverse("audit:list")).content.decode()
    form = re.search(r'<form class="row g-2 mb-3".*?</form>', body, re.S).group(0)
    controls = re.findall(r"<(?:input|select)[^>]*>", form)
    assert len(controls) == 7
    assert all(re.search(r'class="form-(control|select) form-(control|select)-sm"', c) for c in controls), controls
    assert form.count('class="col-6 col-md-3 col-xl"') == 7
