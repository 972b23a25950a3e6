"""Benchmark: the moderators' inbox with many enquiries, beside Wagtail's own submissions listing.

In one process on PostgreSQL, through Django's test Client as a club moderator, it fills one
club's form with enquiries and, at each size in `--sizes`, measures the inbox's first page
(also with the cache emptied before each request, so its total, filter choices and header
are made afresh), a filtered page and two searches beside Wagtail's own submissions listing
of the same rows (median time of `--repeat` requests after one to warm up, and queries per
request), then exports every row: our CSV and XLSX and Wagtail's own CSV export, each read
whole in `--export-rounds` rounds taken in turn and its fastest kept: time, time to the first
byte, rows, queries, and peak memory while the response is read. Wagtail's
Forms section shows no enquiry form (the inbox has them), so "the same rows" are a copy of
the club's enquiries as submissions of a plain Wagtail form with the same fields, beside
ours in the club. With --production, the settings are production's, with Redis as the cache
(--redis-url, default database 3, emptied by the run); else the cache is in memory.

    .venv/bin/python -m bench.inbox [--sizes 1000 100000] [--repeat 7] [--export-rounds 2]
        [--production]

Targets: our listing no slower than Wagtail's own, the same number of queries at every
size; our CSV export at most 1.2 times Wagtail's time, its first byte within 1 s and its
peak memory growing by under 50 MB; our XLSX at most twice our CSV's time.
"""

import argparse
import datetime
import io
import os
import random
import re
import statistics
import sys
import time
import tracemalloc
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path

from tests.smtp_sink import free_port

from .enquiry import PLAIN_FIELD_TYPES
from .harness import fresh_database
from .serve_production import loopback_environment, secret_key

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kis_bench_inbox"
PRODUCTION_REDIS_URL = "redis://127.0.0.1:6379/3"
OTHER_CLUB_ENQUIRIES = 1_000  # so the club scope has rows to leave out
BATCH = 5_000
FIRST_NAMES = ["Anna", "Zofia", "Małgorzata", "Grażyna", "Katarzyna", "Barbara", "Agnieszka"]
FIRST_NAMES += ["Piotr", "Łukasz", "Józef", "Krzysztof", "Paweł", "Andrzej", "Jerzy"]
LAST_NAMES = ["Nowak", "Wiśniewska", "Wójcik", "Kamińska", "Lewandowski", "Dąbrowski"]
LAST_NAMES += ["Kozłowska", "Woźniak", "Mazur", "Krawczyk", "Piątek", "Zieliński", "Żak"]
MESSAGES = [
    "Dzień dobry, chciałabym dołączyć do zajęć Klubu. Kiedy mogę przyjść na rozmowę?",
    "Czy są jeszcze miejsca w grupie wsparcia w czwartki?",
    "Proszę o kontakt w sprawie prac społecznie użytecznych, jestem bezrobotny od roku.",
    "Jakie dokumenty trzeba przynieść na pierwsze spotkanie z doradcą zawodowym?",
    "Czy mogę przyjść z dzieckiem? Nie mam z kim go zostawić.",
]
NOTHING_CACHED = "inbox: first page, nothing cached"
EXPORT_WAGTAIL = "Wagtail's own CSV"
EXPORT_CSV = "our CSV"
EXPORT_XLSX = "our XLSX"
ROW = re.compile(rb'id="enquiry_\d+_title"|name="selected-submissions"')  # a listing's row
STATUSES = {"new": 10, "in_progress": 15, "answered": 25, "closed": 40, "spam": 10}
NOTIFICATION_STATES = {"sent": 90, "queued": 4, "failing": 3, "given_up": 3}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--repeat", type=int, default=7, help="timed requests per listing")
    parser.add_argument("--export-rounds", type=int, default=2, help="timed reads per export")
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--production", action="store_true", help="production settings, Redis")
    parser.add_argument("--redis-url", default=PRODUCTION_REDIS_URL)
    return parser.parse_args()


