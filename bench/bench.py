"""Benchmark refmap against baselines measured in the same run, as whole processes.

Each measurement prints a ratio (lower is better), its target and the medians behind it; nothing
is asserted, since machines are noisy. Run them all, or some by name:

    python bench/bench.py [--quick] [--repeat 3] [--timeout 120] [--only NAME ...] [--list]

Sizes below are the full ones; --quick divides them by ten (re-anchoring rates: fewer claims).
A command that runs past --timeout is killed and shown as "timeout" (some are quadratic).
"""

from __future__ import annotations

import argparse
import compileall
import math
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parent))
import inputs  # noqa: E402  (the generators next to this script)

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(__file__).resolve().parent / "out"
PY = sys.executable
REFMAP = [PY, "-m", "refmap"]
LOAD = [PY, "-c", "import yaml,sys; yaml.load(open(sys.argv[1], encoding='utf-8'), "
                  "Loader=yaml.CSafeLoader)"]
COMMANDS = {
    "check": ["check", "--no-cache"], "anchors": ["anchors"], "uncovered": ["uncovered"],
    "coverage": ["coverage"], "unsourced": ["unsourced"], "list": ["list"],
    "export bibtex": ["export", "bibtex"], "export csl-json": ["export", "csl-json"],
    "export markdown": ["export", "markdown"], "export claimreview": ["export", "claimreview"],
    "annotate": ["annotate"], "report": ["report"],
}


class Run(NamedTuple):
    seconds: float
    """Median wall time; infinite if a run timed out."""
    maxrss_kb: int
    """Largest peak resident set of the runs (the child's own, from wait4)."""


