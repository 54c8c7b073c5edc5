"""Benchmark link checking: the worker pool against a single worker, measured in one run.

Every answer comes from a local server with 100 ms latency; 1,000 URLs spread over 100
hosts, each host a server of its own on a distinct loopback address (127.0.0.1 to
127.0.0.100: nothing leaves the machine). Prints the ratio (target <= 0.10) and the times
behind it; asserts nothing, since machines are noisy.

    python bench/bench_links.py [--urls 1000] [--hosts 100] [--latency 0.1]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from httpserver import LocalServer  # noqa: E402

from refmap.net.http import HttpClient  # noqa: E402
from refmap.net.links import LinkState, LinkTarget, check_links  # noqa: E402


def start_servers(hosts: int, latency: float) -> list[LocalServer]:
    servers = [LocalServer(host=f"127.0.0.{n + 1}", latency=latency) for n in range(hosts)]
    for server in servers:
        server.route("/", body=b"<p>page</p>", headers={"Content-Type": "text/html"})
    return servers


def targets_for(servers: list[LocalServer], urls: int) -> list[LinkTarget]:
    return [LinkTarget(servers[n % len(servers)].url(f"/?page={n}"), f"source{n}", "url")
            for n in range(urls)]


def timed_check(targets: list[LinkTarget], workers: int) -> float:
    client = HttpClient(timeout=10.0, allow_private=True)
    start = time.perf_counter()
    results = check_links(targets, client, workers=workers)
    elapsed = time.perf_counter() - start
    states = {r.state for r in results}
    if states != {LinkState.OK}:
        raise SystemExit(f"unexpected states: {sorted(states)}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.1)
    args = parser.parse_args()
    servers = start_servers(args.hosts, args.latency)
    try:
        targets = targets_for(servers, args.urls)
        pooled = timed_check(targets, workers=16)
        single = timed_check(targets, workers=1)
    finally:
        for server in servers:
            server.close()
    print(f"check_links, {args.urls} URLs on {args.hosts} hosts, {args.latency * 1000:g} ms latency")
    print(f"  default pool (16 workers, 2 per host): {pooled:7.2f} s")
    print(f"  one worker:                            {single:7.2f} s")
    print(f"  ratio pool / one worker: {pooled / single:.3f}   (target <= 0.10)")


if __name__ == "__main__":
    main()
