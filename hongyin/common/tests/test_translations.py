"""English must be complete: every message of the code and templates has a translation with the same placeholders."""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

PO = Path(settings.BASE_DIR) / "hongyin" / "locale" / "en" / "LC_MESSAGES" / "django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def test_english_catalogue_has_no_empty_or_fuzzy_entry():
    po = polib.pofile(str(PO))
    assert not po.untranslated_entries(), [e.msgid for e in po.untranslated_entries()][:20]
    assert not po.fuzzy_entries(), [e.msgid for e in po.fuzzy_entries()][:20]


def test_english_translations_keep_the_placeholders():
    bad = []
    for entry in polib.pofile(str(PO)):
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        bad += [entry.msgid for t in translations if sorted(PLACEHOLDER.findall(t)) != wanted]
    assert not bad, bad[:20]


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_every_message_in_the_code_is_in_the_catalogue(tmp_path, monkeypatch):
    # makemessages writes into any locale/ folder it walks past, so it runs on a copy of the sources
    src = tmp_path / "src"
    shutil.copytree(
        Path(settings.BASE_DIR) / "hongyin",
        src / "hongyin",
        ignore=shutil.ignore_patterns("static", "locale", "tests", "__pycache__", "migrations"),
    )
    target = tmp_path / "locale" / "en" / "LC_MESSAGES"
    target.mkdir(parents=True)
    monkeypatch.chdir(src)
    with override_settings(LOCALE_PATHS=[str(tmp_path / "locale")]):
        call_command(
            "makemessages",
            locale=["en"],
            no_location=True,
            verbosity=0,
            ignore_patterns=[],
        )
    fresh = {e.msgid for e in polib.pofile(str(target / "django.po")) if e.msgid}
    translated = {e.msgid for e in polib.pofile(str(PO)) if e.translated()}
    missing = sorted(fresh - translated)
    assert not missing, f"{len(missing)} messages lack an English translation (run `make messages`): {missing[:15]}"
