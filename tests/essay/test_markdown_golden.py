"""The Markdown reader on essays as people write them: the text, its regions and its map back
to the file are exactly what they were when the goldens were written. Speed work on the
reader (bench/bench_hostile_readers.py) must leave all three as they are.

Regenerate a golden only for a change meant to alter what is read:
    python tests/essay/test_markdown_golden.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS.parent))

from refmap.essay.readers import markdown  # noqa: E402

GOLDEN = TESTS / "fixtures" / "markdown-golden"
ESSAYS = {
    "post": GOLDEN / "post.md",
    "essay-forms": TESTS / "fixtures" / "essay-forms" / "essay.md",
    "hugo-post": TESTS / "fixtures" / "essays-as-written" / "hugo-post.md",
    "article": TESTS / "fixtures" / "essays-as-written" / "article.md",
    "pandoc-structures": TESTS / "fixtures" / "pandoc-structures" / "essay.md",
}


def model_of(path: Path) -> dict[str, object]:
    model = markdown.read(path.read_text("utf-8"), path.name)
    assert model.offsets is not None
    return {"text": model.text, "regions": [list(r) for r in model.regions],
            "offsets": {field: list(values) for field, values in model.offsets._asdict().items()}}


@pytest.mark.parametrize("name", sorted(ESSAYS))
def test_markdown_reads_as_the_golden_says(name: str):
    expected = json.loads((GOLDEN / f"{name}.json").read_text("utf-8"))
    assert model_of(ESSAYS[name]) == expected


if __name__ == "__main__":
    for name, path in ESSAYS.items():
        (GOLDEN / f"{name}.json").write_text(
            json.dumps(model_of(path), ensure_ascii=False, indent=0) + "\n", "utf-8")