@dataclass
class Bench:
    repeat: int
    timeout: float
    quick: bool
    built: dict[str, Path] = field(default_factory=dict)

    def size(self, full: int) -> int:
        return full // 10 if self.quick else full

    def cached(self, name: str, make: Callable[[], Path]) -> Path:
        if name not in self.built:
            self.built[name] = make()
        return self.built[name]

    def synthetic(self, claims: int, drift: float = 0.0) -> Path:
        """The synthetic map: each quote a sentence of a ~100 bytes-per-claim essay."""
        def make() -> Path:
            rng = random.Random(7)
            essay = inputs.make_essay(rng, max(1_000_000, claims * 100))
            text = inputs.make_map(essay, random.Random(7), claims, max(1, claims // 2), drift)
            return inputs.write_pair(OUT / f"synthetic-{claims}-{drift}", essay, text)
        return self.cached(f"synthetic-{claims}-{drift}", make)

    def run(self, cmd: list[str], slow: float = 1.0) -> Run:
        """Median of --repeat runs; `slow` scales the timeout for the biggest inputs."""
        times, peak = [], 0
        for _ in range(self.repeat):
            seconds, rss = run_once(cmd, self.timeout * slow)
            times.append(seconds)
            peak = max(peak, rss)
            if seconds == float("inf"):
                break
        return Run(statistics.median(times), peak)


def run_once(cmd: list[str], timeout: float) -> tuple[float, int]:
    """Wall time and peak RSS (KB) of one child process; (inf, rss) if killed at the timeout."""
    start = time.perf_counter()
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    timer = threading.Timer(timeout, child.kill)
    timer.start()
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    timer.cancel()
    child.returncode = os.waitstatus_to_exitcode(status)
    killed = child.returncode < 0
    return (float("inf") if killed else elapsed), usage.ru_maxrss


def show(label: str, target: float, ours: Run, base: Run, memory: bool = False) -> None:
    if memory and float("inf") in (ours.seconds, base.seconds):
        ratio, detail = float("inf"), "killed at the timeout: peak unknown"
    elif memory:
        ratio = ours.maxrss_kb / base.maxrss_kb
        detail = f"{ours.maxrss_kb // 1024} / {base.maxrss_kb // 1024} MB"
    else:
        ratio, detail = ours.seconds / base.seconds, f"{ours.seconds:8.3f} / {base.seconds:7.3f} s"
    if ratio == float("inf"):
        print(f"{label:58} {'timeout':>7} {'<= ' + str(target):>7} {detail}  OVER")
        return
    verdict = "ok" if ratio <= target else "OVER"
    print(f"{label:58} {ratio:7.2f} {'<= ' + str(target):>7} {detail}  {verdict}", flush=True)


def refmap(command: str, map_path: Path) -> list[str]:
    return REFMAP + COMMANDS[command] + ["--map", str(map_path)]


# -- measurements ------------------------------------------------------------------------------

MEASUREMENTS: dict[str, Callable[[Bench], None]] = {}


def measurement(name: str) -> Callable[[Callable[[Bench], None]], Callable[[Bench], None]]:
    def register(fn: Callable[[Bench], None]) -> Callable[[Bench], None]:
        MEASUREMENTS[name] = fn
        return fn
    return register


@measurement("check-vs-load")
def check_vs_load(b: Bench) -> None:
    """`check` on the 10,000-claim synthetic map / a CSafeLoader load of it (<= 1.0)."""
    path = b.synthetic(b.size(10_000))
    show(f"check {path.parent.name} / yaml CSafeLoader load", 1.0,
         b.run(refmap("check", path)), b.run(LOAD + [str(path)]))


@measurement("check-flow")
def check_flow(b: Bench) -> None:
    """`check` on the 10,000-claim synthetic map written in flow style / a CSafeLoader load of
    it (<= 1.0): every source and claim a flow mapping, as a nesting guard counts them."""
    claims = b.size(10_000)

    def make() -> Path:
        essay_path = b.synthetic(claims).parent / "essay.txt"
        text = inputs.flow_map(b.synthetic(claims).read_text("utf-8"))
        return inputs.write_pair(OUT / f"flow-{claims}", essay_path.read_text("utf-8"), text)

    path = b.cached(f"flow-{claims}", make)
    show(f"check {path.parent.name} (flow style) / yaml CSafeLoader load", 1.0,
         b.run(refmap("check", path)), b.run(LOAD + [str(path)]))


@measurement("check-after-import")
def check_after_import(b: Bench) -> None:
    """`check` on the bundled map right after `refmap import` of 5,000 .bib entries / a
    CSafeLoader load of it (<= 1.0)."""
    import bench_import

    entries = b.size(5_000)
    folder = OUT / f"after-import-{entries}"
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("essay.txt", "claims.yaml"):
        (folder / name).write_bytes((ROOT / name).read_bytes())
    (folder / "import.bib").write_text(bench_import.make_bib(entries), "utf-8")
    subprocess.run(REFMAP + ["import", "import.bib"], cwd=folder, check=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL)
    path = folder / "claims.yaml"
    show(f"check bundled + {entries} imported entries / CSafeLoader load", 1.0,
         b.run(refmap("check", path)), b.run(LOAD + [str(path)]))


@measurement("uncovered")
def uncovered_vs_check(b: Bench) -> None:
    """`uncovered` on the 10,000-claim synthetic map / `check` on it (<= 1.5)."""
    path = b.synthetic(b.size(10_000))
    show(f"uncovered {path.parent.name} / check", 1.5,
         b.run(refmap("uncovered", path)), b.run(refmap("check", path)))


@measurement("import")
def import_vs_parser(b: Bench) -> None:
    """The whole `refmap import` of 5,000 .bib entries into the bundled map /
    `bibtexparser.parse_file` of the same file, each a process (<= 2.0; bench_import.py)."""
    import bench_import

    entries = b.size(5_000)
    bib = OUT / f"import-{entries}.bib"
    bib.write_text(bench_import.make_bib(entries), "utf-8")
    base, whole, base_cpu, whole_cpu = bench_import.whole_command(bib, b.repeat)
    show(f"refmap import {entries} entries / bibtexparser.parse_file", 2.0,
         Run(whole, 0), Run(base, 0))
    show("  the same in CPU time (user + system)", 2.0, Run(whole_cpu, 0), Run(base_cpu, 0))


@measurement("import-instructions")
def import_instructions(b: Bench) -> None:
    """The whole `refmap import` of 5,000 .bib entries into the bundled map /
    `bibtexparser.parse_file` of the same file, in instructions executed (callgrind; <= 2.0):
    the import measurement's ratio without the machine's load in it (takes a few minutes)."""
    import tempfile

    import bench_import

    if shutil.which("valgrind") is None:
        print(f"{'instr.: refmap import / parse_file':58} skipped: no valgrind")
        return
    entries = b.size(5_000)
    bib = OUT / f"import-{entries}.bib"
    bib.write_text(bench_import.make_bib(entries), "utf-8")
    base = instructions([PY, "-c", f"import bibtexparser; bibtexparser.parse_file({str(bib)!r})"])
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        shutil.copy(ROOT / "essay.txt", work / "essay.txt")
        shutil.copy(ROOT / "claims.yaml", work / "claims.yaml")
        ours = instructions(REFMAP + ["import", str(bib)], cwd=work)
    verdict = "ok" if ours / base <= 2.0 else "OVER"
    print(f"{'instr.: refmap import ' + str(entries) + ' entries / parse_file':58} "
          f"{ours / base:7.2f} {'<= 2.0':>7} {ours / 1e9:6.2f} / {base / 1e9:4.2f} G  {verdict}",
          flush=True)


@measurement("library")
def linked_library(b: Bench) -> None:
    """`check` on the bundled map with a linked 10,000-entry .bib library (`bibliography:`) /
    `check` with the same entries imported into the map: first run, the library parsed
    (<= 1.2), and again with the library unchanged, read from its cache (<= 1.05)."""
    import bench_import

    entries = b.size(10_000)
    folder = OUT / f"library-{entries}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "essay.txt").write_bytes((ROOT / "essay.txt").read_bytes())
    (folder / "library.bib").write_text(bench_import.make_bib(entries), "utf-8")
    bundled = (ROOT / "claims.yaml").read_text("utf-8")
    linked = folder / "linked.yaml"
    linked.write_text(bundled.replace("\nsources:\n", "\nbibliography: library.bib\nsources:\n",
                                      1), "utf-8")
    in_map = folder / "in-map.yaml"
    in_map.write_text(bundled, "utf-8")
    subprocess.run(REFMAP + ["import", "library.bib", "--map", in_map.name], cwd=folder,
                   check=True, env={**os.environ, "PYTHONPATH": str(ROOT)},
                   stdout=subprocess.DEVNULL)
    cache = folder / ".refmap" / "libraries"
    cold = [PY, "-c", "import runpy, shutil, sys; shutil.rmtree(sys.argv[1], True); "
                      "sys.argv[1:] = sys.argv[2:]; runpy.run_module('refmap', "
                      "run_name='__main__')", str(cache), "check", "--no-cache", "--map",
            str(linked)]
    ours, base = paired(b, cold, refmap("check", in_map))
    show(f"check linked {entries}-entry library (parsed) / in the map", 1.2, ours, base)
    subprocess.run(refmap("check", linked), cwd=folder, stdout=subprocess.DEVNULL)
    ours, base = paired(b, refmap("check", linked), refmap("check", in_map))
    show(f"check linked {entries}-entry library (cached) / in the map", 1.05, ours, base)


CHECK_BUNDLED = REFMAP + ["check", "--map", str(ROOT / "claims.yaml")]
"""`check` as a user runs it again: through the findings cache (the other measurements pass
--no-cache, so each measures a check)."""


@measurement("startup")
def startup(b: Bench) -> None:
    """`check` on the bundled map / `import click, yaml` (<= 1.2): as run again on a map that
    did not change (its findings kept under .refmap/check/), and with --no-cache (a map just
    edited: everything loaded and checked)."""
    base = b.run([PY, "-c", "import click, yaml"])
    subprocess.run(CHECK_BUNDLED, stdout=subprocess.DEVNULL)
    show("check bundled map / import click, yaml", 1.2,
         b.run(CHECK_BUNDLED), base)
    show("check --no-cache bundled map / import click, yaml", 1.2,
         b.run(CHECK_BUNDLED + ["--no-cache"]), base)


@measurement("startup-instructions")
def startup_instructions(b: Bench) -> None:
    """`check` on the bundled map, run as `python -m refmap` and as the `refmap` script, /
    `import click, yaml`, in instructions executed (valgrind's callgrind; <= 1.2): a count the
    machine's load does not move, where wall times on a busy machine swing by half."""
    if shutil.which("valgrind") is None:
        print(f"{'instr.: refmap check / import click, yaml':58} skipped: no valgrind")
        return
    base = instructions([PY, "-c", "import click, yaml"])
    script = Path(PY).parent / "refmap"
    subprocess.run(CHECK_BUNDLED, stdout=subprocess.DEVNULL)
    runs = [("instr.: python -m refmap check / import click, yaml",
             CHECK_BUNDLED),
            ("instr.: python -m refmap check --no-cache / import click, yaml",
             CHECK_BUNDLED + ["--no-cache"])]
    if script.exists():
        runs.append(("instr.: refmap check / import click, yaml",
                     [str(script), "check", "--map", str(ROOT / "claims.yaml")]))
    for label, cmd in runs:
        ours = instructions(cmd)
        verdict = "ok" if ours / base <= 1.2 else "OVER"
        print(f"{label:58} {ours / base:7.2f} {'<= 1.2':>7} "
              f"{ours / 1e6:6.0f} / {base / 1e6:4.0f} M  {verdict}", flush=True)


def instructions(cmd: list[str], cwd: Path = ROOT) -> int:
    """Instructions one process executes, counted by callgrind (hash seed fixed: set and dict
    layouts would otherwise move the count by a few tenths of a percent)."""
    done = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *cmd],
                          cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONHASHSEED": "0",
                               **({} if cwd == ROOT else {"PYTHONPATH": str(ROOT)})})
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"valgrind counted nothing: {done.stderr[-500:]}")
    return int(found.group(1))


