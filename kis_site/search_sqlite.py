"""SQLite's full-text search with a quote inside a word escaped; importable only on SQLite.

The SQLite backend puts each word of a plain query in double quotes for FTS5 but leaves a
quote inside the word as it is, so `?search="` on the page APIs ended in a server error.
"""

from modelsearch.backends.database.sqlite.sqlite import (
    SQLiteAutocompleteQueryCompiler,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
)
from modelsearch.query import PlainText


class EscapedQuotesMixin:
    """Doubles each `"` of a plain query: FTS5's way to write a quote inside a quoted word."""

    def build_search_query_content(self, query, config=None):
        if isinstance(query, PlainText):
            escaped = query.query_string.replace('"', '""')
            query = PlainText(escaped, operator=query.operator, boost=query.boost)
        return super().build_search_query_content(query, config=config)


class EscapedSQLiteSearchQueryCompiler(EscapedQuotesMixin, SQLiteSearchQueryCompiler):
    pass


class EscapedSQLiteAutocompleteQueryCompiler(EscapedQuotesMixin, SQLiteAutocompleteQueryCompiler):
    pass


class EscapedSQLiteSearchBackend(SQLiteSearchBackend):
    query_compiler_class = EscapedSQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = EscapedSQLiteAutocompleteQueryCompiler
