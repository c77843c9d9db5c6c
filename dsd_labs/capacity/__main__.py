"""Print a design's assumptions and estimates, e.g. ``python -m dsd_labs.capacity e01-…``."""

from __future__ import annotations

import argparse
import sys

from dsd_labs.capacity.model import CapacityError, estimate


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("design", help="design id, e.g. e01-photo-sharing")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the load by this")
    args = parser.parse_args(argv)
    try:
        result = estimate(args.design, args.scale)
    except CapacityError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{args.design} at {args.scale:g}× load")
    print("\nAssumptions")
    for item in result.assumptions:
        print(f"  {item.label:<48} {item.formatted(result.assumptions.scale)}")
    for table in result.tables:
        print(f"\n{table.title}")
        for row in table.rows:
            print(f"  {row.label:<48} {row.formatted}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
