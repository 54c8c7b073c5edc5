"""The review desk in real Chromium (Debian's, driven by Playwright), against a copy of the
bundled map and a Markdown essay: each action end to end, asserting the map's bytes after and
what the page shows; live updates, stale writes, a map that stops loading, hostile values,
keyboard-only use, a cross-origin write and an accessibility scan (axe-core)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from refmap.net.http import open_client
from refmap.project import load
from refmap.serve.desk import Desk
from refmap.serve.server import start_in_thread
from httpserver import http_server  # noqa: F401  (a fixture)
from servedesk import DRIFTED, NEW_SENTENCE, changed_lines, replace_file, write_files

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
UNVERIFIED = "poll-80-percent"
"""A claim of the bundled map with status unverified and a note."""


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("desk")
    desk = Desk(write_files(folder))
    cache = str(tmp_path_factory.mktemp("cache"))
    running = start_in_thread(desk, poll_ms=200,
                              network=lambda: open_client(timeout=5, cache_dir=cache, allow_private=True),
                              cached=lambda: open_client(timeout=5, cache_dir=cache, offline=True,
                                                           allow_private=True))
    yield folder, desk, running
    running.stop()


class Desktop:
    """One test's view: the folder, the desk's URL, and the map's bytes as first written."""

    def __init__(self, folder: Path, url: str):
        self.folder = folder
        self.url = url
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(url))
        self.map = folder / "claims.yaml"
        self.before = self.map.read_bytes()

    def changes(self) -> tuple[list[str], list[str]]:
        return changed_lines(self.before, self.map.read_bytes())


@pytest.fixture
def desktop(served):
    folder, desk, running = served
    write_files(folder)
    desk.invalidate()
    return Desktop(folder, running.url)


@pytest.fixture
def page(browser, desktop):
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    page.events = {"console": [], "dialogs": [], "requests": []}
    page.on("console", lambda m: page.events["console"].append(m.text))
    page.on("dialog", lambda d: (page.events["dialogs"].append(d.message), d.dismiss()))
    page.on("request", lambda r: page.events["requests"].append(r.url))
    page.goto(desktop.url)
    page.wait_for_selector("#essay mark.claim")
    yield page
    context.close()


def with_status(data: bytes, claim: str, status: str) -> bytes:
    """The map with one claim's status line rewritten (the claim must have one)."""
    start = data.index(f"- id: {claim}\n".encode())
    at = data.index(b"    status: ", start)
    end = data.index(b"\n", at)
    return data[:at] + f"    status: {status}".encode() + data[end:]


def mark_of(page, claim: str):
    return page.locator(f'#essay mark.claim[data-claims~="{claim}"]').first


def open_claim(page, claim: str) -> None:
    mark_of(page, claim).click()
    page.wait_for_selector(f'#panel .claim-detail[data-claim="{claim}"]')


def wait_for_message(page, text: str) -> str:
    page.wait_for_function("t => document.getElementById('message').textContent.includes(t)",
                           arg=text)
    return page.inner_text("#message")


def wait_for_map(desktop: Desktop, page, changed: bool = True) -> None:
    page.wait_for_function("() => true")  # let the page settle
    for _ in range(100):
        if (desktop.map.read_bytes() != desktop.before) == changed:
            return
        page.wait_for_timeout(50)
    raise AssertionError("the map did not change")


def test_the_page_shows_the_essay_the_counts_and_nothing_from_outside(page, desktop, run):
    coverage = json.loads(run(["coverage", "--format", "json"], cwd=desktop.folder).stdout)
    for status in ("sourced", "unverified", "disputed", "unsourced", "opinion"):
        assert int(page.inner_text(f'#summary [data-status="{status}"] b')) == coverage["overall"][status]
    ids = page.evaluate("""() => new Set([...document.querySelectorAll('#essay mark.claim')]
        .flatMap(m => m.dataset.claims.split(' '))).size""")
    assert ids == coverage["overall"]["claims"]
    assert "flagged" in mark_of(page, DRIFTED).get_attribute("class")  # check's error shows
    assert page.inner_text("#essay p").startswith("One Year After the Singapore Summit")
    assert all(u.startswith(desktop.origin + "/") for u in page.events["requests"])
    assert page.events["console"] == []  # no CSP violation, no script error


