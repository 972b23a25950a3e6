"""Production settings come from the environment only and pass Django's deployment checks."""

import subprocess
import sys

from django.conf import settings

from .conftest import run_python


def check_deploy(environment):
    """Run `manage.py check --deploy` with only `environment` set."""
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_deployment_checks_pass_without_a_warning_when_every_variable_is_set(
    production_environment,
):
    result = check_deploy(production_environment)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_without_the_environment_the_error_names_every_missing_variable(production_environment):
    keep = ["PATH", "DJANGO_SETTINGS_MODULE"]
    result = check_deploy({name: production_environment[name] for name in keep})
    assert result.returncode != 0
    assert (
        "ImproperlyConfigured: Production settings: these environment variables are not set: "
        "DJANGO_SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL, EMAIL_HOST, "
        "DEFAULT_FROM_EMAIL, WAGTAILADMIN_BASE_URL (see README.md, Production)."
    ) in result.stderr


def test_the_error_names_the_missing_variables_and_a_database_that_is_not_postgresql(
    production_environment,
):
    environment = {**production_environment, "DATABASE_URL": "sqlite:///kis.sqlite3"}
    del environment["REDIS_URL"], environment["DJANGO_SECRET_KEY"]
    result = check_deploy(environment)
    assert result.returncode != 0
    assert (
        "these environment variables are not set: DJANGO_SECRET_KEY, REDIS_URL; "
        "DATABASE_URL must point at PostgreSQL"
    ) in result.stderr


def test_whitenoise_serves_static_files_before_the_rest_and_the_lockout_runs_last(
    production_settings,
):
    middleware = production_settings["MIDDLEWARE"]
    assert middleware[:2] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]
    assert middleware[-1] == "axes.middleware.AxesMiddleware"


def test_an_smtp_server_that_never_answers_fails_the_send_after_30_seconds(production_environment):
    """No timeout would leave a worker waiting for ever while it holds the row lock."""
    script = "import django; django.setup(); from django.core import mail; "
    script += "print(mail.get_connection().timeout)"
    assert run_python(script, production_environment).strip() == "30"
