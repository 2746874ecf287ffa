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
