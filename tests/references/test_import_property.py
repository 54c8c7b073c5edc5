"""Property: whatever text a CSL-JSON record holds, `refmap import` either writes it into a map
that still loads, or skips the record (at its own position) or leaves the value out with a
warning; never a traceback, never a map that no longer loads. The import does not load the
new map again (MapEditor.trust_added), so this is what stands behind that."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

from click.testing import CliRunner
from editcheck import COMMENTED, small_project
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import refmap
from refmap.cli import cli
from refmap.values import inert

TEXT = st.lists(st.characters(codec="utf-8") | st.sampled_from(
    ["\x1b[31m", "\x00", "\x85", "\u2028", "\ufffe", "\ud800", "{", "}", "#", ": ", " #",
     "- ", "'", '"', "\\", "null", "~", "&a", "*a", "!!str", "%", "javascript:", "https://x",
     "NaN", "2019-13"]), max_size=8).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, family=TEXT, volume=TEXT, url=TEXT, key=TEXT)
@example(title="", family="", volume="", url="", key="\ud800")  # echoed: must print inert
@example(title="", family="", volume="", url='https://x"\ud800', key="")  # percent-encoded
def test_any_imported_text_leaves_a_map_that_loads(title: str, family: str, volume: str,
                                                   url: str, key: str) -> None:
    item = {"id": key or "k1", "type": "article-journal", "title": title or "t",
            "author": [{"family": family or "f", "given": "G"}], "volume": volume,
            "URL": url, "container-title": "J", "issued": {"date-parts": [[2019]]}}
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        path = small_project(folder, COMMENTED)
        (folder / "in.json").write_text(json.dumps([item]), "utf-8")
        result = CliRunner().invoke(cli, ["import", str(folder / "in.json"), "--map", str(path)])
        assert result.exception is None or isinstance(result.exception, SystemExit), result
        assert result.exit_code in (0, 2), result.output
        for line in result.stdout.splitlines():
            assert inert(line) == line
        refmap.load(path)  # the map still loads, whatever was written
