"""Computed API fields: what the pages show beside the stored values, for v2 and v3 alike.

Each is a DRF field (API v2's `APIField(serializer=...)`) whose `to_representation` has a
return annotation: API v3 types the field in its OpenAPI document from that annotation
(`wagtail/api/v3/schemas/generators/read.py`), and a field without one would be `Any` there.
Dicts are `TypedDict`s from typing_extensions, the kind pydantic reads on Python 3.11.
Labels and the phone's "wew." are translated when the API answers, in the active language.
"""

from pydantic import ConfigDict, with_config
from rest_framework import serializers
from typing_extensions import TypedDict
from wagtail.api import APIField

from .blocks import weekday_label
from .formats import display_date, display_zloty

_DOCUMENTED = ConfigDict(use_attribute_docstrings=True)


def choice_label(field_name):
    """An API field `<field_name>_label` giving the label of the choice field's value."""
    return APIField(f"{field_name}_label", serializer=LabelField(f"get_{field_name}_display"))


def date_display(field_name):
    """An API field `<field_name>_display` giving the date as the pages print it."""
    return APIField(f"{field_name}_display", serializer=DisplayField(display_date, field_name))


def zloty_display(field_name):
    """An API field `<field_name>_display` giving the amount as the pages print it."""
    return APIField(f"{field_name}_display", serializer=DisplayField(display_zloty, field_name))


class DisplayField(serializers.Field):
    """A value as the pages print it, made by the function their template filter calls
    (kis_pages/formats.py) or by a model property (`source`, with `str` as `display`)."""

    def __init__(self, display, source, **kwargs):
        super().__init__(source=source, read_only=True, **kwargs)
        self.display = display

    def to_representation(self, value) -> str:
        return str(self.display(value))


class LabelField(serializers.Field):
    """The label of a choice, as the page shows it: Django's `get_<field>_display()`."""

    def __init__(self, source, **kwargs):
        super().__init__(source=source, read_only=True, **kwargs)

    def to_representation(self, value) -> str:
        return str(value)


class FlagField(serializers.Field):
    """A yes or no the model computes, e.g. whether an announcement is current."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value) -> bool:
        return bool(value)


@with_config(_DOCUMENTED)
class WorkerContact(TypedDict):
    """A social worker's public work contacts, as the club's pages show them."""

    name: str
    position: str
    email: str
    phone: str
    """The number as stored: +48 and nine digits, e.g. '+48774837723'."""
    phone_extension: str
    phone_display: str
    """The number as the pages print it, with the extension: '77 483 77 23 wew. 103'."""
    phone_href: str
    """The pages' link that dials it: 'tel:+48774837723,103' (the pause before the extension)."""
    room: str
    office_hours: str


class SocialWorkerSerializer(serializers.Field):
    """A worker as the fields named in `SocialWorker.api_fields`."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value) -> WorkerContact:
        return {field.name: getattr(value, field.name) for field in value.api_fields}


@with_config(_DOCUMENTED)
class OpeningHoursRow(TypedDict):
    """One weekday of the institution's opening hours."""

    day: str
    """The weekday's code: mon, tue, wed, thu, fri, sat or sun."""
    day_label: str
    """The weekday's name, e.g. 'poniedziałek'."""
    closed: bool
    """Closed to clients that day."""
    opens: str | None
    """HH:MM, as the pages print it; null on a closed day."""
    closes: str | None
    note: str


@with_config(_DOCUMENTED)
class PublicClubSettings(TypedDict):
    """What the club's pages show of the club settings of its Site: not the retention period,
    nor the RODO clause (the enquiry form's `consent_text` gives that)."""

    institution_name: str
    street: str
    postal_code: str
    city: str
    bip_url: str
    epuap_address: str
    opening_hours: list[OpeningHoursRow]
    dpo_name: str
    """The data protection officer."""
    dpo_email: str


def _opening_hours_row(day) -> OpeningHoursRow:
    """A day of `OpeningHoursBlock` as the pages print it: no hours on a closed day."""
    closed = bool(day["closed"])
    opens, closes = (None, None) if closed else (day["opens"], day["closes"])
    return {
        "day": day["day"],
        "day_label": weekday_label(day["day"]),
        "closed": closed,
        "opens": opens.strftime("%H:%M") if opens else None,
        "closes": closes.strftime("%H:%M") if closes else None,
        "note": day["note"] or "",
    }


class ClubSettingsSerializer(serializers.Field):
    """The public part of a `ClubSettings` row, opening hours as one row per weekday."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value) -> PublicClubSettings:
        return {
            "institution_name": value.institution_name,
            "street": value.street,
            "postal_code": value.postal_code,
            "city": value.city,
            "bip_url": value.bip_url,
            "epuap_address": value.epuap_address,
            "opening_hours": [_opening_hours_row(row.value) for row in value.opening_hours],
            "dpo_name": value.dpo_name,
            "dpo_email": value.dpo_email,
        }
