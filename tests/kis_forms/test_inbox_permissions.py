"""A moderator handles their own club's enquiries and nothing of another club's, by any URL."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import GroupPagePermission, ModelLogEntry

from kis_forms.inbox.listing import NOBODY
from kis_forms.models import EnquirySubmission
from kis_forms.permissions import VIEW, grant

from ..utils import make_enquiry
from .conftest import admin_user, assert_refused, logged_in, url


def test_the_inbox_lists_only_the_moderators_own_club(enquiries, kk_moderator, nysa_moderator):
    kk_page = logged_in(kk_moderator).get(url("index")).content.decode()
    assert enquiries["kk"].reference in kk_page and enquiries["nysa"].reference not in kk_page
    nysa_page = logged_in(nysa_moderator).get(url("index")).content.decode()
    assert enquiries["nysa"].reference in nysa_page and enquiries["kk"].reference not in nysa_page


def test_searching_or_filtering_for_another_clubs_enquiry_finds_nothing(enquiries, kk_moderator):
    client = logged_in(kk_moderator)
    other = enquiries["nysa"]
    for query in ({"q": other.reference}, {"page": other.page_id}, {"worker": other.worker_id}):
        response = client.get(url("index"), query)
        assert response.status_code == 200
        assert other not in response.context["object_list"], query


def offered(client, name):
    """The pks the inbox's filter `name` offers (beside "all" and, for assignees, "nobody")."""
    form = client.get(url("index")).context["filters"].form
    return {value for value, label in form.fields[name].choices if value not in ("", NOBODY)}


def test_the_filters_offer_only_the_moderators_own_forms_workers_and_assignees(
    enquiries, clubs, kk_moderator, nysa_moderator
):
    for key, moderator in (("kk", kk_moderator), ("nysa", nysa_moderator)):
        EnquirySubmission.objects.filter(pk=enquiries[key].pk).update(assignee=moderator)
    kk, nysa = enquiries["kk"], enquiries["nysa"]
    client = logged_in(kk_moderator)
    assert offered(client, "page") == {kk.page_id}
    assert offered(client, "worker") == {kk.worker_id} != {nysa.worker_id}
    assert offered(client, "assignee") == {kk_moderator.pk}

    grant(kk_moderator.groups.get(), clubs["nysa"], VIEW)  # shown at once, not when cached
    assert offered(client, "page") == {kk.page_id, nysa.page_id}
    assert offered(client, "assignee") == {kk_moderator.pk, nysa_moderator.pk}


def test_the_other_clubs_enquiry_is_404_in_every_view(enquiries, kk_moderator):
    client = logged_in(kk_moderator)
    other = enquiries["nysa"]
    for name in ("inspect", "edit", "delete", "history", "usage"):
        assert client.get(url(name, other)).status_code == 404, name
    assert client.post(url("edit", other), {"status": "closed"}).status_code == 404
    assert client.post(url("delete", other)).status_code == 404
    other.refresh_from_db()
    assert other.status == EnquirySubmission.Status.NEW


