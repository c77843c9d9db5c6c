"""Check every internal link and anchor of a built HTML site, offline.

Sphinx's own reference checks stop at the source: a template, a theme, a
post-processing step or a hand-written ``href`` can still point at a page or
an ``#anchor`` that does not exist. This reads the built files the way a
browser would and reports each dangling link with the page it is on.
External links (http, https, mailto) are checked by the weekly workflow.

Usage: python scripts/check_links.py [build/html]
Prints ``page: href`` for each broken link; exits 1 if there are any.
"""

from __future__ import annotations

import argparse
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

SKIP_SCHEMES = {"http", "https", "mailto", "javascript", "data", "tel"}


class _Collector(HTMLParser):
    """Collect the ids a page defines and the links it makes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                self.ids.add(str(values[key]))
        attribute = {"a": "href", "link": "href", "img": "src", "script": "src"}.get(tag)
        if attribute and values.get(attribute):
            if tag == "link" and values.get("rel") not in ("stylesheet", "icon", "prev",
                                                           "next", "index", "search"):
                return
            self.links.append(str(values[attribute]))


def parse(page: Path) -> _Collector:
    collector = _Collector()
    collector.feed(page.read_text(encoding="utf-8", errors="replace"))
    return collector


def broken_links(site: Path) -> list[tuple[str, str]]:
    """(page, href) for each internal link whose file or anchor is missing."""
    # Theme template fragments copied into _static/ are not pages.
    pages = {page: parse(page) for page in sorted(site.rglob("*.html"))
             if "_static" not in page.relative_to(site).parts}
    problems = []
    for page, found in pages.items():
        for href in found.links:
            parts = urlsplit(href)
            if parts.scheme in SKIP_SCHEMES or parts.netloc:
                continue
            target = page if not parts.path else (page.parent / unquote(parts.path))
            target = target.resolve()
            if target.is_dir():
                target = target / "index.html"
            relative = page.relative_to(site).as_posix()
            if not target.exists():
                problems.append((relative, href))
            elif parts.fragment and target.suffix == ".html":
                ids = pages[target].ids if target in pages else parse(target).ids
                if unquote(parts.fragment) not in ids:
                    problems.append((relative, href))
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path, nargs="?", default=Path("build/html"))
    args = parser.parse_args(argv)
    if not (args.site / "index.html").is_file():
        print(f"error: {args.site}: no built site (index.html missing)", file=sys.stderr)
        return 1
    problems = broken_links(args.site)
    for page, href in problems:
        print(f"{page}: {href}")
    print(f"{len(problems)} broken internal link(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
