"""Benchmark `links --fix` against hostile servers: each hostile case against a benign run of
the same size, measured in one run, as ratios (target <= 3). Asserts nothing: machines are
noisy.

Every source's url answers 301 from a local server. Benign: the Location is a short ASCII
path. Hostile: a Location of raw UTF-8 bytes, quotes, angle brackets and control characters
near 8 KB (what the header may hold); a host answering 429 with Retry-After 2 for every link
(waits capped by --max-wait 1); a host whose answer drips one byte every 20 ms (cut off by
--timeout 0.5); redirect loops.

    python bench/bench_hostile_net.py [--sources 200]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from click.testing import CliRunner  # noqa: E402
from httpserver import LocalServer  # noqa: E402
from rawserver import RawServer, drip  # noqa: E402
from sourcemaps import write_map  # noqa: E402

from refmap.cli import cli  # noqa: E402

HOSTILE_PATH = ("/caf\xc3\xa9 \"<q>|\x01" * 600)[:8000]


def run_links(urls: list[str]) -> float:
    """Seconds for `refmap links --fix` on a map with one source per URL."""
    with tempfile.TemporaryDirectory() as folder:
        write_map(Path(folder), {f"s{n}": {"url": url} for n, url in enumerate(urls)},
                  [("s0", "x")])
        old = os.getcwd()
        os.chdir(folder)
        try:
            start = time.perf_counter()
            result = CliRunner().invoke(cli, ["links", "--allow-private", "--no-cache", "--fix",
                                              "--timeout", "0.5", "--max-wait", "1"],
                                        catch_exceptions=False)
            elapsed = time.perf_counter() - start
        finally:
            os.chdir(old)
    if result.exit_code not in (0, 1):
        raise SystemExit(f"links failed: {result.stderr}")
    return elapsed


def serve(setup: Callable[[LocalServer, int], str], sources: int) -> tuple[LocalServer, list[str]]:
    server = LocalServer()
    return server, [setup(server, n) for n in range(sources)]


def benign(server: LocalServer, n: int) -> str:
    server.redirect(f"/b{n}", f"/new{n}", 301)
    server.route(f"/new{n}", body=b"ok")
    return server.url(f"/b{n}")


def hostile_location(server: LocalServer, n: int) -> str:
    server.redirect(f"/h{n}", f"/x{n}{HOSTILE_PATH}", 301)
    return server.url(f"/h{n}")


def retry_after(server: LocalServer, n: int) -> str:
    server.route(f"/r{n}", status=429, headers={"Retry-After": "2"})
    return server.url(f"/r{n}")


def loop(server: LocalServer, n: int) -> str:
    server.redirect(f"/l{n}", f"/m{n}", 301)
    server.redirect(f"/m{n}", f"/./l{n}", 301)
    return server.url(f"/l{n}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=200)
    args = parser.parse_args()
    server, urls = serve(benign, args.sources)
    try:
        base = run_links(urls)
    finally:
        server.close()
    print(f"benign: {args.sources} redirects in {base:.2f} s")
    for name, setup in (("hostile Location", hostile_location), ("Retry-After 2 s", retry_after),
                        ("redirect loops", loop)):
        server, urls = serve(setup, args.sources)
        try:
            took = run_links(urls)
        finally:
            server.close()
        print(f"{name}: {took:.2f} s, ratio {took / base:.2f}")
    dripping = RawServer(drip(b"HTTP/1.1 200 OK\r\n", every=0.02))
    try:
        took = run_links([dripping.url(f"/d{n}") for n in range(args.sources)])
    finally:
        dripping.close()
    print(f"dripping headers (--timeout 0.5, 2 per host): {took:.2f} s, ratio {took / base:.2f}")


if __name__ == "__main__":
    main()
