"""Settings for the uncached-page benchmark on SQLite, the embedded default: the benchmark
settings (no production checks, which insist on PostgreSQL) with the bare page to compare
with, and local-memory caches unless REDIS_URL is set."""

from .settings import *  # noqa: F403
from .settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "bench.bare_page"]
