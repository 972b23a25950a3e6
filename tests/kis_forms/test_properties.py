"""Property-based tests: whatever a client posts to the enquiry form or its JSON API, it gets
an answer that is not a server error, and every enquiry stored passes the form's own rules.

Each example runs in its own savepoint that is rolled back when the example ends
(`one_example`), so the examples of one test share pytest-django's function-scoped database
without seeing each other's enquiries; that is why the health check about function-scoped
fixtures is switched off for these tests.
"""

import datetime
import hashlib
import json
import re
from urllib.parse import quote

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.serializers.json import DjangoJSONEncoder
from django.http import QueryDict
from django.utils.dateparse import parse_datetime
from hypothesis import currently_in_test_context, event, given
from hypothesis import strategies as st
from hypothesis.provisional import urls

from kis_forms.intake import gate
from kis_forms.intake.forms import CHOICE_FIELD_TYPES, split_choices
from kis_forms.intake.routing import route
from kis_forms.models import (
    EnquiryFormPage,
    EnquirySubmission,
    FormField,
    Notification,
    RoutingRule,
)

from ..conftest import KK_HOST
from ..examples import one_example, per_example
from ..strategies import huge_text, json_values, nasty_text
from ..utils import enquiry_answers, make_worker, post_enquiry
from .conftest import FORM_PATH

Status = EnquirySubmission.Status
REFERENCE = re.compile(r"KIS-\d{4}-\d{6}")
SPAM_REFERENCE = re.compile(r"SPAM-\d{4}-\d{6}")
PHONE = re.compile(r"\+48[0-9]{9}")


# --- What residents, bots and broken clients type ---------------------------------------

digit = st.one_of(
    st.sampled_from("0123456789"), st.characters(categories=["Nd"]), st.sampled_from("²³¹")
)
separator = st.sampled_from(["", "", " ", "-", ".", "/", "(", ")", "\u00a0", "\t", "\u2009"])
phone_like = st.builds(
    lambda prefix, parts: prefix + "".join(parts),
    st.sampled_from(["", "+48", "0048", "+48 ", "48", "+", "++48"]),
    st.one_of(
        st.lists(st.tuples(digit, separator).map("".join), min_size=9, max_size=9),
        st.lists(st.tuples(digit, separator).map("".join), min_size=7, max_size=11),
    ),
)
email_like = st.one_of(
    st.emails(),
    st.builds(
        lambda length, domain: "a" * length + "@" + domain,
        st.one_of(st.integers(1, 330), st.sampled_from([64, 65, 242, 243, 250, 300, 308, 309])),
        st.sampled_from(
            ["example.org", "zażółć.pl", "localhost", "[127.0.0.1]", "xn--fiq228c.com"]
        ),
    ),
    st.builds("{}\r\nBcc: {}".format, st.emails(), st.emails()),
)

words = st.text(st.characters(exclude_categories=["Cs", "Cc"]), max_size=40)
lines = st.text(
    st.characters(exclude_categories=["Cs", "Cc"], include_characters="\n\t"), max_size=200
)
good_phone = st.builds(
    lambda prefix, digits, separators: (
        prefix + "".join(d + s for d, s in zip(digits, separators, strict=True))
    ),
    st.sampled_from(["", "+48", "0048", "+48 "]),
    st.text(st.sampled_from("0123456789"), min_size=9, max_size=9),
    st.lists(st.sampled_from(["", " ", "-"]), min_size=9, max_size=9),
)


def good_answer(field):
    """An answer the form should accept (it need not: then it must say so, not fail)."""
    if field.field_type in CHOICE_FIELD_TYPES:
        choices = split_choices(field.choices)
        if field.field_type in ("checkboxes", "multiselect"):
            return st.lists(st.sampled_from(choices), min_size=int(field.required), unique=True)
        return st.sampled_from(choices)
    return {
        "name": words.filter(str.strip),
        "phone": good_phone,
        "email": st.emails(),
        "number": st.one_of(
            st.decimals(allow_nan=False, allow_infinity=False).map(str), st.integers().map(str)
        ),
        "url": urls(),
        "checkbox": st.sampled_from(["on", ""]),
        "date": st.dates().map(str),
        "datetime": st.datetimes().map(lambda value: value.isoformat(sep=" ")),
        "multiline": lines.filter(str.strip),
    }.get(field.field_type, words.filter(str.strip))


