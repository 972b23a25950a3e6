"""Benchmark: Reports › Statistics for one club's year, beside the inbox's first page.

In one process on PostgreSQL, through Django's test Client as a club moderator, it fills
one club's form with enquiries (bench.inbox's residents, statuses and e-mails), moves them
all into this year (Polish time) and gives each handled one the times it was first handled
and closed, so reply times and the share handled in time have rows to read. At
each size in `--sizes` it measures the report page, its CSV export and API v3's figures
beside the inbox's first page: median of `--repeat` requests after a warm-up, and queries
per request, which must be the same at every size.

    .venv/bin/python -m bench.statistics [--sizes 1000 100000] [--repeat 7]

Target: the report page under 300 ms for 100,000 enquiries of one club in the year.
"""

import argparse
import random
import time

from .inbox import (
    DEFAULT_DATABASE_URL,
    OTHER_CLUB_ENQUIRIES,
    PRODUCTION_REDIS_URL,
    counting_queries,
    insert_enquiries,
    prepare,
)

TARGET_MS = 300
INBOX = "inbox: first page"
REPORT = "statistics: report page"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000])
    parser.add_argument("--repeat", type=int, default=7, help="timed requests per page")
    parser.add_argument(
        "--database-url", default=DEFAULT_DATABASE_URL.replace("inbox", "statistics")
    )
    parser.add_argument("--production", action="store_true", help="production settings, Redis")
    parser.add_argument("--redis-url", default=PRODUCTION_REDIS_URL)
    return parser.parse_args()


def into_this_year(form):
    """Spread the form's enquiries over this year's days until today, Polish time; each
    handled one changed status a few hours to a few days after it arrived."""
    from django.db import connection

    from kis_forms.models import EnquirySubmission

    table = connection.ops.quote_name(EnquirySubmission._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET submit_time = "  # noqa: S608 (a table name)
            "(date_trunc('year', now() AT TIME ZONE 'Europe/Warsaw') AT TIME ZONE "
            "'Europe/Warsaw') + (id %% greatest(1, extract(doy FROM now())::int - 1)) "
            "* interval '1 day' + (id %% 86400) * interval '1 second' WHERE page_id = %s",
            [form.pk],
        )
        cursor.execute(
            f"UPDATE {table} SET status_changed_at = submit_time + (id %% 200) "  # noqa: S608
            "* interval '1 hour' WHERE page_id = %s AND status <> 'new'",
            [form.pk],
        )
        cursor.execute(
            f"UPDATE {table} SET first_handled_at = submit_time + (id %% 97) "  # noqa: S608
            "* interval '1 hour', closed_at = CASE WHEN status = 'closed' "
            "THEN status_changed_at END WHERE page_id = %s AND status <> 'new'",
            [form.pk],
        )


def measure(client, pages, repeat):
    """Per page: median ms of `repeat` requests after a warm-up, and queries per request.

    The pages take turns, one request each per round, so a change in the machine's load
    weighs on every page alike.
    """
    for path, params in pages.values():
        client.get(path, params)
    times = {name: [] for name in pages}
    queries = dict.fromkeys(pages, 0)
    for _round in range(repeat):
        for name, (path, params) in pages.items():
            with counting_queries() as counted:
                started = time.perf_counter()
                response = client.get(path, params)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
                times[name].append(time.perf_counter() - started)
            if response.status_code != 200:
                raise RuntimeError(f"{path} {params}: {response.status_code}")
            queries[name] = max(queries[name], counted[0])
    return {
        name: (sorted(times[name])[len(times[name]) // 2] * 1000, queries[name]) for name in pages
    }


def main():
    args = parse_args()
    moderator, form, other_form, _plain = prepare(args)
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from wagtail.models import APIToken

    from kis_forms.models import EnquirySubmission

    rng = random.Random(20250101)  # noqa: S311 (the same rows on every run)
    client = Client(HTTP_HOST="localhost")
    client.force_login(moderator)
    _token, key = APIToken.create_token(user=moderator, name="bench")
    api = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Bearer {key}")
    report = reverse("kis_statistics:index")
    pages = {
        INBOX: (reverse("enquiries:index"), {}),
        REPORT: (report, {}),
        "statistics: one form": (report, {"form": form.pk}),
        "statistics: CSV export": (report, {"export": "csv"}),
    }
    print(f"The other club gets {OTHER_CLUB_ENQUIRIES:,} enquiries; the moderator sees none.")
    insert_enquiries(other_form, OTHER_CLUB_ENQUIRIES, rng, None)
    into_this_year(other_form)
    results = {}
    for size in sorted(args.sizes):
        ours = EnquirySubmission.objects.filter(page=form)
        insert_enquiries(form, size - ours.count(), rng, moderator)
        into_this_year(form)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would have done by then
        print(f"Measuring with {size:,} enquiries of the club in this year…", flush=True)
        results[size] = measure(client, pages, args.repeat)
        api_client_pages = {"API v3: statistics": ("/api/v3/statistics/", {})}
        results[size].update(measure(api, api_client_pages, args.repeat))
    show(results)


def show(results):
    sizes = list(results)
    names = list(results[sizes[0]])
    print()
    print(f"{'':<28}" + "".join(f"{f'{size:,} enquiries':>30}" for size in sizes))
    print(f"{'(median)':<28}" + f"{'ms':>10}{'queries':>9}{'/ inbox':>11}" * len(sizes))
    for name in names:
        cells = ""
        for size in sizes:
            ms, queries = results[size][name]
            cells += f"{ms:>10.1f}{queries:>9}{ms / results[size][INBOX][0]:>11.2f}"
        print(f"{name:<28}{cells}")
    print()
    counts = [{name: results[size][name][1] for name in names} for size in sizes]
    same = "the same" if all(count == counts[0] for count in counts) else "NOT the same"
    print(f"queries per request: {same} at every size")
    largest = sizes[-1]
    ms = results[largest][REPORT][0]
    print(f"report page at {largest:,}: {ms:.0f} ms (target < {TARGET_MS} ms)")


if __name__ == "__main__":
    main()
