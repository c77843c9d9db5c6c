"""The MyST linter finds what the house style forbids, and the course passes it."""

from __future__ import annotations

from pathlib import Path

import lint_text

ROOT = Path(__file__).resolve().parent.parent


def test_the_course_text_is_clean() -> None:
    files = sorted((ROOT / "source").rglob("*.md"))
    findings = [f for path in files for f in lint_text.lint_file(path)]
    assert not findings, "\n".join(findings[:30])


def test_findings_name_file_and_line(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# Title \n\nThis is TBD and simply wrong, costing $x$.\n\n"
        "```{mermaid}\n:caption: A diagram.\n\nflowchart LR\n    A --> B\n```\n\n"
        "```{literalinclude} lab.py\n:lines: 1-5\n```\n", encoding="utf-8")
    findings = lint_text.lint_file(page)
    assert f"{page}:1: trailing whitespace" in findings
    assert any(f.startswith(f"{page}:3: placeholder") for f in findings)
    assert any(f.startswith(f"{page}:3: filler word") for f in findings)
    assert any(f.startswith(f"{page}:3: math markup") for f in findings)
    assert f"{page}:5: diagram without accTitle" in findings
    assert f"{page}:5: diagram without :name: fig-…" in findings
    assert any(f.startswith(f"{page}:12: literalinclude by :lines:") for f in findings)


def test_code_blocks_are_not_prose(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("```python\n# TODO: not prose\nprice = '$5$'\n```\n", encoding="utf-8")
    assert lint_text.lint_file(page) == []


def test_headings_must_be_sentence_case(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "# The Eight Fallacies Of Distributed Computing\n\n"
        "## Raft in etcd and Kafka\n\n"
        "### Exercise 1.4: Sizing a Byzantine-tolerant group\n\n"
        "## Designing Data-Intensive Applications (Kleppmann, 2017)\n", encoding="utf-8")
    findings = lint_text.lint_file(page)
    assert len(findings) == 1
    assert findings[0].startswith(f"{page}:1: heading in title case")
