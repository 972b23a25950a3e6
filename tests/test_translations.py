"""Each app's Polish catalogue is complete and compiled: no English left for Polish readers.

The plugin's apps carry their own catalogues (the wheel ships them); the example project's
own strings are in kis_site/locale/.
"""

import gettext

import pytest

from .catalogues import PO_FILES, read_po_entries, translations

every_catalogue = pytest.mark.parametrize("po_file", PO_FILES.values(), ids=PO_FILES.keys())


@every_catalogue
def test_every_string_has_a_polish_translation_that_is_not_fuzzy(po_file):
    entries = read_po_entries(po_file)
    assert len(entries) > 10
    missing = [e["msgid"] for e in entries if not all(translations(e))]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert missing == [] and fuzzy == []


@every_catalogue
def test_plural_strings_have_all_four_polish_forms(po_file):
    for entry in read_po_entries(po_file):
        if "msgid_plural" in entry:
            assert len(translations(entry)) == 4, entry["msgid"]


@every_catalogue
def test_the_compiled_catalogue_matches_the_po_file(po_file):
    with po_file.with_suffix(".mo").open("rb") as mo_file:
        catalogue = gettext.GNUTranslations(mo_file)._catalog
    for entry in read_po_entries(po_file):
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        key = (msgid, 0) if "msgid_plural" in entry else msgid
        expected = entry.get("msgstr", entry.get("msgstr[0]"))
        assert catalogue.get(key) == expected, entry["msgid"]
