"""Measure the build: clean time per format, no-op and one-page rebuilds, diagram cost.

This is a benchmark, not a test: it prints figures measured in one run on
this machine, for CONTRIBUTING.md and for spotting regressions by eye. The
bars it reports against come from the pipeline's requirements: a no-op
rebuild renders no diagram, a one-page HTML rebuild takes under 3 s, and a
batched diagram render costs at most 1/20 of one mmdc process per diagram.

Usage: python scripts/bench_build.py [--build build/bench] [--diagrams 20]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITED_PAGE = ROOT / "source" / "curriculum" / "index.md"


def make(build: Path, *targets: str) -> float:
    """Run make targets into ``build`` and return the wall-clock seconds taken."""
    start = time.perf_counter()
    subprocess.run(["make", "--no-print-directory", *targets, f"BUILDDIR={build}"], cwd=ROOT,
                   check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def diagrams_rendered(build: Path) -> int | None:
    """How many diagrams the last build rendered (the renderer's own count)."""
    stats = build / ".mermaid-cache" / "last-render.json"
    if not stats.is_file():
        return None
    return int(json.loads(stats.read_text(encoding="utf-8")).get("rendered", 0))


def diagram_cost(count: int) -> str:
    """Batched render vs one mmdc process per diagram, from the renderer's benchmark."""
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_diagrams.py"),
                             "--count", str(count)], cwd=ROOT, capture_output=True, text=True,
                            check=False)
    if result.returncode != 0:
        return f"diagram benchmark failed:\n{result.stderr.strip()}"
    return result.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", type=Path, default=ROOT / "build" / "bench")
    parser.add_argument("--diagrams", type=int, default=20)
    args = parser.parse_args(argv)
    build = args.build.resolve()
    shutil.rmtree(build, ignore_errors=True)

    rows = [("HTML, clean", make(build, "html"))]
    rows.append(("ePub, clean (all books)", make(build, "epub") - make(build, "html")))
    rows.append(("PDF, clean (all books)", make(build, "pdf") - make(build, "html")))
    noop = make(build, "html")
    noop_diagrams = diagrams_rendered(build)
    rows.append(("HTML, no-op rebuild", noop))
    os.utime(EDITED_PAGE)
    rows.append((f"HTML after editing {EDITED_PAGE.relative_to(ROOT)}", make(build, "html")))

    print(f"Build benchmark ({os.cpu_count()} cores)\n")
    for label, seconds in rows:
        print(f"  {label:<48} {seconds:8.2f} s")
    shown = "unknown" if noop_diagrams is None else str(noop_diagrams)
    print(f"  {'Diagrams rendered by the no-op rebuild':<48} {shown:>8}")
    print("\nBars: no-op renders 0 diagrams; one-page HTML rebuild < 3 s.\n")
    print(diagram_cost(args.diagrams))
    return 0


if __name__ == "__main__":
    sys.exit(main())
