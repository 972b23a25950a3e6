"""The abuse gate in front of the enquiry form: one-time token, fill time, honeypot, rate limit.

No CAPTCHA: it would shut out residents who use screen readers (ustawa o dostępności
cyfrowej). A post that fails here is never silently dropped: the form is shown again,
filled in, with a message; what looks like a bot is also kept as spam for review.
"""

import ipaddress
import secrets
import time
from dataclasses import dataclass

from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from kis_forms.conf import option

TOKEN_SALT = "kis_forms.enquiry-token"  # noqa: S105 - a signing namespace, not a secret
TOKEN_FIELD = "kis_token"  # noqa: S105 - a form field name
HONEYPOT_FIELD = "website"


def form_address(request):
    """The host and path a form is shown at and sent to; its tokens are valid there only.

    An address, not the page's id: the page cache fills in a kept form's token knowing only
    the request. The HTML form and the JSON endpoint are each shown and sent at one address.
    """
    return f"{request.get_host().lower()}{request.path}"


def new_token(address, shown=None):
    """A signed one-time token for one rendering of the form at `address`.

    It carries when the form was shown, or, for a form shown again after a refusal, `shown`:
    when it was first shown, so the resident's time spent counts towards the fill time.
    """
    return signing.dumps(
        {
            "nonce": secrets.token_urlsafe(16),
            "form": address,
            "shown": time.time() if shown is None else shown,
        },
        salt=TOKEN_SALT,
    )


def read_token(token, address):
    """The token's contents, or None when it is missing, forged, too old or another form's."""
    try:
        contents = signing.loads(token or "", salt=TOKEN_SALT, max_age=option("TOKEN_MAX_AGE"))
    except signing.BadSignature:
        return None
    return contents if contents.get("form") == address else None


def first_shown(token, address):
    """When the form `token` was made for was first shown; None for a forged or another's.

    An expired token still tells: only this site could have signed the time in it.
    """
    try:
        contents = signing.loads(token or "", salt=TOKEN_SALT)
    except signing.BadSignature:
        return None
    return contents["shown"] if contents.get("form") == address else None


def client_ip(request):
    """The resident's address, taking the configured number of trusted proxies into account.

    What the nearest trusted proxy wrote is used only if it is an IP address; anything else
    (a misconfigured proxy count lets a client write there) falls back to the peer address.
    """
    proxies = option("PROXY_COUNT")
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if proxies and len(forwarded) >= proxies:
        try:
            return str(ipaddress.ip_address(forwarded[-proxies]))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR", "")


def rate_limit_key(ip):
    """Whose count a post from `ip` adds to: an IPv4 address, or an IPv6 address's /64.

    One IPv6 client (a home, a phone) usually holds a whole /64 and may send from any address
    in it. An IPv4 address written as IPv6 (`::ffff:192.0.2.1`) counts as that IPv4 address.
    """
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped:
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


class SlidingWindow:
    """At most `limit` events in any `window` seconds under the cache key `prefix`.

    Each counted event holds one of `limit` slots in the cache for `window` seconds, so no
    run of events, across any boundary, gets more through. Claiming a slot is one atomic
    `add`, so with Redis the count holds across every app server; a window holds at most
    `limit` + 1 keys, each gone a window after it was written.
    """

    def __init__(self, prefix, limit, window):
        self.prefix, self.limit, self.window = prefix, limit, window

    def full(self):
        """Whether `limit` events were counted in the last `window` seconds."""
        slots = [f"{self.prefix}:{slot}" for slot in range(self.limit)]
        return len(cache.get_many(slots)) >= self.limit

    def count(self):
        """Count one event; False, counting nothing, if the window is full."""
        # Where the last claim left off: with a large limit an event tries one slot, not all.
        start = cache.get(f"{self.prefix}:next", 0)
        for offset in range(self.limit):
            slot = (start + offset) % self.limit
            if cache.add(f"{self.prefix}:{slot}", True, timeout=self.window):
                cache.set(f"{self.prefix}:next", slot + 1, timeout=self.window)
                return True
        return False


def over_rate_limit(ip):
    """Count one post from `ip`; True, counting nothing, if RATE_LIMIT posts were counted in
    the last RATE_WINDOW seconds (a refused post holds no slot)."""
    window = SlidingWindow(
        f"kis_forms:posts:{rate_limit_key(ip)}", option("RATE_LIMIT"), option("RATE_WINDOW")
    )
    return not window.count()


@dataclass(frozen=True)
class Verdict:
    """What the gate decided about one post; a refusal carries a message for the resident."""

    accepted: bool
    message: str = ""
    spam_reason: str = ""
    rate_limited: bool = False


ACCEPTED = Verdict(accepted=True)
CHECK_AND_SEND_AGAIN = _(
    "We could not accept the form yet. Please check your answers and send it again."
)


def check(request, data):
    """The verdict on one post of the form, before its answers are validated.

    `data` holds the posted token and honeypot: the POST of the HTML form, or the JSON body.
    """
    if over_rate_limit(client_ip(request)):
        return Verdict(
            accepted=False,
            rate_limited=True,
            message=_(
                "Many enquiries have just been sent from your connection. Please wait a few "
                "minutes and send again, or call us."
            ),
        )
    token = read_token(data.get(TOKEN_FIELD), form_address(request))
    if token is None:
        return Verdict(
            accepted=False,
            message=_(
                "The form was open for a long time. Please check your answers and send it again."
            ),
        )
    if data.get(HONEYPOT_FIELD):
        return Verdict(accepted=False, message=CHECK_AND_SEND_AGAIN, spam_reason="honeypot")
    if time.time() - token["shown"] < option("MIN_FILL_SECONDS"):
        return Verdict(accepted=False, message=CHECK_AND_SEND_AGAIN, spam_reason="sent too fast")
    return ACCEPTED
