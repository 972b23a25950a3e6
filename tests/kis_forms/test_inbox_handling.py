"""Moderators handle their club's enquiries: status, assignee, notes, resend, bulk actions."""

import datetime
import html
import re
import urllib.parse

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry, Page

from kis_forms.models import EnquiryNote, EnquirySubmission, Notification
from kis_forms.permissions import VIEW

from ..utils import make_enquiry, post_enquiry
from .conftest import FORM_PATH, admin_user, assert_refused, logged_in, url

pytestmark = pytest.mark.usefixtures("enquiries")


def bulk_url(action, *enquiries, **params):
    query = [("id", enquiry.pk) for enquiry in enquiries] + list(params.items())
    path = reverse("wagtail_bulk_action", args=["kis_forms", "enquirysubmission", action])
    return f"{path}?{urllib.parse.urlencode(query)}"


def history(enquiry):
    return list(
        ModelLogEntry.objects.filter(object_id=str(enquiry.pk))
        .exclude(action="kis_forms.enquiry.view")
        .order_by("pk")
        .values_list("action", "user__username", "data")
    )


def test_the_enquiry_page_has_the_controls_and_a_reply_link_with_the_reference(
    enquiries, kk_moderator
):
    enquiry = enquiries["kk"]
    page = logged_in(kk_moderator).get(url("inspect", enquiry)).content.decode()
    for action in ("edit", "note", "resend"):
        assert f'action="{url(action, enquiry)}"' in page
    subject = urllib.parse.quote(f"{enquiry.reference} – {enquiry.page.title}")
    assert 'href="mailto:mieszkaniec@example.org?subject=' in page and subject in page


def test_the_reply_link_cannot_be_given_a_copy_or_subject_by_the_address(enquiries, kk_moderator):
    address = "x?cc=attacker%40evil.example&subject=pwn@example.org"  # stored before it was refused
    enquiry = make_enquiry(enquiries["kk"].page, resident_email=address)
    page = logged_in(kk_moderator).get(url("inspect", enquiry)).content.decode()
    href = html.unescape(re.search(r'href="(mailto:[^"]*)"', page).group(1))
    recipient, _, query = href.removeprefix("mailto:").partition("?")
    assert urllib.parse.unquote(recipient) == address
    assert list(urllib.parse.parse_qs(query)) == ["subject"]
    assert "pwn" not in urllib.parse.parse_qs(query)["subject"][0]


def test_a_view_only_moderator_sees_the_enquiry_without_controls(
    django_user_model, clubs, enquiries
):
    reader = logged_in(admin_user(django_user_model, "czytelnik", clubs["kk"], VIEW))
    enquiry = enquiries["kk"]
    page = reader.get(url("inspect", enquiry)).content.decode()
    assert enquiry.reference in page
    assert url("note", enquiry) not in page and url("resend", enquiry) not in page
    assert reader.post(url("note", enquiry), {"text": "Nie powinno wejść."}).status_code == 404
    assert reader.post(url("resend", enquiry)).status_code == 404
    assert not EnquiryNote.objects.exists()


def test_changing_status_and_assignee_from_the_enquiry_page_is_in_its_history(
    enquiries, kk_moderator
):
    client = logged_in(kk_moderator)
    enquiry = enquiries["kk"]
    response = client.post(
        url("edit", enquiry), {"status": "in_progress", "assignee": kk_moderator.pk}
    )
    assert response["Location"] == url("inspect", enquiry)
    enquiry.refresh_from_db()
    assert enquiry.status == "in_progress" and enquiry.status_changed_at is not None
    assert history(enquiry) == [
        ("kis_forms.enquiry.status", kk_moderator.username, {"from": "new", "to": "in_progress"}),
        ("kis_forms.enquiry.assign", kk_moderator.username, {"assignee": kk_moderator.username}),
    ]
    page = client.get(url("history", enquiry)).content.decode()
    assert "Zmieniono status z „nowe” na „w toku”" in page
    assert f"Przydzielono: {kk_moderator.username}" in page


def test_notes_are_added_with_author_and_time_and_never_changed(enquiries, kk_moderator):
    client = logged_in(kk_moderator)
    enquiry = enquiries["kk"]
    response = client.post(url("note", enquiry), {"text": "Oddzwonić w poniedziałek."})
    assert response["Location"] == url("inspect", enquiry)
    note = EnquiryNote.objects.get()
    assert note.author == kk_moderator and note.created_at is not None
    page = client.get(url("inspect", enquiry)).content.decode()
    assert "Oddzwonić w poniedziałek." in page and kk_moderator.username in page
    assert history(enquiry) == [("kis_forms.enquiry.note", kk_moderator.username, {})]

    client.post(url("note", enquiry), {"text": "   "})
    assert EnquiryNote.objects.count() == 1
    assert client.get(url("note", enquiry)).status_code == 405


