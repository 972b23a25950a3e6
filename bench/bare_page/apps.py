from django.apps import AppConfig


class BarePageConfig(AppConfig):
    """A Wagtail page with nothing of ours: the anchor the page benchmark compares to."""

    name = "bench.bare_page"
    label = "bare_page"
    default_auto_field = "django.db.models.BigAutoField"