def odd_answer(field):
    """An answer that is wrong, strange or far too long for `field`."""
    typed = {"phone": phone_like, "email": email_like}.get(field.field_type, nasty_text)
    return st.one_of(typed, typed, nasty_text, huge_text)


FRESH, FORGED = "fresh token", "forged token"
MISSING = object()


def token_for(choice, address):
    """A token as the GET of the form at `address` gives it, or a forged or empty one."""
    if choice == FRESH:
        return gate.new_token(address)
    return {FORGED: "eyJub25jZSI6ImEifQ:forged"}.get(choice, choice)


def html_token():
    """A fresh token of the resident's form."""
    return gate.new_token(f"{KK_HOST}{FORM_PATH}")


def api_url(page):
    return f"/api/v3/enquiries/forms/{page.pk}/"


def api_token(page):
    """A fresh token of `page`'s JSON endpoint."""
    return gate.new_token(f"{KK_HOST}{api_url(page)}")


def json_answers(**overrides):
    """The valid answers as a JSON body carries them: consent is the body's, not an answer."""
    answers = enquiry_answers(**overrides)
    del answers["consent"]
    return answers


# --- The invariant: what is stored passes the form's own rules -------------------------


def strings_in(value):
    """Every string inside a stored answer, however nested."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings_in(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from strings_in(item)


def as_post_data(answers):
    """Stored answers as the POST the HTML form would send, with the consent ticked."""
    data = QueryDict(mutable=True)
    for name, value in answers.items():
        if isinstance(value, list):
            data.setlist(name, value)
        elif value is True:
            data[name] = "on"
        elif value not in (None, False):
            data[name] = str(value)
    data["consent"] = "on"
    return data


def assert_every_stored_enquiry_is_valid():
    for submission in EnquirySubmission.objects.select_related("page", "consent"):
        page = submission.page.specific
        texts = [
            submission.resident_name,
            submission.resident_email,
            submission.resident_phone,
            *strings_in(submission.form_data),
        ]
        assert not any("\x00" in text for text in texts), "PostgreSQL cannot store NUL"
        if submission.status == Status.SPAM:
            assert_valid_spam_record(page, submission)
        else:
            assert_valid_enquiry(page, submission)


def assert_valid_enquiry(page, submission):
    """Required answers present, phones +48 and nine digits, e-mails valid, within limits,
    the clause version stored, routed to the right worker, who was sent the e-mail."""
    submission.clean_fields(exclude=["status_changed_at", "anonymised_at"])
    assert submission.status == Status.NEW
    assert REFERENCE.fullmatch(submission.reference)
    consent_digest = hashlib.sha256(page.consent_text().encode()).hexdigest()
    assert submission.consent.digest == consent_digest
    form = page.get_form(as_post_data(submission.form_data), page=page, user=AnonymousUser())
    assert form.is_valid(), form.errors.as_data()
    assert set(submission.form_data) == set(form.answer_names)
    for name, value in form.answers().items():
        assert same_answer(submission.form_data[name], value), name
    assert submission.resident_name == form.resident_name()
    assert submission.resident_email == form.resident_email()
    assert submission.resident_phone == form.resident_phone()
    for name in form.answer_names:
        if getattr(form.fields[name], "personal", None) == "phone" and submission.form_data[name]:
            assert PHONE.fullmatch(submission.form_data[name])
    assert submission.resident_phone == "" or PHONE.fullmatch(submission.resident_phone)
    assert submission.worker == route(page, form.cleaned_data)
    worker_notice = submission.notifications.get(kind=Notification.Kind.WORKER)
    assert worker_notice.state == Notification.State.SENT


def same_answer(stored, cleaned):
    """Whether a stored answer is the cleaned one (date-times kept to the millisecond)."""
    if isinstance(cleaned, datetime.datetime):
        return parse_datetime(stored) == cleaned
    return stored == json.loads(json.dumps(cleaned, cls=DjangoJSONEncoder))


def assert_valid_spam_record(page, submission):
    """A kept bot post: answers that pass the form's own rules, its name, e-mail and phone
    stored as an enquiry's, a reference of the spam series, and no e-mail to anyone."""
    submission.clean_fields(exclude=["anonymised_at", "worker", "consent", "form_token"])
    assert submission.spam_reason in {"honeypot", "sent too fast"}
    assert SPAM_REFERENCE.fullmatch(submission.reference)
    form = page.get_form(as_post_data(submission.form_data), page=page, user=AnonymousUser())
    assert form.is_valid(), form.errors.as_data()
    assert set(submission.form_data) == set(form.answer_names)
    for name, value in form.answers().items():
        assert same_answer(submission.form_data[name], value), name
    assert submission.resident_name == form.resident_name()
    assert submission.resident_email == form.resident_email()
    assert submission.resident_phone == form.resident_phone()
    assert not submission.notifications.exists()


