"""Polish work phone numbers: stored as +48 and nine digits, shown grouped, dialled by tel:."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

NATIONAL_DIGITS = 9
_SEPARATORS = re.compile(r"[\s\-./()]")


def normalize_phone(value):
    """Return `value` as +48XXXXXXXXX, or raise ValidationError for a number we cannot read."""
    # Nothing longer than 0048 and nine digits is a number, so a cut-off value stays wrong.
    typed = _SEPARATORS.sub("", value or "")[:16]
    # Digits of other scripts (an Arabic keyboard types ٦٠٠) become 0-9; "²" stays and fails.
    digits = "".join(str(unicodedata.decimal(char, char)) for char in typed)
    for prefix in ("+48", "0048"):
        if digits.startswith(prefix):
            digits = digits[len(prefix) :]
            break
    if not (digits.isascii() and digits.isdigit() and len(digits) == NATIONAL_DIGITS):
        raise ValidationError(
            _("Enter a Polish number of nine digits, e.g. 77 483 77 23 or +48 77 483 77 23."),
            code="invalid_phone",
        )
    return "+48" + digits


def format_phone(value):
    """Return +48774837723 as '77 483 77 23', the way Polish offices print landlines."""
    digits = value.removeprefix("+48")
    if len(digits) != NATIONAL_DIGITS:
        return value
    return f"{digits[:2]} {digits[2:5]} {digits[5:7]} {digits[7:]}"


def phone_display(value, extension=""):
    """Return the number grouped for reading, with the extension after 'wew.'; '' for none."""
    if not value:
        return ""
    text = format_phone(value)
    if extension:
        text += " " + _("ext. %(extension)s") % {"extension": extension}
    return text


def tel_href(value, extension=""):
    """Return a tel: link; an extension follows a pause so the phone dials it after connecting."""
    href = "tel:" + value
    if extension:
        href += "," + extension
    return href
