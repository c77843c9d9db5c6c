"""Generate the Decision Framework spreadsheet from data/decision-framework/decisions.yaml.

The workbook and the framework's pages come from the same data file, so they
cannot disagree. Each decision gets a sheet with its trade-off matrix,
rationales, questions and decision tree, and a weighting block where the
reader enters weights per criterion; formulas compute each option's score
and conditional formatting marks the highest. Formula cells are locked and
input cells are not, so the sheet behaves like a tool.

Usage: python scripts/build_spreadsheet.py --version 1.2.0 --output build/xlsx/x.xlsx
The file is reproducible: its creation date comes from SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_range, xl_range_abs, xl_rowcol_to_cell

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "extensions"))

import decision_data  # noqa: E402


def build(path: Path, version: str, decisions: list[decision_data.Decision]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH", "0")),
                                      tz=dt.UTC).replace(tzinfo=None)
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"title": f"Distributed Systems Design: Decision Framework {version}",
                             "author": "The Distributed Systems Design authors",
                             "created": stamp})
    styles = _styles(workbook)
    _start_sheet(workbook, styles, version, decisions)
    for decision in decisions:
        _decision_sheet(workbook, styles, decision)
    workbook.close()


def _styles(workbook: xlsxwriter.Workbook) -> dict[str, object]:
    return {
        "title": workbook.add_format({"bold": True, "font_size": 16}),
        "head": workbook.add_format({"bold": True, "bg_color": "#DDDDDD", "border": 1,
                                     "text_wrap": True, "valign": "top"}),
        "cell": workbook.add_format({"border": 1, "text_wrap": True, "valign": "top"}),
        "input": workbook.add_format({"border": 1, "bg_color": "#FFF2CC", "locked": False}),
        "score": workbook.add_format({"border": 1, "num_format": "0.00", "bold": True}),
        "best": workbook.add_format({"bold": True, "pattern": 1, "bg_color": "#C6EFCE",
                                     "border": 2}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
    }


def _start_sheet(workbook: xlsxwriter.Workbook, styles: dict[str, object], version: str,
                 decisions: list[decision_data.Decision]) -> None:
    sheet = workbook.add_worksheet("Start here")
    sheet.set_column(0, 0, 100)
    sheet.write(0, 0, "Distributed Systems Design: Decision Framework", styles["title"])
    sheet.write(1, 0, f"Version {version}")
    lines = [
        "Each decision has its own sheet. On it:",
        "1. Answer the questions before deciding; they are at the bottom of the sheet.",
        "2. Enter how much each criterion matters for your system (0 to 5) in the yellow cells.",
        "3. The weighted score of each option is computed; the highest is marked in green.",
        "4. Check the result against the decision tree on the same sheet: a score is a summary,",
        "   the tree's questions can rule an option out regardless of its score.",
        "Ratings run from 1 (poor) to 5 (excellent); each comes with a one-line rationale.",
    ]
    for row, line in enumerate(lines, start=3):
        sheet.write(row, 0, line, styles["wrap"])
    for row, decision in enumerate(decisions, start=len(lines) + 4):
        sheet.write_url(row, 0, f"internal:'{decision.sheet_name}'!A1",
                        string=decision.title)
    sheet.activate()


def _decision_sheet(workbook: xlsxwriter.Workbook, styles: dict[str, object],
                    decision: decision_data.Decision) -> None:
    sheet = workbook.add_worksheet(decision.sheet_name)
    options, criteria = decision.options, decision.criteria
    sheet.set_column(0, 0, 42)
    sheet.set_column(1, len(options) + 1, 22)
    sheet.write(0, 0, decision.title, styles["title"])
    sheet.write(1, 0, decision.summary, styles["wrap"])
    header = 3
    sheet.write(header, 0, "Criterion", styles["head"])
    sheet.write(header, 1, "Your weight (0-5)", styles["head"])
    for col, option in enumerate(options, start=2):
        sheet.write(header, col, option.name, styles["head"])
    for row, criterion in enumerate(criteria, start=header + 1):
        sheet.write(row, 0, criterion.name, styles["cell"])
        sheet.write_number(row, 1, 3, styles["input"])
        sheet.data_validation(row, 1, row, 1, {
            "validate": "integer", "criteria": "between", "minimum": 0, "maximum": 5,
            "error_message": "Enter a whole number from 0 (irrelevant) to 5 (decisive)."})
        for col, option in enumerate(options, start=2):
            rating = option.ratings[criterion.id]
            sheet.write_number(row, col, rating.score, styles["cell"])
            sheet.write_comment(row, col, rating.rationale)
    last = header + len(criteria)
    score_row = last + 1
    sheet.write(score_row, 0, "Weighted score (average rating, weighted)", styles["head"])
    sheet.write(score_row, 1, "", styles["head"])
    weights = xl_range_abs(header + 1, 1, last, 1)
    for col in range(2, len(options) + 2):
        ratings = xl_range(header + 1, col, last, col)
        formula = f"=IF(SUM({weights})=0,0,SUMPRODUCT({weights},{ratings})/SUM({weights}))"
        sheet.write_formula(score_row, col, formula, styles["score"])
    first_score = xl_rowcol_to_cell(score_row, 2)
    scores = xl_range_abs(score_row, 2, score_row, len(options) + 1)
    sheet.conditional_format(score_row, 2, score_row, len(options) + 1, {
        "type": "formula", "criteria": f"={first_score}=MAX({scores})",
        "format": styles["best"]})
    row = score_row + 2
    sheet.write(row, 0, "Rationale for each rating", styles["head"])
    for option in options:
        for criterion in criteria:
            row += 1
            rating = option.ratings[criterion.id]
            sheet.write(row, 0, f"{option.name}: {criterion.name}", styles["cell"])
            sheet.merge_range(row, 1, row, len(options) + 1, f"{rating.score}: {rating.rationale}",
                              styles["cell"])
    row += 2
    sheet.write(row, 0, "Questions to answer before deciding", styles["head"])
    for question in decision.questions:
        row += 1
        sheet.merge_range(row, 0, row, len(options) + 1, question, styles["cell"])
    row += 2
    sheet.write(row, 0, "Decision tree: question", styles["head"])
    sheet.write(row, 1, "If yes", styles["head"])
    sheet.write(row, 2, "If no", styles["head"])
    for node in decision.tree_rows():
        row += 1
        sheet.write(row, 0, node.question, styles["cell"])
        sheet.write(row, 1, node.yes_label, styles["cell"])
        sheet.write(row, 2, node.no_label, styles["cell"])
    sheet.freeze_panes(header + 1, 1)
    sheet.print_area(0, 0, row, len(options) + 1)
    sheet.fit_to_pages(1, 0)
    sheet.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", required=True)
    parser.add_argument("--output", type=Path, required=True)
    args = parser.parse_args(argv)
    try:
        decisions = decision_data.load()
    except decision_data.DecisionDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    build(args.output, args.version, decisions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