def assert_stored_as_answered(response, accepted_status):
    """Accepted means exactly one enquiry stored; anything else stores none."""
    if currently_in_test_context():  # for --hypothesis-show-statistics
        event(f"status {response.status_code}")
    assert response.status_code < 500
    stored = EnquirySubmission.objects.exclude(status=Status.SPAM).count()
    assert stored == (1 if response.status_code == accepted_status else 0)
    assert_every_stored_enquiry_is_valid()


# --- The forms under test ----------------------------------------------------------------

EVERY_FIELD_TYPE = [
    ("Imię", "name", True, ""),
    ("Telefon", "phone", True, ""),
    ("E-mail", "email", True, ""),
    ("Wiek", "number", False, ""),
    ("Strona", "url", False, ""),
    ("Zgoda na SMS", "checkbox", False, ""),
    ("Dni", "checkboxes", False, "poniedziałek\nwtorek\nśroda"),
    ("Temat", "dropdown", True, "udział w Klubie\nprace społecznie użyteczne"),
    ("Języki", "multiselect", False, "polski\nukraiński"),
    ("Kontakt", "radio", False, "telefon\ne-mail"),
    ("Data", "date", False, ""),
    ("Termin", "datetime", False, ""),
    ("Źródło", "hidden", False, ""),
    ("Uwagi", "singleline", False, ""),
    ("Wiadomość", "multiline", True, ""),
]


@pytest.fixture
def every_field_form(kk_form):
    """An enquiry form with one field of every type, and a rule routing on checkboxes."""
    page = EnquiryFormPage(
        title="Wszystkie pola", slug="wszystkie-pola", default_worker=kk_form.default_worker
    )
    page.form_fields = [
        FormField(sort_order=i, label=label, field_type=kind, required=required, choices=choices)
        for i, (label, kind, required, choices) in enumerate(EVERY_FIELD_TYPE)
    ]
    kk_form.get_parent().add_child(instance=page)
    worker = make_worker(name="Jan Kowalski", email="psu@example.org")
    RoutingRule.objects.create(page=page, field_label="Dni", value="środa", worker=worker)
    return page


@pytest.fixture
def forms(kk_form, every_field_form):
    return [kk_form, every_field_form]


# --- The HTML form -----------------------------------------------------------------------


ENVELOPE = ["consent", "token", "website", "extra"]


def tampered_parts(fields, envelope=ENVELOPE):
    """The few parts of a post that an example gets wrong; all the others are good."""
    parts = [field.clean_name for field in fields] + envelope
    return st.sets(st.sampled_from(parts), max_size=3)


@st.composite
def field_answers(draw, fields, tampered, other_answer):
    """A good answer to each field; a tampered one is odd, `other_answer(field)` or missing."""
    drawn = {}
    for field in fields:
        name = field.clean_name
        how = draw(st.sampled_from(["odd", "other", "missing"])) if name in tampered else "good"
        if how == "good":
            drawn[name] = draw(good_answer(field))
        elif how == "odd":
            drawn[name] = draw(odd_answer(field))
        elif how == "other":
            drawn[name] = draw(other_answer(field))
    return drawn


