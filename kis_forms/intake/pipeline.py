"""The one path of a resident's enquiry, whether it comes from the HTML form or the JSON
endpoint: the abuse gate, then validation, then storing (an accepted enquiry with its e-mail
jobs in one transaction, or a spam record). The caller only turns the outcome into its own
answer: a page, a redirect or a problem+json.

A post the gate takes for a bot is validated too: if invalid, it is answered with its errors
like any other and stored nowhere (spam takes no reference and keeps no empty record); if
valid, it is kept as spam.
"""

from dataclasses import dataclass
from enum import Enum

from kis_forms.intake import gate
from kis_forms.intake.submissions import AlreadySent, store_spam


class Result(Enum):
    REFUSED = "refused"  # by the gate: rate limit, stale or foreign token…
    INVALID = "invalid"  # the answers break the form's rules; `form` holds the errors
    SPAM = "spam"  # kept as spam; the resident is told as if refused
    SENT_BEFORE = "sent before"  # the token was used before with other answers
    ACCEPTED = "accepted"  # stored; `submission` is the enquiry


@dataclass
class Outcome:
    result: Result
    verdict: gate.Verdict = gate.ACCEPTED
    form: object = None
    submission: object = None


def take_in(page, request, data):
    """Gate, validate and store one post of `data` (the form's fields) to the form `page`."""
    verdict = gate.check(request, data)
    if not verdict.accepted and not verdict.spam_reason:
        return Outcome(Result.REFUSED, verdict)
    address = gate.form_address(request)
    form = page.get_form(data, page=page, user=request.user, token_address=address)
    if not form.is_valid():
        return Outcome(Result.INVALID, verdict, form)
    if verdict.spam_reason:
        store_spam(page, form, verdict.spam_reason)
        return Outcome(Result.SPAM, verdict, form)
    try:
        submission = page.process_form_submission(form)
    except AlreadySent:
        return Outcome(Result.SENT_BEFORE, verdict, form)
    return Outcome(Result.ACCEPTED, verdict, form, submission)
