"""Benchmark reading a large .bib through refmap's importer, against bibtexparser alone.

Prints ratios (lower is better) and the medians behind them, measured in one run on the same
generated file; asserts nothing, since machines are noisy. Run:
    python bench/bench_import.py [--entries 5000] [--repeat 5]

1. refmap.references.importers.read_references on a generated 5,000-entry .bib
   / bibtexparser.parse_file of the same file                   target <= 2.0 (the whole
   `refmap import` command, of which this is the reading part)
2. for scale: bibtexparser.parse_file with its LatexDecodingMiddleware on every value
   / bibtexparser.parse_file                                    (what decoding every value
   with pylatexenc would cost; the importer's fast path exists because of it)
3. the whole command, each a fresh process: `refmap import` of the same file into a copy of
   the bundled map (read, check and deduplicate the records, choose keys, render, write)
   / `python -c "bibtexparser.parse_file(...)"`                   target <= 2.0

The file mixes the two shapes real libraries have: Better BibTeX's BibLaTeX (UTF-8, ISO
dates, doubled braces) and JabRef's BibTeX (LaTeX accents, @string macros, month macros,
crossref to proceedings).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"
sys.path.insert(0, str(ROOT))

FAMILIES = ["Kim", "Lee", "Park", "Müller", "Ngô", "Østergaard", "Çelik", "Smith", "최", "García"]
LATEX_FAMILIES = ["M{\\\"u}ller", "Ng{\\^o}", "{\\O}stergaard", "{\\c{C}}elik", "Garc{\\'\\i}a",
                  "Smith", "Kim"]
LATEX_GIVENS = ["J.", "Min-ji", "S{\\o}ren", "Ay{\\c{s}}e"]
GIVENS = ["Min-ji", "Jörg", "Ayşe", "Søren", "Jan", "Thị Lan", "은영", "Ana"]
MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]


def words(rng: random.Random, vocab: list[str], n: int) -> str:
    return " ".join(rng.choice(vocab) for _ in range(n))


def better_bibtex_entry(i: int, rng: random.Random, vocab: list[str]) -> str:
    authors = " and ".join(f"{rng.choice(FAMILIES)}, {rng.choice(GIVENS)}"
                           for _ in range(rng.randint(1, 4)))
    if rng.random() < 0.1:
        authors += " and {World Health Organization}"
    title = words(rng, vocab, rng.randint(4, 12)).capitalize()
    if rng.random() < 0.3:
        title += " {{NATO}} and the {{Korean Peninsula}}, 2016–2019"
    return (
        f"@article{{bbt{i},\n  title = {{{title}}},\n  author = {{{authors}}},\n"
        f"  date = {{{rng.randint(1990, 2025)}-{rng.randint(1, 12):02d}}},\n"
        f"  journaltitle = {{Journal of {words(rng, vocab, 2).title()}}},\n"
        f"  volume = {{{rng.randint(1, 80)}}},\n  number = {{{rng.randint(1, 12)}}},\n"
        f"  pages = {{{(p := rng.randint(1, 900))}--{p + rng.randint(5, 40)}}},\n"
        f"  doi = {{10.5555/bench.{i}}},\n  url = {{https://example.org/articles/{i}}},\n"
        f"  urldate = {{2026-11-25}},\n  langid = {{english}},\n"
        f"  keywords = {{{words(rng, vocab, 3).replace(' ', ',')}}}\n}}\n"
    )


def jabref_entry(i: int, rng: random.Random, vocab: list[str]) -> str:
    authors = " and ".join(f"{rng.choice(LATEX_FAMILIES)}, {rng.choice(LATEX_GIVENS)}"
                           for _ in range(rng.randint(1, 3)))
    title = words(rng, vocab, rng.randint(4, 10)).capitalize()
    if rng.random() < 0.5:
        title = f"{{{title.split()[0]}}} {title} -- a {{Reassessment}}"
    if rng.random() < 0.3:
        return (f"@InProceedings{{jr{i},\n  author = {{{authors}}},\n  title = {{{title}}},\n"
                f"  crossref = {{proc{i % 50}}},\n"
                f"  pages = {{{rng.randint(1, 300)}--{rng.randint(301, 400)}}},\n}}\n")
    return (
        f"@Article{{jr{i},\n  author    = {{{authors}}},\n  title     = {{{title}}},\n"
        f"  journal   = jes,\n  year      = {{{rng.randint(1990, 2025)}}},\n"
        f"  month     = {rng.choice(MONTHS)},\n  volume    = {{{rng.randint(1, 80)}}},\n"
        f"  pages     = {{{rng.randint(1, 400)}--{rng.randint(401, 500)}}},\n}}\n"
    )


def make_bib(entries: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    vocab = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 10)))
             for _ in range(5000)]
    parts = ["% Encoding: UTF-8\n", "@String{jes = {Journal of Example Studies}}\n"]
    parts += [f"@Proceedings{{proc{j},\n"
              f"  title = {{Proceedings of the {{Example}} Convention {j}}},\n"
              f"  year = {{{2000 + j % 25}}},\n  publisher = {{Example Press}},\n}}\n"
              for j in range(50)]
    for i in range(entries - 50):
        maker = better_bibtex_entry if rng.random() < 0.6 else jabref_entry
        parts.append(maker(i, rng, vocab))
    return "\n".join(parts)


def seconds(run: Callable[[], object]) -> float:
    start = time.perf_counter()
    run()
    return time.perf_counter() - start


def medians(baseline: Callable[[], object], measured: Callable[[], object],
            repeat: int) -> tuple[float, float]:
    """Median times of the two, run in turns so that a change in the machine's load
    weighs on both alike."""
    base, mine = [], []
    for _ in range(repeat):
        base.append(seconds(baseline))
        mine.append(seconds(measured))
    return statistics.median(base), statistics.median(mine)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    import bibtexparser
    from bibtexparser.middlewares import LatexDecodingMiddleware

    from refmap.references.importers import read_references
    from refmap.references.importers.latex import decode_with_middleware

    OUT.mkdir(exist_ok=True)
    path = OUT / "import.bib"
    path.write_text(make_bib(args.entries), encoding="utf-8")

    from refmap.references.importers import bibtex as bibtex_reader

    def ours() -> object:
        decode_with_middleware.cache_clear()  # each run starts cold
        bibtex_reader._parsed_name.cache_clear()
        bibtex_reader._split_persons.cache_clear()
        batch = read_references(path, "import.bib")
        assert len(batch.records) == args.entries, len(batch.records)
        return batch

    def plain() -> object:
        return bibtexparser.parse_file(str(path))

    def decoding() -> object:
        return bibtexparser.parse_file(str(path), append_middleware=[LatexDecodingMiddleware()])

    base3, whole, base_cpu, whole_cpu = whole_command(path, args.repeat)
    ours()  # first use imports the readers; the baseline's library is imported already
    base, mine = medians(plain, ours, args.repeat)
    base2, decoded = medians(plain, decoding, max(1, args.repeat // 2))
    print(f"{args.entries} entries, median of {args.repeat} runs")
    print(f"1. read_references / bibtexparser.parse_file: {mine / base:.2f} "
          f"({mine:.3f} s / {base:.3f} s; target <= 2.0)")
    print(f"2. parse_file + LatexDecodingMiddleware / parse_file: {decoded / base2:.2f} "
          f"({decoded:.3f} s / {base2:.3f} s; for scale)")
    print(f"3. refmap import (whole process) / python -c parse_file: {whole / base3:.2f} "
          f"({whole:.3f} s / {base3:.3f} s; target <= 2.0)")
    print(f"   in CPU time: {whole_cpu / base_cpu:.2f} ({whole_cpu:.3f} s / {base_cpu:.3f} s)")


def whole_command(bib: Path, repeat: int) -> tuple[float, float, float, float]:
    """Median seconds of `python -c parse_file` and of `refmap import` into a fresh copy of the
    bundled map, each run as its own process, in turns: wall time, then CPU time (user +
    system, which another process's load on a shared machine changes less)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    baseline = [sys.executable, "-c", f"import bibtexparser; bibtexparser.parse_file({str(bib)!r})"]
    walls: dict[str, list[float]] = {"parse": [], "import": []}
    cpus: dict[str, list[float]] = {"parse": [], "import": []}

    def run(name: str, cmd: list[str], cwd: Path | None = None) -> None:
        start = time.perf_counter()
        child = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        walls[name].append(time.perf_counter() - start)
        cpus[name].append(usage.ru_utime + usage.ru_stime)
        if os.waitstatus_to_exitcode(status) != 0:
            raise SystemExit(f"{cmd} failed")

    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        shutil.copy(ROOT / "essay.txt", work / "essay.txt")

        def refmap_import() -> None:
            shutil.copy(ROOT / "claims.yaml", work / "claims.yaml")
            run("import", [sys.executable, "-m", "refmap", "import", str(bib)], work)

        refmap_import()  # a first run warms the file cache for both
        walls["import"].clear()
        cpus["import"].clear()
        for _ in range(repeat):
            run("parse", baseline)
            refmap_import()
    return (statistics.median(walls["parse"]), statistics.median(walls["import"]),
            statistics.median(cpus["parse"]), statistics.median(cpus["import"]))


if __name__ == "__main__":
    main()
