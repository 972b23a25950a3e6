"""A plain Wagtail e-mail form page, as the Wagtail documentation builds one."""

from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.contrib.forms.models import AbstractEmailForm, AbstractFormField


class PlainFormField(AbstractFormField):
    page = ParentalKey("PlainEmailFormPage", on_delete=models.CASCADE, related_name="form_fields")


class PlainEmailFormPage(AbstractEmailForm):
    """Sends its e-mail inside the request, as Wagtail's AbstractEmailForm does."""