def test_without_the_token_the_page_is_403(browser, desktop):
    context = browser.new_context()
    page = context.new_page()
    response = page.goto(desktop.origin + "/")
    assert response.status == 403
    assert "token" in page.inner_text("body")
    context.close()


def test_filtering_by_status_dims_the_other_claims(page):
    page.select_option("#f-status", "unverified")
    shown = page.evaluate("""() => [...document.querySelectorAll('#essay mark.claim:not(.dim)')]
        .map(m => m.dataset.claims.split(' ').map(id =>
            document.querySelector('#claim-index li[data-id="' + id + '"]').dataset.status))""")
    assert shown and all("unverified" in statuses for statuses in shown)
    assert page.locator("#essay mark.claim.dim").count() > 0
    page.select_option("#f-status", "")
    page.select_option("#f-kind", "poll")
    kinds = page.evaluate("""() => [...document.querySelectorAll('#essay mark.claim:not(.dim)')]
        .map(m => m.dataset.claims)""")
    assert kinds and any(UNVERIFIED in k.split() for k in kinds)


def test_editing_kind_status_and_note_changes_only_those_lines(page, desktop):
    open_claim(page, UNVERIFIED)
    old_note = next(line for line in desktop.before.decode().splitlines()
                    if line.startswith("    note: \"No source seen gives 80 percent"))
    page.select_option("#e-status", "disputed")
    page.select_option("#e-kind", "figure")
    page.fill("#e-note", "The closest poll found says 78 percent.")
    page.click(".edit-claim button[type=submit]")
    assert "set kind, note, status" in wait_for_message(page, "claim poll-80-percent")
    removed, added = desktop.changes()
    assert removed == ["    kind: poll", "    status: unverified", old_note]
    assert added == ["    kind: figure", "    status: disputed",
                     '    note: "The closest poll found says 78 percent."']
    page.wait_for_selector('#panel .claim-detail .status.s-disputed')
    assert page.inner_text("#panel .note") == "The closest poll found says 78 percent."
    page.wait_for_function("""() => document.querySelector('#summary [data-status="disputed"] b')
        .textContent === '1'""")


def test_accepting_a_drifted_quote_rewrites_that_quote_alone(page, desktop):
    open_claim(page, DRIFTED)
    assert page.inner_text("#panel .current") == "negotiations appear to have stalled"
    page.click("#panel button:has-text(\"Accept the essay's wording\")")
    wait_for_message(page, "quote updated")
    assert desktop.changes() == (['    quote: "negotiations seem to have stalled"'],
                                 ['    quote: "negotiations appear to have stalled"'])
    page.wait_for_selector("#panel .anchor b:has-text('exact')")
    assert "flagged" not in mark_of(page, DRIFTED).get_attribute("class")


def test_marking_a_claim_for_review(page, desktop):
    open_claim(page, DRIFTED)
    page.click("#panel button:has-text('Mark for review')")
    wait_for_message(page, f"claim {DRIFTED}: set")
    removed, added = desktop.changes()
    assert (removed, added) == ([], ["    status: unverified"])  # its note already says why
    page.wait_for_selector("#panel .claim-detail .status:has-text('unverified, flagged')")


