"""Benchmark the map editor against loading the map it writes, measured in the same run.

Prints ratios (lower is better) and the medians behind them; asserts nothing, since machines
are noisy. Run:  python bench/bench_edit.py [--repeat 5]

1. 5,000 new sources added to a 10,000-claim map, rendered and validated
   / loading the edited map (schema.load_map)                         target <= 3.0
2. every quote of the 10,000-claim map replaced (as `anchors --fix` would), validated
   / loading the map                                                  target <= 3.0
3. a write of the edited map (atomic_write: temp file, fsync, rename, directory fsync)
   / writing the same bytes with Path.write_bytes                     reported only

An edit composes the map twice (once to find the values, once to validate the result) where a
load composes it once, so about 2x is the floor; splicing and rendering should add little.
Last measured (2 cores, shared machine): 2.2x and 2.6x.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from refmap.mapfile.editor import MapEditor  # noqa: E402
from refmap.fileio import atomic_write  # noqa: E402
from refmap.mapfile.schema import load_map  # noqa: E402


def synthetic_map(claims: int, sources: int) -> str:
    lines = ["# synthetic map", "version: 1", "essay:", "  path: essay.txt", "sources:"]
    for i in range(sources):
        lines += [f"  src{i}:", "    type: online", f'    title: "Synthetic source {i}"',
                  f'    url: "https://example.org/{i}"', "    accessed: 2026-11-25", ""]
    lines.append("claims:")
    for i in range(claims):
        lines += [f"  - id: c{i}", f'    quote: "claim number {i} in the essay"', "    kind: event",
                  "    citations:", f"      - source: src{i % sources}", '        locator: "p. 1"',
                  ""]
    return "\n".join(lines) + "\n"


def median_time(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    repeat = parser.parse_args().repeat
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "claims.yaml"
        path.write_text(synthetic_map(10_000, 5_000), "utf-8")
        (Path(tmp) / "essay.txt").write_text("essay", "utf-8")

        def add_sources() -> str:
            editor = MapEditor(path)
            for i in range(5_000):
                editor.add_source(f"new{i}", {
                    "type": "article", "title": f"New source {i}, imported", "date": "2019",
                    "authors": [{"family": "Kim", "given": "Jiwon"}],
                    "url": f"https://example.org/new/{i}"})
            return editor.validate()

        def replace_quotes() -> str:
            editor = MapEditor(path)
            for i in range(10_000):
                editor.set_claim_field(i, "quote", f"claim number {i}, reworded")
            return editor.validate()

        edited = Path(tmp) / "edited.yaml"
        edited.write_text(add_sources(), "utf-8")
        rows = [
            ("add 5,000 sources", median_time(add_sources, repeat),
             "load the edited map", median_time(lambda: load_map(edited), repeat)),
            ("replace 10,000 quotes", median_time(replace_quotes, repeat),
             "load the map", median_time(lambda: load_map(path), repeat)),
        ]
        data = edited.read_text("utf-8")
        out = Path(tmp) / "out.yaml"
        rows.append(("atomic_write", median_time(lambda: atomic_write(out, data), repeat),
                     "Path.write_bytes", median_time(lambda: out.write_bytes(data.encode()), repeat)))
    for name, measured, base_name, base in rows:
        print(f"{name:24} {measured:8.3f}s / {base_name:22} {base:8.3f}s = {measured / base:5.2f}x")


if __name__ == "__main__":
    main()
