"""Benchmark: our public pages, without and with the page cache, against a static file and a
bare Wagtail page.

The example site runs with production settings under gunicorn (2 workers, and a kis_worker as
in production) on PostgreSQL and Redis, all on loopback; the load comes from this process.
It measures requests per second and p50/p99 of a static file served by WhiteNoise (the
limit), a bare Wagtail page (`bench/bare_page/`, the anchor), the Kędzierzyn-Koźle ClubPage
and its WorkplaceListPage, in three server runs: with nothing cached (PAGE_CACHE=0,
FRAGMENT_CACHE=0); with the page cache off, as a logged-in visitor or a first visit meets
them, so each page is rendered but the parts a club's pages share come from the cache
(kis_pages/fragment_cache.py); and with the page cache on. The requests to each are split
in rounds taken in turn (after the first, a round lasts at least --round-seconds), and each
one's best round is shown.

    .venv/bin/python -m bench.pages [--requests 300] [--rounds 3] [--concurrency 4]

Targets: the uncached ClubPage (the page cache off) at least 2/3 of the bare page's
throughput; cached pages at least half of the static file's.
"""

import argparse
import os
import re
from dataclasses import dataclass

from tests.smtp_sink import free_port

from .harness import HEADER, fresh_database, load, request, round_size, site_processes
from .serve_production import collect_static_if_stale, loopback_environment, manage, secret_key

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kis_bench_pages"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/2"
HOST = "kedzierzyn-kozle.localhost"
BARE_PAGE = "/strona-wagtaila/"
STYLESHEET = re.compile(r'<link rel="stylesheet" href="(/static/[^"]+)"')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300, help="requests per page")
    parser.add_argument("--rounds", type=int, default=3, help="the requests are split in rounds")
    parser.add_argument(
        "--round-seconds", type=float, default=2.0, help="after the first, a round lasts at least"
    )
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument(
        "--redis-url",
        default=DEFAULT_REDIS_URL,
        help="emptied first: give it a database of its own",
    )
    return parser.parse_args()


def prepare_site(env, redis_url):
    """A fresh database with both demo clubs, static files, and a bare page in Koźle's tree."""
    fresh_database(env["DATABASE_URL"])
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    print("Migrating and loading the demo clubs…", flush=True)
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "kis_demo", quiet=True)
    collect_static_if_stale(env)

    import django

    os.environ.update(env)
    django.setup()
    from django.db import connections
    from wagtail.models import Site

    from bench.bare_page.models import BarePage

    club = Site.objects.get(hostname=HOST).root_page
    club.add_child(instance=BarePage(title="Strona Wagtaila", slug=BARE_PAGE.strip("/")))
    connections.close_all()


def pages_to_measure():
    """(name, path) of the pages measured: the anchor, then ours."""
    from kis_pages.models import WorkplaceListPage

    workplaces = WorkplaceListPage.objects.live().get(url_path__contains="kedzierzyn")
    return [
        ("bare Wagtail page", BARE_PAGE),
        ("ClubPage", "/"),
        ("WorkplaceListPage", workplaces.relative_url(workplaces.get_site())),
    ]