def test_adding_a_citation_appends_it_to_the_claim(page, desktop):
    open_claim(page, UNVERIFIED)
    options = page.evaluate("() => [...document.querySelectorAll('#sources option')].map(o => o.label)")
    assert any("Trump-Kim meeting" in o for o in options)  # searchable by title
    page.fill("#c-source", "dw2018asithappened")
    page.fill("#c-locator", "para. 3")
    page.fill("#c-excerpt", "Trump and Kim <b>met</b> in Singapore.")
    page.click(".add-citation button[type=submit]")
    wait_for_message(page, "cites dw2018asithappened")
    removed, added = desktop.changes()
    assert removed == []
    assert [line.strip() for line in added] == [
        "citations:", "- source: dw2018asithappened", 'locator: "para. 3"',
        'excerpt: "Trump and Kim <b>met</b> in Singapore."'] or [line.strip() for line in added][-3:] == [
        "- source: dw2018asithappened", 'locator: "para. 3"',
        'excerpt: "Trump and Kim <b>met</b> in Singapore."']
    cited = page.locator('#panel li[data-source="dw2018asithappened"] .excerpt')
    assert cited.inner_text() == "Trump and Kim <b>met</b> in Singapore."


def select_in_essay(page, text: str) -> None:
    page.evaluate("""text => {
        const walker = document.createTreeWalker(document.getElementById('essay'), NodeFilter.SHOW_TEXT);
        let node;
        while ((node = walker.nextNode())) {
            const at = node.data.indexOf(text);
            if (at >= 0) {
                const range = document.createRange();
                range.setStart(node, at); range.setEnd(node, at + text.length);
                document.getSelection().removeAllRanges();
                document.getSelection().addRange(range);
                return;
            }
        }
        throw new Error('sentence not shown');
    }""", text)


def test_selecting_text_makes_a_new_claim(page, desktop):
    select_in_essay(page, NEW_SENTENCE)
    page.wait_for_function("t => document.getElementById('nc-quote').value === t", arg=NEW_SENTENCE)
    page.select_option("#nc-kind", "event")
    page.click("#new-claim button[type=submit]")
    message = wait_for_message(page, "new claim")
    new_id = re.match(r"new claim (\S+)", message).group(1)
    removed, added = desktop.changes()
    assert removed == []
    assert [line.strip() for line in added if line.strip()] == [
        f"- id: {new_id}", f'quote: "{NEW_SENTENCE}"', "kind: event"]
    page.wait_for_selector(f'#essay mark.claim[data-claims~="{new_id}"]')
    page.wait_for_selector(f'#panel .claim-detail[data-claim="{new_id}"]')


def test_a_finding_opens_its_claim(page):
    page.click(f'#findings button[data-open="{DRIFTED}"]')
    page.wait_for_selector(f'#panel .claim-detail[data-claim="{DRIFTED}"]')
    assert "quote-changed" in page.inner_text("#panel .problems")


def test_a_change_on_disk_shows_without_a_reload(page, desktop):
    page.evaluate("() => { window.sameDocument = true; window.scrollTo(0, 400); }")
    replace_file(desktop.map, desktop.before.replace(b"    status: unverified",
                                                   b"    status: disputed", 1))
    page.wait_for_function("""() => document.querySelector('#summary [data-status="disputed"] b')
        .textContent === '1'""")
    assert page.evaluate("() => window.sameDocument === true && window.scrollY === 400")


def test_a_write_based_on_an_older_map_is_refused_and_shown(page, desktop):
    open_claim(page, UNVERIFIED)
    page.fill("#e-note", "my edit")
    theirs = with_status(desktop.before, UNVERIFIED, "disputed")
    replace_file(desktop.map, theirs)
    page.click(".edit-claim button[type=submit]")
    assert "changed on disk" in wait_for_message(page, "changed on disk")
    assert page.get_attribute("#message", "class") == "error"
    assert desktop.map.read_bytes() == theirs
    page.wait_for_selector('#panel .claim-detail .status.s-disputed')  # the file as it is
    assert page.input_value("#e-note") != "my edit"


def test_a_map_that_stops_loading_is_shown_and_the_desk_recovers(page, desktop, run):
    broken = desktop.before.replace(b"version: 1", b"version: [1", 1)
    replace_file(desktop.map, broken)
    expected = run(["check"], cwd=desktop.folder).stderr.strip().splitlines()
    assert len(expected) == 1
    wanted = expected[0].replace("claims.yaml", str(desktop.map), 1)
    page.wait_for_selector("#load-error")
    page.wait_for_function("""t => document.querySelector('#load-error .error-line')
        .textContent === t""", arg=wanted)
    replace_file(desktop.map, desktop.before)
    page.wait_for_selector("#essay mark.claim")
    assert page.locator("#load-error").count() == 0


