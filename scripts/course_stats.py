"""Measure the built course against its page targets: `make stats`.

Page counts come from the built PDFs' outlines (a module's pages run from
its first page to the next top-level entry), because printed pages, not
word counts, are what the specification sets. Beside them: prose words per
page from the sources, and the diagrams and labs each part has. The last
line names the site's heaviest page by bytes a browser transfers to show
it (the page and every local file it loads).

Usage: python scripts/course_stats.py [--build build] [--targets data/page-targets.yaml]
"""

from __future__ import annotations

import argparse
import re
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import yaml
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"
FENCE = re.compile(r"^(`{3,}|:{3,})")
DIRECTIVE_OPTION = re.compile(r"^:[\w-]+:")
MARKUP = re.compile(r"\{[\w:-]+\}`([^`<]*)(?:<[^>]*>)?`|\(([\w-]+)\)=|[#*_|>]")


class StatsError(RuntimeError):
    """A build product the report needs is missing; the message names it."""


def outline_spans(pdf: Path) -> list[tuple[str, int]]:
    """(title, pages) for each top-level outline entry of a PDF."""
    if not pdf.is_file():
        raise StatsError(f"{pdf}: not built; run `make pdf` first")
    reader = PdfReader(pdf)
    starts = [(item.title, reader.get_destination_page_number(item))
              for item in reader.outline if not isinstance(item, list)]
    ends = [start for _title, start in starts[1:]] + [len(reader.pages)]
    return [(title, end - start) for (title, start), end in zip(starts, ends, strict=True)]


def prose_words(folder: Path) -> int:
    """Words of running text: fenced blocks (code, diagrams, output) excluded."""
    words = 0
    for page in sorted(folder.glob("*.md")):
        fence = None
        for line in page.read_text(encoding="utf-8").splitlines():
            match = FENCE.match(line.strip())
            if fence is None and match:
                fence = match.group(1)
                continue
            if fence is not None:
                if line.strip() == fence:
                    fence = None
                continue
            if DIRECTIVE_OPTION.match(line.strip()):
                continue
            words += len(MARKUP.sub(r" \1 ", line).split())
    return words


def count(folder: Path, pattern: str) -> int:
    return sum(len(re.findall(pattern, p.read_text(encoding="utf-8"), re.M))
               for p in folder.glob("*.md"))


def labs(folder: Path) -> int:
    """Distinct lab programs a part runs in its pages."""
    found = set()
    for page in folder.glob("*.md"):
        found |= set(re.findall(r"^```\{lab-output\} ([\w.]+)", page.read_text(encoding="utf-8"),
                                re.M))
    return len(found)


def heading(folder: Path) -> str:
    text = (folder / "index.md").read_text(encoding="utf-8")
    return next(line[2:].strip() for line in text.splitlines() if line.startswith("# "))


def part_rows(build: Path, publication: str, prefix: str, targets: dict[str, int],
              default_target: int | None) -> list[dict[str, object]]:
    spans = dict(outline_spans(build / "pdf" / publication / "latex" / f"dsd-{publication}.pdf"))
    rows = []
    for folder in sorted((SOURCE / publication).glob(f"{prefix}[0-9][0-9]-*")):
        key = folder.name[:3]
        title = heading(folder)
        pages = spans.get(title)
        if pages is None:
            raise StatsError(f"{publication}: '{title}' ({folder.name}) is not in the PDF outline")
        words = prose_words(folder)
        rows.append({"part": f"{key} {title}", "pages": pages,
                     "target": targets.get(key, default_target), "words": words,
                     "per_page": round(words / pages) if pages else 0,
                     "diagrams": count(folder, r"^```\{mermaid\}"), "labs": labs(folder)})
    return rows


def publication_pages(build: Path, publication: str) -> int:
    pdf = build / "pdf" / publication / "latex" / f"dsd-{publication}.pdf"
    if not pdf.is_file():
        raise StatsError(f"{pdf}: not built; run `make pdf` first")
    return len(PdfReader(pdf).pages)


class _Resources(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        url = {"img": values.get("src"), "script": values.get("src"),
               "link": values.get("href") if values.get("rel") == "stylesheet" else None
               }.get(tag)
        if url:
            self.urls.append(url)


def heaviest_page(site: Path) -> tuple[str, int]:
    """The page whose HTML plus local images, scripts and styles weigh most."""
    best = ("", 0)
    for page in site.rglob("*.html"):
        if "_static" in page.relative_to(site).parts:
            continue
        parser = _Resources()
        parser.feed(page.read_text(encoding="utf-8", errors="replace"))
        files = {page}
        for url in parser.urls:
            parts = urlsplit(url)
            if not parts.scheme and not parts.netloc and parts.path:
                target = (page.parent / unquote(parts.path)).resolve()
                if target.is_file():
                    files.add(target)
        size = sum(f.stat().st_size for f in files)
        if size > best[1]:
            best = (page.relative_to(site).as_posix(), size)
    return best


def table(rows: list[dict[str, object]]) -> list[str]:
    lines = [f"  {'part':<52} {'pages':>5} {'target':>6} {'words':>7} {'w/page':>6} "
             f"{'diagr':>5} {'labs':>4}  status"]
    for r in rows:
        status = "ok" if r["target"] is None or r["pages"] >= r["target"] else "SHORT"
        lines.append(f"  {str(r['part'])[:52]:<52} {r['pages']:>5} {r['target'] or '-':>6} "
                     f"{r['words']:>7} {r['per_page']:>6} {r['diagrams']:>5} {r['labs']:>4}  "
                     f"{status}")
    return lines


def report(build: Path, targets_file: Path) -> tuple[str, bool]:
    targets = yaml.safe_load(targets_file.read_text(encoding="utf-8"))
    cur = targets["curriculum"]
    modules = part_rows(build, "curriculum", "m", cur["modules"], None)
    designs = part_rows(build, "worked-examples", "e", {},
                        targets["worked-examples"]["min_pages_each"])
    totals = {pub: publication_pages(build, pub)
              for pub in ("curriculum", "worked-examples", "decision-framework", "study-guide")}
    lines = ["Core Curriculum", *table(modules),
             f"  whole PDF: {totals['curriculum']} pages (floor {cur['min_pages']})", "",
             "Worked Examples", *table(designs),
             f"  whole PDF: {totals['worked-examples']} pages", "",
             f"Decision Framework: {totals['decision-framework']} pages",
             f"Further Study Guide: {totals['study-guide']} pages "
             f"(floor {targets['study-guide']['min_pages']})", ""]
    page, size = heaviest_page(build / "html")
    lines.append(f"Heaviest web page: {page}, {size / 1e6:.2f} MB with its images, "
                 "scripts and styles")
    short = [r for r in modules + designs if r["target"] and r["pages"] < r["target"]]
    short_total = (totals["curriculum"] < cur["min_pages"]
                   or totals["study-guide"] < targets["study-guide"]["min_pages"])
    return "\n".join(lines) + "\n", bool(short) or short_total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=ROOT / "build")
    parser.add_argument("--targets", type=Path, default=ROOT / "data" / "page-targets.yaml")
    parser.add_argument("--check", action="store_true", help="exit 1 if any part is short")
    args = parser.parse_args(argv)
    try:
        text, short = report(args.build, args.targets)
    except StatsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    sys.stdout.write(text)
    return 1 if args.check and short else 0


if __name__ == "__main__":
    sys.exit(main())