@measurement("drift")
def drift(b: Bench) -> None:
    """`check` with 1% of quotes drifted / the same check with every quote exact (<= 3.0)."""
    claims = b.size(10_000)
    show(f"check {claims} claims, 1% drifted / all exact", 3.0,
         b.run(refmap("check", b.synthetic(claims, 0.01))),
         b.run(refmap("check", b.synthetic(claims))))


@measurement("check-100k")
def check_100k(b: Bench) -> None:
    """`check` on the 100,000-claim synthetic map / a CSafeLoader load of it (<= 1.0)."""
    path = b.synthetic(b.size(100_000))
    show(f"check {path.parent.name} / yaml CSafeLoader load", 1.0,
         b.run(refmap("check", path), slow=10), b.run(LOAD + [str(path)], slow=10))


@measurement("memory-100k")
def memory_100k(b: Bench) -> None:
    """Peak RSS of `check` at 100,000 claims / of the CSafeLoader load of the map (<= 1.2)."""
    path = b.synthetic(b.size(100_000))
    show(f"peak RSS: check {path.parent.name} / CSafeLoader load", 1.2,
         b.run(refmap("check", path), slow=10), b.run(LOAD + [str(path)], slow=10), memory=True)


@measurement("commands")
def commands(b: Bench) -> None:
    """Every command at 10,000 claims / `check` at 10,000 claims (<= 2.0 each)."""
    path = b.synthetic(b.size(10_000))
    check = b.run(refmap("check", path))
    for command in COMMANDS:
        show(f"{command} {path.parent.name} / check", 2.0, b.run(refmap(command, path)), check)


