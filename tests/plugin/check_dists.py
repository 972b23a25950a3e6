"""What the built wheel and sdist must hold: the two apps whole, and nothing of the example site.

`python check_dists.py WHEEL SDIST` prints the wheel's files by kind and exits non-zero,
naming each file, when one is missing or one does not belong there.
"""

import fnmatch
import sys
import tarfile
import zipfile
from collections import Counter
from pathlib import PurePosixPath

# Patterns (fnmatch, on paths inside the archive) each of which must match at least one file.
WHEEL_MUST_HOLD = [
    "kis_pages/templates/kis_pages/base.html",
    "kis_forms/templates/kis_forms/*.html",
    "kis_pages/static/kis_pages/css/kis.css",
    "kis_pages/locale/pl/LC_MESSAGES/django.mo",
    "kis_forms/locale/pl/LC_MESSAGES/django.mo",
    "kis_pages/migrations/0001_*.py",
    "kis_forms/migrations/0001_*.py",
    "kis_pages/templatetags/kis_tags.py",
    "kis_forms/management/commands/kis_worker.py",
]
# Top-level folders of the repository that stay out of the wheel.
WHEEL_MUST_NOT_HOLD = ["kis_site", "tests", "bench", "templates", "seeds"]
# The sdist is the source of the wheel: the same data files, under its top folder.
SDIST_MUST_HOLD = [
    "*/kis_pages/templates/kis_pages/base.html",
    "*/kis_forms/templates/kis_forms/*.html",
    "*/kis_pages/static/kis_pages/css/kis.css",
    "*/kis_pages/locale/pl/LC_MESSAGES/django.mo",
    "*/kis_forms/locale/pl/LC_MESSAGES/django.mo",
    "*/pyproject.toml",
]
KINDS = [".py", ".html", ".txt", ".mo", ".po", ".css"]


def missing(names, patterns):
    return [pattern for pattern in patterns if not fnmatch.filter(names, pattern)]


def main(wheel, sdist):
    with zipfile.ZipFile(wheel) as archive:
        wheel_names = [name for name in archive.namelist() if not name.endswith("/")]
    with tarfile.open(sdist) as archive:
        sdist_names = [member.name for member in archive.getmembers() if member.isfile()]

    problems = [f"wheel lacks {pattern}" for pattern in missing(wheel_names, WHEEL_MUST_HOLD)]
    problems += [
        f"wheel holds {name}"
        for name in wheel_names
        if PurePosixPath(name).parts[0] in WHEEL_MUST_NOT_HOLD
    ]
    problems += [f"sdist lacks {pattern}" for pattern in missing(sdist_names, SDIST_MUST_HOLD)]

    kinds = Counter(PurePosixPath(name).suffix for name in wheel_names)
    print(f"wheel: {len(wheel_names)} files")
    for kind in KINDS:
        print(f"  {kind:6} {kinds[kind]}")
    others = sum(count for kind, count in kinds.items() if kind not in KINDS)
    print(f"  other  {others}")
    print(f"sdist: {len(sdist_names)} files")
    for problem in problems:
        print(f"  PROBLEM: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
