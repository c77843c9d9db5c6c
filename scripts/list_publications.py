"""Print the keys of the publications that ship in a format (for the Makefile).

Usage: python scripts/list_publications.py --format epub
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "extensions"))

import publications


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--format", required=True, choices=sorted(publications.FORMATS))
    args = parser.parse_args(argv)
    try:
        pubs = publications.load()
    except publications.RegistryError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(" ".join(p.key for p in pubs if args.format in p.formats))
    return 0


if __name__ == "__main__":
    sys.exit(main())
