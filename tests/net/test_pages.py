from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from pdfbytes import make_pdf
from refmap.net.pages import (
    PageText, Unverifiable, decode_html, decode_text, html_main_text, page_text, visible_text,
)

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"

BODY = [
    "Harbour traffic doubles in a year",
    "The harbour board said on Tuesday that container traffic had doubled since last spring, "
    "the fastest growth recorded at the port in three decades of published figures.",
    "\u201cWe have never seen a year like it,\u201d said the board\u2019s chair, Maria L\u00f3pez "
    "\u2014 who took office in 2019 \u2014 in a statement to the city council.",
    "Officials said the new terminal would open ahead of schedule in the autumn, and that "
    "dredging of the outer channel had been completed without incident.",
    "The report lists three causes:",
    "lower fees for feeder ships,",
    "a longer quay and a new rail link to the inland depot.",
    "Critics on the council caf\u00e9 committee noted that the figures had not yet been audited "
    "and asked for an independent review before the next budget.",
]


def fixture(name: str) -> bytes:
    return (PAGES / name).read_bytes()


@pytest.mark.parametrize(
    ("name", "content_type", "encoding"),
    [
        ("article-utf8.html", "text/html; charset=utf-8", "utf-8"),
        ("article-cp1252.html", "text/html", "cp1252"),
        ("article-wrong-header.html", "text/html; charset=ISO-8859-1", "utf-8"),
    ],
)
def test_html_article_text_without_boilerplate(name: str, content_type: str, encoding: str) -> None:
    page = page_text(fixture(name), content_type)
    assert page == PageText("\n".join(BODY), "html", encoding)


def test_boilerplate_is_dropped() -> None:
    page = page_text(fixture("article-utf8.html"), "text/html")
    assert isinstance(page, PageText)
    for boilerplate in ("Sport", "Search the archive", "Ferry timetable", "All rights reserved",
                        "tracking", "font-family"):
        assert boilerplate not in page.text


def test_inline_markup_reads_as_continuous_text() -> None:
    html = ("<html><body><article><p>The <em>re</em>cord was set in <a href='/s'>Seoul</a>, "
            "<b>South</b> Korea,<br>on a cold day in the winter of that year.</p>"
            "<p>A second paragraph follows the first one here.</p></article></body></html>")
    assert html_main_text(html) == (
        "The record was set in Seoul, South Korea,\non a cold day in the winter of that year.\n"
        "A second paragraph follows the first one here."
    )


def test_page_without_main_text_falls_back_to_all_its_text() -> None:
    assert html_main_text("<html><body><div>Just <i>one</i> line.</div></body></html>") == (
        "Just one line."
    )


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        # a BOM wins over the header
        (codecs.BOM_UTF8 + "caf\u00e9".encode(), "text/html; charset=windows-1252", "utf-8"),
        (codecs.BOM_UTF16_LE + "caf\u00e9".encode("utf-16-le"), None, "utf-16-le"),
        # the header wins over <meta>
        (b'<meta charset="utf-8">caf\xe9', "text/html; charset=windows-1252", "cp1252"),
        # <meta> wins over sniffing; ISO-8859-1 means Windows-1252, as in browsers
        (b'<meta charset="iso-8859-1">\x93caf\xe9\x94', "text/html", "cp1252"),
        (b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">\xc1', None,
         "koi8-r"),
        # no declaration: UTF-8 if valid, else Windows-1252
        ("caf\u00e9".encode(), None, "utf-8"),
        (b"caf\xe9", None, "cp1252"),
        # wrong declarations: single-byte over multi-byte UTF-8, UTF-8 over invalid bytes
        ("caf\u00e9".encode(), "text/html; charset=iso-8859-1", "utf-8"),
        ('<meta charset="windows-1252">caf\u00e9'.encode(), None, "utf-8"),
        (b"caf\xe9", "text/html; charset=utf-8", "cp1252"),
        # an unknown label is ignored; a UTF-16 label in an ASCII body means UTF-8
        ("caf\u00e9".encode(), "text/html; charset=x-no-such", "utf-8"),
        (b'<meta charset="utf-16">caf\xc3\xa9', None, "utf-8"),
        # a multi-byte legacy charset is trusted even over valid UTF-8 bytes
        ("\u4e2d\u6587".encode("gbk"), "text/html; charset=gb2312", "gb18030"),
    ],
)
def test_charset_rule(body: bytes, content_type: str | None, expected: str) -> None:
    assert decode_html(body, content_type)[1] == expected


def test_wrong_header_is_not_mojibake() -> None:
    text, _ = decode_html("\u201cEl caf\u00e9\u201d".encode(), "text/html; charset=ISO-8859-1")
    assert text == "\u201cEl caf\u00e9\u201d"


def test_windows_1252_quotes_decode_to_curly_quotes() -> None:
    assert decode_text(b"\x93It\x92s\x94 \x96 ok", "iso-8859-1") == (
        "\u201cIt\u2019s\u201d \u2013 ok", "cp1252"
    )


def test_pdf_text() -> None:
    body = make_pdf([["Annual report of the harbour board", "Traffic doubled (again)."],
                     ["Appendix: caf\u00e9 prices"]])
    expected = PageText(
        "Annual report of the harbour board\nTraffic doubled (again).\n\n"
        "Appendix: caf\u00e9 prices",
        "pdf", None,
    )
    assert page_text(body, "application/pdf") == expected
    assert page_text(body, "application/octet-stream") == expected
    assert page_text(body, None) == expected


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image/png", "not text (image/png)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", None, "not text (unknown binary)"),
        (b"PK\x03\x04\x14\x00", "application/zip; name=x", "not text (application/zip)"),
        (b"GIF89a", "image/gif\x1b[31m", "not text (image/gif\\x1b[31m)"),
        (b"  \n ", "text/html", "the page is empty"),
        (b"<html><body><script>var x = 1;</script></body></html>", "text/html",
         "no text found on the page"),
        (b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog", "application/pdf", "the PDF cannot be read"),
        (make_pdf([[]]), "application/pdf", "the PDF has no text layer"),
    ],
)
def test_unverifiable(body: bytes, content_type: str | None, reason: str,
                      capsys: pytest.CaptureFixture[str]) -> None:
    assert page_text(body, content_type) == Unverifiable(reason)
    assert capsys.readouterr() == ("", "")


def test_plain_text_and_sniffed_html() -> None:
    assert page_text("caf\u00e9\n".encode(), "text/plain") == PageText(
        "caf\u00e9\n", "text", "utf-8"
    )
    assert page_text(b"just words", None) == PageText("just words", "text", "utf-8")
    sniffed = page_text(b"<!DOCTYPE html><html><body><p>Hello there.</p></body></html>", None)
    assert sniffed == PageText("Hello there.", "html", "utf-8")


def test_page_nested_too_deep_for_lxml_still_has_text() -> None:
    depth = 400
    html = ("<html><head><title>T</title></head><body>" + "<div>" * depth
            + "<p>Deep <em>inside</em> the page.</p><p>Second line.</p><script>x = 1</script>"
            + "</div>" * depth + "</body></html>")
    assert page_text(html.encode(), "text/html") == PageText(
        "Deep inside the page.\nSecond line.", "html", "utf-8"
    )


def test_visible_text_survives_a_bad_marked_section() -> None:
    assert visible_text("<p>Kept text.</p><![OCTYPE x]><p>lost</p>") == "Kept text."