def prepare(args):
    """A fresh database with both demo clubs and a moderator of the first one."""
    os.environ.update(DJANGO_SETTINGS_MODULE="bench.settings", DATABASE_URL=args.database_url)
    if args.production:
        os.environ.update(
            loopback_environment(
                args.database_url, args.redis_url, free_port(), free_port(), secret_key()
            ),
            DJANGO_SETTINGS_MODULE="bench.production_settings",
        )
    fresh_database(args.database_url)
    import django

    django.setup()
    from django.core.cache import cache

    cache.clear()
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.core.management import call_command
    from wagtail.models import GroupPagePermission, Site

    from bench.plain_form.models import PlainEmailFormPage, PlainFormField
    from kis_forms.models import EnquiryFormPage
    from kis_forms.permissions import HANDLE, grant

    print("Migrating and loading the demo clubs…", flush=True)
    call_command("migrate", verbosity=0)
    call_command("kis_demo", stdout=io.StringIO())
    club, other_club = (site.root_page for site in Site.objects.order_by("-is_default_site"))
    group = Group.objects.create(name="Moderatorzy")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    grant(group, club, HANDLE)
    # Wagtail's Forms section shows a form to those who may edit it; our hook adds the grant.
    GroupPagePermission.objects.create(group=group, page=club, permission_type="change")
    moderator = get_user_model().objects.create_user("moderator", "moderator@example.org")
    moderator.groups.add(group)
    form, other_form = (
        EnquiryFormPage.objects.descendant_of(page).get() for page in (club, other_club)
    )
    plain = club.add_child(
        instance=PlainEmailFormPage(
            title="Zwykły formularz Wagtaila", slug="zwykly-formularz", to_address="kis@localhost"
        )
    )
    for field in form.form_fields.all():
        PlainFormField.objects.create(
            page=plain,
            sort_order=field.sort_order,
            label=field.label,  # the same label, so the same key in each row's answers
            field_type=PLAIN_FIELD_TYPES.get(field.field_type, field.field_type),
            required=field.required,
            choices=field.choices,
        )
    return moderator, form, other_form, plain


def copy_to_plain_form(form, plain):
    """Make the plain form's submissions the same rows as `form`'s enquiries, answers and
    times received alike."""
    from django.db import connection
    from wagtail.contrib.forms.models import FormSubmission

    from kis_forms.models import EnquirySubmission

    FormSubmission.objects.filter(page=plain).delete()
    source = connection.ops.quote_name(EnquirySubmission._meta.db_table)
    target = connection.ops.quote_name(FormSubmission._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {target} (form_data, submit_time, page_id) "  # noqa: S608 (table names)
            f"SELECT form_data, submit_time, %s FROM {source} WHERE page_id = %s ORDER BY id",
            [plain.pk, form.pk],
        )


def weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def fake_enquiry(form, fields, rng, moderator, now):
    """An enquiry as a resident might send it, handled as far as its status says."""
    from kis_forms.intake.forms import split_choices
    from kis_forms.models import EnquirySubmission

    name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    phone = f"{rng.randrange(500, 900)} {rng.randrange(1000):03d} {rng.randrange(1000):03d}"
    email = ""
    if rng.random() < 0.8:
        email = f"{name.split()[0].lower()}.{rng.randrange(10**6)}@example.org"
    typed = {"name": name, "phone": phone, "email": email, "multiline": rng.choice(MESSAGES)}
    answers = {}
    for field in fields:
        # A field without choices splits into [""], which would leave every answer empty.
        choices = split_choices(field.choices) if field.choices.strip() else []
        answers[field.clean_name] = (
            rng.choice(choices) if choices else typed.get(field.field_type, "")
        )
    received = now - datetime.timedelta(seconds=rng.randrange(730 * 86400))
    status = weighted(rng, STATUSES)
    enquiry = EnquirySubmission(
        page=form,
        form_data=answers,
        worker=form.default_worker,
        resident_name=name,
        resident_email=email,
        resident_phone="+48" + phone.replace(" ", ""),
        status=status,
        status_changed_at=None if status == "new" else received + datetime.timedelta(hours=5),
        assignee=moderator if status in ("in_progress", "answered") else None,
        spam_reason="za dużo linków" if status == "spam" else "",
    )
    return enquiry, received


