"""The example site draws every form with kis_forms.renderer.WidgetDrawingRenderer (its
FORM_RENDERER, for installs with many clubs): each admin page comes out byte for byte as
Django's own renderer draws it, for a superuser and for a club's editor and moderator, who
see only their own club as before; and the enquiry form still draws its widgets in Python.
"""

import re

import django.forms
import pytest
from django.conf import settings as site_settings
from django.contrib.auth.models import Group
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from hypothesis import given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st
from wagtail.models import Site

from kis_forms.intake.forms import EnquiryFormBuilder
from kis_forms.models import EnquiryFormPage, FormField
from kis_forms.permissions import HANDLE
from kis_forms.renderer import DRAWING_RENDERER, WidgetDrawingRenderer
from kis_pages.models import ActivityIndexPage, SocialWorker

from ..strategies import nasty_text
from .conftest import admin_user, logged_in, may_edit_pages, url

DJANGO = "django.forms.renderers.DjangoTemplates"
OURS = "kis_forms.renderer.WidgetDrawingRenderer"
# What differs in every response, whatever draws it: masked CSRF tokens (64 letters and
# digits), the editing session's id, the ids of StreamField blocks and rich text blocks,
# and the numbers of block definitions.
EVERY_TIME_NEW = [
    (re.compile(r"(?<=[\"'])[A-Za-z0-9]{64}(?=[\"'])"), "token"),
    (re.compile(r"(editing-sessions/[\w/]*?)\d+/(\"|$)", re.M), r"\1id/\2"),
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "uuid"),
    (re.compile(r"(key\\?&quot;: \\?&quot;)[a-z0-9]{5}"), r"\1key"),
    (re.compile(r"blockdef-\d+"), "blockdef"),
]


def drawn(client, address, settings, renderer, data=None):
    """The page at `address` (posted `data`, if any) with `renderer` as the site's."""
    settings.FORM_RENDERER = renderer
    assert isinstance(get_default_renderer(), WidgetDrawingRenderer) == (renderer == OURS)
    if data is None:
        response = client.get(address)
    else:
        response = client.post(address, data)
    assert response.status_code == 200, address
    page = response.content.decode()
    for pattern, replacement in EVERY_TIME_NEW:
        page = pattern.sub(replacement, page)
    return page


def assert_drawn_alike(client, addresses, settings, data=None):
    for address in addresses:
        django_s = drawn(client, address, settings, DJANGO, data)
        ours = drawn(client, address, settings, OURS, data)
        assert ours == django_s, address


def test_the_example_site_draws_its_forms_with_the_drawing_renderer():
    assert site_settings.FORM_RENDERER == OURS


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.org", "x")


def superusers_pages(clubs, enquiries):
    kk, nysa = clubs["kk"], clubs["nysa"]
    form = EnquiryFormPage.objects.descendant_of(kk).get()
    activities = ActivityIndexPage.objects.descendant_of(nysa).get()
    group = Group.objects.create(name="Regionalni")
    site = Site.objects.get(root_page=kk)
    return [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore_root"),
        # the filters drawn with some of their options chosen
        reverse("wagtailadmin_explore_root") + f"?site={site.pk}&has_child_pages=true",
        reverse("wagtailadmin_explore", args=[kk.pk]),
        reverse("wagtailadmin_pages:edit", args=[kk.pk]),
        reverse("wagtailadmin_pages:edit", args=[form.pk]),
        reverse("wagtailadmin_pages:add", args=["kis_pages", "activitypage", activities.pk]),
        reverse("wagtailadmin_pages:search") + "?q=klub",
        reverse("wagtailusers_groups:add"),
        reverse("wagtailusers_groups:edit", args=[group.pk]),
        reverse("wagtailusers_users:add"),
        reverse("wagtailsettings:edit", args=["kis_pages", "clubsettings", site.pk]),
        reverse("wagtailsites:edit", args=[site.pk]),
        reverse("wagtailsnippets_kis_pages_socialworker:add"),
        reverse(
            "wagtailsnippets_kis_pages_socialworker:edit",
            args=[SocialWorker.objects.order_by("pk").first().pk],
        ),
        reverse("wagtailimages:index"),
        reverse("wagtaildocs:index"),
        url("index"),
        url("index") + f"?page={form.pk}&status=new",
        url("edit", enquiries["kk"]),
        url("inspect", enquiries["kk"]),
    ]


def test_every_admin_page_is_drawn_as_djangos_renderer_draws_it(
    superuser, clubs, enquiries, settings
):
    assert_drawn_alike(logged_in(superuser), superusers_pages(clubs, enquiries), settings)


def test_a_refused_group_form_is_drawn_with_its_choices_as_djangos_renderer_draws_it(
    superuser, clubs, settings
):
    """Sent back with an error: the Sites ticked in the club settings' permissions stay
    ticked, and the enquiry rows keep their clubs."""
    kk_site = Site.objects.get(root_page=clubs["kk"])
    prefix = "kis_pages_clubsettings_site_permissions"
    data = {
        "name": "",
        f"{prefix}-sites": [str(kk_site.pk)],
        "enquiry_permissions-TOTAL_FORMS": "1",
        "enquiry_permissions-INITIAL_FORMS": "0",
        "enquiry_permissions-0-club": str(clubs["kk"].pk),
        "enquiry_permissions-0-permissions": [HANDLE],
    }
    address = reverse("wagtailusers_groups:add")
    assert_drawn_alike(logged_in(superuser), [address], settings, data)
    page = drawn(logged_in(superuser), address, settings, OURS, data)
    assert re.search(rf'name="{prefix}-sites" value="{kk_site.pk}"[^>]* checked', page)


