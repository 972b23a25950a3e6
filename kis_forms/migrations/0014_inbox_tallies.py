"""The inbox's tally, and on PostgreSQL the triggers that keep it equal to counts over the
enquiries, filled from the rows already there.

The menu's badge and the dashboard's panel counted a regional admin's open enquiries on
every admin page: ~150,000 rows at 300 clubs (100-200 ms). The tally holds at most ten
rows per form. As migration 0013's tallies: statement-level triggers with transition
tables, old rows counted out and new rows in, rows at 0 deleted, rows taken in key order.
The panel's count of enquiries with an e-mail that did not go out is kept per form too,
by triggers on the e-mails (each touched enquiry's state before and after the statement)
and on the enquiries (moved to another form, or deleted before their e-mails). An
enquiry's e-mails are written after it, as the intake and every other path does.
On other databases nothing is created: the counts are read from the enquiries there.
"""
# ruff: noqa: S608 (SQL built from this module's constants)

from django.db import migrations, models

TALLY = "kis_forms_inboxtally"
COUNTED = "page_id, status, assignee_id IS NOT NULL"
REFERENCING = {
    "insert": "NEW TABLE AS new_rows",
    "update": "NEW TABLE AS new_rows OLD TABLE AS old_rows",
    "delete": "OLD TABLE AS old_rows",
}
CHANGES = {
    "insert": f"SELECT {COUNTED}, 1 AS sign FROM new_rows",
    "update": f"SELECT {COUNTED}, 1 AS sign FROM new_rows "
    f"UNION ALL SELECT {COUNTED}, -1 FROM old_rows",
    "delete": f"SELECT {COUNTED}, -1 AS sign FROM old_rows",
}


UNDELIVERED = "kis_forms_undeliveredtally"
FAILING = "('failing', 'given_up')"
FAILS_NOW = (
    "EXISTS (SELECT 1 FROM kis_forms_notification mail WHERE mail.submission_id = {id} "
    f"AND mail.state IN {FAILING}{{also}})"
)
# Whether a touched enquiry had an undelivered e-mail before the statement: its e-mails now,
# without the statement's new rows, with its old ones.
FAILED_BEFORE = {
    "insert": FAILS_NOW.format(id="t.id", also=" AND mail.id NOT IN (SELECT id FROM new_rows)"),
    "update": FAILS_NOW.format(id="t.id", also=" AND mail.id NOT IN (SELECT id FROM new_rows)")
    + f" OR EXISTS (SELECT 1 FROM old_rows o WHERE o.submission_id = t.id AND o.state IN {FAILING})",
    "delete": FAILS_NOW.format(id="t.id", also="")
    + f" OR EXISTS (SELECT 1 FROM old_rows o WHERE o.submission_id = t.id AND o.state IN {FAILING})",
}
TOUCHED = {
    "insert": "SELECT DISTINCT submission_id FROM new_rows",
    "update": "SELECT submission_id FROM new_rows UNION SELECT submission_id FROM old_rows",
    "delete": "SELECT DISTINCT submission_id FROM old_rows",
}
# An enquiry with an undelivered e-mail moved to another form, or deleted before its e-mails.
ENQUIRY_UNDELIVERED = {
    "insert": None,
    "update": "SELECT n.page_id, 1 FROM new_rows n JOIN old_rows o ON o.id = n.id "
    "WHERE o.page_id <> n.page_id AND " + FAILS_NOW.format(id="n.id", also="") + " "
    "UNION ALL SELECT o.page_id, -1 FROM new_rows n JOIN old_rows o ON o.id = n.id "
    "WHERE o.page_id <> n.page_id AND " + FAILS_NOW.format(id="n.id", also=""),
    "delete": "SELECT o.page_id, -1 FROM old_rows o WHERE " + FAILS_NOW.format(id="o.id", also=""),
}


def add_undelivered(changes):
    """SQL adding `changes` (form, +1 or -1 rows) to the undelivered tally."""
    return (
        f"INSERT INTO {UNDELIVERED} (page_id, total) "
        f"SELECT page_id, sum(sign) FROM ({changes}) AS c (page_id, sign) "
        "GROUP BY 1 HAVING sum(sign) <> 0 ORDER BY 1 "
        f"ON CONFLICT (page_id) DO UPDATE SET total = {UNDELIVERED}.total + excluded.total;"
    )


