"""The editing commands on the bundled map: the exact lines each changes, nothing else.

`claim remove | set | rename | split | merge`, `cite --remove | --replace`, `source set | rename
| remove`, each through the byte-preserving editor; --dry-run prints the diff and writes
nothing; bad input is one line, exit 2, the map unchanged.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

import refmap

SAME = "same"


def changes(old: str, new: str) -> tuple[list[str], list[str]]:
    """(lines taken out, lines put in), in file order."""
    diff = list(difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0))
    body = [d for d in diff if not d.startswith(("---", "+++", "@@"))]
    return [d[1:] for d in body if d[0] == "-"], [d[1:] for d in body if d[0] == "+"]


def edit(run, bundled: Path, args: list[str]) -> tuple[list[str], list[str], str]:
    path = bundled / "claims.yaml"
    old = path.read_text("utf-8")
    result = run(args, cwd=bundled)
    assert result.exit_code == 0, result.stderr
    return (*changes(old, path.read_text("utf-8")), result.stdout)


def test_claim_remove_takes_out_its_lines_and_the_blank_after(bundled: Path, run) -> None:
    path = bundled / "claims.yaml"
    old = path.read_text("utf-8")
    block = ('  - id: opinion-rollercoaster\n'
             '    quote: "The past two years of U.S.-North Korea relations have been a '
             'rollercoaster ride"\n'
             '    kind: opinion\n\n')
    assert old.count(block) == 1
    result = run(["claim", "remove", "opinion-rollercoaster"], cwd=bundled)
    assert (result.exit_code, result.stdout) == (0, "claim 'opinion-rollercoaster' removed\n")
    # compared as text: a line diff may show the taken blank before or after the block
    assert path.read_text("utf-8") == old.replace(block, "")
    assert refmap.load(path).cmap.claim("opinion-rollercoaster") is None


def test_claim_remove_of_the_last_claim_takes_the_blank_before(bundled: Path, run) -> None:
    path = bundled / "claims.yaml"
    last = refmap.load(path).cmap.claims[-1].id
    gone, added, _ = edit(run, bundled, ["claim", "remove", last])
    assert added == [] and gone[0] == "" and gone[1] == f"  - id: {last}"
    assert path.read_text("utf-8").endswith('"\n')


def test_claim_set_changes_only_the_values_given(bundled: Path, run) -> None:
    gone, added, out = edit(run, bundled, [
        "claim", "set", "singapore-first-meeting", "--kind", "figure", "--status",
        "unverified", "--note", "date not confirmed"])
    assert out.splitlines() == [
        "claim 'singapore-first-meeting': kind event -> figure",
        "claim 'singapore-first-meeting': status sourced -> unverified",
        "claim 'singapore-first-meeting': note set"]
    assert gone == ["    kind: event"]
    assert added == ["    kind: figure", "    status: unverified",
                     '    note: "date not confirmed"']


def test_claim_set_empty_note_removes_it(bundled: Path, run) -> None:
    gone, added, _ = edit(run, bundled, ["claim", "set", "singapore-summit", "--note", ""])
    assert added == [] and len(gone) == 1 and gone[0].startswith('    note: "Summit held')


def test_claim_set_quote_must_occur_once_and_takes_the_essays_typography(
        bundled: Path, run) -> None:
    gone, added, _ = edit(run, bundled, ["claim", "set", "negotiations-stalled", "--quote",
                                         "negotiations seem to have stalled. And yet"])
    assert gone == ['    quote: "negotiations seem to have stalled"']
    assert added == ['    quote: "negotiations seem to have stalled. And yet"']


def test_claim_set_status_synonym_and_dry_run_writes_nothing(bundled: Path, run) -> None:
    path = bundled / "claims.yaml"
    old = path.read_bytes()
    result = run(["claim", "set", "trump-letter", "--status", "verified", "--dry-run"],
                 cwd=bundled)
    assert result.exit_code == 2
    assert result.stderr == "Error: --status: unknown value 'verified'; did you mean 'sourced'?\n"
    result = run(["claim", "set", "trump-letter", "--kind", "quote", "--dry-run"], cwd=bundled)
    assert result.exit_code == 0 and path.read_bytes() == old
    assert "-    kind: statement\n+    kind: quote\n" in result.stdout


def test_claim_rename(bundled: Path, run) -> None:
    gone, added, out = edit(run, bundled, ["claim", "rename", "trump-letter", "kim-letter"])
    assert (gone, added) == (["  - id: trump-letter"], ["  - id: kim-letter"])
    assert out == "claim 'trump-letter' renamed to 'kim-letter'\n"


def test_cite_remove_and_replace(bundled: Path, run) -> None:
    gone, added, out = edit(run, bundled, ["cite", "singapore-summit", "cnas2019oneyear",
                                           "--remove"])
    assert out == "claim 'singapore-summit' no longer cites 'cnas2019oneyear' at para. 1\n"
    assert added == [] and gone[:2] == ["      - source: cnas2019oneyear",
                                        '        locator: "para. 1"']
    assert len(gone) == 3
    gone, added, _ = edit(run, bundled, ["cite", "singapore-summit", "dw2018asithappened",
                                         "--replace", "--locator", "para. 1", "--excerpt",
                                         "meeting for a historic summit"])
    assert gone == ['        locator: "opening bullet points"',
                    "        excerpt: \"US President Donald Trump and North Korean leader Kim "
                    "Jong Un are meeting for a historic summit on Singapore's Sentosa Island.\""]
    assert added == ['        locator: "para. 1"',
                     '        excerpt: "meeting for a historic summit"']


def test_cite_replace_picks_among_citations_of_one_source_by_locator(bundled: Path, run) -> None:
    result = run(["cite", "cap-report", "cap2019release", "--remove"], cwd=bundled)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: claims.yaml:") and result.stderr.endswith(
        "claim 'cap-report' cites 'cap2019release' 2 times (at 'para. 1', 'para. 2'); "
        "pick one with --at LOCATOR\n")
    gone, added, _ = edit(run, bundled, ["cite", "cap-report", "cap2019release", "--replace",
                                         "--at", "para. 2", "--locator", ""])
    assert (gone, added) == (['        locator: "para. 2"'], [])


def test_source_set_rename_remove(bundled: Path, run) -> None:
    gone, added, out = edit(run, bundled, ["source", "set", "dw2018asithappened", "accessed",
                                           "2026-12-01"])
    assert (gone, added) == (["    accessed: 2026-11-25"], ["    accessed: 2026-12-01"])
    assert out == "source 'dw2018asithappened': accessed set to '2026-12-01'\n"
    gone, added, out = edit(run, bundled, ["source", "rename", "cnas2019oneyear", "cnas2019"])
    assert gone == ["  cnas2019oneyear:", "      - source: cnas2019oneyear",
                    "      - source: cnas2019oneyear"]
    assert added == ["  cnas2019:", "      - source: cnas2019", "      - source: cnas2019"]
    assert out == "source 'cnas2019oneyear' and 2 citations renamed to 'cnas2019'\n"


def test_source_remove_refused_while_cited_unless_forced(bundled: Path, run) -> None:
    path = bundled / "claims.yaml"
    old = path.read_bytes()
    result = run(["source", "remove", "cnas2019oneyear"], cwd=bundled)
    assert result.exit_code == 2 and path.read_bytes() == old
    assert result.stderr == ("Error: claims.yaml:26:5: source 'cnas2019oneyear' is cited by 2 "
                             "claims (singapore-summit, negotiations-stalled); --force removes "
                             "those citations too\n")
    result = run(["source", "remove", "cnas2019oneyear", "--force", "--dry-run"], cwd=bundled)
    assert result.exit_code == 0 and path.read_bytes() == old
    assert result.stdout.startswith(
        "claim 'singapore-summit' no longer cites 'cnas2019oneyear'\n"
        "claim 'negotiations-stalled' no longer cites 'cnas2019oneyear'\n"
        "source 'cnas2019oneyear' removed\n--- a/claims.yaml\n")
    gone, added, _ = edit(run, bundled, ["source", "remove", "cnas2019oneyear", "--force"])
    assert added == [] and gone[0] == "  cnas2019oneyear:"
    assert sum(line == "      - source: cnas2019oneyear" for line in gone) == 2
    assert "cnas2019oneyear" not in path.read_text("utf-8")
    assert refmap.load(path).check().exit_code == refmap.load(
        Path(__file__).resolve().parents[2] / "claims.yaml").check().exit_code


def test_split_then_merge_is_the_claim_again(bundled: Path, run) -> None:
    path = bundled / "claims.yaml"
    before = refmap.load(path).cmap.claim("singapore-first-meeting")
    result = run(["claim", "split", "singapore-first-meeting", "the first-ever meeting",
                  "of a sitting U.S. president and North Korean leader", "--id", "second"],
                 cwd=bundled)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == (
        "claim 'singapore-first-meeting' now quotes 'the first-ever meeting'\n"
        "added claim 'second' quoting 'of a sitting U.S. president and North Korean leader'\n")
    claims = refmap.load(path).cmap.claims
    ids = [c.id for c in claims]
    assert ids[1:3] == ["singapore-first-meeting", "second"]
    assert claims[2].citations == claims[1].citations == before.citations
    assert claims[2].kind == before.kind
    result = run(["claim", "merge", "singapore-first-meeting", "second"], cwd=bundled)
    assert result.exit_code == 0, result.stderr
    assert path.read_text("utf-8") == (Path(__file__).resolve().parents[2] / "claims.yaml").read_text(
        "utf-8")


def test_merge_then_split_gives_both_quotes_back(bundled: Path, run) -> None:
    path = bundled / "claims.yaml"
    cmap = refmap.load(path).cmap
    first, second = cmap.claim("singapore-summit"), cmap.claim("singapore-first-meeting")
    assert run(["claim", "merge", "singapore-summit", "singapore-first-meeting"],
               cwd=bundled).exit_code == 0
    merged = refmap.load(path)
    claim = merged.cmap.claim("singapore-summit")
    assert claim.quote.startswith(first.quote) and claim.quote.endswith(second.quote)
    assert [c.source for c in claim.citations] == [
        c.source for c in first.citations + second.citations]
    result = run(["claim", "split", "singapore-summit", first.quote, second.quote,
                  "--id", "singapore-first-meeting"], cwd=bundled)
    assert result.exit_code == 0, result.stderr
    again = refmap.load(path).cmap
    assert again.claim("singapore-summit").quote == first.quote
    assert again.claim("singapore-first-meeting").quote == second.quote


@pytest.mark.parametrize("args, message", [
    (["claim", "remove", "singapore-summt"],
     "Error: no claim 'singapore-summt' in claims.yaml; did you mean 'singapore-summit'?"),
    (["claim", "rename", "trump-letter", "moon-talks-happening"],
     "Error: claims.yaml:1132:9: claim 'moon-talks-happening' is already in the map"),
    (["claim", "split", "singapore-first-meeting", "the first-ever meeting", "Kim Jong Un"],
     "Error: claims.yaml:916:12: 'Kim Jong Un' is not in the quote of claim "
     "'singapore-first-meeting'"),
    (["claim", "set", "trump-letter", "--note", "a\x07bell"],
     "Error: --note: the value holds a control character (\\x07); remove it"),
    (["claim", "set", "trump-letter", "--quote", "North Korea"],
     "Error: quote matches 26 places in essay.txt (1:148, 2:28, 2:115, 2:257, 2:506 and 21 "
     "more); lengthen it"),
    (["claim", "set", "trump-letter", "--kind", "figur"],
     "Error: --kind: unknown value 'figur'; did you mean 'figure'?"),
    (["cite", "trump-letter", "dw2018asithappend", "--remove"],
     "Error: claims.yaml:1120:5: claim 'trump-letter' does not cite 'dw2018asithappend'"),
    (["source", "rename", "cnas2019oneyer", "x"],
     "Error: no source 'cnas2019oneyer' in claims.yaml; did you mean 'cnas2019oneyear'?"),
    (["source", "rename", "cnas2019oneyear", "dw2018asithappened"],
     "Error: claims.yaml:18:5: source 'dw2018asithappened' is already in the map"),
    (["source", "set", "dw2018asithappened", "dat", "2019"],
     "Error: no source field 'dat'; did you mean 'date'?"),
    (["source", "set", "dw2018asithappened", "date", "2019-02-30"],
     "Error: date: malformed date '2019-02-30' (expected YYYY, YYYY-MM or YYYY-MM-DD)"),
    (["source", "set", "dw2018asithappened", "title", "a\x1b[31mred"],
     "Error: title: the value holds a control character (\\x1b); remove it"),
])
def test_bad_input_is_one_line_exit_2_and_the_map_unchanged(bundled: Path, run, args,
                                                            message) -> None:
    path = bundled / "claims.yaml"
    old = path.read_bytes()
    result = run(args, cwd=bundled)
    assert (result.exit_code, result.stderr) == (2, message + "\n")
    assert path.read_bytes() == old


def diff_lines(stdout: str) -> list[str]:
    """The lines a --dry-run diff takes out (-) and puts in (+), in order."""
    return [line for line in stdout.splitlines()
            if line[:1] in "+-" and not line.startswith(("---", "+++"))]


NPR = ["      - source: npr2018highlights", '        locator: "para. 2"',
       '        excerpt: "The day began with a historic handshake, the first meeting ever '
       'between a sitting U.S. president and a North Korean leader."',
       "      - source: nknews2018handshake", '        locator: "para. 1"',
       '        excerpt: "Kim Jong Un and Donald Trump met and shared a historic handshake in '
       'Singapore on Tuesday morning, in a meeting representing the first between a North '
       'Korean leader and a sitting U.S. President."']


def test_split_dry_run_shows_exactly_the_new_claim(bundled: Path, run) -> None:
    result = run(["claim", "split", "singapore-first-meeting", "the first-ever meeting",
                  "of a sitting U.S. president and North Korean leader", "--dry-run"],
                 cwd=bundled)
    assert result.exit_code == 0, result.stderr
    assert diff_lines(result.stdout) == [
        '-    quote: "the first-ever meeting of a sitting U.S. president and North Korean '
        'leader"',
        '+    quote: "the first-ever meeting"',
        "+  - id: sitting-u-s-president-north",
        '+    quote: "of a sitting U.S. president and North Korean leader"',
        "+    kind: event", "+    citations:", *("+" + line for line in NPR), "+"]


def test_merge_dry_run_shows_exactly_the_moved_citations(bundled: Path, run) -> None:
    result = run(["claim", "merge", "singapore-summit", "singapore-first-meeting",
                  "--dry-run"], cwd=bundled)
    assert result.exit_code == 0, result.stderr
    assert diff_lines(result.stdout) == [
        '-    quote: "One year after the Singapore Summit"',
        '+    quote: "One year after the Singapore Summit—which brought together Donald Trump '
        'and Kim Jong Un for the first-ever meeting of a sitting U.S. president and North '
        'Korean leader"',
        *("+" + line for line in NPR),
        "-  - id: singapore-first-meeting",
        '-    quote: "the first-ever meeting of a sitting U.S. president and North Korean '
        'leader"',
        "-    kind: event", "-    citations:", *("-" + line for line in NPR), "-"]


@pytest.mark.parametrize(("url", "message"), [
    ("javascript:alert(1)", "only http and https URLs are used, not 'javascript:'"),
    ("http://[::1/x", "it is not a valid URL"),
])
def test_source_set_refuses_a_url_check_would_refuse(url: str, message: str, bundled: Path,
                                                     run) -> None:
    before = (bundled / "claims.yaml").read_bytes()
    result = run(["source", "set", "politico2017mcpoll", "url", url], cwd=bundled)
    assert (result.exit_code, result.stderr) == (2, f"Error: url: {message}\n")
    assert (bundled / "claims.yaml").read_bytes() == before


def test_source_set_writes_a_url_as_a_browser_sends_it(bundled: Path, run) -> None:
    result = run(["source", "set", "politico2017mcpoll", "url", "https://example.org/a b"],
                 cwd=bundled)
    assert result.exit_code == 0
    assert "url: \"https://example.org/a%20b\"" in (bundled / "claims.yaml").read_text("utf-8")
    assert run(["check", "--errors-only"], cwd=bundled).exit_code == 0
