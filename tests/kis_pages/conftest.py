import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from ..utils import make_announcement, make_announcement_index, make_club


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


@pytest.fixture
def notice_ending_tonight(monkeypatch):
    """A club on a host of its own whose pinned crisis notice is valid until today, seen at
    23:59; `past_midnight()` moves the clock on. Announcement dates and the local-memory
    cache's expiry both follow the clock."""
    club = make_club(hostname="polnoc.localhost")
    index = make_announcement_index(club)
    today = timezone.localdate()
    title = "Przerwa w dostawie wody"
    make_announcement(index, title=title, category="crisis", pinned=True, valid_until=today)
    clock = {"now": timezone.make_aware(datetime.datetime.combine(today, datetime.time(23, 59)))}
    monkeypatch.setattr(timezone, "now", lambda: clock["now"])
    monkeypatch.setattr("time.time", lambda: clock["now"].timestamp())

    def past_midnight():
        clock["now"] += datetime.timedelta(minutes=2)

    return SimpleNamespace(
        host="polnoc.localhost", index=index, title=title, past_midnight=past_midnight
    )
