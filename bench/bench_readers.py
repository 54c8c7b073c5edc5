"""Benchmark the essay readers: anchoring in Markdown against anchoring in plain text.

Prints ratios (lower is better) and the medians behind them; asserts nothing, since machines
are noisy. Run:  python bench/bench_readers.py [--repeat 5]

1. reading + anchoring 10,000 claims in a 1 MB hard-wrapped Markdown essay (emphasis, links,
   a footnote, front matter) / the same in the 1 MB hard-wrapped plain-text essay, in process
                                                                             target <= 1.5
2. `refmap check` on the same two maps, as whole processes                   target <= 1.5
"""

from __future__ import annotations

import argparse
import compileall
import random
import statistics
import sys
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench  # the other benchmark's paths and process timer
from inputs import make_essay, make_map  # the synthetic essay and map

OUT = bench.OUT / "readers"


def marked_up(paragraph: str, rng: random.Random, n: int) -> str:
    """A paragraph with some words emphasised, bold and linked."""
    words = paragraph.split(" ")
    for i in rng.sample(range(len(words) - 1), min(3, len(words) - 1)):
        kind = rng.randrange(3)
        if kind == 0:
            words[i] = f"*{words[i]}*"
        elif kind == 1:
            words[i] = f"**{words[i]}**"
        else:
            words[i] = f"[{words[i]}](https://example.org/{n}/{i})"
    return " ".join(words)


def wrap(paragraphs: list[str]) -> str:
    return "\n\n".join(textwrap.fill(p, 72, break_long_words=False, break_on_hyphens=False)
                       for p in paragraphs) + "\n"


def build(seed: int = 7) -> dict[str, Path]:
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    essay = make_essay(rng, 1_000_000)
    paragraphs = essay.split("\n")
    claims = make_map(essay, random.Random(seed), 10_000, 5_000, 0.0)
    md = [marked_up(p, rng, n) for n, p in enumerate(paragraphs)]
    md[0] += "[^1]"
    forms = {
        "essay.txt": wrap(paragraphs),
        "essay.md": "---\ntitle: A synthetic essay\n---\n\n" + wrap(md) + "\n[^1]: A note.\n",
    }
    paths = {}
    for name, text in forms.items():
        (OUT / name).write_text(text, "utf-8")
        map_path = OUT / f"claims-{name.split('.')[1]}.yaml"
        map_path.write_text(claims.replace("path: essay.txt", f"path: {name}", 1), "utf-8")
        paths[name] = map_path
    return paths


def anchoring_time(map_path: Path, repeat: int) -> float:
    """Median seconds to read the essay and anchor every claim (the map loaded once)."""
    from refmap.essay.anchoring import anchor_claims
    from refmap.essay.text import read_essay
    from refmap.mapfile.schema import load_map

    cmap = load_map(map_path)
    essay_path = map_path.parent / cmap.essay.path
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        essay = read_essay(essay_path, cmap.essay.path)
        anchors = anchor_claims(cmap.claims, essay)
        times.append(time.perf_counter() - start)
        assert all(a.state == "exact" for a in anchors), map_path
    return statistics.median(times)


def timed(cmd: list[str], repeat: int) -> float:
    """Median wall time of a whole process."""
    return statistics.median(bench.run_once(cmd, 600)[0] for _ in range(repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    compileall.compile_dir(bench.ROOT / "refmap", quiet=1)
    paths = build()
    md_map, txt_map = paths["essay.md"], paths["essay.txt"]
    check = [sys.executable, "-m", "refmap", "check", "--no-cache", "--map"]
    rows = [
        ("read + anchor 10k claims: Markdown / plain", anchoring_time(md_map, args.repeat),
         anchoring_time(txt_map, args.repeat)),
        ("refmap check 10k claims: Markdown / plain", timed(check + [str(md_map)], args.repeat),
         timed(check + [str(txt_map)], args.repeat)),
    ]
    print(f"{'measure':46} {'ratio':>6} {'target':>7} {'median s':>18}")
    for label, ours, base in rows:
        ratio = ours / base
        verdict = "ok" if ratio <= 1.5 else "OVER"
        print(f"{label:46} {ratio:6.2f} {'<= 1.5':>7} {ours:8.3f} / {base:7.3f}  {verdict}")


if __name__ == "__main__":
    main()
