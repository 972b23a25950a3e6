from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KisPagesConfig(AppConfig):
    """Page types, the social worker snippet and the club's site settings."""

    name = "kis_pages"
    verbose_name = _("Club pages")

    def ready(self):
        from .page_cache import connect_signals

        connect_signals()
