from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KisPagesConfig(AppConfig):
    """Page types, the social worker snippet and the club's site settings."""

    name = "kis_pages"
    # The type of the ids in our migrations, whatever the host's DEFAULT_AUTO_FIELD.
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Club pages")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks
        from .page_cache import connect_signals

        connect_signals()
