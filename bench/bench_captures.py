"""Benchmark captures (issue 18): two ratios, each against a baseline measured in the same run.

1. `refmap capture` of N local pages / `refmap links` over the same URLs (target <= 1.5).
   Both through the library calls the commands make (capture_pages, check_links), with the
   same client settings (--allow-private, since the servers are on loopback addresses) and
   16 workers, against local servers on distinct loopback addresses (127.0.0.1 ...) with a
   fixed latency per answer, run in a process of their own (`--same-process` runs them in
   this one, where their Python work competes for the GIL with capture's reading of pages, as
   no real server does): nothing leaves the machine. Neither reads nor writes the HTTP
   cache: capture never uses it, and links is measured as `refmap links --no-cache` (a
   default run also writes every answer to the cache, which makes links slower and the
   ratio look better). Every capture round's time includes importing trafilatura and
   warcio and trafilatura's first extraction, as the command's does (timed once, before the
   rounds, and added to each).
2. `verify --offline` over the N captured pages / reading the same WARC files with warcio
   alone (target <= 3): verify_citations(offline=True) loads each capture (every record's
   digest and the body's SHA-256 checked) and looks for an excerpt in its text; the baseline
   opens each file and reads every record's content with warcio's ArchiveIterator.

Pages are small news articles (about 4 KB of HTML, a few paragraphs, navigation). Prints
the times and ratios, and each step's CPU time (this process: with `--same-process`, the
local servers included; on a loaded machine CPU time says more than the wall clock about
what a change did); asserts nothing, since machines are noisy.

    python bench/bench_captures.py [--pages 1000] [--hosts 50] [--latency 0.05] [--repeat 5]
                                   [--same-process]

Each round times links, then capture into a folder of its own (a fresh capture, not a
re-capture of stored pages); the ratios are of the medians of the rounds, and each round's
ratio is printed after them, since one round on a shared two-core machine can be 0.3 either
side of the next.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from httpserver import LocalServer  # noqa: E402

from refmap.net.capture import CaptureStore  # noqa: E402
from refmap.net.capturing import CaptureTarget, capture_pages  # noqa: E402
from refmap.net.http import HttpClient  # noqa: E402
from refmap.net.links import LinkState, LinkTarget, check_links  # noqa: E402

HTML = {"Content-Type": "text/html; charset=utf-8"}


def sentence(rng: random.Random, words: list[str]) -> str:
    return " ".join(rng.choice(words) for _ in range(rng.randint(12, 24))).capitalize() + "."


def make_page(rng: random.Random, words: list[str]) -> tuple[bytes, str]:
    """An article page and one sentence of it, the excerpt a citation quotes."""
    paragraphs = [" ".join(sentence(rng, words) for _ in range(3)) for _ in range(6)]
    excerpt = paragraphs[2].split(". ")[1]
    nav = "".join(f'<li><a href="/s{i}">{rng.choice(words)}</a></li>' for i in range(20))
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (f"<!doctype html><html><head><title>{sentence(rng, words)}</title></head><body>"
            f"<nav><ul>{nav}</ul></nav><article><h1>{sentence(rng, words)}</h1>{body}</article>"
            "<footer>Contact us</footer></body></html>")
    return html.encode("utf-8"), excerpt


def serve(pages: int, hosts: int, latency: float) -> None:
    """`--serve`: run the local servers in this process, print their URLs and the excerpts as
    one JSON line, and stop when standard input closes."""
    servers, urls, excerpts = start(pages, hosts, latency)
    print(json.dumps({"urls": urls, "excerpts": excerpts}), flush=True)
    sys.stdin.read()
    for server in servers:
        server.close()


@contextmanager
def servers_apart(pages: int, hosts: int, latency: float) -> Iterator[tuple[list[str], list[str]]]:
    """The local servers in a process of their own: answering 1,000 requests takes Python
    work too, which in this process would compete for the GIL with the reading of pages that
    capture does (and no real server shares refmap's GIL). URLs and excerpts of the pages."""
    child = subprocess.Popen([sys.executable, __file__, "--serve", "--pages", str(pages),
                              "--hosts", str(hosts), "--latency", str(latency)],
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        if not line:
            raise SystemExit("the local servers did not start")
        found = json.loads(line)
        yield found["urls"], found["excerpts"]
    finally:
        assert child.stdin is not None
        child.stdin.close()
        child.wait(timeout=30)


def start(pages: int, hosts: int, latency: float) -> tuple[list[LocalServer], list[str], list[str]]:
    rng = random.Random(18)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9)))
             for _ in range(3000)]
    servers = [LocalServer(host=f"127.0.0.{n + 1}", latency=latency) for n in range(hosts)]
    urls, excerpts = [], []
    for n in range(pages):
        body, excerpt = make_page(rng, words)
        server = servers[n % hosts]
        server.route(f"/p{n}", body=body, headers=HTML)
        urls.append(server.url(f"/p{n}"))
        excerpts.append(excerpt)
    return servers, urls, excerpts


