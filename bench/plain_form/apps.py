from django.apps import AppConfig


class PlainFormConfig(AppConfig):
    """Wagtail's own AbstractEmailForm, unchanged: the baseline the enquiry form is compared to."""

    name = "bench.plain_form"
    label = "plain_form"
    default_auto_field = "django.db.models.BigAutoField"