@measurement("scaling")
def scaling(b: Bench) -> None:
    """Every command's scaling exponent from 10,000 to 100,000 claims, log(t100k / t10k) /
    log(10) (<= 1.1 each; 1.0 is linear). t is the child's CPU time (user + system), median of
    --repeat runs taken in turns: on a shared machine a wall time is mostly the others' load,
    which changes between the small and the big run."""
    small, big = b.size(10_000), b.size(100_000)
    for command in COMMANDS:
        t_small, t_big = [], []
        for _ in range(b.repeat):
            t_small.append(cpu_once(refmap(command, b.synthetic(small)), b.timeout))
            t_big.append(cpu_once(refmap(command, b.synthetic(big)), b.timeout * 10))
        label = f"exponent {command} {small} -> {big} claims (CPU)"
        low, high = statistics.median(t_small), statistics.median(t_big)
        if float("inf") in (low, high):
            print(f"{label:58} {'timeout':>7} {'<= 1.1':>7}  OVER", flush=True)
            continue
        exponent = math.log(high / low) / math.log(big / small)
        verdict = "ok" if exponent <= 1.1 else "OVER"
        print(f"{label:58} {exponent:7.2f} {'<= 1.1':>7} {high:8.3f} / {low:7.3f} s  {verdict}",
              flush=True)


