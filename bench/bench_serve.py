"""Benchmark the review desk (`refmap serve`) against the CLI, measured in the same run.

Prints ratios (lower is better) and the medians behind them; asserts nothing. Run:
    python bench/bench_serve.py [--repeat 5] [--claims 10000]

1. first page: `refmap serve` started as a process until the first page of the 10,000-claim
   synthetic map has arrived / `refmap report` of the same map as a whole process   <= 1.5
2. one edit round trip on the bundled map against a running desk (POST a claim's status, then
   GET the re-rendered essay, counts and findings) / the same kind of change made by the CLI as
   a whole process                                                                    <= 1.0
   The baseline is `refmap cite` (a one-claim write), as `refmap claim set` is not on this
   branch yet; swap it in when it lands.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import inputs  # noqa: E402

REFMAP = [sys.executable, "-m", "refmap"]


def median_time(action: Callable[[], object], repeat: int, before: Callable[[], object] = lambda: None) -> float:
    times = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def start_desk(map_path: Path) -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen([*REFMAP, "serve", "--no-open", "--map", str(map_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                               cwd=ROOT)
    assert process.stdout is not None
    return process, process.stdout.readline().strip()


def fetch(url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> bytes:
    request = urllib.request.Request(url, data=body, headers=headers or {})
    with urllib.request.urlopen(request, timeout=600) as response:
        return bytes(response.read())


def first_page(map_path: Path) -> None:
    process, url = start_desk(map_path)
    try:
        page = fetch(url)
        assert b'id="essay"' in page
    finally:
        process.terminate()
        process.wait()


def report(map_path: Path, out: Path) -> None:
    subprocess.run([*REFMAP, "report", "--map", str(map_path), "-o", str(out)], check=True,
                   stdout=subprocess.DEVNULL, cwd=ROOT)


def show(label: str, target: float, ours: float, base: float) -> None:
    ratio = ours / base
    verdict = "ok" if ratio <= target else "OVER"
    print(f"{label:58} {ratio:6.2f} <= {target}  {ours:7.3f} / {base:7.3f} s  {verdict}", flush=True)


def bench_first_page(folder: Path, claims: int, repeat: int) -> None:
    rng = random.Random(7)
    essay = inputs.make_essay(rng, max(1_000_000, claims * 100))
    text = inputs.make_map(essay, random.Random(7), claims, max(1, claims // 2), 0.0)
    map_path = inputs.write_pair(folder / "synthetic", essay, text)
    ours = median_time(lambda: first_page(map_path), repeat)
    base = median_time(lambda: report(map_path, folder / "report.html"), repeat)
    show(f"serve: first page of {claims:,} claims / report", 1.5, ours, base)


def bench_edit(folder: Path, repeat: int) -> None:
    bundled = folder / "bundled"
    bundled.mkdir()
    for name in ("claims.yaml", "essay.txt"):
        shutil.copy(ROOT / name, bundled / name)
    map_path = bundled / "claims.yaml"
    original = map_path.read_bytes()
    process, url = start_desk(map_path)
    base_url, token = url.split("/?token=")
    try:
        page = fetch(url).decode()
        version = re.search(r'id="live" data-version="([0-9a-f]+)"', page)
        csrf = re.search(r'name="refmap-csrf" content="([^"]+)"', page)
        assert version and csrf
        state = {"version": version.group(1), "status": "unverified"}

        def round_trip() -> None:
            state["status"] = "disputed" if state["status"] == "unverified" else "unverified"
            body = json.dumps({"version": state["version"], "status": state["status"]}).encode()
            answer = json.loads(fetch(f"{base_url}/api/claims/poll-80-percent?token={token}",
                                      body, {"Content-Type": "application/json",
                                             "X-Refmap-CSRF": csrf.group(1), "Origin": base_url}))
            state["version"] = answer["version"]
            assert b'id="essay"' in fetch(f"{base_url}/fragment/live?token={token}")

        round_trip()  # the first write pays for imports the CLI's baseline pays for too
        ours = median_time(round_trip, repeat * 3)
    finally:
        process.terminate()
        process.wait()

    def cite() -> None:
        subprocess.run([*REFMAP, "cite", "poll-80-percent", "dw2018asithappened", "--excerpt",
                        "Trump and Kim met in Singapore.", "--map", str(map_path)], check=True,
                       stdout=subprocess.DEVNULL, cwd=ROOT)

    base = median_time(cite, repeat, before=lambda: map_path.write_bytes(original))
    show("serve: one edit round trip / `refmap cite` (claim set not here)", 1.0, ours, base)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--claims", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench_first_page(Path(tmp), args.claims, args.repeat)
        bench_edit(Path(tmp), args.repeat)


if __name__ == "__main__":
    main()
