"""The Decision Framework: its data file is validated, and the spreadsheet matches it.

The pages and the workbook are generated from one data file, so these tests
check the workbook against that file (every rating, every question, every
tree branch), check that bad data fails with the file and field named, and,
where LibreOffice is installed, recalculate the data file's worked scenarios
in a real spreadsheet engine and compare the results with what the data
implies.
"""

from __future__ import annotations

import copy
import csv
import html
import importlib.util
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import decision_framework
import pytest
import yaml

import decision_data

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "build_spreadsheet.py"
INTERACTIVE = "Your system"


def build(tmp_path: Path, name: str = "book.xlsx", epoch: str = "1700000000") -> Path:
    out = tmp_path / name
    subprocess.run([sys.executable, str(SCRIPT), "--version", "9.9.9", "--output", str(out)],
                   check=True, env={"SOURCE_DATE_EPOCH": epoch, "PATH": "/usr/bin:/bin"})
    return out


def sheets(book: Path) -> dict[str, str]:
    with zipfile.ZipFile(book) as archive:
        names = re.findall(r'<sheet name="([^"]+)"', archive.read("xl/workbook.xml").decode())
        return {html.unescape(name): archive.read(f"xl/worksheets/sheet{i}.xml").decode()
                for i, name in enumerate(names, 1)}


def raw_data() -> dict:
    return yaml.safe_load(decision_data.DATA.read_text(encoding="utf-8"))


def test_data_file_is_valid() -> None:
    decision_framework.validate()
    decisions = decision_data.load()
    assert [d.id for d in decisions] == ["communication", "consistency", "replication",
                                         "partitioning", "transactions"]
    for decision in decisions:
        assert len(decision.tree_rows()) == len(decision.tree), decision.id  # no orphan node
        assert len(decision.questions) >= 3
        reached = {decision_framework.tree_outcome(decision, answers)
                   for answers in _all_answer_sets(decision)}
        assert reached == {o.id for o in decision.options}, decision.id  # every option reachable


def _all_answer_sets(decision: decision_data.Decision) -> list[dict[str, str]]:
    names = sorted(decision.tree)
    return [{n: ("Yes" if bits >> i & 1 else "No") for i, n in enumerate(names)}
            for bits in range(2 ** len(names))]


BAD = [
    ("option rated on a missing criterion",
     lambda d: d["decisions"][1]["options"][0]["ratings"].update(speed=[3, "An unknown one."]),
     r"decisions\.yaml: decisions\[1\]\.options\[0\]\.ratings\.speed: no criterion 'speed'"),
    ("criterion left unrated",
     lambda d: d["decisions"][1]["options"][0]["ratings"].pop("latency"),
     r"decisions\[1\]\.options\[0\]\.ratings: must rate exactly"),
    ("rating outside 1-5",
     lambda d: d["decisions"][1]["options"][1]["ratings"].update(cost=[7, "Out of range."]),
     r"decisions\.yaml: decisions\[1\]\.options\[1\]\.ratings\.cost\[0\]: 7 is greater than"),
    ("tree branch to an unknown option",
     lambda d: d["decisions"][1]["tree"]["nodes"]["q_own"].update(if_no="nothing"),
     r"decisions\[1\]\.tree\.nodes\.q_own\.if_no: 'nothing' is neither an option nor a node"),
    ("scenario weight outside its range",
     lambda d: d["decisions"][0]["scenarios"][0]["weights"].update(latency=9),
     r"decisions\[0\]\.scenarios\[0\]\.weights\.latency: 9 is greater than the maximum of 5"),
    ("duplicate option id",
     lambda d: d["decisions"][2]["options"][1].update(id="single_leader"),
     r"decisions\[2\]\.options\[1\]\.id: duplicate id 'single_leader'"),
    ("duplicate decision id",
     lambda d: d["decisions"][3].update(id="replication"),
     r"decisions\[3\]\.id: duplicate id 'replication'"),
    ("missing field",
     lambda d: d["decisions"][4].pop("questions"),
     r"decisions\[4\]: 'questions' is a required property"),
]


