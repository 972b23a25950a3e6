"""A form renderer that draws Django's standard widgets in Python, with exactly the markup
of Django's widget templates: the enquiry form's, and optionally the whole site's.

Through the templates a widget is three to five nested templates: the eight widgets of the
demo's form took about 0.9 ms of a page that, with nothing cached, took 8 ms to serve;
drawn here they take about 0.2 ms. In the admin a list of checkboxes with one per Site is
drawn by Wagtail on Settings › Groups (the club settings' site permissions) and in the page
explorer's filters: at 300 clubs each took about 20 ms through the templates and 1 ms
here, so a large install sets this renderer as its FORM_RENDERER (README, Many clubs).

tests/kis_forms/test_renderer.py compares every widget the form builder makes with what
Django's templates draw, byte for byte, and tests/kis_forms/test_site_renderer.py whole
admin pages. A widget with any other template (or choices in groups) is drawn by Django's
templates as ever. Django's DjangoTemplates renderer reads Django's own widget templates
before any app's, so no installed app can have changed the markup drawn here; a site that
draws its forms with a renderer of its own (TemplatesSetting, its templates) keeps it, the
enquiry form too.
"""

import functools
import html

from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat

TEMPLATES = "django/forms/widgets/"
# What a widget template's {{ value }} sees: autoescaping, the site's formats and zone.
TEMPLATE_CONTEXT = Context()


def text(value):
    """`{{ value }}`, as a template writes it."""
    if type(value) is str:  # neither safe nor lazy, nor a number or date to format
        return html.escape(value)
    return render_value_in_context(value, TEMPLATE_CONTEXT)


def formatted(value):
    """`{{ value|stringformat:'s' }}`, as a template writes it."""
    if type(value) is str:  # formatted as itself
        return html.escape(value)
    return text(stringformat(value, "s"))


# A few hundred of the texts escaped most often, each escaped once.
escaped_name = functools.lru_cache(maxsize=256)(html.escape)


def name_text(name):
    """text() of an input's type or name or of an attribute's name: the same for every option
    of a list, escaped 900 times a page for the 300 Sites' checkboxes of Settings › Groups."""
    if type(name) is str:
        return escaped_name(name)
    return text(name)


def attributes(attrs):
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {name_text(name)}" if value is True else f' {name_text(name)}="{formatted(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


def draw_input(widget):
    """django/forms/widgets/input.html, without its closing newline."""
    value = "" if widget["value"] is None else f' value="{formatted(widget["value"])}"'
    return (
        f'<input type="{name_text(widget["type"])}" name="{name_text(widget["name"])}"{value}'
        f"{attributes(widget['attrs'])}>"
    )


def draw_textarea(widget):
    """django/forms/widgets/textarea.html."""
    start = f'<textarea name="{text(widget["name"])}"{attributes(widget["attrs"])}>'
    return f"{start}\n{text(widget['value']) if widget['value'] else ''}</textarea>"


def options_of(widget, template_name):
    """The widget's options, or None when they are in groups or drawn by other templates."""
    options = []
    for group_name, group_options, _index in widget["optgroups"]:
        if group_name:
            return None
        options.extend(group_options)
    if any(option["template_name"] != TEMPLATES + template_name for option in options):
        return None
    return options


def draw_select(widget):
    """django/forms/widgets/select.html with select_option.html."""
    options = options_of(widget, "select_option.html")
    if options is None:
        return None
    drawn = "".join(
        f'\n  <option value="{formatted(option["value"])}"{attributes(option["attrs"])}>'
        f"{text(option['label'])}</option>\n"
        for option in options
    )
    return f'<select name="{text(widget["name"])}"{attributes(widget["attrs"])}>{drawn}\n</select>'


def multiple_input_drawer(option_template_name):
    """django/forms/widgets/multiple_input.html with `option_template_name`, which includes
    input_option.html."""

    def draw(widget):
        options = options_of(widget, option_template_name)
        if options is None or not all(option["wrap_label"] for option in options):
            return None
        drawn = "".join(f"<div>\n    {draw_input_option(option)}</div>" for option in options)
        id_ = widget["attrs"].get("id")
        class_ = widget["attrs"].get("class")
        id_attribute = f' id="{text(id_)}"' if id_ else ""
        class_attribute = f' class="{text(class_)}"' if class_ else ""
        return f"<div{id_attribute}{class_attribute}>{drawn}\n</div>"

    return draw


def draw_input_option(option):
    """radio_option.html or checkbox_option.html (including input_option.html), for an option
    wrapped in its label."""
    id_ = option["attrs"].get("id")
    label_for = f' for="{text(id_)}"' if id_ else ""
    return f"<label{label_for}>{draw_input(option)}\n {text(option['label'])}</label>\n\n"


DRAWERS = {
    **{
        TEMPLATES + name: draw_input
        for name in (
            "text.html",
            "email.html",
            "number.html",
            "url.html",
            "date.html",
            "datetime.html",
            "hidden.html",
            "checkbox.html",
        )
    },
    TEMPLATES + "textarea.html": draw_textarea,
    TEMPLATES + "select.html": draw_select,
    TEMPLATES + "radio.html": multiple_input_drawer("radio_option.html"),
    TEMPLATES + "checkbox_select.html": multiple_input_drawer("checkbox_option.html"),
}


class WidgetDrawingRenderer(DjangoTemplates):
    """Django's default form renderer, drawing Django's standard widgets in Python."""

    def render(self, template_name, context, request=None):
        draw = DRAWERS.get(template_name)
        drawn = draw(context["widget"]) if draw is not None and request is None else None
        if drawn is None:
            return super().render(template_name, context, request)
        return drawn


DRAWING_RENDERER = WidgetDrawingRenderer()


def enquiry_form_renderer():
    """The renderer of the enquiry form: ours where the site draws forms with Django's
    default renderer, else the site's own (ours too, or its templates may differ from
    Django's)."""
    default = get_default_renderer()
    return DRAWING_RENDERER if type(default) is DjangoTemplates else default
