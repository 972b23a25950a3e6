"""Benchmark: sending an enquiry, against a plain Wagtail AbstractEmailForm page.

The example site runs under gunicorn on PostgreSQL with a task worker, and mail goes to an
SMTP sink on loopback that takes `--smtp-delay` seconds per message. In one run it measures
a GET of our form (the anchor), valid POSTs to our form with the slow sink and with an
instant one, and valid POSTs to a plain Wagtail e-mail form with the slow sink.

    .venv/bin/python -m bench.enquiry [--requests 200] [--concurrency 4] [--production]

With --production the site runs with production settings, Redis (--redis-url, default
database 4) and its page cache, as `make serve-production` does.

Targets: our POST p50 at most 1.5x the GET's and not slower when SMTP is slow; the plain
Wagtail form's p50 above the SMTP delay. With an instant sink the task worker sends
without pause and takes CPU from gunicorn, so both GET and POST slow down in that phase.
"""

import argparse
import io
import os

from tests.smtp_sink import SmtpSink, free_port

from .harness import (
    DEFAULT_DATABASE_URL,
    HEADER,
    cookie,
    fresh_database,
    hidden_input,
    load,
    request,
    site_processes,
)
from .serve_production import collect_static_if_stale, loopback_environment, secret_key

OUR_FORM = "/napisz-do-nas/"
PRODUCTION_REDIS_URL = "redis://127.0.0.1:6379/4"  # emptied first
PLAIN_FIELD_TYPES = {"name": "singleline", "phone": "singleline"}  # Wagtail's for ours
PLAIN_FORM = "/zwykly-formularz/"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="POSTs to our form per phase")
    parser.add_argument(
        "--plain-requests", type=int, default=40, help="POSTs to the plain Wagtail form"
    )
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--smtp-delay", type=float, default=1.0, help="seconds per message")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--production", action="store_true", help="production settings, Redis")
    parser.add_argument("--redis-url", default=PRODUCTION_REDIS_URL)
    return parser.parse_args()


def prepare_site(database_url):
    """A fresh database with both demo clubs and a plain Wagtail form beside our own."""
    import django
    from django.core.management import call_command

    fresh_database(database_url)
    django.setup()
    print("Migrating and loading the demo clubs…", flush=True)
    call_command("migrate", verbosity=0)
    call_command("kis_demo", stdout=io.StringIO())

    from django.db import connections
    from wagtail.models import Site

    from bench.plain_form.models import PlainEmailFormPage, PlainFormField
    from kis_forms.models import EnquiryFormPage

    club = Site.objects.get(is_default_site=True).root_page
    ours = EnquiryFormPage.objects.child_of(club).get()
    plain = club.add_child(
        instance=PlainEmailFormPage(
            title="Zwykły formularz Wagtaila",
            slug=PLAIN_FORM.strip("/"),
            to_address=ours.default_worker.email,
            from_address="kis@localhost",
            subject="Nowe zgłoszenie",
        )
    )
    for field in ours.form_fields.all():
        PlainFormField.objects.create(
            page=plain,
            sort_order=field.sort_order,
            label=field.label,
            field_type=PLAIN_FIELD_TYPES.get(field.field_type, field.field_type),
            required=field.required,
            choices=field.choices,
        )
    connections.close_all()


def enquiry_answers():
    """The tests' valid answers to the demo form (importable once Django is set up)."""
    from tests.utils import enquiry_answers as answers

    return answers()


def open_form(port, path):
    """GET a form like a browser: its CSRF cookie and the hidden fields to send back."""
    response = request(port, "GET", path)
    fields = {"csrfmiddlewaretoken": hidden_input(response.body, "csrfmiddlewaretoken")}
    token = hidden_input(response.body, "kis_token")
    if token:
        fields["kis_token"] = token
    return response, {"csrftoken": cookie(response, "csrftoken")}, fields


def our_form_phase(port, name, count, concurrency):
    """GET our form `count` times (timed), then send each rendering once (timed)."""
    opened = []

    def get():
        response, cookies, fields = open_form(port, OUR_FORM)
        opened.append((cookies, fields))
        return response

    gets = load(f"GET {OUR_FORM} ({name})", [get] * count, concurrency, expect=200)

    def post_job(cookies, fields):
        form = {**enquiry_answers(), **fields}
        return lambda: request(port, "POST", OUR_FORM, form=form, cookies=cookies)

    jobs = [post_job(cookies, fields) for cookies, fields in opened]
    posts = load(f"POST {OUR_FORM} ({name})", jobs, concurrency, expect=303)
    return gets, posts


def plain_form_phase(port, name, count, concurrency):
    _response, cookies, fields = open_form(port, PLAIN_FORM)
    form = {**enquiry_answers(), **fields}

    def job():
        return request(port, "POST", PLAIN_FORM, form=form, cookies=cookies)

    return load(f"POST {PLAIN_FORM} ({name})", [job] * count, concurrency, expect=200)


def main():
    args = parse_args()
    sink = SmtpSink(delay=args.smtp_delay).start()
    env = {
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": args.database_url,
        "BENCH_SMTP_PORT": str(sink.port),
    }
    if args.production:
        env = loopback_environment(
            args.database_url, args.redis_url, free_port(), sink.port, secret_key()
        )
        env["DJANGO_SETTINGS_MODULE"] = "bench.production_settings"
        import redis

        redis.Redis.from_url(args.redis_url).flushdb()
        collect_static_if_stale(env)
    os.environ.update(env)
    prepare_site(args.database_url)

    slow = f"SMTP {args.smtp_delay:g} s"
    layout = "production settings, Redis, " if args.production else ""
    print(f"Starting gunicorn (2 workers) and a kis_worker ({layout}SMTP sink on {sink.port}).")
    with site_processes(env) as port:
        open_form(port, OUR_FORM)  # warm both workers' caches before measuring
        open_form(port, OUR_FORM)
        get_slow, post_slow = our_form_phase(port, slow, args.requests, args.concurrency)
        plain_slow = plain_form_phase(port, slow, args.plain_requests, args.concurrency)
        sink.delay = 0
        get_fast, post_fast = our_form_phase(port, "SMTP instant", args.requests, args.concurrency)
        stored = count_enquiries()
    sink.stop()

    print()
    print(HEADER)
    for figures in (get_slow, post_slow, plain_slow, get_fast, post_fast):
        print(figures.row())
    print()
    ratios = [
        (f"our POST p50 / GET p50 ({slow})", post_slow.p50 / get_slow.p50, "≤ 1.5"),
        (f"our POST p50, {slow} / SMTP instant", post_slow.p50 / post_fast.p50, "≈ 1"),
        (f"plain Wagtail POST p50 / our POST p50 ({slow})", plain_slow.p50 / post_slow.p50, ""),
    ]
    for label, ratio, target in ratios:
        print(f"{label:<50} {ratio:6.2f}  {f'(target {target})' if target else ''}")
    if args.production:
        print("(here the GET comes from the page cache: the POST/GET target is for the run")
        print(" without --production, where both are rendered)")
    print(f"plain Wagtail POST p50: {plain_slow.p50:.2f} s (target > {args.smtp_delay:g} s)")
    print(
        f"enquiries stored: {stored} of {2 * args.requests} sent; "
        f"e-mails at the sink when the servers stopped: {len(sink.received())} "
        f"({args.plain_requests} from the plain form; the task worker sends ours one by one)"
    )


def count_enquiries():
    from kis_forms.models import EnquirySubmission

    return EnquirySubmission.objects.exclude(status="spam").count()


if __name__ == "__main__":
    main()
