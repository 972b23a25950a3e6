"""Wagtail's own Forms section shows no enquiry form, to anyone: enquiries are read, exported
and deleted only in the inbox, which tells "view" from "handle" and writes each step to the
enquiry's history. Other form pages of a host site stay in the Forms section.
"""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from wagtail.contrib.forms.utils import get_forms_for_user
from wagtail.models import ModelLogEntry, Page

from bench.bare_page.models import BarePage
from kis_forms import wagtail_hooks
from kis_forms.inbox.log_actions import EXPORT_ACTION
from kis_forms.models import EnquiryExport, EnquiryFormPage, EnquirySubmission, ExportedEnquiry
from kis_forms.permissions import VIEW

from .conftest import admin_user, assert_refused, logged_in, may_edit_pages, url


@pytest.fixture
def view_only_editor(django_user_model, clubs):
    """May read Kędzierzyn-Koźle's enquiries and edit its pages, not handle its enquiries."""
    user = admin_user(django_user_model, "czytelnik-redaktor", clubs["kk"], VIEW)
    return may_edit_pages(user, clubs["kk"])


def forms_section_requests(enquiry):
    """(method, address) of each way the Forms section lists, exports or deletes `enquiry`."""
    listing = reverse("wagtailforms:list_submissions", args=[enquiry.page_id])
    delete = reverse("wagtailforms:delete_submissions", args=[enquiry.page_id])
    return [
        ("get", listing),
        ("get", f"{listing}?export=csv"),
        ("get", f"{listing}?export=xlsx"),
        ("get", f"{delete}?selected-submissions={enquiry.pk}"),
        ("post", f"{delete}?selected-submissions={enquiry.pk}"),
    ]


@pytest.fixture(params=["view-only editor", "superuser"])
def user(request, django_user_model):
    if request.param == "superuser":
        return django_user_model.objects.create_superuser("admin", "admin@example.org", "x")
    return request.getfixturevalue("view_only_editor")


def test_nobody_lists_exports_or_deletes_an_enquiry_through_the_forms_section(user, enquiries):
    client = logged_in(user)
    enquiry = enquiries["kk"]

    responses = [
        getattr(client, method)(address) for method, address in forms_section_requests(enquiry)
    ]

    for response in responses:
        assert_refused(response)

    assert EnquirySubmission.objects.filter(pk=enquiry.pk).exists()
    assert not get_forms_for_user(user).filter(pk=enquiry.page_id).exists()
    assert not ModelLogEntry.objects.filter(action__in=[EXPORT_ACTION, "wagtail.delete"]).exists()


def test_the_view_only_editor_exports_in_the_inbox_and_each_export_is_in_the_history(
    view_only_editor, enquiries
):
    response = logged_in(view_only_editor).get(url("index"), {"export": "csv"})
    b"".join(response.streaming_content)

    (export,) = EnquiryExport.objects.all()
    assert export.user == view_only_editor
    held = ExportedEnquiry.objects.filter(export=export).values_list("submission", flat=True)
    assert list(held) == [enquiries["kk"].pk]
    assert ModelLogEntry.objects.filter(action=EXPORT_ACTION).count() == 1


def test_the_view_only_editor_cannot_delete_in_the_inbox(view_only_editor, enquiries):
    assert_refused(logged_in(view_only_editor).post(url("delete", enquiries["kk"])))

    assert EnquirySubmission.objects.filter(pk=enquiries["kk"].pk).exists()


def test_wagtails_forms_section_keeps_every_other_kind_of_form(monkeypatch, user, enquiries):
    """A form page of another type (here the bare page, counted as one) stays listed there."""
    bare_page = BarePage(title="Ankieta", slug="ankieta")
    Page.get_first_root_node().add_child(instance=bare_page)
    form_types = [ContentType.objects.get_for_model(model) for model in (EnquiryFormPage, BarePage)]
    monkeypatch.setattr(wagtail_hooks, "get_form_types", lambda: form_types)
    form_pages = Page.objects.filter(content_type__in=form_types)

    kept = wagtail_hooks.leave_enquiries_to_the_inbox(user, form_pages)

    assert list(kept) == [bare_page.page_ptr]
