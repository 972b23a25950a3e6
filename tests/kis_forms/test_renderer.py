"""The enquiry form draws its widgets in Python (kis_forms/renderer.py): every widget of
every field type the form builder makes must come out byte for byte as Django's own widget
templates draw it, empty or filled in, valid or not, required or optional, in Polish and in
English; anything else is left to Django's templates."""

import django.forms
import pytest
from django.forms.renderers import DjangoTemplates, TemplatesSetting
from django.http import QueryDict
from django.utils import translation
from django.utils.safestring import mark_safe
from hypothesis import given, settings
from hypothesis import strategies as st

from kis_forms.intake.forms import EnquiryFormBuilder
from kis_forms.models import FormField
from kis_forms.renderer import (
    DRAWING_RENDERER,
    WidgetDrawingRenderer,
    enquiry_form_renderer,
)

from ..strategies import nasty_text

DJANGO_RENDERER = DjangoTemplates()
CHOICES = 'pierwszy\nb & c\n"cudzysłów" <i>\nostatni'
# (field type, choices, default value) of every kind of field an editor can add.
FIELD_TYPES = [
    ("singleline", "", ""),
    ("multiline", "", ""),
    ("email", "", ""),
    ("number", "", ""),
    ("url", "", ""),
    ("checkbox", "", ""),
    ("checkboxes", CHOICES, ""),
    ("dropdown", CHOICES, ""),
    ("multiselect", CHOICES, ""),
    ("radio", CHOICES, ""),
    ("date", "", ""),
    ("datetime", "", ""),
    ("hidden", "", ""),
    ("name", "", ""),
    ("phone", "", ""),
]
# Answers to every field: none (the form as first shown), empty, valid, invalid, and text a
# browser should never see raw.
ANSWERS = {
    "shown": None,
    "empty": {},
    "valid": {
        "singleline": "Jan",
        "multiline": "Dzień dobry,\n\nproszę o kontakt.",
        "email": "jan@example.org",
        "number": "3.5",
        "url": "https://example.org/?a=1&b=2",
        "checkbox": "on",
        "checkboxes": ["pierwszy", "b & c"],
        "dropdown": '"cudzysłów" <i>',
        "multiselect": ["ostatni"],
        "radio": "b & c",
        "date": "2026-12-05",
        "datetime": "2026-12-05 10:30",
        "hidden": "ukryte",
        "name": "Anna Nowak",
        "phone": "+48 600 700 800",
    },
    "invalid": {
        "singleline": '<script>alert("x")</script> & \'',
        "multiline": "</textarea><b>\n",
        "email": "nie-adres<>",
        "number": "trzy",
        "url": "javascript:alert(1)",
        "checkbox": "",
        "checkboxes": ["nie ma", "b & c"],
        "dropdown": "nie ma",
        "multiselect": ["nie ma", "pierwszy"],
        "radio": "nie ma",
        "date": "2026-13-45",
        "datetime": "wczoraj",
        "hidden": '"><x>',
        "name": "",
        "phone": "12",
    },
}


def form_fields(required, help_text="", default_value=None):
    return [
        FormField(
            label=f"Pole {field_type}",
            field_type=field_type,
            required=required,
            choices=choices,
            default_value=default if default_value is None else default_value,
            help_text=help_text,
            clean_name=field_type,
        )
        for field_type, choices, default in FIELD_TYPES
    ]


def draw_both(fields, data=None):
    """Each field's widget as our renderer and as Django's templates draw it."""
    builder = EnquiryFormBuilder(fields)
    ours = builder.get_form(data, token_address="example.org/form/")
    django_s = builder.get_form(data, token_address="example.org/form/", renderer=DJANGO_RENDERER)
    django_s.initial = ours.initial  # the same one-time token
    assert isinstance(ours.renderer, WidgetDrawingRenderer)
    if data is not None:
        ours.is_valid()
        django_s.is_valid()
    return [(str(ours[name]), str(django_s[name])) for name in ours.fields]


