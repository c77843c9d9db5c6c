"""Print one release's notes from CHANGELOG.md, for the GitHub Release.

The changelog follows the Keep a Changelog layout: one ``## [X.Y.Z] - DATE``
heading per release, newest first, with an ``## [Unreleased]`` section on
top. A release without its own non-empty section is refused before anything
is built, so no release ships without notes.

Usage: python scripts/release_notes.py --version 1.2.0 [--changelog CHANGELOG.md]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HEADING = re.compile(r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?\s*$")


class NotesError(RuntimeError):
    """The changelog has no usable section for the version; the message says where."""


def release_notes(changelog: Path, version: str) -> str:
    """The body of the version's section, without its heading."""
    if not changelog.is_file():
        raise NotesError(f"{changelog}: not found")
    lines = changelog.read_text(encoding="utf-8").splitlines()
    start = None
    for number, line in enumerate(lines):
        match = HEADING.match(line)
        if start is not None and (match or line.startswith("## ")):
            end = number
            break
        if match and match["version"] == version:
            if not match["date"]:
                raise NotesError(f"{changelog}:{number + 1}: the heading for {version} "
                                 "needs a release date: '## [X.Y.Z] - YYYY-MM-DD'")
            start = number + 1
    else:
        end = len(lines)
    if start is None:
        raise NotesError(f"{changelog}: no '## [{version}] - YYYY-MM-DD' section; "
                         "move the Unreleased entries under that heading first")
    body = "\n".join(lines[start:end]).strip()
    if not body:
        raise NotesError(f"{changelog}:{start}: the section for {version} is empty")
    return body + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", required=True)
    parser.add_argument("--changelog", type=Path, default=ROOT / "CHANGELOG.md")
    args = parser.parse_args(argv)
    try:
        sys.stdout.write(release_notes(args.changelog, args.version))
    except NotesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
