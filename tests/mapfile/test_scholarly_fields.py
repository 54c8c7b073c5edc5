"""The scholarly fields (doi, isbn, issn, volume, number, pages, edition, eprint/eprinttype):
validated and stored in canonical form by the loader, exported to BibLaTeX, classic BibTeX and
CSL-JSON in forms biber, pandoc and the CSL schema accept, and read back by `import`."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

import refmap
from bibtools import biber_validate, pandoc_render
from conftest import TESTS
from refmap.exporters import bibtex, csljson
from refmap.references.importers import read_references

MAP = """\
version: 1
essay:
  path: essay.txt
sources:
  vaswani2017attention:
    type: article
    title: Attention Is All You Need
    authors:
      - {family: Vaswani, given: Ashish}
    journal: Advances in Neural Information Processing Systems
    date: 2017
    volume: "30"
    number: "2"
    pages: 5998--6008
    issn: 1049-5258
    doi: https://doi.org/10.48550/arXiv.1706.03762
    eprint: "1706.03762"
    eprinttype: arxiv
  kim2020book:
    type: book
    title: A Book on Korea
    authors:
      - {family: Kim, given: Min-ji}
    publisher: Example Press
    date: 2020
    edition: "2"
    isbn: 978-0-306-40615-7
  smith2019pubmed:
    type: report
    title: A Study
    authors:
      - {literal: Health Institute}
    institution: Health Institute
    date: 2019
    number: "12"
    eprint: "31452104"
    eprinttype: pubmed
claims: []
"""


@pytest.fixture
def project(tmp_path: Path) -> refmap.Project:
    (tmp_path / "essay.txt").write_text("Text.", "utf-8")
    (tmp_path / "claims.yaml").write_text(MAP, "utf-8")
    return refmap.load(tmp_path / "claims.yaml")


def test_loader_stores_canonical_forms(project):
    a = project.cmap.sources["vaswani2017attention"]
    assert (a.doi, a.pages, a.issn, a.eprint) == (
        "10.48550/arXiv.1706.03762", "5998-6008", "1049-5258", "1706.03762")
    assert project.cmap.sources["kim2020book"].isbn == "9780306406157"
    assert project.check().exit_code == 0


@pytest.mark.parametrize("field,value,message", [
    ("doi", "10.1000", "'doi': DOI '10.1000' has no suffix after '10.<registrant>/'"),
    ("isbn", "978-0-306-40615-3", "'isbn': ISBN check digit is 3, expected 7"),
    ("issn", "1049-5259", "'issn': ISSN check digit is 9, expected 8"),
    ("pages", "twelve to forty",
     "'pages': pages 'twelve to forty' are not page numbers or ranges such as 12-34"),
    ("eprinttype", "ssrn", "'eprinttype': unknown eprint type 'ssrn' (one of: arxiv, pubmed, "
                           "jstor, hdl, googlebooks)"),
])
def test_bad_identifiers_are_located_one_line_errors(field, value, message, tmp_path, run):
    (tmp_path / "essay.txt").write_text("Text.", "utf-8")
    text = MAP.replace("    date: 2020\n", f"    date: 2020\n    {field}: '{value}'\n", 1)
    if field == "isbn":
        text = text.replace("    isbn: 978-0-306-40615-7\n", "")
    (tmp_path / "claims.yaml").write_text(text, "utf-8")
    result = run(["check"], cwd=tmp_path)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line == f"Error: claims.yaml:26:{len(field) + 7}: source 'kim2020book': {message}"


def test_a_source_with_a_doi_and_no_url_is_fine(project):
    assert project.cmap.sources["vaswani2017attention"].url is None
    codes = {f.code for f in project.check().findings if f.source == "vaswani2017attention"}
    assert codes == {"unused-source"}  # no missing-field, bad-url or missing-accessed


def test_biblatex_export_passes_biber_and_pandoc_shows_an_en_dash(project, tmp_path):
    bib = tmp_path / "refs.bib"
    bib.write_text(bibtex.export(project.cmap), "utf-8")
    text = bib.read_text("utf-8")
    assert "pages = {5998--6008}" in text and "doi = {10.48550/arXiv.1706.03762}" in text
    assert "isbn = {9780306406157}" in text and "eprinttype = {pubmed}" in text
    result = biber_validate(bib)
    assert result.returncode == 0 and "WARN" not in result.stdout + result.stderr, result.stdout
    rendered = pandoc_render(bib)
    assert "5998–6008" in rendered.stdout and "10.48550/arXiv.1706.03762" in rendered.stdout


def test_classic_bibtex_writes_each_identifier_once(project):
    text = bibtex.export(project.cmap, dialect="bibtex")
    assert text.count("10.48550/arXiv.1706.03762") == 1
    assert "archiveprefix = {arXiv}" in text and "pmid = {31452104}" in text


def test_csl_json_follows_the_schema_with_an_en_dash_range(project):
    items = json.loads(csljson.export(project.cmap))
    schema = json.loads((TESTS / "fixtures" / "csl-data.json").read_text("utf-8"))
    jsonschema.validate(items, schema)
    article = items[0]
    assert (article["page"], article["DOI"], article["issue"]) == (
        "5998–6008", "10.48550/arXiv.1706.03762", "2")
    assert items[2]["PMID"] == "31452104"


@pytest.mark.parametrize("fmt,suffix", [("biblatex", ".bib"), ("csl", ".json")])
def test_exports_read_back_with_the_same_fields(project, tmp_path, fmt, suffix):
    out = tmp_path / f"refs{suffix}"
    text = bibtex.export(project.cmap) if fmt == "biblatex" else csljson.export(project.cmap)
    out.write_text(text, "utf-8")
    batch = read_references(out, out.name)
    for record in batch.records:
        source = project.cmap.sources[record.key]
        for name in ("doi", "isbn", "issn", "volume", "number", "pages", "edition", "eprint",
                     "eprinttype"):
            assert record.fields.get(name) == getattr(source, name), (record.key, name)
