"""Where an uncached page's work goes: the instructions of each part of one request (valgrind's
callgrind, which counts the same whatever else the machine is doing), for the bare Wagtail
page and each page type of ours, on SQLite with both caches off, as bench.uncached_pages
measures their throughput.

    .venv/bin/python -m bench.page_parts [--requests 5] [PAGE TYPE ...] [--free TEMPLATE ...]

A request is cut where Wagtail finds the Site, routes and renders, and at each
{% club_fragment %}, {% include %} and {% include_block %}. Each part's own instructions are
printed under the parts it lies in, per request, beside the bare page's total. The process
under callgrind dumps its count at every cut (`--dump-before` a C function called only
there). Requests go through Django's test Client. The cuts add about 0.5 M instructions to a
request of 30 parts. Each page type takes about a minute. Needs valgrind.

`--free` takes the {% include %}s of the templates named as drawn in the last warm-up request
and puts that HTML back in the same order in the requests counted: what the page would
count if drawing those parts cost nothing, a bound for any faster way of drawing them.
"""

import argparse
import functools
import os
import subprocess
import sys
import tempfile
import zlib
from collections import Counter
from pathlib import Path

from .harness import ROOT
from .uncached_pages import figures_in_child

ZERO_MARK = "adler32"  # zlib's C functions, which nothing in a request calls
DUMP_MARK = "crc32"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=5, help="counted requests per page")
    parser.add_argument(
        "--free", nargs="+", default=[], metavar="TEMPLATE", help="includes counted as free"
    )
    parser.add_argument("pages", nargs="*", help="page types (default: all)")
    return parser.parse_args()


class Cuts:
    """The parts open at each cut, in order; every cut makes callgrind dump its count."""

    def __init__(self):
        self.open = []
        self.recorded = []
        self.recording = False

    def cut(self):
        if self.recording:
            self.recorded.append(" › ".join(self.open) or "between requests")
        zlib.crc32(b"")

    def run(self, name, function, *args, **kwargs):
        """`function(*args, **kwargs)`, counted as the part `name`."""
        self.cut()
        self.open.append(name)
        try:
            return function(*args, **kwargs)
        finally:
            self.cut()
            self.open.pop()

    def wrap(self, owner, attribute, name):
        """Count `owner.attribute` (a function or method) as the part `name`, or the part
        that `name(*arguments)` names."""
        original = getattr(owner, attribute)

        @functools.wraps(original)
        def counted(*args, **kwargs):
            return self.run(name(*args) if callable(name) else name, original, *args, **kwargs)

        if isinstance(vars(owner).get(attribute), staticmethod):
            counted = staticmethod(counted)
        setattr(owner, attribute, counted)


class FreeIncludes:
    """The includes of `names` as one warm-up request drew them, put back call by call in the
    same order (every request of a page draws the same includes in the same order)."""

    def __init__(self, names):
        self.names = {f'"{name}"' for name in names}
        self.drawn = []
        self.replaying = False
        self.position = 0

    def install(self, include_node, get):
        """Make these includes free from now on: `get()` once, keeping what they draw."""
        draw = include_node.render

        def render(node, context):
            if node.template.token not in self.names:
                return draw(node, context)
            if not self.replaying:
                self.drawn.append(draw(node, context))
                return self.drawn[-1]
            html = self.drawn[self.position % len(self.drawn)]
            self.position += 1
            return html

        include_node.render = render
        get()
        if not self.drawn:
            raise RuntimeError(f"No include of {', '.join(sorted(self.names))} on this page")
        self.replaying = True


