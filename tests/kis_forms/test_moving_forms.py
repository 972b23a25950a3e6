"""An enquiry stays with the club it was sent to: a form with enquiries does not move to
another club, through the admin's move view or any other way; a club moves with its forms.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from wagtail.models import Page

from kis_forms.inbox.moving import FORM_HAS_ENQUIRIES
from kis_forms.models import EnquiryFormPage
from kis_forms.permissions import enquiry_policy

from .conftest import admin_user, assert_refused, logged_in, may_edit_pages


@pytest.fixture
def editor(django_user_model, clubs):
    """A page editor of both clubs, with no right on their enquiries."""
    return may_edit_pages(admin_user(django_user_model, "redaktor"), *clubs.values())


@pytest.fixture
def kk_form(enquiries):
    """Kędzierzyn-Koźle's form, with an enquiry, under a slug free in Nysa too."""
    form = enquiries["kk"].page.specific
    form.slug = "formularz-kedzierzyn-kozle"
    form.save()
    return form


def move(client, page, destination):
    """Open the admin's move confirmation, then confirm, as an editor does."""
    address = reverse("wagtailadmin_pages:move_confirm", args=[page.pk, destination.pk])
    return client.get(address, follow=True), client.post(address, follow=True)


def test_an_editor_cannot_move_a_form_with_enquiries_to_another_club_and_is_told_why(
    editor, clubs, kk_form, enquiries, nysa_moderator
):
    opened, confirmed = move(logged_in(editor), kk_form, clubs["nysa"])

    with translation.override("pl"):
        reason = gettext(FORM_HAS_ENQUIRIES) % {"title": kk_form.title}
    for response in (opened, confirmed):
        assert response.status_code == 200
        assert [reason] == [message.message.strip() for message in response.context["messages"]]
    assert Page.objects.get(pk=kk_form.pk).get_parent().pk == clubs["kk"].pk
    readable = enquiry_policy.instances_user_has_permission_for(nysa_moderator, "view")
    assert enquiries["kk"] not in readable


def test_a_superuser_cannot_move_it_either(admin_client, clubs, kk_form):
    move(admin_client, kk_form, clubs["nysa"])

    assert Page.objects.get(pk=kk_form.pk).get_parent().pk == clubs["kk"].pk


def test_a_bulk_move_in_the_admin_is_refused(editor, clubs, kk_form):
    bulk_move = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "move"])

    response = logged_in(editor).post(f"{bulk_move}?id={kk_form.pk}", {"chooser": clubs["nysa"].pk})

    assert_refused(response)
    assert Page.objects.get(pk=kk_form.pk).get_parent().pk == clubs["kk"].pk


def test_moving_it_any_other_way_is_refused_too(clubs, kk_form):
    with pytest.raises(PermissionDenied):
        kk_form.move(clubs["nysa"], pos="last-child")

    assert Page.objects.get(pk=kk_form.pk).get_parent().pk == clubs["kk"].pk


def test_a_form_without_enquiries_moves_to_another_club(editor, clubs, kk_form, enquiries):
    enquiries["kk"].delete()

    move(logged_in(editor), kk_form, clubs["nysa"])

    assert Page.objects.get(pk=kk_form.pk).get_parent().pk == clubs["nysa"].pk


def test_a_club_moves_with_its_forms_and_their_enquiries_stay_its_own(
    clubs, kk_form, enquiries, kk_moderator, nysa_moderator
):
    host_section = Page.get_first_root_node().add_child(title="Kluby", slug="kluby")

    clubs["kk"].move(host_section, pos="last-child")

    assert Page.objects.get(pk=kk_form.pk).get_parent().pk == clubs["kk"].pk
    assert enquiries["kk"] in enquiry_policy.instances_user_has_permission_for(kk_moderator, "view")
    readable = enquiry_policy.instances_user_has_permission_for(nysa_moderator, "view")
    assert enquiries["kk"] not in readable


def test_a_copy_of_a_form_in_another_club_takes_none_of_its_enquiries(
    editor, clubs, kk_form, enquiries
):
    copy_url = reverse("wagtailadmin_pages:copy", args=[kk_form.pk])
    logged_in(editor).post(
        copy_url,
        {"new_title": "Kopia", "new_slug": "kopia", "new_parent_page": clubs["nysa"].pk},
    )

    copy = EnquiryFormPage.objects.get(slug="kopia")
    assert copy.get_parent().pk == clubs["nysa"].pk
    assert not copy.get_submission_class().objects.filter(page=copy).exists()
    assert kk_form.get_submission_class().objects.filter(page=kk_form).count() == 1
