"""Bad input and abuse get a clear Polish message, keep what the resident typed, lose nothing."""

import html
import re

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from kis_forms.intake import gate
from kis_forms.intake.forms import summary_line
from kis_forms.models import EnquirySubmission

from ..conftest import KK_HOST
from ..utils import enquiry_answers, post_enquiry
from .conftest import FORM_PATH

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def assert_refilled(response, **answers):
    """The form came back with a message, holding every answer the resident typed."""
    assert response.status_code == 200
    form = response.context["form"]
    for name, value in enquiry_answers(**answers).items():
        if name != "consent":
            assert form[name].value() == value, name
    assert 'class="error-summary"' in response.content.decode()


def test_a_filled_honeypot_is_kept_as_spam_and_notifies_nobody(resident):
    response = post_enquiry(resident, FORM_PATH, website="http://spam.example")
    assert_refilled(response)
    spam = EnquirySubmission.objects.get()
    assert spam.status == EnquirySubmission.Status.SPAM and spam.spam_reason == "honeypot"
    assert spam.form_data["imie_i_nazwisko"] == "Zażółć Gęślą"
    assert spam.notifications.count() == 0 and mail.outbox == []


def test_a_form_sent_faster_than_a_person_can_type_is_kept_as_spam(resident, settings):
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 60, "RATE_LIMIT": 10_000}
    response = post_enquiry(resident, FORM_PATH)
    assert_refilled(response)
    assert EnquirySubmission.objects.get().spam_reason == "sent too fast"
    assert mail.outbox == []


def test_an_invalid_form_sent_too_fast_is_shown_with_its_errors_and_not_stored(resident, settings):
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 60, "RATE_LIMIT": 10_000}
    empty = {name: "" for name in enquiry_answers()}
    for _attempt in range(3):
        response = post_enquiry(resident, FORM_PATH, **empty)
        assert response.status_code == 200
        assert {"imie_i_nazwisko", "temat", "wiadomosc", "consent"} <= set(
            response.context["form"].errors
        )
    assert not EnquirySubmission.objects.exists()


def test_spam_takes_no_number_from_the_residents_references(resident):
    first = post_enquiry(resident, FORM_PATH)
    post_enquiry(resident, FORM_PATH, website="http://spam.example")
    post_enquiry(resident, FORM_PATH, website="http://spam.example")
    second = post_enquiry(resident, FORM_PATH)
    assert first.status_code == second.status_code == 303
    prefix, year, number = (
        EnquirySubmission.objects.filter(status="new").last().reference.split("-")
    )
    assert EnquirySubmission.objects.filter(status="new").first().reference == (
        f"{prefix}-{year}-{int(number) + 1:06d}"
    )
    for spam in EnquirySubmission.objects.filter(status="spam"):
        assert spam.reference.startswith("SPAM-")


def test_fill_time_counts_from_the_first_showing_through_every_refusal(resident, settings, clock):
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 3, "RATE_LIMIT": 10_000}
    refused = post_enquiry(resident, FORM_PATH)  # shown and sent at once
    clock.now += 2
    again = resident.post(FORM_PATH, refused.context["form"].data.dict())
    assert again.status_code == 200  # 2 s since the form was first shown: still too fast
    clock.now += 2
    sent = resident.post(FORM_PATH, again.context["form"].data.dict())
    assert sent.status_code == 303
    assert EnquirySubmission.objects.filter(status="new").count() == 1


