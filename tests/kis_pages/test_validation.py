"""Bad data gets a clear message on the field at fault."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from kis_pages.models import ActivityPage, AnnouncementPage, SocialWorker
from kis_pages.phones import format_phone, normalize_phone

from ..utils import make_club, make_workplace_list


@pytest.mark.parametrize(
    "typed", ["77-4837723", "77 483 77 23", "+48 77 483 77 23", "0048774837723", "(77) 483-77-23"]
)
def test_polish_numbers_written_any_usual_way_are_stored_as_plus_48(typed):
    assert normalize_phone(typed) == "+48774837723"


@pytest.mark.parametrize(
    "typed",
    ["483 77 23", "+49 30 1234567", "77 483 77 23 wew. 103", "", "600 ABC 200", "000 000 000"],
)
def test_numbers_that_are_not_polish_nine_digits_are_refused(typed):
    with pytest.raises(ValidationError):
        normalize_phone(typed)


def test_worker_phone_is_shown_grouped_with_extension_and_dialled_with_it(db):
    worker = SocialWorker(name="A", position="p", phone="77-4837723", phone_extension="103")
    worker.full_clean()
    assert worker.phone == "+48774837723"
    assert format_phone(worker.phone) == "77 483 77 23"
    assert worker.phone_display == "77 483 77 23 wew. 103"
    assert worker.phone_href == "tel:+48-77-483-77-23;ext=103"


def test_a_mobile_number_is_shown_in_the_mobile_grouping():
    assert format_phone(normalize_phone("600100200")) == "600 100 200"


def test_an_extension_without_a_phone_is_refused(db):
    worker = SocialWorker(name="A", position="p", phone_extension="103")
    with pytest.raises(ValidationError) as error:
        worker.full_clean()
    assert "phone_extension" in error.value.message_dict


def test_workplace_edition_cannot_promise_more_hours_than_its_limits(db):
    edition = make_workplace_list(make_club())
    edition.hours_per_week, edition.hours_per_month = 12, 48
    with pytest.raises(ValidationError) as error:
        edition.full_clean()
    assert set(error.value.message_dict) == {"hours_per_week", "hours_per_month"}


def test_a_one_to_one_activity_has_no_groups(db):
    activity = ActivityPage(
        title="Konsultacje",
        slug="k",
        kind="consultation",
        summary="s",
        format="individual",
        group_count=2,
    )
    with pytest.raises(ValidationError) as error:
        activity.full_clean()
    assert "group_count" in error.value.message_dict


def test_an_announcement_cannot_end_before_it_starts(db):
    notice = AnnouncementPage(
        title="T",
        slug="t",
        summary="s",
        body=[],
        valid_from=datetime.date(2026, 5, 2),
        valid_until=datetime.date(2026, 5, 1),
    )
    with pytest.raises(ValidationError) as error:
        notice.full_clean()
    assert "valid_until" in error.value.message_dict
