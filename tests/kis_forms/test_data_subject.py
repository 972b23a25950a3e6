"""A data subject's request: a moderator finds, exports and erases one resident's enquiries.

Both demo clubs hold an enquiry from the same e-mail address and phone number, so every test
also proves that nothing of the other club is found, counted, exported or erased.
"""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from kis_forms.inbox import handling
from kis_forms.models import EnquirySubmission
from kis_forms.permissions import VIEW

from ..conftest import KK_HOST
from ..utils import post_enquiry
from .conftest import FORM_PATH, admin_user, assert_refused, logged_in, url

EMAIL = "mieszkaniec@example.org"  # the answer enquiry_answers() gives, in both clubs


def search(client, query):
    return client.post(reverse("enquiries:data_subject"), {"q": query})


def export(client, query):
    return client.post(reverse("enquiries:data_subject_export"), {"q": query})


def found(response):
    assert response.status_code == 200
    return list(response.context["object_list"])


def entries(action, enquiry):
    return ModelLogEntry.objects.filter(action=action, object_id=str(enquiry.pk))


@pytest.mark.parametrize("query", [EMAIL, "Mieszkaniec@Example.ORG"])
def test_a_moderator_finds_their_clubs_enquiry_by_email_in_any_case(enquiries, kk_moderator, query):
    response = search(logged_in(kk_moderator), query)
    assert found(response) == [enquiries["kk"]]
    page = response.content.decode()
    assert url("inspect", enquiries["kk"]) in page
    assert enquiries["nysa"].reference not in page


@pytest.mark.parametrize("query", ["600-100-200", "+48 600 100 200", "0048600100200"])
def test_a_moderator_finds_their_clubs_enquiry_by_phone_typed_any_way(
    enquiries, kk_moderator, query
):
    assert found(search(logged_in(kk_moderator), query)) == [enquiries["kk"]]


def test_each_moderator_finds_and_counts_only_their_own_clubs_enquiry(
    enquiries, kk_moderator, nysa_moderator
):
    response = search(logged_in(nysa_moderator), EMAIL)
    assert found(response) == [enquiries["nysa"]]
    assert response.context["items_count"] == 1
    assert enquiries["kk"].reference not in response.content.decode()


def test_the_search_is_written_to_the_history_of_each_enquiry_found(enquiries, kk_moderator):
    search(logged_in(kk_moderator), "600 100 200")
    (entry,) = entries("kis_forms.enquiry.subject_search", enquiries["kk"])
    assert entry.user == kk_moderator and entry.data == {"by": "phone"}
    assert not entries("kis_forms.enquiry.subject_search", enquiries["nysa"]).exists()


def test_an_unknown_address_finds_nothing_and_says_so(enquiries, kk_moderator):
    response = search(logged_in(kk_moderator), "ktos.inny@example.org")
    assert found(response) == []
    assert response.context["no_results_message"] in response.content.decode()
    assert not ModelLogEntry.objects.filter(action="kis_forms.enquiry.subject_search").exists()


def test_text_that_is_neither_an_email_nor_a_phone_number_is_refused(enquiries, kk_moderator):
    response = search(logged_in(kk_moderator), "Mieszkaniec Koźla")
    assert found(response) == []
    assert "q" in response.context["form"].errors


def test_the_export_holds_the_answers_and_notes_and_is_logged(enquiries, kk_moderator):
    enquiry = enquiries["kk"]
    handling.add_note(enquiry, "Oddzwonić we wtorek.", kk_moderator)
    response = export(logged_in(kk_moderator), EMAIL)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    (exported,) = json.loads(response.content)["enquiries"]
    assert exported["reference"] == enquiry.reference
    assert exported["status"] == "new" and exported["received"]
    assert {"question": "Imię i nazwisko", "answer": "Mieszkaniec Koźla"} in exported["answers"]
    assert exported["notes"][0]["text"] == "Oddzwonić we wtorek."
    (entry,) = entries("kis_forms.enquiry.subject_export", enquiry)
    assert entry.user == kk_moderator
    assert not entries("kis_forms.enquiry.subject_export", enquiries["nysa"]).exists()


