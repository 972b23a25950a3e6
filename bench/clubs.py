"""Benchmark: one install with many clubs, beside the same install with two.

In one process on PostgreSQL with Redis as the cache (production settings, through Django's
test Client), it loads the two demo clubs, each with a moderator group and 1,000 enquiries
(bulk inserted), and a regional group that reads every club's enquiries, and keeps that
database as a template (`<name>_2clubs`); then it adds copies of the demo clubs' tree up to
`--clubs` (each its own Site, moderator group and 1,000 enquiries) and keeps that one too
(`<name>_<N>clubs`). It measures copies of both side by side, request by request in turns
(in alternating order), each with its own cache keys, so a change in the machine's load
during the run weighs on both alike. Figures: median ms of `--repeat` requests after a
warm-up, and the most queries of one request.

    .venv/bin/python -m bench.clubs [--clubs 300] [--repeat 15] [--reuse]

With `--reuse` the templates are kept after the run and a later run copies them instead of
building again, then migrates the copies (so a new migration is measured as it would run on
a live install) and settles them as a fresh build does; without it they are dropped.

Targets: every figure with many clubs within 1.25 times its figure with two, the same
queries at both, and a publish in one club leaving every other club's cached page in place.

The explorer's root lists the clubs' homes: 2 rows with two clubs, a page of 50 with many.
Beside that figure it prints the root with 50 clubs against many (a third install, kept as
`<name>_50clubs`, measured in the same turns on that figure only): the same full page of
rows at both, so what grows there is what grows with the number of Sites.
"""

import argparse
import copy
import io
import itertools
import os
import random
import statistics
import time
import urllib.parse

from tests.smtp_sink import free_port

from .harness import fresh_database, maintenance_connection
from .inbox import counting_queries, insert_enquiries
from .serve_production import collect_static_if_stale, loopback_environment, secret_key

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/kis_bench_clubs"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/5"
ENQUIRIES_PER_CLUB = 1_000
COPY_BATCH = 25  # clubs whose enquiries are copied in one statement
UNCACHED = {"PAGE_CACHE": False, "FRAGMENT_CACHE": False}
EXPLORER_ROOT = "page explorer (root)"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clubs", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS_URL, help="emptied by the run")
    parser.add_argument(
        "--reuse", action="store_true", help="keep the built clubs as templates and clone them"
    )
    return parser.parse_args()


def suffixed(url, suffix):
    """The URL of a database named after the one of `url`."""
    parsed = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parsed._replace(path=f"{parsed.path}_{suffix}"))


def template_url(url, clubs):
    """The URL of the kept copy of the database built with `clubs` clubs."""
    return suffixed(url, f"{clubs}clubs")


def database_exists(url):
    with maintenance_connection(url) as (connection, name):
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return found.fetchone() is not None


def copy_database(source, target):
    """Replace the database of `target` by a copy of `source`'s (Django's connection closed)."""
    from django.db import connection

    connection.close()
    with maintenance_connection(target) as (maintenance, name):
        source_name = urllib.parse.urlsplit(source).path.lstrip("/")
        maintenance.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        maintenance.execute(f'CREATE DATABASE "{name}" TEMPLATE "{source_name}" STRATEGY FILE_COPY')


def use_database(url):
    """Point Django's connection at the database of `url`, and the cache at its own keys."""
    from django.core.cache import caches
    from django.db import connection

    name = urllib.parse.urlsplit(url).path.lstrip("/")
    if connection.settings_dict["NAME"] != name:
        connection.close()
        connection.settings_dict["NAME"] = name
    caches["default"].key_prefix = f"kis-bench:{name}"


def restore(source, target):
    """A copy of `source` at `target`, migrated to this code and settled."""
    from django.core.management import call_command

    copy_database(source, target)
    use_database(target)
    call_command("migrate", verbosity=0)
    settle()


def drop_database(url):
    with maintenance_connection(url) as (maintenance, name):
        maintenance.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def full_page():
    """How many rows the page explorer lists per page: with this many clubs its root is a full
    page, as with more."""
    from wagtail.admin.views.pages.listing import ExplorableIndexView

    return ExplorableIndexView.paginate_by


def sizes(args):
    """The installs' numbers of clubs: two, a full explorer page (if between), `--clubs`."""
    page = full_page()
    return [2, *([page] if 2 < page < args.clubs else []), args.clubs]


