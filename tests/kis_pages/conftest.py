import pytest


@pytest.fixture(autouse=True)
def _database(db):
    """Every test here reads the demo clubs from the database."""
