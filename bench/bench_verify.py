"""Benchmark the offline half of `refmap verify`: page text extraction and excerpt matching.

In-process, on 500 synthetic pages of realistic size (news-article HTML of 60-150 KB with
scripts, styles, navigation, sidebars and JSON-LD; one page in ten in Windows-1252, one in
twenty a PDF), each with three excerpts (one present, one reworded, one gone). Prints the time
per page for extraction and for matching, and the ratio of the total to a baseline measured in
the same run: one pass of the stdlib HTML parser over the same pages (the least any reader of
the page must spend). Compare the time per page with the time verify waits for each answer
(issue 9 asks that verify spend less time extracting and matching than waiting).
Asserts nothing: machines are noisy.  Run:  python bench/bench_verify.py [--pages 500]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from pdfbytes import make_pdf  # noqa: E402  (test helper: a hand-written PDF)
from refmap.net.excerpts import ExcerptFinder  # noqa: E402
from refmap.net.pages import PageText, page_text  # noqa: E402


def vocabulary(rng: random.Random) -> list[str]:
    return ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 10)))
            for _ in range(5000)]


def sentence(rng: random.Random, vocab: list[str]) -> str:
    words = [rng.choice(vocab) for _ in range(rng.randint(10, 28))]
    if rng.random() < 0.2:
        words.insert(rng.randrange(len(words)), "\u201cquoted\u201d \u2014")
    return " ".join(words).capitalize() + "."


def make_page(rng: random.Random, vocab: list[str]) -> tuple[str, list[str]]:
    """An article page and the sentences of its body."""
    body = [sentence(rng, vocab) for _ in range(rng.randint(40, 90))]
    paragraphs = []
    for i in range(0, len(body), 4):
        text = " ".join(body[i:i + 4])
        words = text.split(" ")
        k = rng.randrange(1, len(words) - 2)
        words[k] = f"<em>{words[k]}</em>"
        words[k + 1] = f'<a href="/t/{k}">{words[k + 1]}</a>'
        paragraphs.append("<p>" + " ".join(words) + "</p>")
    nav = "".join(f'<li><a href="/s{i}">{rng.choice(vocab)}</a></li>' for i in range(80))
    side = "".join(f'<div class="card"><a href="/r{i}">{sentence(rng, vocab)}</a></div>'
                   for i in range(25))
    script = "<script>" + "window.dataLayer.push({'k': 1});" * 1000 + "</script>"
    style = "<style>" + ".c{margin:0 auto;color:#333}" * 800 + "</style>"
    jsonld = ('<script type="application/ld+json">{"@type":"NewsArticle","headline":"%s"}</script>'
              % rng.choice(vocab))
    html = (f"<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>{rng.choice(vocab)}"
            f"</title>{script}{style}{jsonld}</head><body><header><nav><ul>{nav}</ul></nav>"
            f"</header><main><article><h1>{sentence(rng, vocab)}</h1>{''.join(paragraphs)}"
            f"</article></main><aside>{side}</aside><footer><p>{sentence(rng, vocab)}</p>"
            f"</footer></body></html>")
    return html, body


def make_corpus(n: int, seed: int = 9) -> list[tuple[bytes, str, list[str]]]:
    """(body, content type, excerpts) for n pages."""
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    corpus = []
    for i in range(n):
        html, body = make_page(rng, vocab)
        present = rng.choice(body)
        words = rng.choice(body).split(" ")
        words[len(words) // 2] = "reworded"
        excerpts = [present, " ".join(words), sentence(rng, vocab)]
        if i % 20 == 19:
            lines = [s.encode("ascii", "ignore").decode() for s in body[:40]]
            pdf = make_pdf([lines[j:j + 20] for j in range(0, len(lines), 20)])
            pdf_excerpts = [lines[3], lines[5] + " extra", "absent text here"]
            corpus.append((pdf, "application/pdf", pdf_excerpts))
        elif i % 10 == 9:
            corpus.append((html.replace("utf-8", "windows-1252").encode("cp1252", "replace"),
                           "text/html", excerpts))
        else:
            corpus.append((html.encode("utf-8"), "text/html; charset=utf-8", excerpts))
    return corpus


def baseline(corpus: list[tuple[bytes, str, list[str]]]) -> float:
    start = time.perf_counter()
    for body, _, _ in corpus:
        parser = HTMLParser()
        parser.feed(body.decode("utf-8", "replace"))
        parser.close()
    return time.perf_counter() - start


def verify(corpus: list[tuple[bytes, str, list[str]]]) -> tuple[float, float, list[str]]:
    extract = match = 0.0
    states = []
    for body, content_type, excerpts in corpus:
        t0 = time.perf_counter()
        page = page_text(body, content_type)
        t1 = time.perf_counter()
        if isinstance(page, PageText):
            finder = ExcerptFinder(page)
            states += [finder.find(e).state.value for e in excerpts]
        else:
            states.append("unverifiable")
        match += time.perf_counter() - t1
        extract += t1 - t0
    return extract, match, states


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    corpus = make_corpus(args.pages)
    size = statistics.mean(len(body) for body, _, _ in corpus) / 1024
    t0 = time.perf_counter()
    page_text(corpus[0][0], corpus[0][1])  # first use: imports trafilatura, lxml, warms up
    first = time.perf_counter() - t0
    runs = [(baseline(corpus), *verify(corpus)) for _ in range(args.repeat)]
    base, extract, match = (statistics.median(r[i] for r in runs) for i in range(3))
    states = runs[-1][3]
    n = len(corpus)
    print(f"{n} pages, mean {size:.0f} KiB; first use (imports, warm-up) {first * 1000:.0f} ms")
    print(f"extract {extract / n * 1000:.2f} ms/page, match (3 excerpts) "
          f"{match / n * 1000:.2f} ms/page, total {(extract + match) / n * 1000:.2f} ms/page")
    print(f"baseline (stdlib HTMLParser pass) {base / n * 1000:.2f} ms/page; "
          f"ratio total/baseline {(extract + match) / base:.2f}")
    print("states: " + ", ".join(f"{s} {states.count(s)}" for s in sorted(set(states))))
    per_page = (extract + match) / n
    for workers in (1, 16):
        # with W fetches in flight, the wall-clock wait per page is latency / W
        print(f"at 100 ms latency and {workers} worker(s), extraction and matching take "
              f"{per_page / (0.100 / workers):.2f} x the waiting per page")


if __name__ == "__main__":
    main()
