"""Polish work phone numbers, read, shown and dialled with `phonenumbers` (Google's
libphonenumber): stored as E.164 (+48 and nine digits), shown in the national grouping
("77 483 77 23" for a landline, "600 100 200" for a mobile), dialled by an RFC 3966 tel: URI
that carries the extension."""

import functools
import re
import unicodedata

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

REGION = "PL"
COUNTRY_CODE = 48
_SEPARATORS = re.compile(r"[\s\-./()]")
INVALID = _("Enter a Polish number of nine digits, e.g. 77 483 77 23 or +48 77 483 77 23.")


def normalize_phone(value):
    """Return `value` as +48XXXXXXXXX, or raise ValidationError for a number we cannot read.

    Only digits (of any script: an Arabic keyboard types ٦٠٠), separators and a leading +
    are read: phonenumbers would turn letters into digits as on a keypad.
    """
    # Nothing longer than 0048 and nine digits is a number, so a cut-off value stays wrong.
    typed = _SEPARATORS.sub("", value or "")[:16]
    digits = "".join(str(unicodedata.decimal(char, char)) for char in typed)
    if not re.fullmatch(r"\+?[0-9]+", digits):
        raise ValidationError(INVALID, code="invalid_phone")
    try:
        number = phonenumbers.parse(digits, REGION)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(INVALID, code="invalid_phone") from error
    if number.country_code != COUNTRY_CODE or not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID, code="invalid_phone")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _parsed(value, extension=""):
    number = phonenumbers.parse(value, REGION)
    number.extension = extension or None
    return number


@functools.lru_cache(maxsize=1024)  # parsed twice on every page of a club
def format_phone(value):
    """Return +48774837723 as '77 483 77 23', the national grouping of its kind of number."""
    try:
        number = _parsed(value)
    except phonenumbers.NumberParseException:
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def phone_display(value, extension=""):
    """Return the number grouped for reading, with the extension after 'wew.'; '' for none."""
    if not value:
        return ""
    text = format_phone(value)
    if extension:
        text += " " + _("ext. %(extension)s") % {"extension": extension}
    return text


@functools.lru_cache(maxsize=1024)
def tel_href(value, extension=""):
    """Return the RFC 3966 tel: URI of the number, with ';ext=' for an extension."""
    try:
        number = _parsed(value, extension)
    except phonenumbers.NumberParseException:
        return "tel:" + value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.RFC3966)
