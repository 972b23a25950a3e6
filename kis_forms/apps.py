from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KisFormsConfig(AppConfig):
    """The enquiry form, its submissions and the moderators' inbox."""

    name = "kis_forms"
    # The type of the ids in our migrations, whatever the host's DEFAULT_AUTO_FIELD.
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Enquiries")

    def ready(self):
        from django.db.models.signals import post_delete
        from wagtail.signals import pre_page_move

        from kis_forms import checks  # noqa: F401 - registers the system checks
        from kis_forms.inbox.listing import note_deletion
        from kis_forms.inbox.moving import guard_move
        from kis_forms.models import EnquirySubmission

        post_delete.connect(note_deletion, sender=EnquirySubmission)
        pre_page_move.connect(guard_move)
