import json
import os
import secrets
import subprocess
import sys

import pytest
from django.conf import settings as django_settings


@pytest.fixture(scope="session")
def production_environment():
    """Every variable production requires, as an operator would set it.

    Nothing here is contacted: `check` and reading settings connect to no database or Redis.
    """
    return {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "kis_site.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "kis.example.pl",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/kis_ci",
        "REDIS_URL": "redis://127.0.0.1:6379/0",
        "EMAIL_HOST": "smtp.example.pl",
        "DEFAULT_FROM_EMAIL": "kis@example.pl",
        "WAGTAILADMIN_BASE_URL": "https://kis.example.pl",
    }


@pytest.fixture(scope="session")
def production_settings(production_environment):
    """MIDDLEWARE and STORAGES as a production process reads them."""
    names = ["MIDDLEWARE", "STORAGES"]
    script = (
        "import json; from django.conf import settings; "
        f"print(json.dumps({{name: getattr(settings, name) for name in {names!r}}}))"
    )
    return json.loads(run_python(script, production_environment))


def run_python(script, environment):
    """What `script` prints, run by our interpreter in the project with only `environment`."""
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script],
        cwd=django_settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout
