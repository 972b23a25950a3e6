"""The enquiry form for headless front ends: a django-ninja router for Wagtail's API v3.

GET gives the form's definition with a fresh one-time token; POST sends an enquiry through
the same gate, validation, transaction and notifications as the HTML form. Errors are
`application/problem+json`, like the rest of API v3; field errors carry the field's name
in `loc`, a body of the wrong shape too: the view reads the body itself, as django-ninja
would answer it with its own locations (`["body", "enquiry", ...]`) and English messages.

The operations' summaries and descriptions are English, for developers, as Wagtail's own.
"""

import datetime
import json
import re
from http import HTTPStatus

import pydantic
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from wagtail.api.v3.errors import ProblemDetail, problem_response

from kis_forms.intake import gate
from kis_forms.intake.forms import RESERVED_FIELDS, split_choices
from kis_forms.intake.pipeline import Result, take_in
from kis_forms.models import EnquiryFormPage

router = Router(tags=["enquiries"])
LONE_SURROGATE = re.compile("[\ud800-\udfff]")

Answer = str | int | float | bool | list[str] | None


class FieldSchema(Schema):
    name: str
    label: str
    field_type: str
    help_text: str
    required: bool
    choices: list[str]
    default_value: str


class EnquiryFormSchema(Schema):
    id: int
    title: str
    intro: str
    fields: list[FieldSchema]
    consent_text: str
    reply_within_days: int
    token: str


class EnquiryIn(Schema):
    token: str = Field(description="The token of a GET of this form, valid once.")
    answers: dict[str, Answer] = Field(
        description="Each answer under its field's `name`: text, a number, true or false "
        "(a checkbox), or a list of texts (multiple choice)."
    )
    consent: bool = Field(
        False, description="True once the resident has agreed to the consent text."
    )
    website: str = Field("", description="Leave empty: only bots fill in this field.")


class WorkerSchema(Schema):
    name: str
    position: str
    phone: str
    phone_href: str
    room: str
    office_hours: str


class EnquiryAccepted(Schema):
    reference: str
    reply_by: datetime.date
    worker: WorkerSchema | None


def problems(descriptions):
    """The documented error responses: problem+json, as `problem_response` sends them.

    In `openapi_extra`, not `response=`: django-ninja would document them as JSON.
    """
    content = {"application/problem+json": {"schema": ProblemDetail.model_json_schema()}}
    return {
        status: {"description": description, "content": content}
        for status, description in descriptions.items()
    }


NOT_FOUND = "No live, public enquiry form has this id."
PATH_INVALID = (
    'The page id is not a whole number: django-ninja\'s own error, `loc` `["path", "page_id"]`.'
)


def live_form(page_id):
    # By Page's own id, not pk (the page_ptr link): Django treats an id beyond the column's
    # range as matching nothing, where SQLite would overflow on the link.
    return get_object_or_404(EnquiryFormPage.objects.live().public(), id=page_id)


@router.get(
    "/forms/{page_id}/",
    response=EnquiryFormSchema,
    url_name="enquiry_form",
    operation_id="enquiry_form",
    summary="An enquiry form's fields and consent text, with a one-time token to send it",
    description=(
        "Gives what a front end needs to show the form: its fields in order (name, label, "
        "type, help text, choices, required), the consent text to show before the send "
        "button, and a token valid for one enquiry sent to the same address. Labels, help "
        "texts and the consent text are in the site's language (Polish)."
    ),
    openapi_extra={"responses": problems({404: NOT_FOUND, 422: PATH_INVALID})},
)
def enquiry_form(request, page_id: int):
    page = live_form(page_id)
    return {
        "id": page.pk,
        "title": page.title,
        "intro": page.intro,
        "fields": [
            {
                "name": field.clean_name,
                "label": field.label,
                "field_type": field.field_type,
                "help_text": field.help_text,
                "required": field.required,
                "choices": split_choices(field.choices) if field.choices.strip() else [],
                "default_value": field.default_value,
            }
            for field in page.get_form_fields()
        ],
        "consent_text": page.consent_text(),
        "reply_within_days": page.reply_within_days,
        "token": gate.new_token(gate.form_address(request)),
    }


