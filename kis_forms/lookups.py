"""A filter on a long list of ids that costs about the same for 300 ids as for 50."""

from django.db import connections, router
from django.db.models import F, Lookup, Q

# psycopg keeps its parsing of a query with at most this many parameters; past it, each
# parameter is prepared on every query, by Django and by psycopg.
PARAMETERS_KEPT = 50


class AnyOf(Lookup):
    """`lhs = ANY(%s)`, the list `rhs` sent as one array parameter (PostgreSQL)."""

    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        # Of the column's own type: psycopg sends small integers as int2[], which PostgreSQL
        # estimates apart from the column's statistics, and so plans differently.
        array_type = self.lhs.output_field.db_type(connection)
        return f"{lhs} = ANY(%s::{array_type}[])", (*params, list(self.rhs))


def one_of(model, field, values):
    """A filter on `model`: `field` is one of `values`.

    On PostgreSQL a list longer than PARAMETERS_KEPT goes as one array parameter: as an IN
    list, a regional admin's 300 forms cost 1.5 ms of CPU per query against 0.6 ms, and
    PostgreSQL plans both alike. A shorter list stays an IN list: a club's one form is then
    an equality, whose plan (an index read in date order) `= ANY` would not get.
    """
    values = list(values)
    vendor = connections[router.db_for_read(model)].vendor
    if len(values) > PARAMETERS_KEPT and vendor == "postgresql":
        return Q(AnyOf(F(field), values))
    return Q(**{f"{field}__in": values})
