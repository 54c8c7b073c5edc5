"""Benchmark refmap against baselines measured in the same run, as whole processes.

Prints ratios (lower is better) and the medians behind them; asserts nothing, since machines
are noisy. Run:  python bench/bench.py [--repeat 5]

1. `refmap check` on a synthetic map (10,000 claims, 5,000 sources, 1 MB essay)
   / `python -c` loading the same file with yaml.load(..., CSafeLoader)      target <= 1.0
2. `refmap check` on the bundled map / `python -c "import click, yaml"`      target <= 1.2
3. `refmap check` on the synthetic map with 1% of quotes drifted
   / the same check with all quotes exact                                    target <= 3.0
"""

from __future__ import annotations

import argparse
import compileall
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"


def make_essay(rng: random.Random, size: int) -> str:
    vocab = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 9)))
        for _ in range(6000)
    ]
    sentences, length = [], 0
    while length < size:
        words = [rng.choice(vocab) for _ in range(rng.randint(8, 14))]
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words)), f"{rng.randint(2, 99)} percent")
        sentence = " ".join(words).capitalize() + "."
        sentences.append(sentence)
        length += len(sentence) + 1
    paragraphs = [" ".join(sentences[i : i + 8]) for i in range(0, len(sentences), 8)]
    return "\n".join(paragraphs)


def yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def make_map(essay: str, rng: random.Random, claims: int, sources: int, drift: float) -> str:
    sentences = [s.strip() for s in essay.replace("\n", " ").split(".") if len(s.strip()) > 30]
    chosen = rng.sample(sentences, claims)
    lines = ["version: 1", "essay:", "  path: essay.txt", "sources:"]
    for i in range(sources):
        lines += [
            f"  src{i}:", "    type: online", f"    title: Synthetic source number {i}",
            f"    url: https://example.org/sources/{i}", "    date: 2019-06-12",
            "    accessed: 2026-11-25",
        ]
    lines.append("claims:")
    for i, sentence in enumerate(chosen):
        words = sentence.split(" ")
        quote = " ".join(words[:9])
        if rng.random() < drift:  # a word of the quote was edited in the essay since
            j = rng.randrange(2, min(9, len(words)))
            words_q = quote.split(" ")
            words_q[j] = words_q[j][::-1] + "x"
            quote = " ".join(words_q)
        figures = " ".join(w for w in quote.split(" ") if w.isdigit())
        lines += [
            f"  - id: claim-{i}", f"    quote: {yaml_str(quote)}", "    kind: figure",
            "    citations:", f"      - source: src{i % sources}", "        locator: para. 1",
            f"        excerpt: {yaml_str('The source says so ' + figures)}",
        ]
    return "\n".join(lines) + "\n"


def build(seed: int = 7) -> dict[str, Path]:
    OUT.mkdir(exist_ok=True)
    rng = random.Random(seed)
    essay = make_essay(rng, 1_000_000)
    paths = {}
    for name, drift in (("exact", 0.0), ("drift", 0.01)):
        folder = OUT / name
        folder.mkdir(exist_ok=True)
        (folder / "essay.txt").write_text(essay, "utf-8")
        (folder / "claims.yaml").write_text(make_map(essay, random.Random(seed), 10_000, 5_000, drift), "utf-8")
        paths[name] = folder / "claims.yaml"
    return paths


def timed(cmd: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    # Byte-compile refmap as `pip install` does, so that both sides import compiled modules
    # (click and yaml come compiled from site-packages) even where PYTHONDONTWRITEBYTECODE is set.
    compileall.compile_dir(ROOT / "refmap", quiet=1)
    paths = build()
    py = sys.executable
    check = [py, "-m", "refmap", "check", "--map"]
    pairs = [
        ("check 10k-claim map / yaml.load CSafeLoader", 1.0,
         check + [str(paths["exact"])],
         [py, "-c", "import yaml,sys; yaml.load(open(sys.argv[1], encoding='utf-8'), "
                    "Loader=yaml.CSafeLoader)", str(paths["exact"])]),
        ("check bundled map / import click, yaml", 1.2,
         check + [str(ROOT / "claims.yaml")], [py, "-c", "import click, yaml"]),
        ("check with 1% drifted quotes / all exact", 3.0,
         check + [str(paths["drift"])], check + [str(paths["exact"])]),
    ]
    print(f"{'measure':46} {'ratio':>6} {'target':>7} {'median s':>18}")
    for label, target, cmd, baseline in pairs:
        ours, base = timed(cmd, args.repeat), timed(baseline, args.repeat)
        ratio = ours / base
        verdict = "ok" if ratio <= target else "OVER"
        print(f"{label:46} {ratio:6.2f} {'<= ' + str(target):>7} {ours:8.3f} / {base:7.3f}  {verdict}")


if __name__ == "__main__":
    main()