class Clock:
    """Wall-clock and CPU seconds of one step."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu


def time_links(urls: list[str]) -> Clock:
    targets = [LinkTarget(url, f"s{n}", "url") for n, url in enumerate(urls)]
    with Clock() as clock:
        results = check_links(targets, HttpClient(timeout=30.0, allow_private=True), workers=16)
    if {r.state for r in results} != {LinkState.OK}:
        raise SystemExit("links: not every page answered ok")
    return clock


def time_capture(urls: list[str], folder: Path) -> tuple[Clock, list[str]]:
    store = CaptureStore(folder)
    store.prepare()
    targets = [CaptureTarget(f"s{n}", url, None) for n, url in enumerate(urls)]
    with Clock() as clock:
        results = capture_pages(targets, HttpClient(timeout=30.0, allow_private=True), store,
                                workers=16)
    stamps = [r.stamp.value for r in results if r.stamp is not None]
    if len(stamps) != len(urls):
        raise SystemExit("capture: not every page was kept")
    return clock, stamps


def write_map(folder: Path, urls: list[str], stamps: list[str], excerpts: list[str]) -> Path:
    from refmap.mapfile.scalars import double_quoted

    lines = ["version: 1", "essay:", "  path: essay.txt", "sources:"]
    for n, (url, stamp) in enumerate(zip(urls, stamps)):
        lines += [f"  s{n}:", "    type: online", f"    title: Page {n}", f"    url: \"{url}\"",
                  f"    captured: {stamp}"]
    lines += ["claims:", "  - id: c1", "    quote: The quote", "    kind: event", "    citations:"]
    for n, excerpt in enumerate(excerpts):
        lines += [f"      - source: s{n}", f"        excerpt: {double_quoted(excerpt)}"]
    (folder / "essay.txt").write_text("The quote.\n", "utf-8")
    path = folder / "claims.yaml"
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def time_offline_verify(map_path: Path, captures: Path) -> Clock:
    from refmap import load_map
    from refmap.net.verify import VerifyState, verify_citations

    cmap = load_map(map_path)
    with Clock() as clock:
        report = verify_citations(cmap, None, captures=CaptureStore(captures), offline=True)
    if report.counts()[VerifyState.FOUND] != len(report.checks):
        raise SystemExit(f"verify --offline: not every excerpt found: {report.counts()}")
    return clock


def time_warcio(captures: Path) -> Clock:
    from warcio.archiveiterator import ArchiveIterator

    with Clock() as clock:
        for path in sorted(captures.glob("*.warc.gz")):
            with path.open("rb") as handle:
                for record in ArchiveIterator(handle):
                    record.content_stream().read()
    return clock


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--same-process", action="store_true",
                        help="run the local servers in this process, competing for the GIL "
                             "(as this script did before)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="rounds of links then capture (each into a folder of its own), "
                             "then of warcio then verify on each round's captures; the ratios "
                             "printed are of the medians, each round's ratio after them")
    args = parser.parse_args()
    if args.serve:
        serve(args.pages, args.hosts, args.latency)
        return
    with Clock() as first_use:  # what a capture command pays on its first page: every round
        from warcio.warcwriter import WARCWriter  # noqa: F401  (pays it too, as the command)

        from refmap.net.pages import html_main_text

        html_main_text("<html><body><article><p>A first page.</p></article></body></html>")
    links: list[Clock] = []
    captures: list[Clock] = []
    alone: list[Clock] = []
    offline: list[Clock] = []
    with tempfile.TemporaryDirectory() as scratch, ExitStack() as stack:
        folder = Path(scratch)
        if args.same_process:
            servers, urls, excerpts = start(args.pages, args.hosts, args.latency)
            for server in servers:
                stack.callback(server.close)
        else:
            urls, excerpts = stack.enter_context(
                servers_apart(args.pages, args.hosts, args.latency))
        for n in range(args.repeat):
            links.append(time_links(urls))
            clock, stamps = time_capture(urls, folder / f"captures{n}")
            clock.wall += first_use.wall  # importing trafilatura and warcio, as each
            clock.cpu += first_use.cpu  # `refmap capture` does on its first page
            captures.append(clock)
        stack.close()
        map_path = write_map(folder, urls, stamps, excerpts)  # the same pages every round
        for n in range(args.repeat):
            alone.append(time_warcio(folder / f"captures{n}"))
            offline.append(time_offline_verify(map_path, folder / f"captures{n}"))

    def median(clocks: list[Clock], what: str) -> float:
        return statistics.median(getattr(c, what) for c in clocks)

    def each(mine: list[Clock], base: list[Clock]) -> str:
        return ", ".join(f"{m.wall / b.wall:.2f}" for m, b in zip(mine, base))

    print(f"{args.pages} pages on {args.hosts} local hosts, {args.latency * 1000:g} ms latency, "
          f"16 workers, servers {'in this' if args.same_process else 'in another'} process; "
          f"medians of {args.repeat} rounds (seconds: wall clock, CPU; each capture "
          f"with the first use of trafilatura and warcio, {first_use.wall:.2f} s, added)")
    for label, clocks in (("refmap links   (check_links):  ", links),
                          ("refmap capture (capture_pages):", captures)):
        print(f"  {label}                {median(clocks, 'wall'):7.2f} {median(clocks, 'cpu'):7.2f}")
    print(f"  ratio capture / links: {median(captures, 'wall') / median(links, 'wall'):.2f}   "
          f"(target <= 1.5; each round: {each(captures, links)})")
    for label, clocks in (("warcio alone, reading every record:", alone),
                          ("verify --offline (verify_citations offline):", offline)):
        print(f"  {label:46}{median(clocks, 'wall'):7.2f} {median(clocks, 'cpu'):7.2f}")
    print(f"  ratio verify --offline / warcio: "
          f"{median(offline, 'wall') / median(alone, 'wall'):.2f}   "
          f"(target <= 3; each round: {each(offline, alone)})")


if __name__ == "__main__":
    main()
