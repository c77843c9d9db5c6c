"""Check a built PDF for print quality and fail with the reason.

Checks: every font embedded (pdffonts), an outline (bookmarks) present, and
no unresolved reference: LaTeX prints ``??`` for a reference it cannot
resolve, so the text layer must not contain it.

Usage: python scripts/check_pdf.py BOOK.pdf [...]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise SystemExit(f"error: {name} is not installed (Debian/Ubuntu package 'poppler-utils')")
    return path


def unembedded_fonts(pdf: Path) -> list[str]:
    """Names of fonts that ``pdffonts`` reports as not embedded."""
    out = subprocess.run([_tool("pdffonts"), str(pdf)], capture_output=True, text=True,
                         check=True).stdout.splitlines()
    header = out[0]
    emb = header.index("emb")
    return [line.split()[0] for line in out[2:] if line[emb:emb + 3].strip() != "yes"]


def pdf_text(pdf: Path) -> str:
    return subprocess.run([_tool("pdftotext"), "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def problems(pdf: Path) -> list[str]:
    found = []
    fonts = unembedded_fonts(pdf)
    if fonts:
        found.append(f"{pdf}: fonts not embedded: {', '.join(sorted(set(fonts)))}")
    if "??" in pdf_text(pdf):
        found.append(f"{pdf}: contains '??' (an unresolved reference)")
    if not PdfReader(pdf).outline:
        found.append(f"{pdf}: has no outline (bookmarks)")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="+", type=Path)
    args = parser.parse_args(argv)
    found = [p for pdf in args.pdfs for p in problems(pdf)]
    for problem in found:
        print(problem, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