def test_the_other_clubs_moderator_exports_only_their_own(enquiries, nysa_moderator):
    client = logged_in(nysa_moderator)
    response = export(client, "600100200")
    exported = json.loads(response.content)["enquiries"]
    assert [item["reference"] for item in exported] == [enquiries["nysa"].reference]
    assert not entries("kis_forms.enquiry.subject_export", enquiries["kk"]).exists()


def test_a_link_to_the_search_or_the_export_shows_and_writes_nothing(enquiries, kk_moderator):
    client = logged_in(kk_moderator)
    response = client.get(reverse("enquiries:data_subject"), {"q": EMAIL})
    assert found(response) == []
    assert enquiries["kk"].reference not in response.content.decode()
    assert response.context["form"]["q"].value() == EMAIL  # the form is filled in, not sent
    assert client.get(reverse("enquiries:data_subject_export"), {"q": EMAIL}).status_code == 405
    assert not ModelLogEntry.objects.filter(action__startswith="kis_forms.enquiry.subject").exists()


@pytest.mark.parametrize("name", ["enquiries:data_subject", "enquiries:data_subject_export"])
def test_searching_and_exporting_need_the_csrf_token(enquiries, kk_moderator, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(kk_moderator)
    response = client.post(reverse(name), {"q": EMAIL})
    assert response.status_code == 403
    assert not ModelLogEntry.objects.filter(action__startswith="kis_forms.enquiry.subject").exists()


def test_the_search_results_offer_the_export_as_a_form_sent_with_the_csrf_token(
    enquiries, kk_moderator
):
    page = search(logged_in(kk_moderator), EMAIL).content.decode()
    export_url = reverse("enquiries:data_subject_export")
    form = re.search(rf'<form action="{export_url}" method="post">(.*?)</form>', page, re.S)
    assert 'name="csrfmiddlewaretoken"' in form.group(1)
    assert f'name="q" value="{EMAIL}"' in form.group(1)


def test_opening_the_erase_page_lists_the_enquiries_and_changes_nothing(enquiries, kk_moderator):
    response = logged_in(kk_moderator).get(reverse("enquiries:data_subject_erase"), {"q": EMAIL})
    assert found(response) == [enquiries["kk"]]
    for enquiry in enquiries.values():
        enquiry.refresh_from_db()
        assert enquiry.anonymised_at is None and enquiry.resident_email == EMAIL
    assert not ModelLogEntry.objects.filter(action="kis_forms.enquiry.anonymise").exists()


def erase(client, query, *enquiries):
    return client.post(
        reverse("enquiries:data_subject_erase"),
        {"q": query, "enquiry": [enquiry.pk for enquiry in enquiries]},
        follow=True,
    )


def test_erasing_anonymises_the_clubs_enquiry_and_not_the_other_clubs(enquiries, kk_moderator):
    response = erase(logged_in(kk_moderator), EMAIL, enquiries["kk"], enquiries["nysa"])
    (message,) = response.context["messages"]
    assert message.level_tag == "success" and "1" in message.message
    kk = EnquirySubmission.objects.get(pk=enquiries["kk"].pk)
    nysa = EnquirySubmission.objects.get(pk=enquiries["nysa"].pk)
    assert kk.anonymised_at is not None and kk.resident_email == "" and kk.resident_phone == ""
    assert "Mieszkaniec Koźla" not in json.dumps(kk.form_data, ensure_ascii=False)
    assert nysa.anonymised_at is None and nysa.resident_email == EMAIL
    assert nysa.form_data["imie_i_nazwisko"] == "Mieszkanka Nysy"
    (entry,) = entries("kis_forms.enquiry.anonymise", kk)
    assert entry.user == kk_moderator and entry.data == {"reason": "request"}
    assert not entries("kis_forms.enquiry.anonymise", nysa).exists()


def test_the_other_clubs_moderator_cannot_erase_it_by_forging_its_id(enquiries, nysa_moderator):
    erase(logged_in(nysa_moderator), EMAIL, enquiries["kk"])
    enquiries["kk"].refresh_from_db()
    enquiries["nysa"].refresh_from_db()
    assert enquiries["kk"].anonymised_at is None and enquiries["kk"].resident_email == EMAIL
    assert enquiries["nysa"].anonymised_at is None  # not listed on the confirmation page


def test_erasing_needs_the_csrf_token(enquiries, kk_moderator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(kk_moderator)
    response = client.post(
        reverse("enquiries:data_subject_erase"), {"q": EMAIL, "enquiry": [enquiries["kk"].pk]}
    )
    assert response.status_code == 403
    enquiries["kk"].refresh_from_db()
    assert enquiries["kk"].anonymised_at is None


def every_request(enquiries):
    """(method, URL, data) of every data-subject view, each with a lookup that would match."""
    return [
        ("get", reverse("enquiries:data_subject"), {"q": EMAIL}),
        ("post", reverse("enquiries:data_subject"), {"q": EMAIL}),
        ("post", reverse("enquiries:data_subject_export"), {"q": EMAIL}),
        ("get", reverse("enquiries:data_subject_erase"), {"q": EMAIL}),
        (
            "post",
            reverse("enquiries:data_subject_erase"),
            {"q": EMAIL, "enquiry": enquiries["kk"].pk},
        ),
    ]


@pytest.mark.parametrize("codename", [VIEW, None])
def test_users_who_may_not_handle_enquiries_are_refused_everywhere(
    django_user_model, clubs, enquiries, codename
):
    user = admin_user(django_user_model, "czytelnik", clubs["kk"] if codename else None, codename)
    client = logged_in(user)
    for method, address, data in every_request(enquiries):
        assert_refused(getattr(client, method)(address, data))
    assert not ModelLogEntry.objects.filter(action__startswith="kis_forms.enquiry.subject").exists()
    enquiries["kk"].refresh_from_db()
    assert enquiries["kk"].anonymised_at is None


def test_anonymous_visitors_are_sent_to_the_login(enquiries):
    for method, address, data in every_request(enquiries):
        response = getattr(Client(), method)(address, data)
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
    enquiries["kk"].refresh_from_db()
    assert enquiries["kk"].anonymised_at is None


def test_the_inbox_links_to_it_only_for_those_who_may_handle_enquiries(
    django_user_model, clubs, enquiries, kk_moderator
):
    link = reverse("enquiries:data_subject")
    assert link in logged_in(kk_moderator).get(url("index")).content.decode()
    reader = admin_user(django_user_model, "czytelnik", clubs["kk"], VIEW)
    assert link not in logged_in(reader).get(url("index")).content.decode()


def test_an_enquiry_kept_as_spam_is_found_by_email_phone_and_name_and_erased(kk_moderator):
    sender = {"e_mail": "Nadawca@Example.org", "telefon": "601 200 300"}
    post_enquiry(
        Client(HTTP_HOST=KK_HOST), FORM_PATH, website="x", imie_i_nazwisko="Jan Spamowy", **sender
    )
    spam = EnquirySubmission.objects.get(status=EnquirySubmission.Status.SPAM)
    client = logged_in(kk_moderator)
    assert found(search(client, "nadawca@example.org")) == [spam]
    assert found(search(client, "601-200-300")) == [spam]
    assert list(client.get(url("index"), {"q": "Spamowy"}).context["object_list"]) == [spam]

    erase(client, "601200300", spam)
    spam.refresh_from_db()
    assert spam.anonymised_at is not None
    assert (spam.resident_name, spam.resident_email, spam.resident_phone) == ("", "", "")


def test_the_request_is_part_of_the_inbox_and_its_breadcrumbs(kk_moderator):
    """Its pages live under the inbox's address and lead back to it, as the inbox's own do."""
    response = logged_in(kk_moderator).get(reverse("enquiries:data_subject"))
    assert reverse("enquiries:data_subject").startswith(reverse("enquiries:index"))
    home, inbox, here = response.context["breadcrumbs_items"]
    assert (home["url"], inbox["url"]) == (reverse("wagtailadmin_home"), reverse("enquiries:index"))
    assert (str(inbox["label"]), str(here["label"])) == (
        "Zgłoszenia",
        "Żądanie osoby, której dane dotyczą",
    )
