"""Lint the course's MyST sources for the house rules a machine can check.

sphinx-lint understands reStructuredText, not MyST, so the mechanical part of
the house style is checked here: whitespace, placeholders, filler words,
title-case headings, diagrams without an accessible title, description, name or caption, code
included by line numbers, and math markup (pdfLaTeX builds carry none).

Usage: python scripts/lint_text.py [FILE_OR_DIR ...]   (default: source/)
Prints ``file:line: message`` for each finding; exits 1 if there are any.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})\s*\{(?P<name>[\w-]+)\}")
PLACEHOLDER = re.compile(r"\b(TBD|TODO|FIXME|XXX|lorem ipsum)\b", re.IGNORECASE)
FILLER = re.compile(r"\b(simply|obviously|it is important to note|needless to say)\b",
                    re.IGNORECASE)
MATH = re.compile(r"(?<![\\$\w])\$[^$\s][^$]*\$(?!\w)|\{math\}")


def fenced_blocks(lines: list[str]) -> Iterator[tuple[int, str, list[str]]]:
    """Yield (first line number, directive name, body lines) for each fenced directive."""
    i = 0
    while i < len(lines):
        match = FENCE.match(lines[i])
        if not match:
            i += 1
            continue
        fence, start = match["fence"], i
        body = []
        i += 1
        while i < len(lines) and lines[i].strip() != fence:
            body.append(lines[i])
            i += 1
        yield start + 1, match["name"], body
        i += 1


HEADING = re.compile(r"^#{1,6}\s+(?P<text>.+)$")
WORK_TITLE = re.compile(r"\(.*\b\d{4}\)|\"[^\"]+\"")
MINOR_WORDS = {"a", "an", "the", "and", "or", "of", "in", "on", "for", "to", "with", "by",
               "at", "vs", "as", "from", "into", "per", "is"}


def proper_nouns() -> set[str]:
    path = ROOT / "data" / "proper-nouns.txt"
    return {line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#")}


def title_case(heading: str, allowed: set[str]) -> bool:
    """True if a heading capitalizes words that sentence case keeps lower-case.

    Headings that name a work (a title with its year, or a quoted title) keep
    the work's own capitalization, and so do names listed as proper nouns.
    """
    if WORK_TITLE.search(heading):
        return False
    text = re.sub(r"`[^`]*`|\{[^}]*\}`[^`]*`|\([^)]*\)", " ", heading)
    # The first word of the heading, and of each part after a colon, is capitalized.
    words = [w for part in text.split(":")
             for w in re.findall(r"[A-Za-z][A-Za-z'-]*", part)[1:]]
    capitalized = [w for w in words if w.lower() not in MINOR_WORDS and w[0].isupper()
                   and not w.isupper() and w not in allowed]
    return len(capitalized) >= 2


def lint_mermaid(body: list[str]) -> list[str]:
    text = "\n".join(body)
    return [f"diagram without {need}" for need, pattern in (
        (":name: fig-…", r"^:name:\s*fig-"), (":caption:", r"^:caption:\s*\S"),
        ("accTitle", r"^\s*accTitle\s*:"), ("accDescr", r"^\s*accDescr\s*[:{]"),
    ) if not re.search(pattern, text, re.MULTILINE)]


def lint_file(path: Path) -> list[str]:
    findings = []
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    if text and not text.endswith("\n"):
        findings.append(f"{path}:{len(lines)}: no newline at end of file")
    in_code = False
    allowed = proper_nouns()
    for number, line in enumerate(lines, 1):
        if line.startswith("```") and "{" not in line:
            in_code = not in_code
        if line != line.rstrip():
            findings.append(f"{path}:{number}: trailing whitespace")
        if "\t" in line:
            findings.append(f"{path}:{number}: tab character")
        if in_code:
            continue
        heading = HEADING.match(line)
        if heading and title_case(heading["text"], allowed):
            findings.append(f"{path}:{number}: heading in title case: {heading['text']!r} "
                            "(use sentence case, or list a name in data/proper-nouns.txt)")
        for pattern, message in ((PLACEHOLDER, "placeholder"), (FILLER, "filler word"),
                                 (MATH, "math markup (write formulas as text or code)")):
            found = pattern.search(line)
            if found:
                findings.append(f"{path}:{number}: {message}: {found.group(0)!r}")
    for number, name, body in fenced_blocks(lines):
        if name == "mermaid":
            findings += [f"{path}:{number}: {m}" for m in lint_mermaid(body)]
        if name == "literalinclude" and any(re.match(r"^:lines:", b) for b in body):
            findings.append(f"{path}:{number}: literalinclude by :lines: (use :pyobject: "
                            "or :start-after:/:end-before: markers)")
    return findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=[ROOT / "source"])
    args = parser.parse_args(argv)
    files = sorted(f for p in args.paths for f in ([p] if p.is_file() else p.rglob("*.md")))
    findings = [finding for f in files for finding in lint_file(f)]
    for finding in findings:
        print(finding)
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
