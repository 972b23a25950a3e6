"""The Polish catalogue is complete and compiled: no English left for Polish readers."""

import ast
import gettext
from pathlib import Path

from django.conf import settings

PO_FILE = Path(settings.BASE_DIR) / "locale" / "pl" / "LC_MESSAGES" / "django.po"


def read_po_entries(path):
    """The entries of a .po file as dicts of keyword -> text, with a 'flags' set."""
    entries, entry, keyword = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if entry:
                entries.append(entry)
            entry, keyword = None, None
            continue
        entry = entry if entry is not None else {"flags": set()}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[keyword] += ast.literal_eval(line)
        else:
            keyword, _space, text = line.partition(" ")
            entry[keyword] = ast.literal_eval(text)
    return [e for e in entries if e.get("msgid")]


def translations(entry):
    return [text for keyword, text in entry.items() if keyword.startswith("msgstr")]


def test_every_string_has_a_polish_translation_that_is_not_fuzzy():
    entries = read_po_entries(PO_FILE)
    assert len(entries) > 100
    missing = [e["msgid"] for e in entries if not all(translations(e))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert missing == [] and fuzzy == []


def test_plural_strings_have_all_four_polish_forms():
    for entry in read_po_entries(PO_FILE):
        if "msgid_plural" in entry:
            assert len(translations(entry)) == 4, entry["msgid"]


def test_the_compiled_catalogue_matches_the_po_file():
    with PO_FILE.with_suffix(".mo").open("rb") as mo_file:
        catalogue = gettext.GNUTranslations(mo_file)._catalog
    for entry in read_po_entries(PO_FILE):
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        key = (msgid, 0) if "msgid_plural" in entry else msgid
        expected = entry.get("msgstr", entry.get("msgstr[0]"))
        assert catalogue.get(key) == expected, entry["msgid"]
