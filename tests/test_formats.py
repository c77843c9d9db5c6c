"""The real course, built once in every format, checked the way a reader would."""

from __future__ import annotations

import json
import re
import subprocess
import zipfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

import check_epub
import check_pdf
import publications
from conftest import run_make

pytestmark = pytest.mark.build
VERSION = publications.build_version()
PUBS = publications.load()


class _Resources(HTMLParser):
    """Collect every URL a page loads (scripts, styles, fonts, images)."""

    def __init__(self) -> None:
        super().__init__()
        self.loaded: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in {"script", "img", "iframe", "source"} and values.get("src"):
            self.loaded.append(values["src"] or "")
        if tag == "link" and values.get("href") and (values.get("rel") or "") != "canonical":
            self.loaded.append(values["href"] or "")


def is_external(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


def test_every_publication_in_every_format(built: Path) -> None:
    for pub in PUBS:
        assert (built / "html" / pub.folder / "index.html").is_file()
        if "epub" in pub.formats:
            assert (built / "epub" / pub.key / pub.artifact(VERSION, "epub")).is_file()
        if "pdf" in pub.formats:
            assert (built / "pdf" / pub.key / "latex" / f"dsd-{pub.key}.pdf").is_file()
        if "xlsx" in pub.formats:
            assert (built / "xlsx" / pub.artifact(VERSION, "xlsx")).is_file()


def test_html_loads_nothing_from_the_network(built: Path) -> None:
    offenders = []
    for page in sorted((built / "html").rglob("*.html")):
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8"))
        offenders += [f"{page}: {url}" for url in parser.loaded if is_external(url)]
    for sheet in sorted((built / "html" / "_static").rglob("*.css")):
        text = sheet.read_text(encoding="utf-8", errors="replace")
        imports = re.findall(r"@import\s+url\((?:'|\")?(https?:[^)'\"]+)", text)
        offenders += [f"{sheet}: {url}" for url in imports]
    assert not offenders, "\n".join(offenders[:20])


def test_html_footer_and_downloads_carry_the_version(built: Path) -> None:
    page = (built / "html" / "curriculum" / "index.html").read_text(encoding="utf-8")
    assert f"version {VERSION}" in page
    assert f"downloads/dsd-curriculum-{VERSION}.pdf" in page
    assert f"downloads/dsd-curriculum-{VERSION}.epub" in page


@pytest.mark.parametrize("pub", [p for p in PUBS if "epub" in p.formats], ids=lambda p: p.key)
def test_epub_is_valid_and_versioned(built: Path, pub: publications.Publication) -> None:
    book = built / "epub" / pub.key / pub.artifact(VERSION, "epub")
    assert check_epub.epubcheck(book) == []
    with zipfile.ZipFile(book) as archive:
        assert archive.namelist()[0] == "mimetype"
        opf = archive.read("content.opf").decode()
    assert VERSION in opf
    assert pub.title.replace("&", "&amp;") in opf


@pytest.mark.parametrize("pub", [p for p in PUBS if "pdf" in p.formats], ids=lambda p: p.key)
def test_pdf_is_print_ready(built: Path, pub: publications.Publication) -> None:
    pdf = built / "pdf" / pub.key / "latex" / f"dsd-{pub.key}.pdf"
    assert check_pdf.problems(pdf) == []
    first_page = subprocess.run(["pdftotext", "-l", "1", str(pdf), "-"], capture_output=True,
                                text=True, check=True).stdout
    assert f"Version {VERSION}" in first_page
    assert "Index" in check_pdf.pdf_text(pdf)


def test_xlsx_carries_the_version(built: Path) -> None:
    book = built / "xlsx" / publications.by_key("decision-framework").artifact(VERSION, "xlsx")
    with zipfile.ZipFile(book) as archive:
        text = "".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist()
                       if n.endswith(".xml"))
    assert VERSION in text


MERMAID_BLOCK = re.compile(r"^```\{mermaid\}\n(?P<body>.*?)^```", re.MULTILINE | re.DOTALL)
PARTICIPANT = re.compile(r"^\s*participant\s+\S+\s+as\s+(.+?)\s*$", re.MULTILINE)


def diagram_sources(pub: publications.Publication) -> list[str]:
    root = Path(__file__).resolve().parent.parent / "source" / pub.folder
    return [m["body"] for page in sorted(root.rglob("*.md"))
            for m in MERMAID_BLOCK.finditer(page.read_text(encoding="utf-8"))]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("pub", PUBS, ids=lambda p: p.key)
def test_every_diagram_is_an_image_in_html(built: Path, pub: publications.Publication) -> None:
    source = Path(__file__).resolve().parent.parent / "source"
    for page in sorted((source / pub.folder).rglob("*.md")):
        blocks = len(MERMAID_BLOCK.findall(page.read_text(encoding="utf-8")))
        html = built / "html" / page.relative_to(source).with_suffix(".html")
        images = html.read_text(encoding="utf-8").count('class="mermaid-diagram"')
        assert images >= blocks, f"{page}: {blocks} diagrams, {images} images"


@pytest.mark.parametrize("pub", [p for p in PUBS if "epub" in p.formats], ids=lambda p: p.key)
def test_every_diagram_is_an_image_with_alt_text_in_epub(built: Path,
                                                          pub: publications.Publication) -> None:
    sources = diagram_sources(pub)
    book = built / "epub" / pub.key / pub.artifact(VERSION, "epub")
    with zipfile.ZipFile(book) as archive:
        pages = [archive.read(n).decode() for n in archive.namelist() if n.endswith(".xhtml")]
    tags = [tag for page in pages for tag in re.findall(r"<img [^>]*mermaid-diagram[^>]*>", page)]
    assert len(tags) == len(sources)
    assert all(re.search(r'alt="[^"]{20,}"', tag) for tag in tags)


@pytest.mark.parametrize("pub", [p for p in PUBS if "pdf" in p.formats], ids=lambda p: p.key)
def test_diagram_labels_are_text_in_the_pdf(built: Path, pub: publications.Publication) -> None:
    names = {name for body in diagram_sources(pub) for name in PARTICIPANT.findall(body)}
    text = squash(check_pdf.pdf_text(built / "pdf" / pub.key / "latex" / f"dsd-{pub.key}.pdf"))
    missing = sorted(name for name in names if squash(name) not in text)
    assert not missing, f"diagram labels not found as text: {missing}"


def test_a_no_op_rebuild_renders_no_diagram(built: Path) -> None:
    run_make("html")
    stats = json.loads((built / ".mermaid-cache" / "last-render.json").read_text(encoding="utf-8"))
    assert stats["builder"] == "html"
    assert stats["rendered"] == 0
    assert stats["diagrams"] > 0