@pytest.fixture
def kk_editor(django_user_model, clubs):
    """Edits Kędzierzyn-Koźle's pages and handles its enquiries, and nothing of Nysa."""
    return may_edit_pages(
        admin_user(django_user_model, "redaktor-kk", clubs["kk"], HANDLE), clubs["kk"]
    )


def test_a_clubs_editor_sees_only_its_club_as_with_djangos_renderer(
    kk_editor, clubs, enquiries, settings
):
    kk, nysa = clubs["kk"], clubs["nysa"]
    client = logged_in(kk_editor)
    addresses = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[kk.pk]),
        reverse("wagtailadmin_pages:edit", args=[kk.pk]),
        url("index"),
        url("inspect", enquiries["kk"]),
    ]
    assert_drawn_alike(client, addresses, settings)
    explorer = drawn(client, reverse("wagtailadmin_explore", args=[kk.pk]), settings, OURS)
    assert kk.title in explorer
    assert nysa.title not in explorer
    assert nysa.title not in drawn(client, url("index"), settings, OURS)
    # Nysa's pages and enquiries stay out of reach
    settings.FORM_RENDERER = OURS
    assert client.get(reverse("wagtailadmin_pages:edit", args=[nysa.pk])).status_code == 302
    assert client.get(url("inspect", enquiries["nysa"])).status_code in (403, 404)


def test_the_enquiry_form_draws_its_widgets_in_python_under_either_renderer(settings, monkeypatch):
    def no_template(self, template_name):
        raise AssertionError(f"{template_name} was drawn by a template")

    monkeypatch.setattr(WidgetDrawingRenderer, "get_template", no_template)
    fields = [
        FormField(label="Imię", field_type="singleline", clean_name="imie"),
        FormField(label="Temat", field_type="radio", choices="a\nb", clean_name="temat"),
    ]
    for renderer in (DJANGO, OURS):
        settings.FORM_RENDERER = renderer
        form = EnquiryFormBuilder(fields).get_form(token_address="example.org/")
        assert isinstance(form.renderer, WidgetDrawingRenderer)
        for name in ("imie", "temat"):
            assert str(form[name].as_widget())


def test_a_widget_of_a_template_it_does_not_know_is_drawn_by_djangos_templates():
    """A template the renderer does not draw (here a file input) is Django's own, unchanged."""
    widget = django.forms.ClearableFileInput(attrs={"accept": "image/*"})
    assert widget.render("plik", None, renderer=DRAWING_RENDERER) == widget.render(
        "plik", None, renderer=DjangoTemplates()
    )


SIMPLE_WIDGETS = [
    django.forms.TextInput,
    django.forms.NumberInput,
    django.forms.EmailInput,
    django.forms.URLInput,
    django.forms.HiddenInput,
    django.forms.DateInput,
    django.forms.DateTimeInput,
    django.forms.CheckboxInput,
    django.forms.Textarea,
    django.forms.NullBooleanSelect,
]
CHOICE_WIDGETS = [
    django.forms.Select,
    django.forms.SelectMultiple,
    django.forms.RadioSelect,
    django.forms.CheckboxSelectMultiple,
]
# What the admin puts in attributes: text (lazy or safe too), numbers, flags, nothing.
attribute_values = st.one_of(
    nasty_text,
    nasty_text.map(lambda text: gettext_lazy(text) if text else text),
    nasty_text.map(mark_safe),
    st.integers(-5, 10_000),
    st.booleans(),
    st.none(),
)
attributes = st.dictionaries(
    st.sampled_from(["id", "class", "placeholder", "maxlength", "data-w-x", "aria-label", "x"]),
    attribute_values,
    max_size=4,
)


@hyp_settings(max_examples=100, deadline=None)
@given(
    widget_class=st.sampled_from(SIMPLE_WIDGETS),
    attrs=attributes,
    value=st.one_of(st.none(), nasty_text, st.integers(), st.booleans()),
)
def test_any_standard_widget_is_drawn_as_djangos_templates_draw_it(widget_class, attrs, value):
    widget = widget_class(attrs=attrs)
    ours = widget.render("pole", value, renderer=DRAWING_RENDERER)
    assert ours == widget.render("pole", value, renderer=DjangoTemplates())


@pytest.mark.django_db
@hyp_settings(max_examples=60, deadline=None)
@given(
    widget_class=st.sampled_from(CHOICE_WIDGETS),
    attrs=attributes,
    chosen=st.lists(st.integers(0, 3), max_size=2),
)
def test_any_list_of_sites_is_drawn_as_djangos_templates_draw_it(widget_class, attrs, chosen):
    """Sites as Wagtail's admin lists them: model choices, ModelChoiceIteratorValue values."""
    sites = list(Site.objects.order_by("pk"))
    field = django.forms.ModelMultipleChoiceField(
        queryset=Site.objects.order_by("pk"), widget=widget_class(attrs=attrs)
    )
    value = [sites[index % len(sites)].pk for index in chosen]
    ours = field.widget.render("sites", value, renderer=DRAWING_RENDERER)
    assert ours == field.widget.render("sites", value, renderer=DjangoTemplates())