HOSTILE = '<img src=x onerror="alert(1)"><script>alert(2)</script>'


def test_values_that_look_like_html_stay_text(page, desktop):
    hostile = (desktop.before
               .replace(b'title: "Trump-Kim meeting \xe2\x80\x94 As it happened"',
                        b"title: '" + HOSTILE.encode() + b"'", 1)
               .replace(b'  title: "One Year After', b"  title: '" + HOSTILE.encode()
                        + b"'\n  subtitle_ignored: x\n  old_title: \"One Year After", 1))
    hostile = re.sub(rb'(    note: )"No source seen gives 80 percent[^\n]*',
                     lambda m: m.group(1) + b"'" + HOSTILE.encode() + b"'", hostile, count=1)
    replace_file(desktop.map, hostile)
    page.goto(desktop.url)
    page.wait_for_selector("#essay mark.claim")
    assert page.inner_text("h1") == HOSTILE
    open_claim(page, UNVERIFIED)
    assert page.inner_text("#panel .note") == HOSTILE
    cited = page.evaluate("""() => [...document.querySelectorAll('#sources option')]
        .map(o => o.label).filter(l => l.includes('onerror'))""")
    assert cited and cited[0].startswith(HOSTILE)
    assert page.locator("img, script:not([src])").count() == 0
    assert page.events["dialogs"] == []


def test_keyboard_alone_opens_accepts_and_edits(page, desktop):
    def tab_to(selector: str) -> None:
        for _ in range(60):
            if page.evaluate("s => document.activeElement.matches(s)", selector):
                return
            page.keyboard.press("Tab")
        raise AssertionError(f"Tab never reached {selector}")

    page.locator("body").press("n")
    for _ in range(70):
        claims = page.evaluate("() => document.activeElement.dataset.claims || ''")
        if DRIFTED in claims.split():
            break
        page.keyboard.press("n")
    page.keyboard.press("Enter")
    page.wait_for_selector(f'#panel .claim-detail[data-claim="{DRIFTED}"]')
    tab_to("#panel button[data-post$='/fix']")
    page.keyboard.press("Enter")
    wait_for_message(page, "quote updated")
    page.wait_for_selector("#panel .anchor b:has-text('exact')")
    page.keyboard.press("Escape")
    assert page.evaluate(f"() => document.activeElement.dataset.claims.split(' ').includes('{DRIFTED}')")
    page.keyboard.press("Enter")
    page.wait_for_selector(f'#panel .claim-detail[data-claim="{DRIFTED}"]')
    tab_to("#e-status")
    page.keyboard.press("ArrowDown")  # sourced -> unverified
    tab_to("#e-note")
    page.keyboard.press("Control+A")
    page.keyboard.type("Wording checked against the essay.")
    tab_to(".edit-claim button[type=submit]")
    page.keyboard.press("Enter")
    wait_for_message(page, "set note, status")
    removed, added = desktop.changes()
    assert removed[0] == '    quote: "negotiations seem to have stalled"'
    assert removed[1].startswith('    note: "As of June 2019')
    assert added == ['    quote: "negotiations appear to have stalled"', "    status: unverified",
                     '    note: "Wording checked against the essay."']


def test_a_write_from_another_origin_is_refused(browser, desktop, http_server):
    http_server.route("/", body=b"<!DOCTYPE html><title>elsewhere</title>",
                      headers={"Content-Type": "text/html"})
    context = browser.new_context()
    page = context.new_page()
    page.goto(http_server.url("/"))
    target = desktop.url.replace("/?", f"/api/claims/{UNVERIFIED}?")
    version = __import__("hashlib").sha256(desktop.before).hexdigest()
    result = page.evaluate("""([target, version]) => fetch(target, {method: 'POST', mode: 'no-cors',
        headers: {'Content-Type': 'text/plain'},
        body: JSON.stringify({version: version, status: 'disputed'})})
        .then(r => r.type, e => 'blocked')""", [target, version])
    assert result in ("opaque", "blocked")
    page.wait_for_timeout(200)
    assert desktop.map.read_bytes() == desktop.before
    context.close()


