"""List the web pages a change affects, as Markdown for a pull request's summary.

A reviewer reads the built site from the workflow's artifact; this tells
them which pages to open. A page is affected when its source changed, when
a lab it includes or runs changed, or when the capacity model or glossary
data it renders changed. Machinery changes (extensions, conf.py, templates)
affect every page and are reported as such rather than listed.

Usage: python scripts/changed_pages.py --base origin/main [--head HEAD]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "source"
EVERY_PAGE = ("conf.py", "extensions/", "source/_templates/", "source/_static/",
              "source/bibliography/", "data/publications.yaml")


def changed_files(base: str, head: str) -> list[str]:
    """Files that differ between the merge base of ``base`` and ``head``."""
    result = subprocess.run(["git", "diff", "--name-only", f"{base}...{head}"], cwd=ROOT,
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"git diff {base}...{head} failed: {result.stderr.strip()}")
    return [line for line in result.stdout.splitlines() if line]


def page_of(source_file: str) -> str | None:
    """The HTML path a source file renders to, or None if it is not a page."""
    path = Path(source_file)
    if path.parts[:1] != ("source",) or path.suffix != ".md":
        return None
    return path.relative_to("source").with_suffix(".html").as_posix()


def pages_using(needles: list[str]) -> set[str]:
    """Pages whose Markdown mentions any of the given paths or module names."""
    found = set()
    for page in SOURCE.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        if any(needle in text for needle in needles):
            found.add(page.relative_to(SOURCE).with_suffix(".html").as_posix())
    return found


def affected_pages(files: list[str]) -> tuple[set[str], bool]:
    """The pages touched by a list of changed files, and whether all pages are."""
    pages: set[str] = set()
    everything = any(f == prefix or f.startswith(prefix) for f in files for prefix in EVERY_PAGE)
    for name in files:
        page = page_of(name)
        if page and (ROOT / name).exists():
            pages.add(page)
        elif name.startswith("dsd_labs/") and name.endswith(".py"):
            module = name[:-3].replace("/", ".")
            pages |= pages_using([name, module])
        elif match := re.match(r"data/capacity/(e\d\d)-", name):
            pages |= {p.relative_to(SOURCE).with_suffix(".html").as_posix()
                      for p in SOURCE.glob(f"worked-examples/{match[1]}-*/*.md")}
        elif name.startswith("data/glossary/"):
            pages.add("glossary.html")
        elif name.startswith("data/decision-framework/"):
            pages |= {p.relative_to(SOURCE).with_suffix(".html").as_posix()
                      for p in SOURCE.glob("decision-framework/*.md")}
    return pages, everything


def summary(files: list[str]) -> str:
    pages, everything = affected_pages(files)
    lines = ["### Pages this change affects", ""]
    if everything:
        lines += ["The build machinery, templates or bibliography changed, so every page "
                  "may render differently; skim the whole site in the artifact.", ""]
    lines += [f"- `{page}`" for page in sorted(pages)] or ["- none"]
    lines += ["", "Download the `site` artifact of this run and open the pages above "
              "from its `index.html`."]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True)
    parser.add_argument("--head", default="HEAD")
    args = parser.parse_args(argv)
    try:
        sys.stdout.write(summary(changed_files(args.base, args.head)))
    except RuntimeError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