def test_a_moderator_reads_their_enquiry_and_the_reading_is_logged(enquiries, kk_moderator):
    response = logged_in(kk_moderator).get(url("inspect", enquiries["kk"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mieszkaniec Koźla" in page and "Imię i nazwisko" in page
    entry = ModelLogEntry.objects.get(action="kis_forms.enquiry.view")
    assert entry.user == kk_moderator and entry.object_id == str(enquiries["kk"].pk)


def test_a_moderator_changes_status_and_assigns_only_their_clubs_people(
    enquiries, kk_moderator, nysa_moderator
):
    client = logged_in(kk_moderator)
    enquiry = enquiries["kk"]
    form = client.get(url("edit", enquiry)).context["form"]
    assignees = set(form.fields["assignee"].queryset)
    assert kk_moderator in assignees and nysa_moderator not in assignees

    response = client.post(
        url("edit", enquiry), {"status": "in_progress", "assignee": kk_moderator.pk}
    )
    assert response.status_code == 302
    enquiry.refresh_from_db()
    assert enquiry.status == "in_progress" and enquiry.assignee == kk_moderator

    refused = client.post(url("edit", enquiry), {"status": "closed", "assignee": nysa_moderator.pk})
    assert "assignee" in refused.context["form"].errors


def test_view_only_moderators_may_read_but_not_change(django_user_model, clubs, enquiries):
    reader = logged_in(admin_user(django_user_model, "czytelnik", clubs["kk"], VIEW))
    assert reader.get(url("inspect", enquiries["kk"])).status_code == 200
    assert_refused(reader.post(url("edit", enquiries["kk"]), {"status": "closed"}))
    assert_refused(reader.post(url("delete", enquiries["kk"])))
    assert EnquirySubmission.objects.get(pk=enquiries["kk"].pk).status == "new"


def test_an_editor_without_enquiry_permissions_sees_no_enquiry_at_all(
    django_user_model, clubs, enquiries
):
    editor = admin_user(django_user_model, "redaktor")
    GroupPagePermission.objects.create(
        group=editor.groups.get(), page=clubs["kk"], permission_type="change"
    )
    client = logged_in(editor)
    assert_refused(client.get(url("index")))
    assert client.get(url("inspect", enquiries["kk"])).status_code == 404
    assert not any(label.startswith("Zgłoszenia") for label in menu_labels(client))
    kk_form = enquiries["kk"].page
    submissions = client.get(reverse("wagtailforms:list_submissions", args=[kk_form.pk]))
    assert_refused(submissions)
    assert (
        enquiries["kk"].reference not in client.get(reverse("wagtailforms:index")).content.decode()
    )


def test_anonymous_visitors_are_sent_to_the_login(enquiries):
    for response in (Client().get(url("index")), Client().get(url("inspect", enquiries["kk"]))):
        assert response.status_code == 302 and "/admin/login/" in response["Location"]


def menu_labels(client):
    """The labels of the admin's main menu, read from the sidebar's JSON."""
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    props = re.search(r'<script id="wagtail-sidebar-props"[^>]*>(.*?)</script>', home, re.S)
    return re.findall(r'"label": "([^"]*)"', props.group(1).encode().decode("unicode_escape"))


def test_the_menu_counts_the_new_enquiries_of_the_moderators_club(enquiries, kk_moderator):
    assert "Zgłoszenia (1)" in menu_labels(logged_in(kk_moderator))


def test_the_history_of_an_enquiry_shows_who_read_it(enquiries, kk_moderator):
    client = logged_in(kk_moderator)
    client.get(url("inspect", enquiries["kk"]))
    history = client.get(url("history", enquiries["kk"]))
    assert history.status_code == 200
    (entry,) = history.context["object_list"]
    assert entry.action == "kis_forms.enquiry.view" and entry.user == kk_moderator
    assert "Odczytano zgłoszenie" in history.content.decode()


def test_nobody_adds_an_enquiry_by_hand_not_even_a_superuser(admin_client, enquiries):
    assert url("add") not in admin_client.get(url("index")).content.decode()
    assert_refused(admin_client.get(url("add")))
    assert_refused(admin_client.post(url("add"), {"status": "new"}))
    assert EnquirySubmission.objects.count() == 2


def whole_inbox_counts(queries):
    """The COUNT queries over every enquiry of the scope (the badge's counts only new ones)."""
    return [
        query["sql"]
        for query in queries
        if "COUNT(*)" in query["sql"]
        and "enquirysubmission" in query["sql"]
        and '"status"' not in query["sql"]
    ]


def test_the_whole_inbox_total_is_counted_again_only_after_an_arrival_or_a_deletion(
    enquiries, kk_moderator
):
    client = logged_in(kk_moderator)
    kk = enquiries["kk"]
    with CaptureQueriesContext(connection) as first:
        assert client.get(url("index")).context["paginator"].count == 1
    with CaptureQueriesContext(connection) as again:
        assert client.get(url("index"), {"p": 1}).context["paginator"].count == 1
    assert len(whole_inbox_counts(first)) == 1 and whole_inbox_counts(again) == []

    make_enquiry(kk.page)
    assert client.get(url("index")).context["paginator"].count == 2
    kk.delete()  # not the newest: the newest id stays as it was
    assert client.get(url("index")).context["paginator"].count == 1
    filtered = client.get(url("index"), {"status": "new"}).context["paginator"]
    assert filtered.count == 1  # filtered and searched totals are always counted
    assert client.get(url("index"), {"q": "nikt"}).context["paginator"].count == 0