@router.post(
    "/forms/{page_id}/",
    response={201: EnquiryAccepted},
    url_name="send_enquiry",
    operation_id="send_enquiry",
    summary="Send an enquiry; 201 with its reference number",
    description=(
        "Sends the answers through the same checks, transaction and e-mails as the HTML "
        "form. The answer is 201 with the reference number, the date a reply is due by and "
        "the worker who will answer; an error is `application/problem+json` with a Polish "
        "`detail` to show the resident, and for 422 one entry in `errors` per answer "
        '(`loc` `["answers", name]`, or `["consent"]`, `["token"]`) with a Polish `msg`.'
    ),
    openapi_extra={
        "requestBody": {
            "content": {"application/json": {"schema": EnquiryIn.model_json_schema()}},
            "required": True,
        },
        "responses": problems(
            {
                400: (
                    "The body is not JSON, the token is stale or of another form, or the "
                    "enquiry looks sent by a bot (kept for review, never delivered)."
                ),
                404: NOT_FOUND,
                409: "The token was already used to send other answers.",
                413: "The body is larger than the site's DATA_UPLOAD_MAX_MEMORY_SIZE.",
                422: (
                    "The body has the wrong shape, or answers are missing or invalid: an "
                    "entry in `errors` for each. " + PATH_INVALID
                ),
                429: "Too many enquiries from this client address; try again later.",
            }
        ),
    },
)
def send_enquiry(request, page_id: int):
    page = live_form(page_id)
    try:
        enquiry = read_enquiry(request)
    except RequestDataTooBig as error:
        return body_too_large(request, error)
    except NotJson:
        return problem_response(
            status=HTTPStatus.BAD_REQUEST,
            detail=_("The request is not JSON. Please send the answers as a JSON object."),
        )
    except WrongShape as wrong:
        return problem_response(
            status=HTTPStatus.UNPROCESSABLE_ENTITY,
            detail=_("Please correct the answers marked below."),
            errors=wrong.errors,
        )
    misplaced = reserved_answers(enquiry)
    if misplaced:
        return problem_response(
            status=HTTPStatus.UNPROCESSABLE_ENTITY,
            detail=_("Please correct the answers marked below."),
            errors=misplaced,
        )
    outcome = take_in(page, request, form_data(enquiry))
    if outcome.result is Result.ACCEPTED:
        return Status(HTTPStatus.CREATED, accepted(page, outcome.submission))
    if outcome.result is Result.INVALID:
        return problem_response(
            status=HTTPStatus.UNPROCESSABLE_ENTITY,
            detail=_("Please correct the answers marked below."),
            errors=field_errors(outcome.form),
        )
    if outcome.result is Result.SENT_BEFORE:
        return problem_response(
            status=HTTPStatus.CONFLICT,
            detail=_(
                "This form has already been sent with other answers; get a new token to send "
                "another enquiry."
            ),
        )
    return refusal(outcome.verdict)  # refused, or kept as spam


def body_too_large(request, error):
    """A body over DATA_UPLOAD_MAX_MEMORY_SIZE: 413 in problem+json. A site may register it
    for all of API v3 (`api.add_exception_handler(RequestDataTooBig, body_too_large)`)."""
    return problem_response(
        status=HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
        detail=_("The request is larger than this site accepts (%(limit)d bytes).")
        % {"limit": settings.DATA_UPLOAD_MAX_MEMORY_SIZE},
    )


class NotJson(Exception):
    """The body cannot be read as JSON."""