def backdate(planned):
    """Set each new enquiry's time received (bulk_create stamps "now") and its reference."""
    from django.db import connection

    from kis_forms.intake.references import reference_for
    from kis_forms.models import EnquirySubmission

    for enquiry, received in planned:
        enquiry.submit_time = received
        enquiry.reference = reference_for(enquiry, enquiry.pk)  # ids are unique, as numbers are
    table = connection.ops.quote_name(EnquirySubmission._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET submit_time = v.received, reference = v.reference "  # noqa: S608 (a table name)
            "FROM unnest(%s::bigint[], %s::timestamptz[], %s::text[]) "
            f"AS v(id, received, reference) WHERE {table}.id = v.id",
            [
                [enquiry.pk for enquiry, _ in planned],
                [received for _, received in planned],
                [enquiry.reference for enquiry, _ in planned],
            ],
        )


def insert_enquiries(form, count, rng, moderator):
    """`count` enquiries to `form`, each with its worker's e-mail, in batches of BATCH."""
    from django.db import transaction
    from django.utils import timezone

    from kis_forms.models import EnquirySubmission, Notification

    fields = list(form.get_form_fields())
    club = form.get_parent().title
    now = timezone.now()
    started = time.perf_counter()
    redraw = sys.stdout.isatty()  # a line per batch in a log file, one line on a terminal
    done = 0
    while done < count:
        planned = [
            fake_enquiry(form, fields, rng, moderator, now)
            for _number in range(min(BATCH, count - done))
        ]
        with transaction.atomic():
            EnquirySubmission.objects.bulk_create([enquiry for enquiry, _ in planned])
            backdate(planned)
            Notification.objects.bulk_create(
                Notification(
                    submission=enquiry,
                    kind=Notification.Kind.WORKER,
                    state=weighted(rng, NOTIFICATION_STATES),
                    attempts=1,
                )
                for enquiry, _ in planned
            )
        done += len(planned)
        elapsed = time.perf_counter() - started
        line = f"  {club}: {done:,} of {count:,} inserted ({elapsed:.0f} s)"
        print(f"\r{line}" if redraw else line, end="" if redraw else "\n", flush=True)
    if redraw:
        print()


@contextmanager
def counting_queries():
    """Count the queries run inside (without keeping their SQL, unlike CaptureQueriesContext)."""
    from django.db import connection

    counted = [0]

    def count(execute, sql, params, many, context):
        counted[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield counted


def measure_pages(client, pages, repeat):
    """Per page: median ms of `repeat` requests after a warm-up, queries, rows shown.

    The pages take turns, one request each per round, so a change in the machine's load
    during the run weighs on every page alike. NOTHING_CACHED empties the cache before its
    request (the inbox's total, filter choices and header are made afresh) and fills it
    again for the other pages after, untimed: they measure a moderator coming back.
    """
    from django.core.cache import cache

    def warm():
        for path, params in pages.values():
            client.get(path, params)

    warm()
    times = {name: [] for name in pages}
    queries = dict.fromkeys(pages, 0)
    rows = {}
    for _round in range(repeat):
        for name, (path, params) in pages.items():
            if name == NOTHING_CACHED:
                cache.clear()
            with counting_queries() as counted:
                started = time.perf_counter()
                response = client.get(path, params)
                times[name].append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"{path} {params}: {response.status_code}")
            queries[name] = max(queries[name], counted[0])
            rows[name] = len(ROW.findall(response.content))
            if name == NOTHING_CACHED:
                warm()
    return {
        name: (statistics.median(times[name]) * 1000, queries[name], rows[name]) for name in pages
    }


