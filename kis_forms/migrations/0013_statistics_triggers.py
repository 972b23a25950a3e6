"""On PostgreSQL, triggers that keep the statistics' tallies equal to counts over the
enquiries and their e-mails, and the tallies filled from the rows already there.

The report of a club's year read ~100,000 rows four times (700-1,200 ms at 100,000
enquiries); the tallies hold a few thousand. Statement-level triggers with transition
tables: a bulk insert, update or delete of any size changes each tally by one grouped
upsert. Every change counts its old rows out (-1) and its new rows in (+1), so a row whose
counted columns did not change nets to nothing, and the tallies follow every path that
writes (status changes, spam marking, anonymising, erasing, moving, deleting, raw SQL).
Rows whose count reaches 0 are deleted. Tally rows are taken in key order, so two bulk
changes lock them in the same order and cannot deadlock on them.

Days and months are those of the site's time zone (TIME_ZONE) when this migration ran;
kis_statistics_zone() names it.
On other databases nothing is created: the report counts over the enquiries there.
"""
# ruff: noqa: S608 (SQL built from this module's table names and a checked time zone name)

import zoneinfo

from django.conf import settings
from django.db import migrations

ENQUIRY_COLUMNS = (
    "id, page_id, submit_time, status, worker_id, first_handled_at, closed_at, choice_answers"
)
TALLIES = [
    "kis_forms_enquirytally",
    "kis_forms_waittally",
    "kis_forms_topictally",
    "kis_forms_notificationtally",
]
TOPIC_FIELD_TYPES = "('dropdown', 'radio')"


def local_day(column, zone):
    return f"({column} AT TIME ZONE '{zone}')::date"


def local_month(column, zone):
    return f"date_trunc('month', {column} AT TIME ZONE '{zone}')::date"


def signed(source, sign, columns=ENQUIRY_COLUMNS):
    return f"SELECT {columns}, {sign} AS sign FROM {source}"


def upsert(table, columns, conflict, select):
    return (
        f"INSERT INTO {table} ({columns}, total) {select} "
        f"ON CONFLICT ({conflict}) DO UPDATE SET total = {table}.total + excluded.total;"
    )


def enquiry_upserts(changes, zone):
    """SQL adding `changes` (enquiry rows, each with a sign) to the four tallies."""
    month = local_month("c.submit_time", zone)
    return "\n".join(
        [
            upsert(
                "kis_forms_enquirytally",
                "page_id, arrival, status, worker_id, handled",
                "page_id, arrival, status, coalesce(worker_id, 0), "
                "coalesce(handled, '-infinity'::date)",
                f"SELECT c.page_id, {local_day('c.submit_time', zone)}, c.status, c.worker_id, "
                f"{local_day('c.first_handled_at', zone)}, sum(c.sign) FROM ({changes}) c "
                "GROUP BY 1, 2, 3, 4, 5 HAVING sum(c.sign) <> 0 ORDER BY 1, 2, 3, 4, 5",
            ),
            upsert(
                "kis_forms_waittally",
                "page_id, month, measure, tenths",
                "page_id, month, measure, tenths",
                f"SELECT c.page_id, {month}, w.measure, w.tenths, sum(c.sign) FROM ({changes}) c "
                "CROSS JOIN LATERAL (VALUES "
                "('handled', round(extract(epoch FROM c.first_handled_at - c.submit_time) "
                "/ 360)::bigint), "
                "('closed', round(extract(epoch FROM c.closed_at - c.submit_time) / 360)::bigint)"
                ") AS w(measure, tenths) WHERE c.status <> 'spam' AND w.tenths IS NOT NULL "
                "GROUP BY 1, 2, 3, 4 HAVING sum(c.sign) <> 0 ORDER BY 1, 2, 3, 4",
            ),
            upsert(
                "kis_forms_topictally",
                "page_id, month, field, answer",
                "page_id, month, field, answer",
                f"SELECT c.page_id, {month}, a.key, a.value, sum(c.sign) FROM ({changes}) c "
                "CROSS JOIN LATERAL jsonb_each_text(c.choice_answers) AS a "
                "WHERE c.status <> 'spam' AND a.value IS NOT NULL "
                "GROUP BY 1, 2, 3, 4 HAVING sum(c.sign) <> 0 ORDER BY 1, 2, 3, 4",
            ),
            # An enquiry moved to another form, or deleted before its e-mails, moves them.
            upsert(
                "kis_forms_notificationtally",
                "page_id, month, state, retried",
                "page_id, month, state, retried",
                f"SELECT c.page_id, {month}, n.state, n.attempts > 1, sum(c.sign) "
                f"FROM ({changes}) c JOIN kis_forms_notification n ON n.submission_id = c.id "
                "GROUP BY 1, 2, 3, 4 HAVING sum(c.sign) <> 0 ORDER BY 1, 2, 3, 4",
            ),
        ]
    )


def notification_upsert(changes, zone):
    """SQL adding `changes` (e-mail rows, each with a sign) to the e-mails' tally."""
    return upsert(
        "kis_forms_notificationtally",
        "page_id, month, state, retried",
        "page_id, month, state, retried",
        f"SELECT e.page_id, {local_month('e.submit_time', zone)}, c.state, c.attempts > 1, "
        f"sum(c.sign) FROM ({changes}) c JOIN kis_forms_enquirysubmission e "
        "ON e.id = c.submission_id GROUP BY 1, 2, 3, 4 HAVING sum(c.sign) <> 0 "
        "ORDER BY 1, 2, 3, 4",
    )


def without_zeros():
    return "\n".join(f"DELETE FROM {table} WHERE total = 0;" for table in TALLIES)


