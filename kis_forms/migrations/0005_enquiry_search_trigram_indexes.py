"""Trigram indexes for the inbox's search, on PostgreSQL only.

The inbox searches references, names and e-mail addresses with icontains, which PostgreSQL
runs as UPPER(column::text) LIKE UPPER('%term%'): a B-tree cannot serve it, so every search
read every row. pg_trgm's GIN indexes on exactly those expressions can. Other databases
have no such index; the model's state is unchanged, so they skip this migration's work.
"""

from django.db import migrations

TABLE = "kis_forms_enquirysubmission"
SEARCHED = {"reference": "enquiry_reference_trgm", "resident_name": "enquiry_name_trgm"}
SEARCHED["resident_email"] = "enquiry_email_trgm"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column, name in SEARCHED.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "{TABLE}" '
            f'USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in SEARCHED.values():
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):

    dependencies = [
        ("kis_forms", "0004_enquiry_newest_first_index"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
