"""`make stats`: the built PDFs measured against the specification's targets."""

from __future__ import annotations

from pathlib import Path

import pytest

import course_stats

pytestmark = pytest.mark.build
ROOT = Path(__file__).resolve().parent.parent


def test_stats_cover_every_module_and_design_and_meet_the_targets(built: Path) -> None:
    text, short = course_stats.report(built, ROOT / "data" / "page-targets.yaml")
    source = ROOT / "source"
    parts = [p.name[:3] for p in (*source.glob("curriculum/m[0-9][0-9]-*"),
                                  *source.glob("worked-examples/e[0-9][0-9]-*"))]
    for key in parts:
        assert f"\n  {key} " in text, key
    assert "Heaviest web page:" in text
    assert not short, text


def test_a_missing_pdf_is_named(tmp_path: Path) -> None:
    with pytest.raises(course_stats.StatsError, match=r"dsd-curriculum\.pdf: not built"):
        course_stats.report(tmp_path, ROOT / "data" / "page-targets.yaml")


def test_prose_words_leave_out_code_and_diagrams(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text(
        "(m01-x)=\n# One two\n\nThree four five.\n\n```python\nnot counted at all\n```\n\n"
        "```{mermaid}\n:caption: Not counted.\n\nflowchart LR\n    A --> B\n```\n",
        encoding="utf-8")
    assert course_stats.prose_words(tmp_path) == 5
