"""The HTML report opened in a real browser (Debian's headless Chromium driven by Playwright):
highlighted spans and counts, a click that shows a claim's sources, a screenshot, and hostile
maps whose strings try to run script."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
        "--disable-component-update", "--disable-sync", "--disable-quic"]


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    page.events = {"console": [], "dialogs": [], "requests": []}
    page.on("console", lambda m: page.events["console"].append(m.text))
    page.on("dialog", lambda d: (page.events["dialogs"].append(d.message), d.dismiss()))
    page.on("request", lambda r: page.events["requests"].append(r.url))
    yield page
    context.close()


def write_report(folder: Path, run) -> Path:
    result = run(["report", "-o", "report.html"], cwd=folder)
    assert result.exit_code == 0, result.stderr
    return folder / "report.html"


def test_report_shows_every_claim_and_the_counts(bundled: Path, run, page, tmp_path):
    report = write_report(bundled, run)
    page.goto(report.as_uri())
    coverage = json.loads(run(["coverage", "--format", "json"], cwd=bundled).stdout)["overall"]
    ids = page.evaluate("""() => new Set([...document.querySelectorAll('mark.claim')]
        .flatMap(m => m.dataset.claims.split(' '))).size""")
    assert ids == coverage["claims"]  # every claim of the bundled map anchors and is highlighted
    for status in ("sourced", "unverified", "disputed", "unsourced", "opinion"):
        shown = page.inner_text(f'#summary [data-status="{status}"] b')
        assert int(shown) == coverage[status]
    statuses = page.evaluate("""() => [...document.querySelectorAll('mark.claim')]
        .map(m => [...m.classList].find(c => c.startsWith('s-')))""")
    assert set(statuses) <= {"s-sourced", "s-unverified", "s-disputed", "s-unsourced", "s-opinion"}
    assert page.events["requests"] == [report.as_uri()]  # nothing else is fetched
    page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
    assert (tmp_path / "report.png").stat().st_size > 10_000


def test_clicking_a_claim_shows_its_sources_and_excerpts(bundled: Path, run, page):
    page.goto(write_report(bundled, run).as_uri())
    mark = page.locator('mark.claim[data-claims="trump-letter"]')
    assert mark.inner_text() == "Trump says he received another letter from Kim"
    assert page.locator("#panel .claim-detail").count() == 0
    mark.click()
    panel = page.locator("#panel")
    assert panel.locator("h3").first.inner_text().startswith("trump-letter")
    assert panel.locator("ol.sources > li").count() >= 1
    assert panel.locator("blockquote.excerpt").count() >= 1
    links = panel.locator("a").evaluate_all("els => els.map(a => a.href)")
    assert links and all(href.startswith("http") for href in links)
    # keyboard works too
    page.locator('mark.claim[data-claims="singapore-summit"]').focus()
    page.keyboard.press("Enter")
    assert panel.locator("h3").first.inner_text().startswith("singapore-summit")


HOSTILE = """\
version: 1
essay:
  path: essay.txt
  title: "</title><script>window.__pwned=1</script>"
  authors:
    - {literal: "<img src=x onerror=window.__pwned=2>"}
sources:
  evil:
    type: online
    title: "<script>window.__pwned=3</script><b>bold</b>"
    site: "\\" onmouseover=\\"window.__pwned=4"
    url: "javascript:window.__pwned=5"
    date: 2020
  evil2:
    type: online
    title: "' onclick='window.__pwned=6"
    url: "https://example.org/\\"><script>window.__pwned=7</script>"
    date: 2020
claims:
  - id: c1
    quote: "<script>window.__pwned=8</script>"
    kind: statement
    note: "<iframe src=javascript:window.__pwned=9></iframe>"
    citations:
      - {source: evil, locator: "<svg onload=window.__pwned=10>", excerpt: "</blockquote><script>window.__pwned=11</script>"}
      - {source: evil2, excerpt: "x"}
"""


def test_hostile_map_runs_no_script(tmp_path: Path, run, page):
    (tmp_path / "essay.txt").write_text(
        "Intro <script>window.__pwned=8</script> and <b onmouseover=\"window.__pwned=12\">x</b>.",
        "utf-8")
    (tmp_path / "claims.yaml").write_text(HOSTILE, "utf-8")
    report = write_report(tmp_path, run)
    page.goto(report.as_uri())
    page.locator("mark.claim").first.click()
    page.mouse.move(10, 10)
    for el in page.locator("#panel *").all():
        if el.is_visible():
            el.hover()
    page.locator("#panel").click()
    assert page.evaluate("window.__pwned") is None
    assert page.events["dialogs"] == []
    assert page.evaluate("document.querySelectorAll('script').length") == 1  # the report's own
    assert page.evaluate("document.querySelectorAll('iframe, img, svg').length") == 0
    hrefs = page.evaluate("[...document.querySelectorAll('a')].map(a => a.getAttribute('href'))")
    # the javascript: URL is not a link; findings link to their passage within the page
    assert all(h.startswith(("https://", "#quote-")) for h in hrefs)
    assert "<script>window.__pwned=3</script><b>bold</b>" in page.inner_text("#panel")
