"""Fixtures of the scale-out and fault suite: real servers on loopback, on PostgreSQL and Redis.

The suite runs with `make test-scaleout` (CI's PostgreSQL leg). Without PostgreSQL in
DATABASE_URL and a Redis in REDIS_URL its tests are skipped with the reason, unless
KIS_SCALEOUT_REQUIRED is set (as `make test-scaleout` does): then they fail.
"""

import os
import secrets
import time

import pytest

from tests.smtp_sink import SmtpSink

from .cluster import (
    REDIS_DATABASE,
    Cluster,
    Database,
    clone_template,
    drop_database,
    ensure_template,
    redis_keys_removed,
    unavailable,
    with_database,
)

FIGURES = []


def pytest_collection_modifyitems(config, items):
    suite = [item for item in items if item.get_closest_marker("scaleout")]
    reason = unavailable() if suite else None
    if reason is None:
        return
    if os.environ.get("KIS_SCALEOUT_REQUIRED"):
        raise pytest.UsageError(f"The scale-out suite {reason}.")
    for item in suite:
        item.add_marker(pytest.mark.skip(reason=f"the scale-out suite {reason}"))


def pytest_terminal_summary(terminalreporter):
    if FIGURES:
        terminalreporter.section("scale-out figures")
        for line in FIGURES:
            terminalreporter.write_line(line)


@pytest.fixture
def report():
    """Print a line of figures in the summary at the end of the run."""
    return FIGURES.append


@pytest.fixture(scope="session")
def services():
    """The PostgreSQL URL (its database name is replaced) and this suite's Redis URL."""
    return {
        "database_url": os.environ["DATABASE_URL"],
        "redis_url": with_database(os.environ["REDIS_URL"], REDIS_DATABASE),
    }


@pytest.fixture(scope="session")
def base_env(services):
    """What production settings read from the environment, for every process of the suite."""
    return {
        "DJANGO_SETTINGS_MODULE": "tests.scaleout.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,.localhost",
        "REDIS_URL": services["redis_url"],
        "EMAIL_HOST": "127.0.0.1",
        "DEFAULT_FROM_EMAIL": "kis@localhost",
        "WAGTAILADMIN_BASE_URL": "https://kis.example.org",
        "SECURE_SSL_REDIRECT": "0",  # plain HTTP on loopback
        "PROXY_COUNT": "1",  # residents' addresses come in X-Forwarded-For
        "SCALEOUT_CACHE_PREFIX": f"kis-scaleout-{secrets.token_hex(4)}",
    }


@pytest.fixture(scope="session")
def template(services, base_env):
    """The migrated template database with both demo clubs, built when migrations change."""
    started = time.monotonic()
    if ensure_template(services["database_url"], base_env):
        FIGURES.append(
            f"template database migrated and filled in {time.monotonic() - started:.0f} s"
        )


@pytest.fixture
def database(services, template):
    """A fresh copy of the template for one test, dropped afterwards."""
    name = f"kis_scaleout_{os.getpid()}"
    clone_template(services["database_url"], name)
    yield Database(with_database(services["database_url"], name))
    drop_database(services["database_url"], name)


@pytest.fixture
def sink():
    """The SMTP server the task workers send through; tests may stop and start it."""
    smtp = SmtpSink().start()
    yield smtp
    smtp.stop()


@pytest.fixture
def cluster(services, base_env, database, sink):
    """App servers and task workers for one test: `cluster.start(...)` starts them."""
    env = {**base_env, "DATABASE_URL": database.url, "EMAIL_PORT": str(sink.port)}
    processes = Cluster(env)
    with redis_keys_removed(services["redis_url"], base_env["SCALEOUT_CACHE_PREFIX"]):
        yield processes
        processes.stop()