def cpu_once(cmd: list[str], timeout: float) -> float:
    """CPU seconds (user + system) of one child process; infinite if killed at the timeout."""
    child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    timer = threading.Timer(timeout, child.kill)
    timer.start()
    _, status, usage = os.wait4(child.pid, 0)
    timer.cancel()
    if os.waitstatus_to_exitcode(status) < 0:
        return float("inf")
    return usage.ru_utime + usage.ru_stime


@measurement("editing")
def editing(b: Bench) -> None:
    """Each editing command (--dry-run: the diff is made too) at 10,000 claims / `check` at
    10,000 claims (<= 1.5 each): they touch one claim or one source."""
    path = b.synthetic(b.size(10_000))
    for label, args in _edit_commands(path):
        ours, base = paired(b, REFMAP + args + ["--map", str(path), "--dry-run"],
                            refmap("check", path))
        show(f"{label} {path.parent.name} / check", 1.5, ours, base)


def paired(b: Bench, cmd: list[str], baseline: list[str]) -> tuple[Run, Run]:
    """Medians of --repeat runs of cmd and of baseline taken in turns, so that a shared
    machine's load falls on both sides alike."""
    ours, base = [], []
    for _ in range(b.repeat):
        base.append(run_once(baseline, b.timeout)[0])
        ours.append(run_once(cmd, b.timeout)[0])
    return Run(statistics.median(ours), 0), Run(statistics.median(base), 0)


