from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KisFormsConfig(AppConfig):
    """The enquiry form, its submissions and the moderators' inbox (built in a later step)."""

    name = "kis_forms"
    verbose_name = _("Enquiries")
