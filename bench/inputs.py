"""Synthetic and adversarial inputs for the benchmark: essays and claims maps, written to files.

Every generator is deterministic (seeded), so a run measures the same inputs as the last one.
"""

from __future__ import annotations

import random
from pathlib import Path

ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def make_vocab(rng: random.Random, size: int = 6000) -> list[str]:
    return ["".join(rng.choice(ALPHABET) for _ in range(rng.randint(3, 9))) for _ in range(size)]


def make_essay(rng: random.Random, size: int) -> str:
    """Sentences of 8-14 random words (some with a figure), eight to a paragraph."""
    vocab = make_vocab(rng)
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


def essay_sentences(essay: str) -> list[str]:
    return [s.strip() for s in essay.replace("\n", " ").split(".") if len(s.strip()) > 30]


def yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def source_lines(sources: int) -> list[str]:
    lines = ["version: 1", "essay:", "  path: essay.txt", "sources:"]
    for i in range(sources):
        lines += [
            f"  src{i}:", "    type: online", f"    title: Synthetic source number {i}",
            f"    url: https://example.org/sources/{i}", "    date: 2019-06-12",
            "    accessed: 2026-11-25",
        ]
    return lines


def claim_lines(i: int, quote: str, source: str, prefix: str | None = None) -> list[str]:
    figures = " ".join(w for w in quote.split(" ") if w.isdigit())
    lines = [f"  - id: claim-{i}", f"    quote: {yaml_str(quote)}"]
    if prefix:
        lines.append(f"    prefix: {yaml_str(prefix)}")
    return lines + [
        "    kind: figure", "    citations:", f"      - source: {source}",
        "        locator: para. 1",
        f"        excerpt: {yaml_str('The source says so ' + figures)}",
    ]


def make_map(essay: str, rng: random.Random, claims: int, sources: int, drift: float) -> str:
    """Each claim quotes the first nine words of a distinct sentence; `drift` of them edited."""
    chosen = rng.sample(essay_sentences(essay), claims)
    lines = source_lines(sources) + ["claims:"]
    for i, sentence in enumerate(chosen):
        words = sentence.split(" ")
        quote = " ".join(words[:9])
        if rng.random() < drift:  # a word of the quote was edited in the essay since
            j = rng.randrange(2, min(9, len(words)))
            words_q = quote.split(" ")
            words_q[j] = words_q[j][::-1] + "x"
            quote = " ".join(words_q)
        lines += claim_lines(i, quote, f"src{i % sources}")
    return "\n".join(lines) + "\n"


def write_pair(folder: Path, essay: str, claims_yaml: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "essay.txt").write_text(essay, "utf-8")
    path = folder / "claims.yaml"
    path.write_text(claims_yaml, "utf-8")
    return path


def pair_size(map_path: Path) -> int:
    return map_path.stat().st_size + (map_path.parent / "essay.txt").stat().st_size


# -- adversarial -----------------------------------------------------------------------------


def repeated_essay(size: int) -> str:
    """A few words over and over: every short quote occurs tens of thousands of times."""
    unit = "the cat sat on the mat and the dog sat on the log. "
    return (unit * (size // len(unit) + 1))[:size]


def prefixed_quotes_map(claims: int) -> str:
    """Quotes found everywhere in a repeated essay, each with a prefix that fits nowhere or
    everywhere: every occurrence's context is checked."""
    lines = source_lines(1) + ["claims:"]
    quotes = [("sat on the mat", "the cat"), ("sat on the log", "the dog"),
              ("sat on the mat", "a bird"), ("on the log", "the dog sat")]
    for i in range(claims):
        quote, prefix = quotes[i % len(quotes)]
        lines += claim_lines(i, quote, "src0", prefix=prefix)
    return "\n".join(lines) + "\n"


def long_quote_map(essay: str, rng: random.Random, words: int, reworded: float) -> str:
    """One claim quoting `words` consecutive essay words, `reworded` of them replaced."""
    tokens = essay.replace("\n", " ").split(" ")
    start = len(tokens) // 3
    quote = tokens[start : start + words]
    vocab = make_vocab(random.Random(99), 500)
    for k in rng.sample(range(words), int(words * reworded)):
        quote[k] = rng.choice(vocab)
    lines = source_lines(1) + ["claims:"] + claim_lines(0, " ".join(quote), "src0")
    return "\n".join(lines) + "\n"


def unknown_citekeys_map(essay: str, rng: random.Random, claims: int, typo: bool) -> str:
    """Every claim cites a source; with `typo`, a citekey no source defines (each misspelt)."""
    chosen = rng.sample(essay_sentences(essay), claims)
    lines = source_lines(claims) + ["claims:"]
    for i, sentence in enumerate(chosen):
        key = f"scr{i}x" if typo else f"src{i}"
        lines += claim_lines(i, " ".join(sentence.split(" ")[:9]), key)
    return "\n".join(lines) + "\n"


def compact_map(essay: str, rng: random.Random, claims: int) -> str:
    """Many claims in few bytes: flow style, short quotes, sources = claims / 2."""
    chosen = rng.sample(essay_sentences(essay), claims)
    lines = ["version: 1", "essay: {path: essay.txt}", "sources:"]
    lines += [f"  s{i}: {{type: misc, title: S{i}, date: 2020}}" for i in range(claims // 2)]
    lines.append("claims:")
    for i, sentence in enumerate(chosen):
        quote = " ".join(sentence.split(" ")[:6])
        lines.append(f"  - {{id: c{i}, quote: {yaml_str(quote)}, kind: figure, "
                     f"citations: [{{source: s{i // 2}, excerpt: x}}]}}")
    return "\n".join(lines) + "\n"


def flow_map(block_map: str) -> str:
    """The same map in flow style: each source and each claim one flow mapping on its line."""
    import yaml

    data = yaml.load(block_map, Loader=yaml.CSafeLoader)

    def flow(value: object) -> str:
        return str(yaml.safe_dump(value, default_flow_style=True, width=10**9,
                                  allow_unicode=True)).strip()

    lines = ["version: 1", f"essay: {flow(data['essay'])}", "sources:"]
    for key, source in data["sources"].items():
        lines.append(f"  {key}: {flow({k: str(v) for k, v in source.items()})}")
    lines.append("claims:")
    lines += [f"  - {flow(claim)}" for claim in data["claims"]]
    return "\n".join(lines) + "\n"