def setup(args):
    """Configure Django for the benchmark and the database of `args`; whether the kept
    databases of every size in `sizes(args)` are there to reuse (if asked), else the demo
    clubs loaded to build from."""
    env = loopback_environment(
        args.database_url, args.redis_url, free_port(), free_port(), secret_key()
    )
    os.environ.update(env, DJANGO_SETTINGS_MODULE="bench.production_settings")
    fresh_database(args.database_url)
    collect_static_if_stale({**env, "DJANGO_SETTINGS_MODULE": "bench.production_settings"})
    import django

    django.setup()
    import redis
    from django.core.management import call_command

    redis.Redis.from_url(args.redis_url).flushdb()
    if args.reuse and all(database_exists(template_url(args.database_url, n)) for n in sizes(args)):
        return True
    print("Migrating and loading the demo clubs…", flush=True)
    call_command("migrate", verbosity=0)
    call_command("kis_demo", stdout=io.StringIO())
    return False


def moderator_of(site):
    """A moderator group for the club, granted handling its enquiries, and one moderator."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission

    from kis_forms.permissions import HANDLE, grant

    group = Group.objects.create(name=f"Moderatorzy – {site.hostname}")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    grant(group, site.root_page, HANDLE)
    moderator = get_user_model().objects.create_user(f"moderator-{site.hostname}")
    moderator.groups.add(group)
    return moderator


def enquiry_form(site):
    from kis_forms.models import EnquiryFormPage

    return EnquiryFormPage.objects.descendant_of(site.root_page).get()


def moderate(site, rng):
    """A moderator group for the club, one moderator, and the club's 1,000 enquiries."""
    moderator = moderator_of(site)
    insert_enquiries(enquiry_form(site), ENQUIRIES_PER_CLUB, rng, moderator)
    return moderator


def copy_enquiries(copies):
    """Copy the enquiries (and their notifications) of a demo club's form to each new club's,
    in one statement: `copies` holds (demo form, new form, its worker, its moderator) ids.

    As inserted from Python, row by row, they took about a second per club. The copies go to
    their club's own worker and moderator and get references from their own ids, as
    `bench.inbox.backdate` gives them.
    """
    from django.conf import settings
    from django.db import connection

    from kis_forms.models import EnquirySubmission, Notification

    enquiries, notifications = (model._meta.db_table for model in (EnquirySubmission, Notification))
    own = {"id", "page_id", "worker_id", "assignee_id", "reference", "form_token"}
    copied = [f.column for f in EnquirySubmission._meta.concrete_fields if f.column not in own]
    sent = [
        f.column
        for f in Notification._meta.concrete_fields
        if f.column not in {"id", "submission_id"}
    ]
    sql = f"""
        WITH target AS (
            SELECT * FROM unnest(%s::int[], %s::int[], %s::int[], %s::int[])
                AS t(demo_form, form, worker, moderator)
        ), source AS (
            SELECT e.*, t.form AS new_form, t.worker AS new_worker, t.moderator AS new_moderator,
                nextval(pg_get_serial_sequence('{enquiries}', 'id')) AS new_id
            FROM {enquiries} e JOIN target t ON e.page_id = t.demo_form
        ), copies AS (
            INSERT INTO {enquiries}
                (id, page_id, worker_id, assignee_id, reference, form_token, {", ".join(copied)})
            SELECT new_id, new_form, new_worker,
                CASE WHEN assignee_id IS NULL THEN NULL ELSE new_moderator END,
                'KIS-' || to_char(submit_time AT TIME ZONE %s, 'YYYY') || '-'
                    || lpad(new_id::text, greatest(6, length(new_id::text)), '0'),
                NULL, {", ".join(copied)}
            FROM source
        )
        INSERT INTO {notifications} (submission_id, {", ".join(sent)})
        SELECT source.new_id, {", ".join(f"n.{column}" for column in sent)}
        FROM source JOIN {notifications} n ON n.submission_id = source.id
    """  # noqa: S608 (table and column names from the models)
    with connection.cursor() as cursor:
        cursor.execute(
            sql, [*(list(column) for column in zip(*copies, strict=True)), settings.TIME_ZONE]
        )


def add_clubs(count, start, regional):
    """`count` more clubs, copies of the demo clubs under their own names and hosts, each
    with a moderator and a copy of its demo club's enquiries."""
    from wagtail.models import Site

    from kis_forms.permissions import VIEW, grant
    from kis_site.demo.loader import DemoLoader, read_clubs

    seeds = read_clubs()
    demo_forms = [
        enquiry_form(Site.objects.get(hostname=seed["site"]["hostname"])) for seed in seeds
    ]
    loader = DemoLoader(lambda kind, name: None)
    copies = []
    started = time.perf_counter()
    for number in range(start, start + count):
        data = copy.deepcopy(seeds[number % len(seeds)])
        data["club"]["title"] = f"{data['club']['title']} ({number})"
        data["club"]["slug"] = f"klub-{number}"
        data["site"].update(
            hostname=f"klub-{number}.localhost", site_name=f"Klub {number}", is_default_site=False
        )
        site = loader.load_club(data)
        form = enquiry_form(site)
        moderator = moderator_of(site)
        copies.append(
            (demo_forms[number % len(seeds)].pk, form.pk, form.default_worker_id, moderator.pk)
        )
        grant(regional, site.root_page, VIEW)
        if len(copies) == COPY_BATCH or number == start + count - 1:
            copy_enquiries(copies)
            copies = []
            elapsed = time.perf_counter() - started
            print(
                f"  {number + 1} clubs, {ENQUIRIES_PER_CLUB:,} enquiries each ({elapsed:.0f} s)",
                flush=True,
            )


