"""The host site runs the installed wheel: its code, templates, static files and catalogues.

Nothing of the repository may be on the path, so anything the wheel lacks fails here.
"""

import os
import sysconfig
from pathlib import Path

from django.contrib.staticfiles import finders
from django.template.loader import get_template

import kis_forms
import kis_pages

SITE_PACKAGES = Path(sysconfig.get_paths()["purelib"]).resolve()
REPO = Path(os.environ["KIS_PLUGIN_REPO"]).resolve()  # the checkout the wheel was built from


def installed(path):
    path = Path(path).resolve()
    return path.is_relative_to(SITE_PACKAGES) and not path.is_relative_to(REPO)


def test_both_apps_are_imported_from_the_virtual_environments_site_packages():
    assert installed(kis_pages.__file__), kis_pages.__file__
    assert installed(kis_forms.__file__), kis_forms.__file__


def test_the_themes_templates_come_from_the_wheel():
    for name in ["kis_pages/base.html", "kis_forms/enquiry_form_page.html"]:
        assert installed(get_template(name).origin.name), name


def test_the_stylesheet_is_found_by_the_static_files_finders():
    found = finders.find("kis_pages/css/kis.css")
    assert found and installed(found)


def test_both_apps_polish_catalogues_are_installed_and_used(in_polish):
    for app in (kis_pages, kis_forms):
        assert (Path(app.__file__).parent / "locale/pl/LC_MESSAGES/django.mo").is_file()
    assert in_polish("Easy-to-read text")  # kis_pages
    assert in_polish("Send the enquiry")  # kis_forms