def peak_rss_reset():
    """Reset the process's peak resident memory (Linux); False where that is not possible."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def rss_kb(field):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def read_export(client, path, export_format):
    """Rows of a CSV (lines after the headings) or bytes of an XLSX, and seconds to the
    first byte, whether the response streams or not."""
    started = time.perf_counter()
    response = client.get(path, {"export": export_format})
    first_byte = None
    size = lines = 0
    for chunk in response.streaming_content if response.streaming else [response.content]:
        if first_byte is None:
            first_byte = time.perf_counter() - started
        size += len(chunk)
        lines += chunk.count(b"\r\n")
    response.close()
    return (lines - 1 if export_format == "csv" else size), first_byte


def timed_export(client, path, export_format):
    """Read the whole export once: its time, first byte, rows, queries and peak RSS growth."""
    can_reset = peak_rss_reset()
    rss_before = rss_kb("VmRSS")
    with counting_queries() as counted:
        started = time.perf_counter()
        rows, first_byte = read_export(client, path, export_format)
        seconds = time.perf_counter() - started
    rss_growth = (rss_kb("VmHWM") - rss_before) / 1024 if can_reset else None
    return {
        "seconds": seconds,
        "first byte": first_byte,
        "rows": rows,
        "queries": counted[0],
        "rss": rss_growth,
    }


def traced_peak(client, path, export_format):
    """Peak memory Python allocates while the whole export is read, in MB (tracemalloc)."""
    tracemalloc.start()
    baseline = tracemalloc.get_traced_memory()[0]
    read_export(client, path, export_format)
    peak = (tracemalloc.get_traced_memory()[1] - baseline) / 2**20
    tracemalloc.stop()
    return peak


def measure_exports(client, exports, rounds):
    """Each export ({name: (path, format)}) read whole in `rounds` rounds taken in turn (in
    alternating order), its fastest round kept with the most RSS growth of any; then read
    once more under tracemalloc. One export takes seconds, so one burst of other work on the
    machine could double a figure: a second round keeps that from deciding a ratio."""
    reads = {name: [] for name in exports}
    for round_number in range(rounds):
        order = list(exports) if round_number % 2 == 0 else list(reversed(exports))
        for name in order:
            reads[name].append(timed_export(client, *exports[name]))
    figures = {}
    for name, (path, export_format) in exports.items():
        growths = [read["rss"] for read in reads[name] if read["rss"] is not None]
        figures[name] = {
            **min(reads[name], key=itemgetter("seconds")),
            "rss": max(growths, default=None),
            "python": traced_peak(client, path, export_format),
        }
    return figures


def main():
    args = parse_args()
    moderator, form, other_form, plain = prepare(args)
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from kis_forms.models import EnquiryExport, EnquirySubmission, ExportedEnquiry

    rng = random.Random(20250101)  # noqa: S311 (the same rows on every run)
    client = Client(HTTP_HOST="localhost")
    client.force_login(moderator)
    inbox = reverse("enquiries:index")
    wagtail_listing = reverse("wagtailforms:list_submissions", args=[plain.pk])
    today = timezone.localdate()
    last_90_days = {
        "status": "new",
        "submit_time_from": (today - datetime.timedelta(days=90)).isoformat(),
        "submit_time_to": today.isoformat(),
    }
    print(f"The other club gets {OTHER_CLUB_ENQUIRIES:,} enquiries; the moderator sees none.")
    insert_enquiries(other_form, OTHER_CLUB_ENQUIRIES, rng, None)

    results = {}
    for size in sorted(args.sizes):
        ours = EnquirySubmission.objects.filter(page=form).order_by("pk")
        insert_enquiries(form, size - ours.count(), rng, moderator)
        copy_to_plain_form(form, plain)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would have done by then
        reference = ours[size // 2].reference
        email = ours.exclude(resident_email="")[size // 3].resident_email
        pages = {
            "inbox: first page": (inbox, {}),
            NOTHING_CACHED: (inbox, {}),
            "inbox: status=new, last 90 days": (inbox, last_90_days),
            "inbox: search by reference": (inbox, {"q": reference}),
            "inbox: search by e-mail": (inbox, {"q": email}),
            "Wagtail submissions: first page": (wagtail_listing, {}),
        }
        print(f"Measuring with {size:,} enquiries in the club…", flush=True)
        results[size] = measure_pages(client, pages, args.repeat)
        exports = {
            EXPORT_WAGTAIL: (wagtail_listing, "csv"),
            EXPORT_CSV: (inbox, "csv"),
            EXPORT_XLSX: (inbox, "xlsx"),
        }
        results[size]["exports"] = measure_exports(client, exports, args.export_rounds)
    report(results)
    print(
        f"export records: {EnquiryExport.objects.count():,}, with "
        f"{ExportedEnquiry.objects.count():,} exported enquiries"
    )


def report(results):
    sizes = list(results)
    names = [name for name in results[sizes[0]] if name != "exports"]
    wagtail = "Wagtail submissions: first page"
    print()
    print(f"{'':<34}" + "".join(f"{f'{size:,} enquiries':>34}" for size in sizes))
    print(f"{'listing (median)':<34}" + f"{'ms':>10}{'queries':>9}{'rows':>7}{'/ Wagtail':>8}" * 2)
    for name in names:
        cells = ""
        for size in sizes:
            ms, queries, rows = results[size][name]
            cells += f"{ms:>10.1f}{queries:>9}{rows:>7}{ms / results[size][wagtail][0]:>8.2f}"
        print(f"{name:<34}{cells}")
    print()
    print(
        f"{'export of every row':<34}{'rows/bytes':>11}{'s':>8}{'first byte s':>13}"
        f"{'queries':>9}{'Python peak MB':>16}{'RSS peak MB':>13}"
    )
    for size in sizes:
        for name, export in results[size]["exports"].items():
            rss = "n/a" if export["rss"] is None else f"{export['rss']:.1f}"
            print(
                f"{f'{size:,}: {name}':<34}{export['rows']:>11,}{export['seconds']:>8.2f}"
                f"{export['first byte']:>13.2f}{export['queries']:>9}"
                f"{export['python']:>16.1f}{rss:>13}"
            )
    print()
    first, last = results[sizes[0]], results[sizes[-1]]
    most = [max(figures[name][1] for name in names) for figures in (first, last)]
    print(
        f"most queries of any listing: {most[0]} at {sizes[0]:,}, {most[1]} at {sizes[-1]:,} "
        "(target: the same)"
    )
    slower = last["inbox: first page"][0] / last[wagtail][0]
    print(f"our first page / Wagtail's at {sizes[-1]:,}: {slower:.2f} (target ≤ 1)")
    exports = last["exports"]
    ours, wagtails = exports[EXPORT_CSV], exports[EXPORT_WAGTAIL]
    if ours["rows"] != wagtails["rows"]:
        raise RuntimeError(f"CSV rows differ: ours {ours['rows']}, Wagtail's {wagtails['rows']}")
    print(
        f"our CSV / Wagtail's own at {sizes[-1]:,}: "
        f"{ours['seconds'] / wagtails['seconds']:.2f} (target ≤ 1.2)"
    )
    print(f"our CSV's first byte at {sizes[-1]:,}: {ours['first byte']:.2f} s (target < 1)")
    growth = max(ours["python"], ours["rss"] or 0)
    print(f"our CSV's peak memory growth at {sizes[-1]:,}: {growth:.1f} MB (target < 50)")
    xlsx = exports[EXPORT_XLSX]["seconds"] / ours["seconds"]
    print(f"our XLSX / our CSV at {sizes[-1]:,}: {xlsx:.2f} (target ≤ 2)")


if __name__ == "__main__":
    main()