def changes_of(operation, columns):
    """The signed rows of a statement: its new rows in, its old rows out."""
    return {
        "insert": signed("new_rows", 1, columns),
        "update": f"{signed('new_rows', 1, columns)} UNION ALL {signed('old_rows', -1, columns)}",
        "delete": signed("old_rows", -1, columns),
    }[operation]


def trigger(table, name, operation, body, columns):
    referencing = {
        "insert": "NEW TABLE AS new_rows",
        "update": "NEW TABLE AS new_rows OLD TABLE AS old_rows",
        "delete": "OLD TABLE AS old_rows",
    }[operation]
    function = f"{name}_{operation}"
    spent = "" if operation == "insert" else without_zeros()  # adding leaves no row at 0
    # Most updates change nothing counted (a reference, an assignee, an e-mail's last error,
    # anonymised answers): the same counted columns before and after, so nothing to add.
    unchanged = (
        f"IF NOT EXISTS (SELECT {columns} FROM new_rows EXCEPT ALL "
        f"SELECT {columns} FROM old_rows) THEN RETURN NULL; END IF;"
        if operation == "update"
        else ""
    )
    return f"""
CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
{unchanged}
{body}
{spent}
RETURN NULL;
END
$body$;
CREATE TRIGGER {function} AFTER {operation.upper()} ON {table}
REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION {function}();
"""


CHOICE_ANSWERS = f"""
CREATE FUNCTION kis_statistics_choice_answers() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
IF NEW.choice_answers = '{{}}'::jsonb THEN
    NEW.choice_answers := coalesce((
        SELECT jsonb_object_agg(f.clean_name, NEW.form_data -> f.clean_name)
        FROM kis_forms_formfield f
        WHERE f.page_id = NEW.page_id AND f.field_type IN {TOPIC_FIELD_TYPES}
        AND jsonb_typeof(NEW.form_data -> f.clean_name) = 'string'
    ), '{{}}'::jsonb);
END IF;
RETURN NEW;
END
$body$;
CREATE TRIGGER kis_statistics_choice_answers BEFORE INSERT ON kis_forms_enquirysubmission
FOR EACH ROW EXECUTE FUNCTION kis_statistics_choice_answers();
"""

INDEXES = """
CREATE UNIQUE INDEX one_enquiry_tally ON kis_forms_enquirytally
    (page_id, arrival, status, coalesce(worker_id, 0), coalesce(handled, '-infinity'::date));
""" + "\n".join(f"CREATE INDEX {table}_spent ON {table} (id) WHERE total = 0;" for table in TALLIES)

BACKFILL_CHOICES = f"""
UPDATE kis_forms_enquirysubmission e SET choice_answers = coalesce((
    SELECT jsonb_object_agg(f.clean_name, e.form_data -> f.clean_name)
    FROM kis_forms_formfield f
    WHERE f.page_id = e.page_id AND f.field_type IN {TOPIC_FIELD_TYPES}
    AND jsonb_typeof(e.form_data -> f.clean_name) = 'string'
), '{{}}'::jsonb);
"""

NOTIFICATION_COLUMNS = "submission_id, state, attempts"


def zone_function(zone):
    """The zone the tallies count days in: the report reads them only while it is the
    site's (after a change of TIME_ZONE, migrating back to 0012 and forward recounts)."""
    return (
        "CREATE FUNCTION kis_statistics_zone() RETURNS text LANGUAGE sql IMMUTABLE "
        f"AS $body$ SELECT '{zone}'::text $body$;"
    )


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    zone = str(zoneinfo.ZoneInfo(settings.TIME_ZONE))  # a known zone's name, quoted safely
    statements = [INDEXES, CHOICE_ANSWERS, zone_function(zone)]
    for operation in ("insert", "update", "delete"):
        enquiries = changes_of(operation, ENQUIRY_COLUMNS)
        statements.append(
            trigger(
                "kis_forms_enquirysubmission",
                "kis_statistics_enquiries",
                operation,
                enquiry_upserts(enquiries, zone),
                ENQUIRY_COLUMNS,
            )
        )
        emails = changes_of(operation, NOTIFICATION_COLUMNS)
        statements.append(
            trigger(
                "kis_forms_notification",
                "kis_statistics_notifications",
                operation,
                notification_upsert(emails, zone),
                NOTIFICATION_COLUMNS,
            )
        )
    # The rows already there: topic answers as the forms are now, then every tally (the
    # e-mails' through their enquiries).
    statements.append(BACKFILL_CHOICES)
    statements.append(enquiry_upserts(signed("kis_forms_enquirysubmission", 1), zone))
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    statements = ["DROP INDEX one_enquiry_tally;", "DROP FUNCTION kis_statistics_zone();"]
    for table in TALLIES:
        statements.append(f"DROP INDEX {table}_spent;")
    statements.append(
        "DROP TRIGGER kis_statistics_choice_answers ON kis_forms_enquirysubmission; "
        "DROP FUNCTION kis_statistics_choice_answers();"
    )
    for operation in ("insert", "update", "delete"):
        for table, name in (
            ("kis_forms_enquirysubmission", "kis_statistics_enquiries"),
            ("kis_forms_notification", "kis_statistics_notifications"),
        ):
            statements.append(
                f"DROP TRIGGER {name}_{operation} ON {table}; DROP FUNCTION {name}_{operation}();"
            )
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
        for table in TALLIES:
            cursor.execute(f"DELETE FROM {table};")  # noqa: S608 (our table names)


class Migration(migrations.Migration):
    dependencies = [("kis_forms", "0012_statistics_tallies")]

    operations = [migrations.RunPython(create, drop)]