def _edit_commands(path: Path) -> list[tuple[str, list[str]]]:
    """Arguments for each editing command on the synthetic map (not timed)."""
    sys.path.insert(0, str(ROOT))
    import refmap as library

    project = library.load(path)
    spans = project.spans()
    near = next((a[2].claim.id, b[2].claim.id) for a, b in zip(spans, spans[1:])
                if 0 < b[0] - a[1] < 100 and "\n" not in project.essay.text[a[0]:b[1]])
    claim = project.cmap.claims[len(project.cmap.claims) // 2]
    words = claim.quote.split(" ")
    source = claim.citations[0].source
    return [
        ("claim remove", ["claim", "remove", claim.id]),
        ("claim set --kind", ["claim", "set", claim.id, "--kind", "poll"]),
        ("claim set --quote", ["claim", "set", claim.id, "--quote", " ".join(words[:6])]),
        ("claim rename", ["claim", "rename", claim.id, "renamed"]),
        ("claim split", ["claim", "split", claim.id, " ".join(words[:4]), " ".join(words[4:])]),
        ("claim merge", ["claim", "merge", *near]),
        ("cite", ["cite", claim.id, "src0", "--excerpt", "it says so"]),
        ("cite --remove", ["cite", claim.id, source, "--remove"]),
        ("cite --replace", ["cite", claim.id, source, "--replace", "--excerpt", "x"]),
        ("source set", ["source", "set", source, "title", "A new title"]),
        ("source rename", ["source", "rename", source, "renamed"]),
        ("source remove --force", ["source", "remove", source, "--force"]),
    ]


@measurement("adversarial")
def adversarial(b: Bench) -> None:
    """Hostile inputs under 1 MB / the same command on a synthetic input of the same size (<= 3)."""
    size = b.size(1_000_000)
    rng = random.Random(11)
    essay = inputs.make_essay(rng, size)
    synthetic = inputs.write_pair(
        OUT / f"adv-base-{size}", essay, inputs.make_map(essay, random.Random(11), 100, 50, 0.0))

    repeated = inputs.write_pair(OUT / f"adv-repeated-{size}", inputs.repeated_essay(size),
                                 inputs.prefixed_quotes_map(100))
    for command in ("check", "anchors"):
        show(f"{command}: repeated-word essay, 100 prefixed quotes", 3.0,
             b.run(refmap(command, repeated)), b.run(refmap(command, synthetic)))

    words = 2000 if not b.quick else 500
    reworded = inputs.write_pair(OUT / f"adv-reworded-{size}", essay,
                                 inputs.long_quote_map(essay, random.Random(3), words, 0.1))
    exact = inputs.write_pair(OUT / f"adv-longexact-{size}", essay,
                              inputs.long_quote_map(essay, random.Random(3), words, 0.0))
    show(f"check: {words}-word quote, 10% reworded / exact", 3.0,
         b.run(refmap("check", reworded)), b.run(refmap("check", exact)))

    keys = b.size(3000)
    typos = inputs.write_pair(OUT / f"adv-typos-{keys}", essay,
                              inputs.unknown_citekeys_map(essay, random.Random(5), keys, True))
    known = inputs.write_pair(OUT / f"adv-known-{keys}", essay,
                              inputs.unknown_citekeys_map(essay, random.Random(5), keys, False))
    show(f"check: {keys} unknown citekeys / all known", 3.0,
         b.run(refmap("check", typos)), b.run(refmap("check", known)))

    claims = b.size(10_000)
    compact = inputs.write_pair(OUT / f"adv-compact-{claims}", essay,
                                inputs.compact_map(essay, random.Random(5), claims))
    same = _synthetic_of_size(essay, inputs.pair_size(compact), f"adv-same-{claims}")
    for command in ("export markdown", "report"):
        show(f"{command}: {claims} compact claims / synthetic same size", 3.0,
             b.run(refmap(command, compact)), b.run(refmap(command, same)))


def _synthetic_of_size(essay: str, size: int, name: str) -> Path:
    """A synthetic map over `essay` whose map and essay together take about `size` bytes."""
    per_claim = len(inputs.make_map(essay, random.Random(1), 100, 50, 0.0)) / 100
    claims = max(1, int((size - len(essay.encode())) / per_claim))
    text = inputs.make_map(essay, random.Random(1), claims, max(1, claims // 2), 0.0)
    return inputs.write_pair(OUT / name, essay, text)


@measurement("reanchor")
def reanchor(b: Bench) -> None:
    """Quotes with 2 and 3 of their 9 words replaced: % changed / missing / span outside the
    sentence / span inside it but not the nine words (targets >= 99% and >= 90% changed, 0
    outside)."""
    from reanchor import rates

    claims = 10_000 if not b.quick else 1_000
    for replaced, target in ((2, 99.0), (3, 90.0)):
        r = rates(claims, replaced)
        verdict = "ok" if r.changed >= target and r.wrong == 0 else "OVER"
        print(f"reanchor {claims} quotes, {replaced} of 9 words replaced: changed {r.changed:.1f}% "
              f"(>= {target}%), missing {r.missing:.1f}%, ambiguous {r.ambiguous:.1f}%, "
              f"outside the sentence {r.wrong:.2f}%, inexact edges {r.inexact:.2f}%, "
              f"{r.seconds:.2f} s  {verdict}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per command run")
    parser.add_argument("--quick", action="store_true", help="sizes divided by ten")
    parser.add_argument("--only", action="append", choices=sorted(MEASUREMENTS), metavar="NAME")
    parser.add_argument("--list", action="store_true", help="list the measurements and exit")
    args = parser.parse_args()
    if args.list:
        for name, fn in MEASUREMENTS.items():
            print(f"{name:14} {' '.join((fn.__doc__ or '').split())}")
        return
    # Byte-compile refmap as `pip install` does, so that both sides import compiled modules
    # (click and yaml come compiled from site-packages) even where PYTHONDONTWRITEBYTECODE is set.
    compileall.compile_dir(ROOT / "refmap", quiet=1)
    OUT.mkdir(exist_ok=True)
    bench = Bench(args.repeat, args.timeout, args.quick)
    print(f"{'measure':58} {'ratio':>7} {'target':>7} {'ours / baseline (median)':>22}")
    for name in args.only or MEASUREMENTS:
        MEASUREMENTS[name](bench)


if __name__ == "__main__":
    main()
