"""Running property-based examples against pytest-django's function-scoped test database.

Each example runs in its own savepoint, rolled back when the example ends (`one_example`),
so the examples of one test share the test's database without seeing each other's writes;
that is why the health check about function-scoped fixtures is switched off for them
(`per_example`).
"""

from contextlib import contextmanager

from django.core.cache import cache
from django.db import transaction
from hypothesis import HealthCheck, settings

per_example = settings(suppress_health_check=[HealthCheck.function_scoped_fixture])


@contextmanager
def one_example():
    """The database writes and rate-limit counts of one example, undone when it ends."""
    cache.clear()
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
