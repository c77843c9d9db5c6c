"""The Decision Framework: its data file is validated, and the spreadsheet matches it."""

from __future__ import annotations

import html
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

import decision_data

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "build_spreadsheet.py"


def build(tmp_path: Path, name: str = "book.xlsx", epoch: str = "1700000000") -> Path:
    out = tmp_path / name
    subprocess.run([sys.executable, str(SCRIPT), "--version", "9.9.9", "--output", str(out)],
                   check=True, env={"SOURCE_DATE_EPOCH": epoch, "PATH": "/usr/bin:/bin"})
    return out


def sheets(book: Path) -> dict[str, str]:
    with zipfile.ZipFile(book) as archive:
        names = re.findall(r'<sheet name="([^"]+)"', archive.read("xl/workbook.xml").decode())
        return {name: archive.read(f"xl/worksheets/sheet{i}.xml").decode()
                for i, name in enumerate(names, 1)}


def test_data_file_is_valid() -> None:
    decisions = decision_data.load()
    assert decisions
    for decision in decisions:
        assert decision.tree_rows(), decision.id
        for option in decision.options:
            assert set(option.ratings) == {c.id for c in decision.criteria}


@pytest.mark.parametrize(("edit", "message"), [
    (lambda d: d["decisions"][0]["options"][0]["ratings"].pop("latency"),
     r"decisions\[0\]\.options\[0\]\.ratings: must rate exactly"),
    (lambda d: d["decisions"][0]["options"][1]["ratings"].update(cost=[7, "x"]),
     r"decisions\[0\]\.options\[1\]\.ratings\.cost: expected \[score 1-5"),
    (lambda d: d["decisions"][0]["tree"]["nodes"]["q_own"].update(if_no="nothing"),
     r"tree\.nodes\.q_own\.if_no: 'nothing' is neither an option nor a node"),
])
def test_bad_data_names_the_field(tmp_path: Path, edit, message: str) -> None:
    data = yaml.safe_load(decision_data.DATA.read_text(encoding="utf-8"))
    edit(data)
    broken = tmp_path / "decisions.yaml"
    broken.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(decision_data.DecisionDataError, match=message):
        decision_data.load(broken)


def test_spreadsheet_holds_every_rating_and_works_as_a_tool(tmp_path: Path) -> None:
    book = build(tmp_path)
    content = sheets(book)
    assert "Start here" in content
    with zipfile.ZipFile(book) as archive:
        shared = archive.read("xl/sharedStrings.xml").decode()
    for decision in decision_data.load():
        sheet = content[decision.sheet_name]
        assert "SUMPRODUCT" in sheet and "<sheetProtection" in sheet
        assert "<dataValidation " in sheet and "<conditionalFormatting" in sheet
        for option in decision.options:
            for rating in option.ratings.values():
                assert f"<v>{rating.score}</v>" in sheet
                assert rating.rationale in html.unescape(shared)


def test_spreadsheet_is_reproducible(tmp_path: Path) -> None:
    assert build(tmp_path, "a.xlsx").read_bytes() == build(tmp_path, "b.xlsx").read_bytes()