@pytest.mark.parametrize(("edit", "message"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_data_names_the_file_and_field(tmp_path: Path, edit, message: str) -> None:
    data = raw_data()
    edit(data)
    broken = tmp_path / "decisions.yaml"
    broken.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(decision_data.DecisionDataError, match=message) as caught:
        decision_framework.validate(broken)
    assert str(broken) in str(caught.value)


def test_generator_refuses_bad_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    data = raw_data()
    data["decisions"][0]["tree"]["nodes"]["q_fanout"]["if_yes"] = "carrier_pigeon"
    broken = tmp_path / "decisions.yaml"
    broken.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    generator = _generator()
    monkeypatch.setattr(decision_data, "DATA", broken)
    monkeypatch.setattr(decision_framework.validate, "__defaults__", (broken,))
    assert generator.main(["--output", str(tmp_path / "x.xlsx")]) == 1
    assert not (tmp_path / "x.xlsx").exists()


def _generator():
    spec = importlib.util.spec_from_file_location("build_spreadsheet", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_spreadsheet_holds_every_rating_and_works_as_a_tool(tmp_path: Path) -> None:
    book = build(tmp_path)
    content = sheets(book)
    decisions = decision_data.load()
    assert list(content) == ["Start here", *(d.sheet_name for d in decisions), INTERACTIVE]
    with zipfile.ZipFile(book) as archive:
        shared = html.unescape(archive.read("xl/sharedStrings.xml").decode())
        workbook = html.unescape(archive.read("xl/workbook.xml").decode())
        styles = archive.read("xl/styles.xml").decode()
    for name in content:
        assert "<sheetProtection" in content[name], name
    assert workbook.count('name="_xlnm.Print_Area"') == len(content)
    assert 'locked="0"' in styles  # input cells are unlocked inside protected sheets
    for decision in decisions:
        sheet = content[decision.sheet_name]
        assert "SUMPRODUCT" in sheet and '<pane ' in sheet and "<cols>" in sheet
        assert "<dataValidation " in sheet and "<conditionalFormatting" in sheet
        for option in decision.options:
            assert option.name in shared
            for rating in option.ratings.values():
                assert f"<v>{rating.score}</v>" in sheet
                assert rating.rationale in shared
        for question in decision.questions:
            assert question in shared
        for row in decision.tree_rows():
            assert row.question in shared and row.yes_label in shared
    interactive = html.unescape(content[INTERACTIVE])
    assert interactive.count('type="list"') == sum(len(d.tree) for d in decisions)
    assert interactive.count("SUMPRODUCT") == sum(len(d.options) for d in decisions)
    assert interactive.count('type="whole"') == sum(len(d.criteria) for d in decisions)
    assert "<conditionalFormatting" in interactive and '<pane ' in interactive
    for reference in re.findall(r"'([^']+)'!\$", interactive):
        assert reference in content, f"formula refers to a missing sheet: {reference}"
    assert "#REF!" not in "".join(content.values())


def test_spreadsheet_is_reproducible(tmp_path: Path) -> None:
    first = build(tmp_path, "a.xlsx").read_bytes()
    assert first == build(tmp_path, "b.xlsx").read_bytes()
    assert first != build(tmp_path, "c.xlsx", epoch="1800000000").read_bytes()


def test_default_output_goes_under_build(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    generator = _generator()
    monkeypatch.setattr(generator, "ROOT", tmp_path)
    assert generator.main(["--version", "1.2.3"]) == 0
    assert (tmp_path / "build" / "xlsx" / "dsd-decision-framework-1.2.3.xlsx").exists()


# LibreOffice reads the profile below: OOXMLRecalcMode 0 means "always
# recalculate on load", so the values come from LibreOffice's own engine and
# not from the values xlsxwriter cached in the file.
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
           xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop>
</item>
</oor:items>
"""


def recalculate(book: Path, tmp_path: Path, sheet_number: int) -> list[list[str]]:
    """Recalculate in LibreOffice and export one sheet as CSV (formatted values)."""
    profile = tmp_path / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
    out = tmp_path / "csv"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", f"csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,"
                    f"false,false,false,{sheet_number}", "--outdir", str(out), str(book)],
                   check=True, capture_output=True, timeout=180)
    produced = sorted(out.glob("*.csv"))
    assert produced, "LibreOffice produced no CSV"
    with produced[0].open(encoding="utf-8") as handle:
        return list(csv.reader(handle))


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_scenarios_recalculate_in_libreoffice(tmp_path: Path) -> None:
    decisions = decision_data.load()
    data = {d["id"]: d for d in raw_data()["decisions"]}
    generator = _generator()
    for index in range(max(len(d["scenarios"]) for d in data.values())):
        inputs = {i: copy.deepcopy(d["scenarios"][index]) for i, d in data.items()
                  if index < len(d["scenarios"])}
        book = tmp_path / f"scenario-{index}.xlsx"
        generator.build(book, "9.9.9", decisions, inputs, cache=False)  # no cached results
        rows = recalculate(book, tmp_path / f"run-{index}", len(decisions) + 2)
        text = "\n".join(",".join(r) for r in rows)
        assert not re.search(r"#(REF|VALUE|NAME|DIV/0|N/A)|Err:\d", text), text
        for decision in decisions:
            if decision.id not in inputs:
                continue
            scenario = inputs[decision.id]
            scores = decision_framework.weighted_scores(decision, scenario["weights"])
            names = {o.id: o.name for o in decision.options}
            best = max(scores, key=scores.get)
            outcome = decision_framework.tree_outcome(decision, scenario["answers"])
            block = _block(rows, decision.title)
            score_row = next(r for r in block if r[0] == "Weighted score")
            computed = [float(v) for v in score_row[2:2 + len(decision.options)]]
            assert computed == pytest.approx([round(scores[o.id], 2)
                                              for o in decision.options], abs=0.006)
            assert next(r for r in block if r[0] == "Highest weighted score")[1] == names[best]
            assert next(r for r in block
                        if r[0] == "Decision tree recommends")[1] == names[outcome]


def _block(rows: list[list[str]], title: str) -> list[list[str]]:
    start = next(i for i, r in enumerate(rows) if r and r[0] == title)
    end = next((i for i, r in enumerate(rows[start + 1:], start + 1)
                if r and r[0] == "Decision tree recommends"), len(rows))
    return rows[start:end + 1]


def test_tree_diagram_has_every_branch_and_accessibility_text() -> None:
    for decision in decision_data.load():
        code = "\n".join(decision_framework.mermaid_code(decision))
        assert code.startswith("flowchart TD") and "accTitle:" in code and "accDescr:" in code
        for name, node in decision.tree.items():
            assert f"{name} -- yes --> {node['if_yes']}" in code
            assert f"{name} -- no --> {node['if_no']}" in code
        for option in decision.options:
            assert f'{option.id}["{option.name}"]' in code