def settle():
    """VACUUM ANALYZE, as autovacuum would soon after a bulk load: plans then count with the
    rows there are (not estimates from empty tables) and index-only scans can skip the heap."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def timed_request(client, path, host="localhost", **settings):
    """A function making one request: its ms and queries (an error unless it answers 200)."""
    from django.test import override_settings

    def request():
        with override_settings(**settings), counting_queries() as counted:
            started = time.perf_counter()
            response = client.get(path, HTTP_HOST=host)
            elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise RuntimeError(f"{host}{path}: {response.status_code}")
        return elapsed * 1000, counted[0]

    return request


def fresh(site):
    """The Site's home as the database has it now."""
    from wagtail.models import Page

    return Page.objects.get(pk=site.root_page_id).specific


def outdating(sites, repeat):
    """Publish the first club's home `repeat` times after two: the median ms and most queries
    of one publish, and whether every other club's cached home stayed cached (served with no
    more queries than before) while its own did not."""
    from django.test import Client

    anonymous = Client()
    cached = {}
    for site in sites:
        anonymous.get("/", HTTP_HOST=site.hostname)  # fills the page cache
        with counting_queries() as counted:
            anonymous.get("/", HTTP_HOST=site.hostname)
        cached[site.hostname] = counted[0]
    for _round in range(2):  # to warm up, as `timed` does: the home has a live revision now
        fresh(sites[0]).save_revision().publish()
    times, queries = [], 0
    for _round in range(repeat):
        club = fresh(sites[0])  # as the editor's request reads it, published revision and all
        with counting_queries() as counted:
            started = time.perf_counter()
            club.save_revision().publish()
            times.append(time.perf_counter() - started)
        queries = max(queries, counted[0])
    kept = 0
    for site in sites:
        with counting_queries() as counted:
            anonymous.get("/", HTTP_HOST=site.hostname)
        kept += site != sites[0] and counted[0] <= cached[site.hostname]
        if site == sites[0] and counted[0] <= cached[site.hostname]:
            print("  the published club's page was not outdated")
    return statistics.median(times) * 1000, queries, kept, len(sites) - 1


def requests_of(users):
    """The measured requests of one install, by figure."""
    from django.test import Client
    from django.urls import reverse
    from wagtail.models import Site

    moderator, regional, superuser = users
    first = Site.objects.order_by("pk").first()
    home = first.hostname
    clients = {}
    for user in users:
        clients[user] = Client()
        clients[user].force_login(user)
    inbox = reverse("enquiries:index")
    group = reverse("wagtailusers_groups:edit", args=[regional.groups.get().pk])
    return {
        "ClubPage, nothing cached": timed_request(Client(), "/", home, KIS_PAGES=UNCACHED),
        "ClubPage, cached": timed_request(Client(), "/", home),
        "inbox, a club's moderator": timed_request(clients[moderator], inbox),
        "inbox, the regional admin": timed_request(clients[regional], inbox),
        "admin dashboard, regional admin": timed_request(
            clients[regional], reverse("wagtailadmin_home")
        ),
        "Groups › edit, regional group": timed_request(clients[superuser], group),
        # The root lists every club: 2 rows against a page of 50, Wagtail's own per-row work.
        EXPLORER_ROOT: timed_request(clients[superuser], reverse("wagtailadmin_explore_root")),
        # A club's own pages: the same rows at both sizes.
        "page explorer (a club)": timed_request(
            clients[superuser], reverse("wagtailadmin_explore", args=[first.root_page_id])
        ),
    }


def measure(urls, repeat, only=None):
    """Per install (clubs: database URL): median ms and most queries of each figure, and how
    many other clubs' cached pages a publish left in place. The installs take turns request
    by request, in alternating order, after one warm-up request each. `only` ({clubs:
    figures}) names installs measured on those figures alone, without the publish."""
    from django.db import connection
    from wagtail.models import Site

    only = only or {}
    plans = {}
    for clubs, url in urls.items():
        use_database(url)
        plans[clubs] = requests_of(users())
        if clubs in only:
            plans[clubs] = {name: plans[clubs][name] for name in only[clubs]}
        for request in plans[clubs].values():
            request()
    samples = {clubs: {name: [] for name in plan} for clubs, plan in plans.items()}
    for round_number in range(repeat):
        order = list(urls) if round_number % 2 == 0 else list(reversed(urls))
        for clubs in order:
            use_database(urls[clubs])
            connection.ensure_connection()  # untimed, after a switch
            for name, request in plans[clubs].items():
                samples[clubs][name].append(request())
    results = {}
    for clubs, url in urls.items():
        figures = {
            name: (statistics.median(ms for ms, _q in taken), max(q for _ms, q in taken))
            for name, taken in samples[clubs].items()
        }
        if clubs in only:
            results[clubs] = (figures, None)
            continue
        use_database(url)
        ms, queries, kept, others = outdating(list(Site.objects.order_by("pk")), repeat)
        figures["publish, outdating one club"] = (ms, queries)
        results[clubs] = (figures, (kept, others))
    return results