def to_post(answers):
    data = QueryDict(mutable=True)
    for name, value in answers.items():
        data.setlist(name, value if isinstance(value, list) else [value])
    return data


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("answers", ANSWERS, ids=str)
@pytest.mark.parametrize("required", [True, False], ids=["required", "optional"])
def test_every_widget_is_drawn_as_djangos_templates_draw_it(language, answers, required):
    fields = form_fields(required, help_text="Pomoc <b>i</b> & więcej")
    data = None if ANSWERS[answers] is None else to_post(ANSWERS[answers])
    with translation.override(language):
        drawn = draw_both(fields, data)
    for ours, django_s in drawn:
        assert ours == django_s


def test_default_values_are_drawn_as_djangos_templates_draw_them():
    fields = form_fields(required=False, default_value="b & c")
    fields[FIELD_TYPES.index(("checkboxes", CHOICES, ""))].default_value = "pierwszy\nostatni"
    for ours, django_s in draw_both(fields):
        assert ours == django_s


def test_every_field_type_is_drawn_without_a_template(monkeypatch):
    def no_template(self, template_name):
        raise AssertionError(f"{template_name} was drawn by a template")

    monkeypatch.setattr(WidgetDrawingRenderer, "get_template", no_template)
    builder = EnquiryFormBuilder(form_fields(required=True))
    form = builder.get_form(to_post(ANSWERS["invalid"]), token_address="example.org/form/")
    form.is_valid()
    for name in form.fields:
        assert str(form[name])


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(nasty_text, min_size=len(FIELD_TYPES), max_size=len(FIELD_TYPES)),
    choices=st.lists(
        nasty_text.filter(lambda text: text.strip() and "\n" not in text and "," not in text),
        min_size=1,
        max_size=4,
    ),
    picked=st.integers(0, 3),
)
def test_any_text_typed_or_chosen_is_drawn_as_djangos_templates_draw_it(values, choices, picked):
    fields = form_fields(required=True)
    for field in fields:
        if field.choices:
            field.choices = "\n".join(choices)
    answers = dict(zip((field_type for field_type, _c, _d in FIELD_TYPES), values, strict=True))
    for name in ("checkboxes", "multiselect"):
        answers[name] = [choices[picked % len(choices)].strip(), answers[name]]
    for ours, django_s in draw_both(fields, to_post(answers)):
        assert ours == django_s


class UnwrappedCheckboxes(django.forms.CheckboxSelectMultiple):
    def create_option(self, *args, **kwargs):
        return {**super().create_option(*args, **kwargs), "wrap_label": False}


def test_choices_in_groups_or_unwrapped_and_safe_text_are_drawn_as_djangos_templates_draw_them():
    class GroupedForm(django.forms.Form):
        topic = django.forms.ChoiceField(
            choices=[("Klub", [("a", "udział")]), ("Inne", [("b", mark_safe("<b>inna</b>"))])],
            widget=django.forms.RadioSelect,
        )
        place = django.forms.ChoiceField(choices=[("Klub", [("a", "sala 1")]), ("b", "dom")])
        days = django.forms.MultipleChoiceField(
            choices=[("pn", "poniedziałek")], widget=UnwrappedCheckboxes
        )
        note = django.forms.CharField(
            widget=django.forms.TextInput(
                attrs={
                    "title": mark_safe("<i>&amp;</i>"),
                    "x": 5,
                    "hidden": False,
                    "autofocus": True,
                }
            )
        )

    ours = GroupedForm({"topic": "b", "note": mark_safe("&lt;")}, renderer=DRAWING_RENDERER)
    django_s = GroupedForm({"topic": "b", "note": mark_safe("&lt;")}, renderer=DJANGO_RENDERER)
    for name in ours.fields:
        assert str(ours[name]) == str(django_s[name])


def test_a_site_drawing_forms_with_its_own_templates_keeps_them(settings):
    settings.FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
    assert isinstance(enquiry_form_renderer(), TemplatesSetting)
    form = EnquiryFormBuilder(form_fields(required=True)).get_form(token_address="example.org/")
    assert isinstance(form.renderer, TemplatesSetting)