def several_answers(field):
    """Two or three answers to one field, as a POST repeating its name sends them."""
    return st.lists(st.one_of(good_answer(field), odd_answer(field)), min_size=2, max_size=3)


@st.composite
def html_posts(draw, fields):
    """The POST of the HTML form, with a few answers odd, repeated or missing."""
    tampered = draw(tampered_parts(fields))
    data = draw(field_answers(fields, tampered, several_answers))
    if "consent" in tampered:
        consent = draw(st.sampled_from([None, "", "false", ["on", "on"]]))
        if consent is not None:
            data["consent"] = consent
    else:
        data["consent"] = "on"
    data[gate.HONEYPOT_FIELD] = draw(nasty_text) if "website" in tampered else ""
    if "extra" in tampered:
        data.update(draw(st.dictionaries(nasty_text, nasty_text, min_size=1, max_size=2)))
    token = draw(st.sampled_from([FORGED, "", None])) if "token" in tampered else FRESH
    return data, token


@per_example
@given(data=st.data())
def test_any_post_of_the_html_form_is_answered_and_stores_only_valid_enquiries(
    resident, forms, data
):
    page = data.draw(st.sampled_from(forms))
    post, token = data.draw(html_posts(list(page.get_form_fields())))
    with one_example():
        if token is not None:
            post[gate.TOKEN_FIELD] = token_for(token, f"{KK_HOST}{page.url}")
        response = resident.post(page.url, post)
        assert response.status_code in (200, 303, 400)
        assert_stored_as_answered(response, 303)


@per_example
@given(phone=st.one_of(phone_like, good_phone, nasty_text))
def test_a_phone_number_is_stored_only_as_plus48_and_nine_digits(resident, phone):
    with one_example():
        response = resident.post(
            FORM_PATH, {gate.TOKEN_FIELD: html_token(), **enquiry_answers(telefon=phone)}
        )
        assert_stored_as_answered(response, 303)


@per_example
@given(email=st.one_of(email_like, nasty_text))
def test_an_email_address_is_stored_only_when_valid_and_within_its_column(resident, kk_form, email):
    answers = json_answers(e_mail=email)
    body = {"token": api_token(kk_form), "consent": True, "answers": answers}
    with one_example():
        response = resident.post(
            f"/api/v3/enquiries/forms/{kk_form.pk}/", body, content_type="application/json"
        )
        assert_stored_as_answered(response, 201)


raw_content_types = st.sampled_from(
    [
        "application/x-www-form-urlencoded",
        "application/x-www-form-urlencoded; charset=latin-1",
        "multipart/form-data; boundary=BoUnDaRy",
        "multipart/form-data",
        "application/json",
        "text/plain",
        "",
    ]
)
raw_bodies = st.one_of(
    st.binary(max_size=200),
    nasty_text.map(lambda text: text.encode()),
    st.sampled_from(
        [
            b"%00=%00&consent=on&imie_i_nazwisko=%FF%FE",
            b'--BoUnDaRy\r\nContent-Disposition: form-data; name="x"\r\n\r\n',
            b"--BoUnDaRy--\r\n",
            b"a=" + b"x" * 3_000_000,
            b"&".join(b"f%d=1" % i for i in range(20_000)),
        ]
    ),
)


@per_example
@given(body=raw_bodies, content_type=raw_content_types)
def test_any_raw_body_posted_to_the_html_form_is_answered(resident, body, content_type):
    with one_example():
        response = resident.generic("POST", FORM_PATH, body, content_type=content_type)
        assert_stored_as_answered(response, 303)


# --- The JSON API ------------------------------------------------------------------------


@st.composite
def json_enquiries(draw, fields):
    """A JSON body shaped like EnquiryIn, with a few parts wrong, missing or extra."""
    tampered = draw(tampered_parts(fields, [*ENVELOPE, "answers"]))
    answered = draw(field_answers(fields, tampered, lambda field: json_values))
    body = {"token": FRESH, "answers": answered, "consent": True, "website": ""}
    if "token" in tampered:
        body["token"] = draw(st.sampled_from([FORGED, "", MISSING]) | json_values)
    for key in ("answers", "consent", "website"):
        if key in tampered:
            body[key] = draw(st.just(MISSING) | json_values)
    if "extra" in tampered:
        answered.update(draw(st.dictionaries(nasty_text, json_values, min_size=1, max_size=2)))
        body.update(draw(st.dictionaries(nasty_text, json_values, max_size=2)))
    return {key: value for key, value in body.items() if value is not MISSING}