def notification_changes(operation):
    """Per enquiry whose e-mails the statement touched: +1 if it has an undelivered e-mail
    now and had none, -1 the other way round, on its form."""
    return (
        "SELECT e.page_id, CASE WHEN s.now THEN 1 ELSE -1 END FROM ("
        f"SELECT t.id, {FAILS_NOW.format(id='t.id', also='')} AS now, "
        f"({FAILED_BEFORE[operation]}) AS was "
        f"FROM ({TOUCHED[operation]}) AS t (id)) AS s "
        "JOIN kis_forms_enquirysubmission e ON e.id = s.id WHERE s.now <> s.was"
    )


def function(name, table, operation, body):
    """A statement-level trigger running `body`, then deleting rows spent to 0."""
    spent = (
        ""
        if operation == "insert"
        else f"DELETE FROM {TALLY} WHERE total = 0; DELETE FROM {UNDELIVERED} WHERE total = 0;"
    )
    return f"""
CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $body$
BEGIN
{body}
{spent}
RETURN NULL;
END
$body$;
CREATE TRIGGER {name} AFTER {operation.upper()} ON {table}
REFERENCING {REFERENCING[operation]} FOR EACH STATEMENT EXECUTE FUNCTION {name}();
"""


def upsert(changes):
    return (
        f"INSERT INTO {TALLY} (page_id, status, assigned, total) "
        f"SELECT c.* FROM (SELECT page_id, status, assigned, sum(sign) "
        f"FROM ({changes}) AS s (page_id, status, assigned, sign) "
        "GROUP BY 1, 2, 3 HAVING sum(sign) <> 0 ORDER BY 1, 2, 3) AS c "
        "ON CONFLICT (page_id, status, assigned) "
        f"DO UPDATE SET total = {TALLY}.total + excluded.total;"
    )


def enquiry_trigger(operation):
    # Most updates change nothing counted (notes, answers, a reference): nothing to add.
    unchanged = (
        f"IF NOT EXISTS (SELECT {COUNTED} FROM new_rows EXCEPT ALL "
        f"SELECT {COUNTED} FROM old_rows) THEN RETURN NULL; END IF;"
        if operation == "update"
        else ""
    )
    undelivered = ENQUIRY_UNDELIVERED[operation]
    body = "\n".join(
        [
            unchanged,
            upsert(CHANGES[operation]),
            add_undelivered(undelivered) if undelivered else "",
        ]
    )
    return function(f"kis_inbox_tally_{operation}", "kis_forms_enquirysubmission", operation, body)


def notification_trigger(operation):
    body = add_undelivered(notification_changes(operation))
    return function(f"kis_undelivered_tally_{operation}", "kis_forms_notification", operation, body)


BACKFILL_INBOX = upsert(f"SELECT {COUNTED}, 1 FROM kis_forms_enquirysubmission")
BACKFILL_UNDELIVERED = add_undelivered(
    "SELECT e.page_id, 1 FROM kis_forms_enquirysubmission e WHERE "
    + FAILS_NOW.format(id="e.id", also="")
)


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    statements = [enquiry_trigger(operation) for operation in REFERENCING]
    statements += [notification_trigger(operation) for operation in REFERENCING]
    statements += [BACKFILL_INBOX, BACKFILL_UNDELIVERED]
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for operation in REFERENCING:
            for name, table in (
                (f"kis_inbox_tally_{operation}", "kis_forms_enquirysubmission"),
                (f"kis_undelivered_tally_{operation}", "kis_forms_notification"),
            ):
                cursor.execute(f"DROP TRIGGER {name} ON {table}")
                cursor.execute(f"DROP FUNCTION {name}()")


class Migration(migrations.Migration):
    dependencies = [
        ("kis_forms", "0013_statistics_triggers"),
    ]

    operations = [
        migrations.CreateModel(
            name="InboxTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("page_id", models.IntegerField(verbose_name="form")),
                ("status", models.CharField(max_length=20, verbose_name="status")),
                ("assigned", models.BooleanField(verbose_name="assigned")),
                ("total", models.IntegerField(verbose_name="enquiries")),
            ],
            options={
                "verbose_name": "inbox tally",
                "verbose_name_plural": "inbox tallies",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("page_id", "status", "assigned"), name="one_inbox_tally"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="UndeliveredTally",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("page_id", models.IntegerField(unique=True, verbose_name="form")),
                ("total", models.IntegerField(verbose_name="enquiries")),
            ],
            options={
                "verbose_name": "undelivered e-mail tally",
                "verbose_name_plural": "undelivered e-mail tallies",
            },
        ),
        migrations.RunPython(create, drop),
        migrations.AddIndex(
            model_name="notification",
            index=models.Index(
                condition=models.Q(("state__in", ["failing", "given_up"])),
                fields=["submission"],
                name="notification_failing",
            ),
        ),
    ]