def users():
    """The first club's moderator, the regional admin and the superuser."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    moderator = User.objects.filter(username__startswith="moderator-").order_by("pk").first()
    return moderator, User.objects.get(username="regional"), User.objects.get(username="admin")


def build_two(rng):
    """The demo clubs, each with its moderator and enquiries, and the regional admin."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Site

    from kis_forms.permissions import VIEW, grant

    User = get_user_model()
    regional_group = Group.objects.create(name="Administratorzy regionalni")
    regional_group.permissions.add(Permission.objects.get(codename="access_admin"))
    regional = User.objects.create_user("regional")
    regional.groups.add(regional_group)
    User.objects.create_superuser("admin", "admin@example.org", "x")
    for site in Site.objects.order_by("pk"):  # each demo club with its moderator and enquiries
        moderate(site, rng)
        grant(regional_group, site.root_page, VIEW)
    settle()


def main():
    import redis

    args = parse_args()
    reused = setup(args)
    rng = random.Random(20250101)  # noqa: S311 (the same rows on every run)
    built_sizes = sizes(args)
    templates = {clubs: template_url(args.database_url, clubs) for clubs in built_sizes}
    if reused:
        print("Reusing the kept databases…", flush=True)
    else:
        build_two(rng)
        copy_database(args.database_url, templates[2])
        print(f"Adding clubs up to {args.clubs}…", flush=True)
        started = time.perf_counter()
        use_database(args.database_url)
        for built, clubs in itertools.pairwise(built_sizes):
            add_clubs(clubs - built, built, users()[1].groups.get())
            copy_database(args.database_url, templates[clubs])
            use_database(args.database_url)
        print(f"  built in {time.perf_counter() - started:.0f} s", flush=True)
    urls = {2: args.database_url, args.clubs: suffixed(args.database_url, "many")}
    only = {}
    for page in built_sizes[1:-1]:
        urls[page] = suffixed(args.database_url, "page")
        only[page] = [EXPLORER_ROOT]
    print(f"Copying, migrating and settling {len(urls)} installs…", flush=True)
    for clubs, url in urls.items():
        restore(templates[clubs], url)
    redis.Redis.from_url(args.redis_url).flushdb()
    print(f"Measuring {', '.join(map(str, sorted(urls)))} clubs in turns…", flush=True)
    results = measure(urls, args.repeat, only)
    if not args.reuse:
        from django.db import connection

        connection.close()
        for url in templates.values():
            drop_database(url)
    report(results)


def report(results):
    few, *page, many = sorted(results)
    (first, _kept), (last, (kept, others)) = results[few], results[many]
    print()
    print(
        f"{'figure':<36}{f'{few} clubs ms':>14}{'queries':>9}"
        f"{f'{many} clubs ms':>16}{'queries':>9}{'ratio':>8}"
    )
    for name, (ms, queries) in first.items():
        ms_many, queries_many = last[name]
        flag = "" if ms_many / ms <= 1.25 and queries == queries_many else "  MISSED"
        print(
            f"{name:<36}{ms:>14.1f}{queries if queries is not None else '':>9}{ms_many:>16.1f}"
            f"{queries_many if queries_many is not None else '':>9}{ms_many / ms:>8.2f}{flag}"
        )
    if page:
        ms, queries = results[page[0]][0][EXPLORER_ROOT]
        ms_many, queries_many = last[EXPLORER_ROOT]
        flag = "" if ms_many / ms <= 1.25 and queries == queries_many else "  MISSED"
        print()
        print(f"{EXPLORER_ROOT}, a full page of {full_page()} rows at both (beside the above):")
        print(
            f"{f'{page[0]} clubs → {many} clubs':<36}{ms:>14.1f}{queries:>9}{ms_many:>16.1f}"
            f"{queries_many:>9}{ms_many / ms:>8.2f}{flag}"
        )
    print()
    print(f"after a publish in one club, {kept} of {others} other clubs' cached pages in place")
    print("targets: every ratio ≤ 1.25, the same queries at both counts, all pages in place")


if __name__ == "__main__":
    main()
