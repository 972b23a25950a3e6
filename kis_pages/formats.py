"""Values as the club's pages print them: the templates' filters and the API's `*_display`
fields both call these, so a front end gets the very text the HTML shows."""

from django.template.defaultfilters import floatformat
from django.utils.formats import date_format
from django.utils.translation import gettext as _


def display_date(value):
    """A date in the active language's DATE_FORMAT: '1 czerwca 2020'."""
    return date_format(value, "DATE_FORMAT")


def display_zloty(amount):
    """An amount of złoty with two decimals in the active language: '8,50 zł'."""
    return _("%(amount)s zł") % {"amount": floatformat(amount, 2)}