def test_a_form_shown_again_after_a_csrf_refusal_can_be_sent_at_once(settings, clock):
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 3, "RATE_LIMIT": 10_000}
    resident = Client(enforce_csrf_checks=True, HTTP_HOST=KK_HOST)
    shown = resident.get(FORM_PATH)
    csrf = {"csrfmiddlewaretoken": CSRF_INPUT.search(shown.content.decode()).group(1)}
    token = {gate.TOKEN_FIELD: shown.context["form"].initial[gate.TOKEN_FIELD]}
    del resident.cookies[settings.CSRF_COOKIE_NAME]
    clock.now += 60  # a resident typing
    refused = resident.post(FORM_PATH, {**csrf, **token, **enquiry_answers()})
    assert refused.status_code == 403
    clock.now += 1
    csrf = {"csrfmiddlewaretoken": CSRF_INPUT.search(refused.content.decode()).group(1)}
    sent = resident.post(FORM_PATH, {**refused.context["form"].data.dict(), **csrf})
    assert sent.status_code == 303
    assert EnquirySubmission.objects.get().status == EnquirySubmission.Status.NEW


def test_a_form_shown_again_for_an_expired_token_can_be_sent_at_once(resident, settings, clock):
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 3, "RATE_LIMIT": 10_000, "TOKEN_MAX_AGE": 3600}
    token = resident.get(FORM_PATH).context["form"].initial[gate.TOKEN_FIELD]
    clock.now += 7200
    refused = resident.post(FORM_PATH, {gate.TOKEN_FIELD: token, **enquiry_answers()})
    assert "otwarty bardzo długo" in refused.context["refusal"]
    clock.now += 1
    assert resident.post(FORM_PATH, refused.context["form"].data.dict()).status_code == 303
    assert not EnquirySubmission.objects.filter(status="spam").exists()


def test_a_forged_or_missing_token_shows_the_form_again_and_stores_nothing(resident):
    forged = signing.dumps({"nonce": "x", "shown": 0}, salt="another-salt")
    response = resident.post(FORM_PATH, {gate.TOKEN_FIELD: forged, **enquiry_answers()})
    assert_refilled(response)
    response = resident.post(FORM_PATH, enquiry_answers())
    assert_refilled(response)
    assert EnquirySubmission.objects.count() == 0


def test_posts_over_the_rate_limit_are_refused_with_a_message(resident, settings):
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 0, "RATE_LIMIT": 2}
    resident.defaults["REMOTE_ADDR"] = "192.0.2.77"  # a fresh address for this test's counter
    assert post_enquiry(resident, FORM_PATH).status_code == 303
    assert post_enquiry(resident, FORM_PATH).status_code == 303
    refused = post_enquiry(resident, FORM_PATH)
    assert_refilled(refused)
    assert "Prosimy odczekać" in refused.content.decode()
    assert EnquirySubmission.objects.count() == 2


def test_the_rate_limit_counts_each_address_apart(resident, settings):
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 0, "RATE_LIMIT": 1}
    resident.defaults["REMOTE_ADDR"] = "192.0.2.78"
    assert post_enquiry(resident, FORM_PATH).status_code == 303
    resident.defaults["REMOTE_ADDR"] = "192.0.2.79"
    assert post_enquiry(resident, FORM_PATH).status_code == 303


