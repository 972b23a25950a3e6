import pytest


@pytest.fixture(autouse=True)
def _database(db):
    """Every test here reads the demo clubs from the database."""


@pytest.fixture
def publish(django_capture_on_commit_callbacks):
    """Publish a page's edits as an editor does, committing (so the cache hears of it)."""

    def publish(page):
        with django_capture_on_commit_callbacks(execute=True):
            page.save_revision().publish()

    return publish


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a change as its own committed transaction."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
