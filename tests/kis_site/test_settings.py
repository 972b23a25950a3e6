"""Production settings come from the environment and name what is missing."""

import os
import subprocess
import sys

from django.conf import settings


def import_production_settings(**env):
    """Import the production settings in a fresh interpreter with only `env` set."""
    environment = {"PATH": os.environ["PATH"], **env}
    return subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", "import kis_site.settings.production"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_without_a_secret_key_and_names_it():
    result = import_production_settings(ALLOWED_HOSTS="kis.example.pl")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts_and_names_it():
    result = import_production_settings(DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_production_starts_when_the_required_variables_are_set():
    result = import_production_settings(DJANGO_SECRET_KEY="x" * 50, ALLOWED_HOSTS="kis.example.pl")
    assert result.returncode == 0, result.stderr


def test_polish_is_the_default_language_and_english_stays_available():
    assert settings.LANGUAGE_CODE == "pl"
    assert ("en", "English") in settings.LANGUAGES
