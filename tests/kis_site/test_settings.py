"""Settings shared by every environment (production's own: test_production_settings.py)."""

import os
import shutil
import subprocess
import sys

from django.conf import settings
from django.test import Client
from django.urls import reverse
from wagtail.users.models import UserProfile

from .conftest import run_python


def test_the_admin_speaks_polish_and_an_editor_may_choose_english(admin_client, admin_user):
    """Polish unless a user picks English in their account, as Wagtail offers it."""
    home = reverse("wagtailadmin_home")
    assert '<html lang="pl"' in Client().get(reverse("wagtailadmin_login")).content.decode()
    assert '<html lang="pl"' in admin_client.get(home).content.decode()
    profile = UserProfile.get_for_user(admin_user)
    profile.preferred_language = "en"
    profile.save()
    assert '<html lang="en"' in admin_client.get(home).content.decode()


FAKE_MANAGE = """
import os, sys, time
from pathlib import Path

log = Path(sys.argv[0]).with_suffix(".log")
with log.open("a") as out:
    print(sys.argv[1], os.environ.get("WAGTAILADMIN_BASE_URL"), file=out)
deadline = time.monotonic() + 30
while sys.argv[1] == "runserver" and "kis_worker" not in log.read_text():
    assert time.monotonic() < deadline, "the task worker never started"
    time.sleep(0.05)  # the worker runs beside, and stops when the server does
"""


def test_make_run_gives_the_server_and_the_task_worker_links_on_its_port(tmp_path):
    # Each manage.py command of `make run` writes down the base URL it would put in links.
    manage = tmp_path / "manage.py"
    manage.write_text(FAKE_MANAGE)
    fake = f"{sys.executable} {manage}"
    environment = {k: v for k, v in os.environ.items() if k != "WAGTAILADMIN_BASE_URL"}
    subprocess.run(  # noqa: S603 - make, on the project's own Makefile
        [shutil.which("make"), "--old-file=install", "run", "PORT=8123", f"MANAGE={fake}"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        check=True,
    )
    lines = manage.with_suffix(".log").read_text().splitlines()
    base_urls = dict(line.split(" ", 1) for line in lines)
    assert base_urls["kis_worker"] == "http://127.0.0.1:8123"  # links in e-mails
    assert base_urls["runserver"] == "http://127.0.0.1:8123"  # links to the admin


def test_links_to_the_admin_follow_wagtailadmin_base_url_and_the_apis_follow_the_site():
    script = (
        "from kis_site.settings import dev; "
        "print(dev.WAGTAILADMIN_BASE_URL, hasattr(dev, 'WAGTAILAPI_BASE_URL'))"
    )
    environment = {"PATH": os.environ["PATH"], "WAGTAILADMIN_BASE_URL": "http://127.0.0.1:8123"}
    assert run_python(script, environment).split() == ["http://127.0.0.1:8123", "False"]