class WrongShape(Exception):
    """The body is JSON but not an `EnquiryIn`; `errors` as the answers' errors are."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def read_enquiry(request):
    """The body as an `EnquiryIn`; raises NotJson or WrongShape."""
    try:
        data = json.loads(request.body)
    except (ValueError, RecursionError) as error:  # RecursionError: nesting beyond Python's
        raise NotJson from error
    if not isinstance(data, dict):
        message = _("The body must be a JSON object with the token, the answers and the consent.")
        raise WrongShape([{"type": "invalid", "loc": [], "msg": message}])
    try:
        return EnquiryIn.model_validate(data)
    except pydantic.ValidationError as error:
        raise WrongShape(shape_errors(error)) from error


def shape_errors(error):
    """One error per place in the body, in the shape and language of the answers' errors.

    Pydantic gives one error per alternative of a union (text, number, list, ...) and
    places them deeper than the answer; a resident's front end needs the answer only.
    """
    located = {}
    for detail in error.errors():
        loc = tuple(detail["loc"][:2] if detail["loc"][:1] == ("answers",) else detail["loc"][:1])
        missing = detail["type"] == "missing"
        located.setdefault(loc, ("missing" if missing else "invalid", shape_message(loc, missing)))
    return [{"type": kind, "loc": list(loc), "msg": msg} for loc, (kind, msg) in located.items()]


def shape_message(loc, missing):
    """What the resident's front end shows for an error at `loc` of the body."""
    if missing:
        return _("This field is required.")
    if loc == ("answers",):
        return _("The answers must be an object with each answer under its field's name.")
    if loc[0] == "answers":
        return _("An answer must be text, a number, true or false, or a list of texts.")
    if loc == ("consent",):
        return _("Consent must be true or false.")
    return _("This must be text.")


def refusal(verdict):
    """The gate's refusal: 429 over the rate limit, else 400."""
    status = HTTPStatus.TOO_MANY_REQUESTS if verdict.rate_limited else HTTPStatus.BAD_REQUEST
    return problem_response(status=status, detail=str(verdict.message))


def reserved_answers(enquiry):
    """An error for each answer named like a field of the body (consent, token, website).

    Only the body's own field may give consent; an answer of that name is refused, not read.
    """
    return [
        {
            "type": "reserved",
            "loc": ["answers", name],
            "msg": _("“%(name)s” is not an answer of this form; send it beside the answers.")
            % {"name": name},
        }
        for name in sorted(RESERVED_FIELDS.intersection(enquiry.answers))
    ]


def form_data(enquiry):
    """The JSON body as the POST data the HTML form would send."""
    data = QueryDict(mutable=True)
    for name, answer in enquiry.answers.items():
        if isinstance(answer, list):
            data.setlist(name, [well_formed(str(value)) for value in answer])
        elif answer is True:
            data[name] = "on"
        elif answer not in (None, False):
            data[name] = well_formed(str(answer))
    if enquiry.consent:
        data["consent"] = "on"
    data[gate.TOKEN_FIELD] = well_formed(enquiry.token)
    data[gate.HONEYPOT_FIELD] = well_formed(enquiry.website)
    return data


def well_formed(text):
    """`text` with U+FFFD for each lone surrogate, as Django decodes broken bytes in a form post.

    JSON may escape half of a surrogate pair (a front end that cut an emoji in two); such a
    string cannot be encoded, so no database could store it.
    """
    return LONE_SURROGATE.sub("\ufffd", text)


def field_errors(form):
    """Each error with the field it belongs to (`__all__` for the whole form)."""
    return [
        {"type": error.code or "invalid", "loc": error_location(name), "msg": message}
        for name, errors in form.errors.as_data().items()
        for error in errors
        for message in error.messages
    ]


def error_location(name):
    """Where a form field sits in the JSON body."""
    body_keys = {"consent": "consent", gate.TOKEN_FIELD: "token", gate.HONEYPOT_FIELD: "website"}
    if name in body_keys:
        return [body_keys[name]]
    return ["answers", name]


def accepted(page, submission):
    worker = submission.worker
    return {
        "reference": submission.reference,
        "reply_by": page.reply_by(submission),
        "worker": worker and worker_contact(worker),
    }


def worker_contact(worker):
    return {
        "name": worker.name,
        "position": worker.position,
        "phone": worker.phone_display,
        "phone_href": worker.phone_href,
        "room": worker.room,
        "office_hours": worker.office_hours,
    }