def test_the_other_club_cannot_note_resend_or_change_an_enquiry(enquiries, nysa_moderator):
    client = logged_in(nysa_moderator)
    other = enquiries["kk"]
    sent_before = len(mail.outbox)
    assert client.post(url("note", other), {"text": "Cudza notatka"}).status_code == 404
    assert client.post(url("resend", other)).status_code == 404
    assert client.post(url("edit", other), {"status": "closed"}).status_code == 404
    assert not EnquiryNote.objects.exists() and len(mail.outbox) == sent_before
    assert history(other) == []


def test_anonymous_visitors_cannot_post_notes_or_resend(enquiries):
    for name in ("note", "resend"):
        response = Client().post(url(name, enquiries["kk"]), {"text": "x"})
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert not EnquiryNote.objects.exists()


def test_resending_mails_the_routed_worker_again_and_records_it(enquiries, kk_moderator):
    enquiry = enquiries["kk"]
    notification = enquiry.notifications.get(kind=Notification.Kind.WORKER)
    Notification.objects.filter(pk=notification.pk).update(
        state=Notification.State.GIVEN_UP, attempts=9, last_error="SMTP down"
    )
    mail.outbox.clear()
    logged_in(kk_moderator).post(url("resend", enquiry))
    (message,) = mail.outbox
    assert message.to == [enquiry.worker.email] and enquiry.reference in message.subject
    notification.refresh_from_db()
    assert notification.state == Notification.State.SENT and notification.attempts == 1
    assert history(enquiry) == [("kis_forms.enquiry.resend", kk_moderator.username, {})]


def test_bulk_status_asks_first_then_changes_only_the_moderators_own(enquiries, kk_moderator):
    client = logged_in(kk_moderator)
    own, other = enquiries["kk"], enquiries["nysa"]
    confirm = client.get(bulk_url("status", own, other))
    assert confirm.status_code == 200
    page = confirm.content.decode()
    assert own.reference in page and other.reference not in page
    assert EnquirySubmission.objects.get(pk=own.pk).status == "new"

    client.post(bulk_url("status", own, other), {"status": "closed"})
    assert EnquirySubmission.objects.get(pk=own.pk).status == "closed"
    assert EnquirySubmission.objects.get(pk=other.pk).status == "new"


def test_bulk_actions_on_another_clubs_enquiries_alone_are_404(enquiries, kk_moderator):
    client = logged_in(kk_moderator)
    other = enquiries["nysa"]
    for action in ("assign", "status", "spam", "delete"):
        assert client.get(bulk_url(action, other)).status_code == 404, action
        assert client.post(bulk_url(action, other), {"status": "closed"}).status_code == 404
    assert EnquirySubmission.objects.get(pk=other.pk).status == "new"
    assert history(other) == []


def test_bulk_assign_offers_only_people_who_may_handle_the_club(
    enquiries, kk_moderator, nysa_moderator
):
    client = logged_in(kk_moderator)
    own = enquiries["kk"]
    choices = client.get(bulk_url("assign", own)).context["form"].fields["assignee"].queryset
    assert kk_moderator in choices and nysa_moderator not in choices
    refused = client.post(bulk_url("assign", own), {"assignee": nysa_moderator.pk})
    assert "assignee" in refused.context["form"].errors
    client.post(bulk_url("assign", own), {"assignee": kk_moderator.pk})
    assert EnquirySubmission.objects.get(pk=own.pk).assignee == kk_moderator


def test_bulk_spam_and_delete_with_confirmation(enquiries, kk_moderator):
    client = logged_in(kk_moderator)
    own = enquiries["kk"]
    client.post(bulk_url("spam", own))
    assert EnquirySubmission.objects.get(pk=own.pk).status == "spam"
    assert "Tak, usuń je na zawsze" in client.get(bulk_url("delete", own)).content.decode()
    assert EnquirySubmission.objects.filter(pk=own.pk).exists()
    client.post(bulk_url("delete", own))
    assert not EnquirySubmission.objects.filter(pk=own.pk).exists()
    assert ModelLogEntry.objects.filter(
        object_id=str(own.pk), action="wagtail.delete", user=kk_moderator
    ).exists()


def test_select_all_in_listing_keeps_the_filter_and_the_club(enquiries, kk_moderator, resident):
    post_enquiry(resident, FORM_PATH, imie_i_nazwisko="Druga Osoba")
    client = logged_in(kk_moderator)
    first = enquiries["kk"]
    second = EnquirySubmission.objects.exclude(pk=first.pk).get(resident_name="Druga Osoba")
    client.post(bulk_url("status", first), {"status": "answered"})

    query = f"{reverse('wagtail_bulk_action', args=['kis_forms', 'enquirysubmission', 'spam'])}"
    client.post(f"{query}?id=all&status=new")
    statuses = dict(EnquirySubmission.objects.values_list("pk", "status"))
    assert statuses[second.pk] == "spam" and statuses[first.pk] == "answered"
    assert statuses[enquiries["nysa"].pk] == "new"


