"""Lab output is run once per build directory and rerun whenever an input changes."""

from __future__ import annotations

from pathlib import Path

from conftest import run_make

PAGE = Path("source/curriculum/m01-sample/index.md")
LAB = Path("dsd_labs/cache_probe.py")
HTML = Path("build/html/curriculum/m01-sample/index.html")


def write_lab(project: Path, text: str) -> None:
    (project / LAB).write_text(f"print({text!r})\n", encoding="utf-8")


def build(project: Path) -> str:
    run_make("html", cwd=project)
    return (project / HTML).read_text(encoding="utf-8")


def test_cache_serves_hits_and_misses_on_changed_inputs(mini_project: Path) -> None:
    write_lab(mini_project, "first output")
    page = mini_project / PAGE
    page.write_text(page.read_text(encoding="utf-8")
                    + "\n```{lab-output} dsd_labs.cache_probe\n```\n", encoding="utf-8")
    assert "first output" in build(mini_project)
    cache = mini_project / "build/lab-output"
    (entry,) = cache.glob("*.txt")
    assert entry.read_text(encoding="utf-8") == "first output"

    # A hit: the page is read again, the lab is not run.
    entry.write_text("served from the cache", encoding="utf-8")
    page.touch()
    assert "served from the cache" in build(mini_project)

    # A changed lab is a different digest, so the new output is shown.
    write_lab(mini_project, "second output")
    assert "second output" in build(mini_project)
    assert len(list(cache.glob("*.txt"))) == 2

    # So is a changed data file, which a lab may read.
    (mini_project / "data/cache-probe.txt").write_text("x", encoding="utf-8")
    entry.unlink()
    for stale in cache.glob("*.txt"):
        stale.write_text("stale", encoding="utf-8")
    page.touch()
    html = build(mini_project)
    assert "second output" in html and "stale" not in html
