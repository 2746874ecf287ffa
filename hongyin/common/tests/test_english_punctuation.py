"""English sentences use English punctuation: no Chinese comma, full stop, colon, brackets or curly quotes."""

import re
from pathlib import Path

import polib
from django.conf import settings

PO = Path(settings.BASE_DIR) / "hongyin" / "locale" / "en" / "LC_MESSAGES" / "django.po"
CHINESE_PUNCTUATION = re.compile(r"[，。：；（）“”、！？《》【】]")


def test_english_translations_have_no_chinese_punctuation():
    bad = []
    for entry in polib.pofile(str(PO)):
        translations = entry.msgstr_plural.values() if entry.msgid_plural else [entry.msgstr]
        bad += [t for t in translations if CHINESE_PUNCTUATION.search(t)]
    assert not bad, bad[:20]


def test_counts_agree_with_their_nouns_in_english():
    from django.template.loader import render_to_string
    from django.utils import translation

    class Appeal:
        overdue = False

        def __init__(self, days_left):
            self.days_left = days_left
            self.overdue = days_left < 0

    with translation.override("en"):
        assert "1 working day left" in render_to_string("appeals/_countdown.html", {"a": Appeal(1)})
        assert "3 working days left" in render_to_string("appeals/_countdown.html", {"a": Appeal(3)})
        assert "1 working day overdue" in render_to_string("appeals/_countdown.html", {"a": Appeal(-1)})
        assert "7 working days overdue" in render_to_string("appeals/_countdown.html", {"a": Appeal(-7)})
    plural = [e for e in polib.pofile(str(PO)) if e.msgid_plural]
    same = [e.msgid for e in plural if e.msgstr_plural[0] == e.msgstr_plural[1] and "more" not in e.msgstr_plural[0]]
    assert not same, same
