"""Run EPUBCheck on ePub files and fail on any error or fatal.

Usage: python scripts/check_epub.py BOOK.epub [...]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

EPUBCHECK_JAR = Path("/usr/share/java/epubcheck.jar")


def epubcheck(book: Path) -> list[str]:
    """Return EPUBCheck's errors and fatals for ``book`` as readable lines."""
    if shutil.which("java") is None or not EPUBCHECK_JAR.is_file():
        raise SystemExit("error: EPUBCheck is not installed (Debian/Ubuntu package 'epubcheck')")
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "report.json"
        subprocess.run(["java", "-jar", str(EPUBCHECK_JAR), str(book), "--json", str(report)],
                       capture_output=True, text=True, check=False)
        if not report.is_file():
            return [f"{book}: EPUBCheck produced no report"]
        data = json.loads(report.read_text(encoding="utf-8"))
    problems = []
    for message in data.get("messages", []):
        if message.get("severity") in {"ERROR", "FATAL"}:
            where = ", ".join(f"{loc.get('path')}:{loc.get('line')}"
                              for loc in message.get("locations", [])[:3])
            problems.append(f"{book}: {message['severity']} {message['ID']}: "
                            f"{message['message']} ({where})")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("books", nargs="+", type=Path)
    args = parser.parse_args(argv)
    problems = [p for book in args.books for p in epubcheck(book)]
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
