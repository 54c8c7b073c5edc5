"""Benchmark `refmap verify`: time spent extracting and matching against time spent waiting.

500 synthetic article pages (bench_verify's corpus: 60-150 KB of HTML with scripts, styles,
navigation and sidebars, some in Windows-1252, some PDF; three excerpts each: one present,
one reworded, one gone) served by local servers with 100 ms latency on every answer, spread
over 50 hosts (127.0.0.1 to 127.0.0.50: nothing leaves the machine). A claims map cites every
page; verify runs on it as the command does (16 workers, at most 2 per host, no cache).

Prints, from one run:
- reading: extraction and matching, on the calling thread, as pages arrive;
- waiting: the requests' own time summed over all of them (what one worker would wait);
- idle: the wall-clock time the calling thread sat waiting for the next page;
- the baseline measured in the same run: the same fetches with no reading at all, and the
  ratio of verify's wall clock to it.
Asserts nothing: machines are noisy.   python bench/bench_sources.py [--pages 500]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests"), str(ROOT / "bench")]

from bench_verify import make_corpus  # noqa: E402
from httpserver import LocalServer  # noqa: E402
from sourcemaps import write_map  # noqa: E402

import refmap  # noqa: E402
from refmap.net.http import HttpClient  # noqa: E402
from refmap.net.verify import VerifyReport, fetch_page, verify_citations  # noqa: E402


def serve(corpus: list[tuple[bytes, str, list[str]]], hosts: int,
          latency: float) -> tuple[list[LocalServer], list[str]]:
    servers = [LocalServer(host=f"127.0.0.{n + 1}", latency=latency) for n in range(hosts)]
    urls = []
    for i, (body, content_type, _) in enumerate(corpus):
        server = servers[i % hosts]
        server.route(f"/page{i}", body=body, headers={"Content-Type": content_type})
        urls.append(server.url(f"/page{i}"))
    return servers, urls


def timed_verify(map_path: Path, workers: int) -> tuple[float, VerifyReport]:
    project = refmap.load(map_path)
    start = time.perf_counter()
    report = verify_citations(project.cmap, HttpClient(timeout=30.0, allow_private=True), workers=workers)
    return time.perf_counter() - start, report


def timed_fetch_only(urls: list[str], workers: int) -> float:
    client = HttpClient(timeout=30.0, allow_private=True)
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda url: fetch_page(client, url), urls))
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.1)
    parser.add_argument("--workers", type=int, default=16)
    args = parser.parse_args()
    corpus = make_corpus(args.pages)
    servers, urls = serve(corpus, args.hosts, args.latency)
    try:
        with tempfile.TemporaryDirectory() as folder:
            sources = {f"page{i}": {"url": url} for i, url in enumerate(urls)}
            cited = [(f"page{i}", excerpt) for i, (_, _, excerpts) in enumerate(corpus)
                     for excerpt in excerpts]
            map_path = write_map(Path(folder), sources, cited)
            from refmap.net.pages import page_text

            page_text(corpus[0][0], corpus[0][1])  # imports and warm-up, outside the timing
            baseline = timed_fetch_only(urls, args.workers)
            wall, report = timed_verify(map_path, args.workers)
    finally:
        for server in servers:
            server.close()
    n = len(urls)
    counts = ", ".join(f"{n} {s.value}" for s, n in report.counts().items() if n)
    print(f"refmap verify: {n} pages on {args.hosts} hosts, {args.latency * 1000:g} ms latency, "
          f"{args.workers} workers; {len(report.checks)} excerpts: {counts}")
    print(f"  reading (extract + match): {report.reading:7.2f} s  "
          f"({report.reading / n * 1000:.1f} ms/page)")
    print(f"  waiting (requests, summed): {report.fetching:7.2f} s  "
          f"({report.fetching / n * 1000:.1f} ms/page)")
    print(f"  ratio reading / waiting:    {report.reading / report.fetching:7.2f}")
    print(f"  wall clock {wall:.2f} s, of which idle waiting for a page {report.waiting:.2f} s")
    print(f"  baseline, the same fetches without reading: {baseline:.2f} s; "
          f"ratio verify / baseline {wall / baseline:.2f}")


if __name__ == "__main__":
    main()