def test_no_serious_or_critical_accessibility_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    open_claim(page, DRIFTED)
    results = Axe().run(page)
    bad = [(v["id"], v["impact"], v["help"]) for v in results.response["violations"]
           if v["impact"] in ("serious", "critical")]
    assert bad == []


def test_checking_a_source_shows_its_link_and_excerpts_in_place(page, desktop, http_server):
    project = load(desktop.map)
    claim, excerpt = next((c.id, cit.excerpt) for c in project.cmap.claims for cit in c.citations
                          if cit.source == "dw2018asithappened" and cit.excerpt)
    http_server.route("/dw", body=f"<html><body><p>{excerpt}</p></body></html>".encode(),
                      headers={"Content-Type": "text/html; charset=utf-8"})
    old_url = "https://www.dw.com/en/donald-trump-kim-jong-un-singapore-summit-as-it-happened/a-44168480"
    replace_file(desktop.map, desktop.before.replace(old_url.encode(), http_server.url("/dw").encode()))
    desktop.before = desktop.map.read_bytes()
    page.goto(desktop.url)
    open_claim(page, claim)
    item = page.locator('#panel li[data-source="dw2018asithappened"]')
    item.locator("button:has-text('Check link and excerpt')").click()
    item.locator(".check-result .checked").wait_for()
    lines = item.locator(".check-result li").all_inner_texts()
    assert "url: ok (200)" in lines
    assert f"excerpt for {claim}: found" in lines
    assert desktop.map.read_bytes() == desktop.before
    # the page is in refmap's cache now: a new excerpt from it is checked against it
    open_claim(page, UNVERIFIED)
    page.fill("#c-source", "dw2018asithappened")
    page.fill("#c-excerpt", excerpt[:40])
    page.click(".add-citation button[type=submit]")
    assert "the excerpt is on the page as refmap last fetched it" in wait_for_message(
        page, "cites dw2018asithappened")


def test_a_new_source_by_url_is_shown_before_it_is_saved(page, desktop, http_server):
    http_server.route("/report", body=(
        b'<html><head><meta name="citation_title" content="Talks &lt;resumed&gt; in Stockholm">'
        b'<meta name="citation_author" content="Kim, Jiwon">'
        b'<meta name="citation_publication_date" content="2019/10/05"></head>'
        b"<body><p>text</p></body></html>"), headers={"Content-Type": "text/html"})
    page.fill("#ns-id", "url:" + http_server.url("/report"))
    page.click("#new-source button[type=submit]")
    page.locator("#new-source .preview").wait_for()
    preview = page.inner_text("#new-source .preview")
    assert "Talks <resumed> in Stockholm" in preview and "Kim" in preview
    assert desktop.map.read_bytes() == desktop.before  # nothing written yet
    key = page.inner_text("#new-source .preview p code")
    page.click("#new-source button:has-text('Add this source')")
    wait_for_message(page, f"added source '{key}'")
    removed, added = desktop.changes()
    assert removed == []
    assert f"  {key}:" in added and '    title: "Talks <resumed> in Stockholm"' in added
    page.wait_for_function("k => !!document.querySelector('#sources option[value=\"' + k + '\"]')",
                           arg=key)


def test_selecting_text_dismisses_its_sentence_as_not_a_claim(page, desktop):
    select_in_essay(page, "the talks resumed")
    page.wait_for_function("() => document.getElementById('nc-quote').value === 'the talks resumed'")
    page.click("#new-claim button:has-text('Not a claim')")
    assert NEW_SENTENCE in wait_for_message(page, "dismissed as not a claim")
    removed, added = desktop.changes()
    assert (removed, added) == ([], ["ignore:", f"  - quote: \"{NEW_SENTENCE}\""])