def queries_per_page(pages, fragments):
    """How many queries each page makes when rendered (a second time, as a warm server does)."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST=HOST)
    counts = {}
    options = {"PAGE_CACHE": False, "FRAGMENT_CACHE": fragments}
    with override_settings(KIS_PAGES=options):
        for name, path in pages:
            client.get(path)
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path)
            if response.status_code != 200:
                raise RuntimeError(f"{path}: status {response.status_code}")
            counts[name] = len(queries)
    return counts


def phases(port, pages, static_path, mode, args):
    """Load each page (and the static file) in turn, round after round; keep each one's best
    round, so a burst of other work on the machine spoils one round, not the figure."""
    targets = [("static file", static_path), *pages]
    for name, path in targets:
        for _warm_up in range(2):  # the first visit keeps the page, the second must hit
            response = request(port, "GET", path, host=HOST)
        expected = "hit" if mode.page_cache else None
        if name != "static file" and response.headers.get("X-Cache") != expected:
            raise RuntimeError(f"{path}: X-Cache {response.headers.get('X-Cache')} ({mode.label})")
    best = {}
    for _round in range(args.rounds):
        for name, path in targets:

            def job(path=path):
                return request(port, "GET", path, host=HOST)

            label = name if name == "static file" else f"{name} ({mode.label})"
            count = round_size(args.requests // args.rounds, best.get(name), args.round_seconds)
            figures = load(label, [job] * count, args.concurrency, expect=200)
            if name not in best or figures.throughput > best[name].throughput:
                best[name] = figures
    return best


@dataclass
class Mode:
    """One server run: which caches are on."""

    label: str
    page_cache: bool
    fragment_cache: bool

    def environment(self):
        return {
            "PAGE_CACHE": "1" if self.page_cache else "0",
            "FRAGMENT_CACHE": "1" if self.fragment_cache else "0",
        }


NOTHING_CACHED = Mode("no cache", page_cache=False, fragment_cache=False)
PAGE_CACHE_OFF = Mode("page cache off", page_cache=False, fragment_cache=True)
PAGE_CACHE_ON = Mode("page cache on", page_cache=True, fragment_cache=True)


def main():
    args = parse_args()
    env = loopback_environment(
        args.database_url, args.redis_url, free_port(), free_port(), secret_key()
    )
    env["DJANGO_SETTINGS_MODULE"] = "bench.production_settings"
    prepare_site({**env, **NOTHING_CACHED.environment()}, args.redis_url)
    pages = pages_to_measure()
    queries = {
        mode.label: queries_per_page(pages, mode.fragment_cache)
        for mode in (NOTHING_CACHED, PAGE_CACHE_OFF)
    }

    results = {}
    for mode in (NOTHING_CACHED, PAGE_CACHE_OFF, PAGE_CACHE_ON):
        print(f"Starting gunicorn (2 workers) and a kis_worker: {mode.label}.", flush=True)
        with site_processes({**env, **mode.environment()}) as port:
            home = request(port, "GET", "/", host=HOST).body
            static_path = STYLESHEET.search(home).group(1)
            results[mode.label] = phases(port, pages, static_path, mode, args)

    print()
    print(HEADER)
    for figures_by_page in results.values():
        for figures in figures_by_page.values():
            print(figures.row())
    print()
    for label, counts in queries.items():
        print(f"queries per page, {label}: " + ", ".join(f"{n} {q}" for n, q in counts.items()))

    def throughput(mode, page):
        return results[mode.label][page].throughput

    static = throughput(PAGE_CACHE_ON, "static file")
    ratios = [
        ("ClubPage / bare Wagtail page, page cache off", PAGE_CACHE_OFF, "ClubPage", "≥ 0.67"),
        (
            "WorkplaceListPage / bare Wagtail page, page cache off",
            PAGE_CACHE_OFF,
            "WorkplaceListPage",
            "",
        ),
        ("ClubPage / bare Wagtail page, no cache", NOTHING_CACHED, "ClubPage", ""),
        (
            "WorkplaceListPage / bare Wagtail page, no cache",
            NOTHING_CACHED,
            "WorkplaceListPage",
            "",
        ),
    ]
    for label, mode, page, target in ratios:
        ratio = throughput(mode, page) / throughput(mode, "bare Wagtail page")
        print(f"{label:<56} {ratio:6.2f}  {f'(target {target})' if target else ''}")
    for page in ("ClubPage", "WorkplaceListPage"):
        ratio = throughput(PAGE_CACHE_ON, page) / static
        print(f"{f'{page}, page cache on / static file':<56} {ratio:6.2f}  (target ≥ 0.5)")
    ratio = throughput(PAGE_CACHE_ON, "ClubPage") / throughput(PAGE_CACHE_OFF, "ClubPage")
    print(f"{'ClubPage, page cache on / off':<56} {ratio:6.2f}")
    print(
        f"(best of {args.rounds} rounds of {args.requests // args.rounds} requests or "
        f"{args.round_seconds:g} s; "
        f"{os.cpu_count()} cores shared by gunicorn, PostgreSQL, Redis and this load generator)"
    )


if __name__ == "__main__":
    main()
