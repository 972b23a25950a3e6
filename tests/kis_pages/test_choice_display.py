"""Our pages' choice labels (kis_pages/formats.py: choice_display) read as Django's own."""

import pytest
from django.utils import translation

from kis_pages.models import ActivityPage, AnnouncementPage, Workplace

FIELDS = [
    (ActivityPage, "kind"),
    (ActivityPage, "format"),
    (AnnouncementPage, "category"),
    (Workplace, "unit_kind"),
]


@pytest.mark.parametrize(("model", "name"), FIELDS)
@pytest.mark.parametrize("language", ["pl", "en"])
def test_every_label_is_djangos_in_each_language(model, name, language):
    field = model._meta.get_field(name)
    with translation.override(language):
        for value in [*(value for value, _label in field.choices), "retired-value", ""]:
            instance = model(**{name: value})
            ours = getattr(instance, f"get_{name}_display")()
            assert ours == instance._get_FIELD_display(field), value


def test_a_list_shows_the_polish_label():
    with translation.override("pl"):
        assert Workplace(unit_kind=Workplace.UnitKind.CEMETERY).get_unit_kind_display() == (
            "cmentarz"
        )
