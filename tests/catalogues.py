"""The Polish catalogues of the plugin's apps and of the example project, read as .po files."""

import ast
from pathlib import Path

from django.apps import apps
from django.conf import settings

CATALOGUE = Path("locale") / "pl" / "LC_MESSAGES" / "django.po"
PO_FILES = {
    "kis_pages": Path(apps.get_app_config("kis_pages").path) / CATALOGUE,
    "kis_forms": Path(apps.get_app_config("kis_forms").path) / CATALOGUE,
    "kis_site": Path(settings.BASE_DIR) / "kis_site" / CATALOGUE,
}


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
    """The Polish forms of an entry: msgstr, or msgstr[0] to msgstr[3]."""
    return [text for keyword, text in entry.items() if keyword.startswith("msgstr")]
