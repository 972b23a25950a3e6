"""Validators shared by the club's models."""

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.utils.translation import gettext_lazy as _

postal_code_validator = RegexValidator(r"^\d{2}-\d{3}$", _("Write the postal code as 00-000."))

# The ustawa o zatrudnieniu socjalnym dates from 2003; nothing of ours is older than 1990.
year_validators = [MinValueValidator(1990), MaxValueValidator(2100)]