def measure_in_child(path, requests, labels_file, free):
    """Under callgrind: warm up, cut the parts, then serve `path` `requests` times."""
    import django

    django.setup()
    from django.template.loader_tags import IncludeNode
    from django.template.response import SimpleTemplateResponse
    from django.test import Client
    from wagtail.models import Page, Site
    from wagtail.templatetags.wagtailcore_tags import IncludeBlockNode

    from kis_pages.fragment_cache import ClubFragmentNode

    from .pages import HOST

    client = Client(HTTP_HOST=HOST)

    def get():
        status = client.get(path).status_code
        if status != 200:
            raise RuntimeError(f"{path}: status {status}")

    for _warm_up in range(2):
        get()
    if free:  # the third warm-up request draws what is then free
        FreeIncludes(free).install(IncludeNode, get)
    else:
        get()
    cuts = Cuts()
    cuts.wrap(Site, "find_for_request", "Wagtail finds the Site")
    cuts.wrap(Page, "route_for_request", "routing")
    cuts.wrap(SimpleTemplateResponse, "render", "rendering")
    cuts.wrap(ClubFragmentNode, "render", lambda node, context: f"fragment {node.name.token}")
    cuts.wrap(IncludeNode, "render", lambda node, context: f"include {node.template.token}")
    cuts.wrap(IncludeBlockNode, "render", "include_block")
    zlib.adler32(b"")
    for number in range(requests):
        cuts.recording = number == 0
        cuts.run("request", get)
    Path(labels_file).write_text("\n".join(cuts.recorded))


def count_parts(env, path, requests, directory, free):
    """{part: instructions per request} of `path`, from one run under callgrind."""
    out = Path(directory) / "callgrind"
    labels = Path(directory) / "labels"
    command = [
        "valgrind",
        "--tool=callgrind",
        f"--zero-before={ZERO_MARK}",
        f"--dump-before={DUMP_MARK}",
        f"--callgrind-out-file={out}",
        sys.executable,
        "-m",
        "bench.page_parts",
        "--measure",
        path,
        str(requests),
        str(labels),
        *free,
    ]  # fmt: skip
    run = subprocess.run(  # noqa: S603
        command, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True
    )
    if run.returncode:
        raise RuntimeError(f"{path} under callgrind failed:\n{run.stderr[-2000:]}")
    names = labels.read_text().split("\n")
    dumps = sorted(Path(directory).glob(f"{out.name}.*"), key=lambda p: int(p.suffix[1:]))
    out.unlink()  # the count after the last cut
    if len(dumps) != requests * len(names):
        raise RuntimeError(f"{path}: {len(dumps)} dumps for {len(names)} cuts a request")
    parts = Counter()
    for number, dump in enumerate(dumps):
        parts[names[number % len(names)]] += _summary(dump)
        dump.unlink()
    return {name: count / requests for name, count in parts.items()}


def _summary(dump):
    with dump.open() as lines:
        return next(int(line.split()[1]) for line in lines if line.startswith("summary:"))


def report(name, parts, bare_total):
    total = sum(parts.values())
    share = f", bare page / this: {bare_total / total:.3f}" if bare_total else ""
    print(f"\n{name}: {total / 1e6:.2f} M instructions a request{share}")
    for part, count in parts.items():  # in the order the first request met them
        if count >= 50_000:
            depth = part.count(" › ")
            print(f"  {count / 1e6:7.2f} M  {'  ' * depth}{part.rsplit(' › ', 1)[-1]}")


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory() as directory:
        env = {
            "DJANGO_SETTINGS_MODULE": "bench.sqlite_settings",
            "DATABASE_URL": f"sqlite:///{Path(directory) / 'bench.sqlite3'}",
            "REDIS_URL": "",
            "PAGE_CACHE": "0",
            "FRAGMENT_CACHE": "0",
        }
        if args.free:
            print(f"Counting as free: {', '.join(args.free)}", flush=True)
        print("Loading the demo into SQLite…", flush=True)
        pages = figures_in_child(env)
        unknown = set(args.pages) - {name for name, _path, _queries in pages}
        if unknown:
            raise SystemExit(f"No such page type in the demo: {', '.join(sorted(unknown))}")
        bare_total = None
        for name, path, _queries in pages:
            if args.pages and name not in args.pages and bare_total is not None:
                continue
            print(f"Counting {name} ({path}) under callgrind…", flush=True)
            free = args.free if bare_total is not None else []  # the bare page as it is
            parts = count_parts(env, path, args.requests, directory, free)
            report(name, parts, bare_total)
            bare_total = bare_total or sum(parts.values())


if __name__ == "__main__":
    if "--measure" in sys.argv:
        path, requests, labels_file, *free = sys.argv[sys.argv.index("--measure") + 1 :]
        measure_in_child(path, int(requests), labels_file, free)
    else:
        main()
