"""When each enquiry was first handled and first closed, for the statistics' reply times,
filled for existing enquiries from their history (moderators' status changes and notes);
and an index the statistics read a club's year from without the table."""

from django.db import migrations, models
from django.db.models import CharField, OuterRef, Subquery
from django.db.models.functions import Cast

STATUS = "kis_forms.enquiry.status"
NOTE = "kis_forms.enquiry.note"


def first_entry(ModelLogEntry, content_type_id, **conditions):
    entries = ModelLogEntry.objects.filter(
        content_type_id=content_type_id,
        object_id=Cast(OuterRef("pk"), CharField()),
        user__isnull=False,
        **conditions,
    )
    return Subquery(entries.order_by("timestamp").values("timestamp")[:1])


def from_history(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ModelLogEntry = apps.get_model("wagtailcore", "ModelLogEntry")
    EnquirySubmission = apps.get_model("kis_forms", "EnquirySubmission")
    content_type = ContentType.objects.filter(
        app_label="kis_forms", model="enquirysubmission"
    ).first()
    if content_type is None:
        return
    EnquirySubmission.objects.update(
        first_handled_at=first_entry(ModelLogEntry, content_type.pk, action__in=[STATUS, NOTE]),
        closed_at=first_entry(ModelLogEntry, content_type.pk, action=STATUS, data__to="closed"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0098_apitoken"),
        ("kis_forms", "0009_enquiry_exports"),
    ]

    operations = [
        migrations.AddField(
            model_name="enquirysubmission",
            name="closed_at",
            field=models.DateTimeField(
                editable=False,
                help_text="When it was first closed; the statistics count reply times from these.",
                null=True,
                verbose_name="closed",
            ),
        ),
        migrations.AddField(
            model_name="enquirysubmission",
            name="first_handled_at",
            field=models.DateTimeField(
                editable=False,
                help_text="When a moderator first changed its status or added a note.",
                null=True,
                verbose_name="first handled",
            ),
        ),
        migrations.AddIndex(
            model_name="enquirysubmission",
            index=models.Index(
                fields=[
                    "page",
                    "submit_time",
                    "status",
                    "worker",
                    "first_handled_at",
                    "closed_at",
                    "id",
                ],
                name="enquiry_statistics",
            ),
        ),
        migrations.RunPython(from_history, migrations.RunPython.noop),
    ]