def test_a_view_only_moderator_has_no_bulk_actions(django_user_model, clubs, enquiries):
    reader = logged_in(admin_user(django_user_model, "czytelnik", clubs["kk"], VIEW))
    page = reader.get(url("index")).content.decode()
    assert "data-bulk-action-footer" not in page and "data-bulk-action-checkbox" not in page
    assert_refused(reader.post(bulk_url("status", enquiries["kk"]), {"status": "closed"}))
    assert EnquirySubmission.objects.get(pk=enquiries["kk"].pk).status == "new"


def test_each_row_shows_the_enquiry_linked_and_escaped(enquiries, kk_moderator):
    kk = enquiries["kk"]
    Page.objects.filter(pk=kk.page_id).update(title='Pytania <b> & "odpowiedzi"')
    EnquirySubmission.objects.filter(pk=kk.pk).update(
        submit_time=datetime.datetime(2026, 7, 1, 8, 5, tzinfo=datetime.UTC), status="answered"
    )
    page = logged_in(kk_moderator).get(url("index")).content.decode()
    (row,) = re.findall(r"<tbody>(.*?)</tbody>", page, re.S)
    assert f'aria-describedby="enquiry_{kk.pk}_title"' in row
    assert f'<a href="{url("inspect", kk)}"><span id="enquiry_{kk.pk}_title">{kk.reference}<' in row
    assert '<time datetime="2026-07-01T10:05:00+02:00">01-07-2026  10:05</time>' in row
    assert "<td>Pytania &lt;b&gt; &amp; &quot;odpowiedzi&quot;</td>" in row
    assert "<td>odpowiedziano</td>" in row and "<td>Agnieszka Jarońska" in row


def test_searching_by_the_residents_name(enquiries, kk_moderator):
    response = logged_in(kk_moderator).get(url("index"), {"q": "koźla"})
    assert list(response.context["object_list"]) == [enquiries["kk"]]


def test_a_whole_email_address_finds_that_address_only_in_any_case(enquiries, kk_moderator):
    kk = enquiries["kk"]
    EnquirySubmission.objects.filter(pk=kk.pk).update(resident_email="anna@example.org")
    other = make_enquiry(kk.page, resident_email="joanna@example.org")
    client = logged_in(kk_moderator)
    found = client.get(url("index"), {"q": " Anna@Example.ORG "}).context["object_list"]
    assert list(found) == [kk]
    part = client.get(url("index"), {"q": "anna@example"}).context["object_list"]
    assert set(part) == {kk, other}

    client.post(bulk_url("status", q="ANNA@example.org", id="all"), {"status": "closed"})
    statuses = dict(EnquirySubmission.objects.values_list("pk", "status"))
    assert statuses[kk.pk] == "closed" and statuses[other.pk] == "new"


def test_the_dashboard_counts_only_the_moderators_club(enquiries, kk_moderator, resident):
    post_enquiry(resident, FORM_PATH)
    make_enquiry(enquiries["kk"].page, status="closed")  # counted by none of the rows
    client = logged_in(kk_moderator)
    client.post(url("edit", enquiries["kk"]), {"status": "in_progress"})
    Notification.objects.filter(submission=enquiries["kk"]).update(state=Notification.State.FAILING)
    panel = client.get(reverse("wagtailadmin_home")).context["panels"]
    (enquiry_panel,) = [p for p in panel if p.name == "kis_enquiries"]
    rows = enquiry_panel.get_context_data()["rows"]
    assert [count for _label, count, _url in rows] == [1, 2, 1]  # new; unassigned; failing
    for _label, count, link in rows:  # each count opens the inbox on just those enquiries
        assert client.get(link).context["paginator"].count == count, link


def test_no_dashboard_panel_for_an_editor_without_grants(django_user_model, enquiries):
    client = logged_in(admin_user(django_user_model, "redaktor"))
    panels = client.get(reverse("wagtailadmin_home")).context["panels"]
    assert "kis_enquiries" not in [panel.name for panel in panels]


def test_an_empty_inbox_says_what_will_appear_there(django_user_model, clubs):
    EnquirySubmission.objects.all().delete()
    moderator = admin_user(django_user_model, "nowy", clubs["kk"], VIEW)
    page = logged_in(moderator).get(url("index")).content.decode()
    assert "Nie ma jeszcze zgłoszeń" in page


def test_a_club_placed_below_another_page_is_named_in_its_moderators_inbox(
    enquiries, kk_moderator, kk_site
):
    # Editors of a new install may build their club under Wagtail's welcome page.
    welcome = Page.get_first_root_node().add_child(title="Witamy", slug="witamy")
    club = kk_site.root_page
    club.move(welcome, pos="last-child")

    page = logged_in(kk_moderator).get(url("index")).content.decode()
    (row,) = re.findall(r"<tbody>(.*?)</tbody>", page, re.S)
    assert f"<td>{club.title}</td>" in row
    assert "Witamy" not in row