def with_token(body, page):
    """The body with a fresh token of `page`'s endpoint wherever it asks for one."""
    if isinstance(body, dict) and body.get("token") in (FRESH, FORGED):
        return {**body, "token": token_for(body["token"], f"{KK_HOST}{api_url(page)}")}
    return body


@per_example
@given(data=st.data())
def test_any_json_enquiry_is_answered_and_stores_only_valid_enquiries(resident, forms, data):
    page = data.draw(st.sampled_from(forms))
    body = data.draw(json_enquiries(list(page.get_form_fields())))
    ascii_only = data.draw(st.booleans())
    with one_example():
        encoded = json.dumps(with_token(body, page), ensure_ascii=ascii_only).encode()
        response = resident.post(
            f"/api/v3/enquiries/forms/{page.pk}/", encoded, content_type="application/json"
        )
        assert response.status_code in (201, 400, 422)
        if response.status_code != 201:
            assert response["Content-Type"] == "application/problem+json"
        assert_stored_as_answered(response, 201)


VALID_JSON = json.dumps(
    {
        "token": FRESH,
        "consent": True,
        "answers": json_answers(),
        "website": "",
    },
    ensure_ascii=False,
)
SPAM_JSON = VALID_JSON.replace('"website": ""', '"website": "http://spam.example"')
# Bodies that broke something, or easily could; each is also a test of its own below.
NASTY_JSON_BODIES = {
    "nested 100,000 deep": b"[" * 100_000 + b"]" * 100_000,
    "an integer of 5,000 digits": VALID_JSON.replace(
        '"Zaż', "1" + "0" * 5000 + ', "x": "'
    ).encode(),
    "a lone surrogate in an answer": VALID_JSON.replace("Zażółć", "\\ud800").encode(),
    "surrogates in the wrong order": VALID_JSON.replace("Zażółć", "\\udfff\\ud800").encode(),
    "a lone surrogate in spam": SPAM_JSON.replace("Zażółć", "\\ud800").encode(),
    "a lone surrogate as the token": VALID_JSON.replace(FRESH, "\\ud800").encode(),
    "NUL in an answer": VALID_JSON.replace("Zażółć", "\\u0000").encode(),
    "NUL in spam": SPAM_JSON.replace("Zażółć", "\\u0000").encode(),
    "NaN for the consent": VALID_JSON.replace('"consent": true', '"consent": NaN').encode(),
    "Infinity as an answer": VALID_JSON.replace('"udział w Klubie"', "Infinity").encode(),
    "a byte order mark": b"\xef\xbb\xbf" + VALID_JSON.encode(),
    "UTF-16": VALID_JSON.encode("utf-16"),
    "3 MB, over Django's limit": VALID_JSON.replace("Zażółć", "a" * 3_000_000).encode(),
    "2 MB, under Django's limit": VALID_JSON.replace("Zażółć", "ą" * 1_000_000).encode(),
    "the token twice": VALID_JSON.replace('"token"', '"token": 1, "token"').encode(),
}
json_raw_bodies = st.one_of(
    st.binary(max_size=200),
    nasty_text.map(lambda text: text.encode()),
    json_values.map(lambda value: json.dumps(value).encode()),
    # A valid enquiry, cut short at any point.
    st.integers(0, len(VALID_JSON)).map(lambda end: VALID_JSON[:end].encode()),
    st.sampled_from(list(NASTY_JSON_BODIES.values())),
)
json_content_types = st.sampled_from(
    [
        "application/json",
        "application/json; charset=utf-16",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=BoUnDaRy",
        "text/plain",
        "",
    ]
)


