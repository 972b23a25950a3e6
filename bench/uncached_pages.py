"""Benchmark: every page type of ours with nothing cached (KIS_PAGES PAGE_CACHE and
FRAGMENT_CACHE off), against the bare Wagtail page (`bench/bare_page/`, a child of the
club's home) measured in the same server run, on PostgreSQL (production settings) and on
SQLite (the embedded default), each under gunicorn with 2 workers on loopback.

For each page type it prints the throughput as a share of the bare page's and the queries
it makes beside the bare page's. Rounds are taken in turn and each page's best round kept,
as in bench/pages.py; each of those rounds lasts at least --round-seconds, sized by a first
pass that does not count (100 requests took 0.3 s on SQLite, so that one burst of other work
on the machine moved a page's figure by a tenth).

    .venv/bin/python -m bench.uncached_pages [--requests 300] [--rounds 3] [--round-seconds 2]
        [--concurrency 4]

Targets: every page type at least 2/3 of the bare page's throughput, at most 2 queries more.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.smtp_sink import free_port

from .harness import HEADER, ROOT, fresh_database, load, request, round_size, site_processes
from .pages import BARE_PAGE, HOST, NOTHING_CACHED
from .serve_production import collect_static_if_stale, loopback_environment, manage, secret_key

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kis_bench_uncached"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/2"
RATIO_TARGET = 2 / 3
QUERIES_TARGET = 2


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per page")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--round-seconds", type=float, default=2.0, help="each round that counts lasts about"
    )
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="emptied first")
    return parser.parse_args()


def figures_in_child(env):
    """Load the demo and the bare page into `env`'s database and count each page type's
    queries, in a child process (Django is set up once per process)."""
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "kis_demo", quiet=True)
    command = [sys.executable, "-m", "bench.uncached_pages", "--count-queries"]
    output = subprocess.run(  # noqa: S603
        command, cwd=ROOT, env={**os.environ, **env}, check=True, capture_output=True, text=True
    ).stdout
    return [line.split("\t") for line in output.strip().splitlines()]


def count_queries():
    """Print name, path and query count of the bare page and one page of each of our types."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Site

    from bench.bare_page.models import BarePage

    club = Site.objects.get(hostname=HOST).root_page
    club.add_child(instance=BarePage(title="Strona Wagtaila", slug=BARE_PAGE.strip("/")))
    pages = {"bare Wagtail page": BARE_PAGE}
    for page in club.get_descendants(inclusive=True).live().not_type(BarePage).specific():
        pages.setdefault(type(page).__name__, page.relative_url(page.get_site()))
    client = Client(HTTP_HOST=HOST)
    with override_settings(KIS_PAGES={"PAGE_CACHE": False, "FRAGMENT_CACHE": False}):
        for name, path in pages.items():
            client.get(path)
            with CaptureQueriesContext(connection) as queries:
                status = client.get(path).status_code
            if status != 200:
                raise RuntimeError(f"{path}: status {status}")
            print(f"{name}\t{path}\t{len(queries)}")


def measure(env, args):
    """Throughput of each page in its best round, with the caches off. A first pass of
    `--requests / --rounds` requests each sizes the rounds that count, so that every kept
    round lasts about `--round-seconds` (a short round is the likelier to be a lucky one)."""
    pages = figures_in_child(env)
    best = {}
    with site_processes({**env, **NOTHING_CACHED.environment()}) as port:
        jobs = {}
        for name, path, _queries in pages:

            def job(path=path):
                return request(port, "GET", path, host=HOST)

            for _warm_up in range(2):
                job()
            jobs[name] = job
        sizing = {
            name: load(
                f"{name} (sizing)", [job] * (args.requests // args.rounds), args.concurrency, 200
            )
            for name, job in jobs.items()
        }
        for _round in range(args.rounds):
            for name, job in jobs.items():
                count = round_size(args.requests // args.rounds, sizing[name], args.round_seconds)
                figures = load(name, [job] * count, args.concurrency, expect=200)
                if name not in best or figures.throughput > best[name].throughput:
                    best[name] = figures
    return pages, best


def report(label, pages, best):
    print(f"\n{label}, nothing cached")
    print(HEADER)
    for figures in best.values():
        print(figures.row())
    bare_rate = best["bare Wagtail page"].throughput
    bare_queries = int(pages[0][2])
    print(f"{'page type':<28} {'/ bare':>7} {'queries':>8} {'bare':>5} {'+':>3}  targets met")
    for name, _path, queries in pages[1:]:
        ratio = best[name].throughput / bare_rate
        above = int(queries) - bare_queries
        met = "yes" if ratio >= RATIO_TARGET and above <= QUERIES_TARGET else "NO"
        print(f"{name:<28} {ratio:7.2f} {queries:>8} {bare_queries:>5} {above:>+3}  {met}")


def main():
    args = parse_args()
    env = loopback_environment(
        args.database_url, args.redis_url, free_port(), free_port(), secret_key()
    )
    env["DJANGO_SETTINGS_MODULE"] = "bench.production_settings"
    fresh_database(args.database_url)
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()
    collect_static_if_stale(env)  # production's templates need the manifest
    results = [("PostgreSQL", *measure(env, args))]

    with tempfile.TemporaryDirectory() as directory:
        sqlite = {
            "DJANGO_SETTINGS_MODULE": "bench.sqlite_settings",
            "DATABASE_URL": f"sqlite:///{Path(directory) / 'bench.sqlite3'}",
            "REDIS_URL": "",
        }
        results.append(("SQLite", *measure({**env, **sqlite}, args)))

    for label, pages, best in results:
        report(label, pages, best)
    print(
        f"\n(best of {args.rounds} rounds of about {args.round_seconds:g} s and at least "
        f"{args.requests // args.rounds} requests, sized by a first pass that does not count; "
        f"{args.concurrency} at a time; {os.cpu_count()} cores "
        "shared by gunicorn, the database and this load generator)"
    )


if __name__ == "__main__":
    if "--count-queries" in sys.argv:
        count_queries()
    else:
        main()
