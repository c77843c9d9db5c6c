"""Measure per-diagram rendering cost: one batched browser session against one mmdc per diagram.

sphinxcontrib-mermaid's build-time rendering starts one ``mmdc`` process (one
Chromium) per diagram; ``scripts/render_mermaid.mjs`` renders every diagram of
a build in one Chromium page. This benchmark renders the course's own diagrams
both ways, in one run, and prints the cost per diagram and the ratio. It is a
benchmark, not a test: the figures are this machine's.

Usage: python scripts/bench_diagrams.py [--count 20] [--mmdc-count 5]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BLOCK = re.compile(r"^```\{mermaid\}\n(?:^:[^\n]*\n)*\n?(?P<code>.*?)^```",
                   re.MULTILINE | re.DOTALL)
PUPPETEER_CONFIG = {"executablePath": "/usr/bin/chromium",
                    "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                             "--disable-component-update", "--disable-sync", "--no-first-run"]}


def course_diagrams(count: int) -> list[str]:
    """The first ``count`` diagrams of the course, in file order."""
    found = []
    for page in sorted((ROOT / "source").rglob("*.md")):
        found += [m["code"] for m in BLOCK.finditer(page.read_text(encoding="utf-8"))]
    if len(found) < count:
        raise SystemExit(f"the course has only {len(found)} diagrams; use --count {len(found)}")
    return found[:count]


def batched(codes: list[str], work: Path) -> tuple[float, float]:
    """Seconds to render all ``codes`` in one session: in all, and after the browser started."""
    jobs = [{"id": f"bench{i:03d}", "code": code, "outputs": {"svg": str(work / f"b{i}.svg")}}
            for i, code in enumerate(codes)]
    job_file = work / "jobs.json"
    job_file.write_text(json.dumps({"chromium": "/usr/bin/chromium", "jobs": jobs}),
                        encoding="utf-8")
    start = time.perf_counter()
    result = subprocess.run(["node", str(ROOT / "scripts" / "render_mermaid.mjs"), str(job_file)],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    if summary.get("failed"):
        raise SystemExit(f"batched render failed: {summary}")
    return elapsed, float(summary["renderSeconds"])


def one_process_each(codes: list[str], work: Path) -> float:
    """Seconds to render ``codes`` with one mmdc process per diagram (the default path)."""
    config = work / "puppeteer.json"
    config.write_text(json.dumps(PUPPETEER_CONFIG), encoding="utf-8")
    mmdc = ROOT / "node_modules" / ".bin" / "mmdc"
    start = time.perf_counter()
    for i, code in enumerate(codes):
        source = work / f"m{i}.mmd"
        source.write_text(code, encoding="utf-8")
        subprocess.run([str(mmdc), "-p", str(config), "-i", str(source), "-o",
                        str(work / f"m{i}.svg"), "-q"], cwd=ROOT, check=True,
                       capture_output=True)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=60, help="diagrams rendered in the batch")
    parser.add_argument("--mmdc-count", type=int, default=5,
                        help="diagrams rendered with one mmdc each (slow, so fewer)")
    args = parser.parse_args(argv)
    codes = course_diagrams(max(args.count, args.mmdc_count))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        total, rendering = batched(codes[:args.count], work)
        single = one_process_each(codes[:args.mmdc_count], work) / args.mmdc_count
    batch, marginal = total / args.count, rendering / args.count
    print("Diagram rendering cost per diagram (SVG), measured in this run")
    print(f"  one mmdc process per diagram ({args.mmdc_count} diagrams):     {single:7.3f} s")
    print(f"  one browser session, browser start included ({args.count}): {batch:7.3f} s"
          f"  ({single / batch:.1f}x cheaper)")
    print(f"  one browser session, per additional diagram:        {marginal:7.3f} s"
          f"  ({single / marginal:.1f}x cheaper)")
    print("  bar: at least 20x cheaper per diagram")
    return 0


if __name__ == "__main__":
    sys.exit(main())