@per_example
@given(body=json_raw_bodies, content_type=json_content_types, forwarded_for=nasty_text)
def test_any_body_posted_to_the_json_api_is_answered(
    resident, kk_form, settings, body, content_type, forwarded_for
):
    settings.KIS_FORMS = {**settings.KIS_FORMS, "PROXY_COUNT": 1}
    body = body.replace(FRESH.encode(), api_token(kk_form).encode())
    with one_example():
        response = resident.generic(
            "POST",
            f"/api/v3/enquiries/forms/{kk_form.pk}/",
            body,
            content_type=content_type,
            HTTP_X_FORWARDED_FOR=forwarded_for,
        )
        assert_stored_as_answered(response, 201)


@pytest.mark.parametrize("body", NASTY_JSON_BODIES.values(), ids=NASTY_JSON_BODIES.keys())
def test_each_nasty_json_body_is_answered(resident, kk_form, body):
    body = body.replace(FRESH.encode(), api_token(kk_form).encode())
    response = resident.post(
        f"/api/v3/enquiries/forms/{kk_form.pk}/", body, content_type="application/json"
    )
    assert_stored_as_answered(response, 201)


@per_example
@given(page_id=st.one_of(st.integers(), nasty_text), method=st.sampled_from(["GET", "POST"]))
def test_any_form_id_in_the_address_is_answered(resident, page_id, method):
    with one_example():
        path = f"/api/v3/enquiries/forms/{quote(str(page_id), safe='')}/"
        response = resident.generic(method, path, "{}", content_type="application/json")
        assert response.status_code in (200, 400, 404, 422)
        assert not EnquirySubmission.objects.exists()


# --- What hypothesis found: each once a server error or an invalid stored enquiry --------


def test_a_nul_in_an_answer_is_refused_with_a_polish_message(resident):
    response = resident.post(
        FORM_PATH, {gate.TOKEN_FIELD: html_token(), **enquiry_answers(wiadomosc="a\x00b")}
    )
    assert response.status_code == 200 and not EnquirySubmission.objects.exists()
    assert response.context["form"].errors["wiadomosc"] == ["Znaki null są niedozwolone."]


def test_a_post_taken_for_a_bot_with_a_nul_in_an_answer_is_refused_and_kept_nowhere(resident):
    post = enquiry_answers(wiadomosc="a\x00b", website="http://spam.example")
    response = resident.post(FORM_PATH, {gate.TOKEN_FIELD: html_token(), **post})
    assert response.status_code == 200 and not EnquirySubmission.objects.exists()
    assert "wiadomosc" in response.context["form"].errors


def test_a_lone_surrogate_in_a_json_answer_is_stored_as_a_replacement_character(resident, kk_form):
    body = VALID_JSON.replace("Zażółć", "\\ud800").replace(FRESH, api_token(kk_form))
    response = resident.post(
        f"/api/v3/enquiries/forms/{kk_form.pk}/", body, content_type="application/json"
    )
    assert response.status_code == 201
    assert EnquirySubmission.objects.get().resident_name == "\ufffd Gęślą"


def test_a_phone_number_in_another_script_is_stored_in_ascii_digits(resident):
    post_enquiry(resident, FORM_PATH, telefon="٦٠٠ ١٠٠ ٢٠٠")
    assert EnquirySubmission.objects.get().resident_phone == "+48600100200"


def test_a_phone_number_with_a_superscript_digit_is_refused(resident):
    response = post_enquiry(resident, FORM_PATH, telefon="00000000²")
    assert response.status_code == 200 and not EnquirySubmission.objects.exists()
    assert "Podaj polski numer" in response.context["form"].errors["telefon"][0]


def test_an_email_address_longer_than_its_column_is_refused(resident, kk_form):
    answers = json_answers(e_mail="a" * 243 + "@example.org")
    body = {"token": api_token(kk_form), "consent": True, "answers": answers}
    response = resident.post(
        f"/api/v3/enquiries/forms/{kk_form.pk}/", body, content_type="application/json"
    )
    assert response.status_code == 422 and not EnquirySubmission.objects.exists()
    (error,) = response.json()["errors"]
    assert error["loc"] == ["answers", "e_mail"] and "co najwyżej 254 znaki" in error["msg"]


def test_a_form_id_beyond_any_database_column_is_404(resident):
    assert resident.get(f"/api/v3/enquiries/forms/{2**63}/").status_code == 404
