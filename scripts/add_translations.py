"""Add or update English translations in the one catalogue, safely while others do the same.

    .venv/bin/python scripts/add_translations.py FILE.json     # {"中文": "English", ...}
    .venv/bin/python scripts/add_translations.py - < FILE.json

Takes an exclusive lock on the catalogue, so parallel edits do not lose each other's entries, then compiles.
A msgid with a context is written as "context\x04msgid" in the JSON key. A message with plural forms (ngettext,
blocktranslate count) takes a list ["one form", "other form"] as its English; its msgid_plural is the msgid (Chinese
has one form) unless the key is written "msgid\x00msgid_plural".
"""

import fcntl
import json
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "hongyin" / "locale" / "en" / "LC_MESSAGES" / "django.po"


def main(source: str) -> None:
    if source == "-":
        entries = json.load(sys.stdin)
    else:
        with open(source, encoding="utf-8") as given:
            entries = json.load(given)
    with open(str(PO) + ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        po = polib.pofile(str(PO), wrapwidth=0)
        added = updated = 0
        for key, english in entries.items():
            context, _, msgid = key.rpartition("\x04")
            msgid, _, plural = msgid.partition("\x00")
            # None: the entry without a context (False would match an entry of any context)
            entry = po.find(msgid, msgctxt=context or None)
            if isinstance(english, list):  # plural forms
                forms = {i: form for i, form in enumerate(english)}
                if entry is None:
                    po.append(
                        polib.POEntry(
                            msgid=msgid,
                            msgid_plural=plural or msgid,
                            msgstr_plural=forms,
                            msgctxt=context or None,
                            flags=["python-format"] if "%" in msgid else [],
                        )
                    )
                    added += 1
                elif entry.msgstr_plural != forms:
                    entry.msgid_plural = entry.msgid_plural or plural or msgid
                    entry.msgstr_plural = forms
                    entry.flags = [f for f in entry.flags if f != "fuzzy"]
                    updated += 1
            elif entry is None:
                po.append(polib.POEntry(msgid=msgid, msgstr=english, msgctxt=context or None))
                added += 1
            elif entry.msgstr != english:
                entry.msgstr = english
                entry.flags = [f for f in entry.flags if f != "fuzzy"]
                updated += 1
        po.save()
        po.save_as_mofile(str(PO.with_suffix(".mo")))  # compiled here: the project may be mid-change
    print(f"{added} added, {updated} updated")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "-")
