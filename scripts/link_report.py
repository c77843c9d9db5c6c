"""Turn Sphinx's linkcheck output into the body of the broken-links issue.

The linkcheck builder writes one JSON record per checked link; a maintainer
needs only the broken ones, grouped by source file with line numbers, so
that each fix is one edit.

Usage: python scripts/link_report.py build/linkcheck/output.json
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

BROKEN = {"broken", "timeout"}


def broken_links(output: Path) -> dict[str, list[dict[str, object]]]:
    """Broken links by source file, each list sorted by line number."""
    by_file: dict[str, list[dict[str, object]]] = defaultdict(list)
    for number, line in enumerate(output.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{output}:{number}: not a JSON record ({exc.msg})") from exc
        if record.get("status") in BROKEN:
            by_file[str(record.get("filename"))].append(record)
    return {name: sorted(records, key=lambda r: int(r.get("lineno") or 0))
            for name, records in sorted(by_file.items())}


def report(by_file: dict[str, list[dict[str, object]]]) -> str:
    total = sum(len(records) for records in by_file.values())
    lines = [f"The weekly link check found {total} broken external link(s).", ""]
    for name, records in by_file.items():
        lines.append(f"### `source/{name}`")
        lines += [f"- line {r.get('lineno')}: <{r.get('uri')}> ({r.get('status')}: "
                  f"{str(r.get('info') or '').strip()[:200]})" for r in records]
        lines.append("")
    lines.append("This issue is updated by the Links workflow; close it when the links are fixed.")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    args = parser.parse_args(argv)
    try:
        sys.stdout.write(report(broken_links(args.output)))
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
