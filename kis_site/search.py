"""The search backend: Wagtail's database backend, its SQLite variant with quotes escaped."""

from modelsearch.backends.database import SearchBackend as database_search_backend


def SearchBackend(params):  # noqa: N802 - the name Wagtail looks up in a backend module
    """The backend Wagtail picks for the default database; on SQLite, kis_site.search_sqlite's."""
    backend = database_search_backend(params)
    if type(backend).__name__ != "SQLiteSearchBackend":
        return backend
    from .search_sqlite import EscapedSQLiteSearchBackend  # its module needs SQLite's models

    return EscapedSQLiteSearchBackend(params)