@pytest.fixture
def fake_clock(monkeypatch, settings):
    """A clock the test moves by hand; the rate limit's counts live in local memory, whose
    expiry follows that clock (Redis would expire them by its own)."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    clock = {"now": 1_800_000_000.0}  # a multiple of every window used here
    monkeypatch.setattr("time.time", lambda: clock["now"])
    return clock


def test_posts_straddling_a_window_boundary_never_exceed_the_limit_in_any_window(
    settings, fake_clock
):
    settings.KIS_FORMS = {"RATE_LIMIT": 5, "RATE_WINDOW": 600}
    start = fake_clock["now"] - 3.2  # 12 posts in 6.4 s, across the 600 s boundary
    accepted = []
    for number in range(12):
        fake_clock["now"] = start + number * 0.55
        if not gate.over_rate_limit("192.0.2.80"):
            accepted.append(fake_clock["now"])
    assert len(accepted) == 5
    for first in accepted:
        assert sum(first <= other < first + 600 for other in accepted) <= 5


def test_a_post_is_accepted_again_once_the_oldest_counted_one_is_a_window_old(settings, fake_clock):
    settings.KIS_FORMS = {"RATE_LIMIT": 2, "RATE_WINDOW": 600}
    start = fake_clock["now"]
    assert [gate.over_rate_limit("192.0.2.81") for _post in range(3)] == [False, False, True]
    fake_clock["now"] = start + 599
    assert gate.over_rate_limit("192.0.2.81")
    fake_clock["now"] = start + 601
    assert [gate.over_rate_limit("192.0.2.81") for _post in range(3)] == [False, False, True]


def test_an_address_holds_at_most_limit_plus_one_cache_keys_however_often_it_posts(
    settings, fake_clock
):
    settings.KIS_FORMS = {"RATE_LIMIT": 3, "RATE_WINDOW": 600}
    for _post in range(400):  # one every 7 s for over 45 minutes
        fake_clock["now"] += 7
        gate.over_rate_limit("192.0.2.82")
    live_keys = [key for key in cache._cache if not cache._has_expired(key)]
    assert 0 < len(live_keys) <= 3 + 1


def test_ipv6_clients_are_counted_per_64_and_ipv4_clients_per_address(settings, fake_clock):
    settings.KIS_FORMS = {"RATE_LIMIT": 1, "RATE_WINDOW": 600}
    assert not gate.over_rate_limit("2001:db8:1:2::1")
    assert gate.over_rate_limit("2001:db8:1:2:ffff:ffff:ffff:fffe"), "the same /64"
    assert not gate.over_rate_limit("2001:db8:1:3::1"), "the next /64"
    assert not gate.over_rate_limit("192.0.2.83")
    assert not gate.over_rate_limit("192.0.2.84")
    assert gate.over_rate_limit("::ffff:192.0.2.84"), "an IPv4 address written as IPv6"


def test_missing_consent_is_an_error_on_the_consent_field(resident):
    response = post_enquiry(resident, FORM_PATH, consent="")
    assert response.status_code == 200
    assert "consent" in response.context["form"].errors
    assert 'aria-describedby="id_consent_errors"' in response.content.decode()
    assert EnquirySubmission.objects.count() == 0


def test_an_answer_over_the_length_limit_is_an_error_on_that_field(resident, settings):
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 0, "RATE_LIMIT": 10_000, "MAX_ANSWER_LENGTH": 100}
    response = post_enquiry(resident, FORM_PATH, wiadomosc="ą" * 101)
    assert "wiadomosc" in response.context["form"].errors
    assert response.context["form"]["wiadomosc"].value() == "ą" * 101
    assert EnquirySubmission.objects.count() == 0


def test_answers_too_long_together_are_refused(resident, settings):
    settings.KIS_FORMS = {"MIN_FILL_SECONDS": 0, "RATE_LIMIT": 10_000, "MAX_TOTAL_LENGTH": 50}
    response = post_enquiry(resident, FORM_PATH)
    assert response.context["form"].non_field_errors()
    assert EnquirySubmission.objects.count() == 0


def test_an_email_with_a_header_injection_is_refused(resident):
    response = post_enquiry(resident, FORM_PATH, e_mail="a@example.org\r\nBcc: evil@example.org")
    assert "e_mail" in response.context["form"].errors
    assert EnquirySubmission.objects.count() == 0 and mail.outbox == []


def test_an_email_address_that_could_add_a_copy_to_a_reply_link_is_refused(resident):
    address = "x?cc=attacker%40evil.example&subject=pwn@example.org"
    response = post_enquiry(resident, FORM_PATH, e_mail=address)
    assert "przed znakiem @" in response.context["form"].errors["e_mail"][0]
    assert response.context["form"]["e_mail"].value() == address
    assert EnquirySubmission.objects.count() == 0 and mail.outbox == []
    plain = post_enquiry(resident, FORM_PATH, e_mail="jan.kowalski+kis@example.org")
    assert plain.status_code == 303


def test_line_breaks_in_answers_never_reach_mail_headers(resident, kk_form):
    kk_form.include_answers_in_email = True
    kk_form.save()
    post_enquiry(resident, FORM_PATH, imie_i_nazwisko="Jan\r\nBcc: evil@example.org")
    (message,) = mail.outbox
    headers = message.message()
    assert message.bcc == [] and headers["Bcc"] is None
    assert "evil" not in headers["Subject"] and "evil" not in headers["To"]


def test_html_in_answers_is_escaped_when_the_form_is_shown_again(resident):
    response = post_enquiry(resident, FORM_PATH, consent="", wiadomosc="<script>x()</script>")
    html = response.content.decode()
    assert "<script>x()</script>" not in html and "&lt;script&gt;x()&lt;/script&gt;" in html


def test_the_client_address_behind_trusted_proxies(rf, settings):
    settings.KIS_FORMS = {"PROXY_COUNT": 1}
    request = rf.get("/", HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.7", REMOTE_ADDR="10.0.0.1")
    assert gate.client_ip(request) == "198.51.100.7"
    settings.KIS_FORMS = {}
    assert gate.client_ip(request) == "10.0.0.1"


def test_text_that_is_no_ip_address_in_x_forwarded_for_is_not_trusted(rf, settings):
    settings.KIS_FORMS = {"PROXY_COUNT": 1}
    for written in ("abc:def\x04", "198.51.100.999", ""):
        request = rf.get("/", HTTP_X_FORWARDED_FOR=written, REMOTE_ADDR="10.0.0.1")
        assert gate.client_ip(request) == "10.0.0.1", written
    request = rf.get("/", HTTP_X_FORWARDED_FOR="2001:DB8::0:1", REMOTE_ADDR="10.0.0.1")
    assert gate.client_ip(request) == "2001:db8::1"  # one address, one rate-limit count


def test_script_in_every_free_answer_is_escaped_in_email_landing_page_and_admin(
    resident, kk_form, admin_client
):
    kk_form.include_answers_in_email = True
    kk_form.save()
    script = "<script>alert(1)</script>"
    escaped = "&lt;script&gt;alert(1)&lt;/script&gt;"
    free_answers = {"imie_i_nazwisko": script, "wiadomosc": script}
    response = post_enquiry(resident, FORM_PATH, **free_answers)

    assert script not in resident.get(response["Location"]).content.decode()
    html = mail.outbox[0].alternatives[0][0]
    assert script not in html and html.count(escaped) == len(free_answers)
    enquiry = EnquirySubmission.objects.get(page=kk_form)
    inbox = admin_client.get(reverse("enquiries:inspect", args=[enquiry.pk]))
    assert inbox.status_code == 200
    assert script not in inbox.content.decode() and escaped in inbox.content.decode()


def test_the_error_summary_follows_the_forms_order_without_doubled_punctuation(resident):
    response = post_enquiry(resident, FORM_PATH, imie_i_nazwisko="", wiadomosc="", consent="")
    summary = response.content.decode().split('class="error-summary"')[1].split("</div>")[0]
    links = re.findall(r'<a href="#(\w+)">([^<]*)</a>', summary)
    anchors = [anchor for anchor, _text in links]
    assert anchors == ["id_imie_i_nazwisko", "id_wiadomosc", "id_consent"]
    consent_line = html.unescape(links[-1][1])
    assert consent_line.startswith("Zapoznałem(-am) się") and ".:" not in consent_line
    assert "osobowych: Prosimy" in consent_line


@pytest.mark.parametrize(
    ("label", "line"),
    [
        ("Telefon", "Telefon: Błąd."),
        ("Zgoda.", "Zgoda: Błąd."),
        ("Adres:", "Adres: Błąd."),
        ("Czego dotyczy pytanie?", "Czego dotyczy pytanie? Błąd."),
    ],
)
def test_a_summary_line_never_doubles_the_labels_punctuation(label, line):
    assert summary_line(label, "Błąd.") == line
