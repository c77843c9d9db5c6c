"""Generate the Decision Framework spreadsheet from data/decision-framework/decisions.yaml.

The workbook and the framework's pages come from the same data file, so they
cannot disagree. Each decision gets a sheet with its trade-off matrix,
rationales, questions and decision tree, and a weighting block where the
reader enters weights per criterion; formulas compute each option's score
and conditional formatting marks the highest. The "Your system" sheet puts
all five decisions on one page: the reader weights the criteria and answers
the decision tree's questions through drop-downs, and formulas walk the tree
and compute the weighted scores. Formula cells are locked and input cells
are not, so the sheets behave like a tool.

Usage: python scripts/build_spreadsheet.py --version 1.2.0 --output build/xlsx/x.xlsx
The file is reproducible: its creation date comes from SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import os
import sys
from pathlib import Path

import xlsxwriter
from xlsxwriter.utility import xl_range, xl_range_abs, xl_rowcol_to_cell

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "extensions"))

import decision_framework  # noqa: E402

import decision_data  # noqa: E402

INTERACTIVE = "Your system"


def build(path: Path, version: str, decisions: list[decision_data.Decision],
          inputs: dict[str, dict] | None = None, cache: bool = True) -> None:
    """Write the workbook; inputs pre-fill the reader's cells (weights, answers) per decision.

    Formulas carry cached results (computed here from the same data) because
    some viewers show cached values without recalculating. The tests pass
    cache=False, fill in the data file's scenarios and let LibreOffice
    recalculate, so only a real engine can produce the values they check.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.fromtimestamp(int(os.environ.get("SOURCE_DATE_EPOCH", "0")),
                                      tz=dt.UTC).replace(tzinfo=None)
    workbook = xlsxwriter.Workbook(str(path))
    workbook.set_properties({"title": f"Distributed Systems Design: Decision Framework {version}",
                             "author": "The Distributed Systems Design authors",
                             "created": stamp})
    styles = _styles(workbook)
    _start_sheet(workbook, styles, version, decisions)
    cells = {decision.id: _decision_sheet(workbook, styles, decision) for decision in decisions}
    _interactive_sheet(workbook, styles, decisions, cells, inputs or {}, cache)
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
        f"The '{INTERACTIVE}' sheet holds all five decisions on one page: weight the criteria,",
        "answer the tree's questions with Yes or No, and read the tree's outcome next to the",
        "option with the highest weighted score. Where they differ, the tree wins: it encodes",
        "requirements that no weighting can trade away. Only the yellow cells are editable.",
        "Ratings run from 1 (poor) to 5 (excellent); each comes with a one-line rationale.",
    ]
    for row, line in enumerate(lines, start=3):
        sheet.write(row, 0, line, styles["wrap"])
    for row, decision in enumerate(decisions, start=len(lines) + 4):
        sheet.write_url(row, 0, f"internal:'{decision.sheet_name}'!A1",
                        string=decision.title)
    sheet.write_url(len(lines) + 4 + len(decisions), 0, f"internal:'{INTERACTIVE}'!A1",
                    string="Your system: weight, answer, compare")
    sheet.print_area(0, 0, len(lines) + 4 + len(decisions), 0)
    sheet.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    sheet.activate()


def _decision_sheet(workbook: xlsxwriter.Workbook, styles: dict[str, object],
                    decision: decision_data.Decision) -> dict[tuple[str, str], str]:
    """Write one decision's sheet; return the cell of each (option, criterion) rating."""
    sheet = workbook.add_worksheet(decision.sheet_name)
    options, criteria = decision.options, decision.criteria
    sheet.set_column(0, 0, 42)
    sheet.set_column(1, len(options) + 1, 22)
    sheet.write(0, 0, decision.title, styles["title"])
    sheet.merge_range(1, 0, 1, len(options) + 1, decision.summary, styles["wrap"])
    _fit(sheet, 1, (decision.summary, 64 + 22 * len(options)))
    header = 3
    sheet.write(header, 0, "Criterion", styles["head"])
    sheet.write(header, 1, "Your weight (0-5)", styles["head"])
    for col, option in enumerate(options, start=2):
        sheet.write(header, col, option.name, styles["head"])
    _fit(sheet, header, *((o.name, 22) for o in options))
    cells: dict[tuple[str, str], str] = {}
    for row, criterion in enumerate(criteria, start=header + 1):
        sheet.write(row, 0, criterion.name, styles["cell"])
        _fit(sheet, row, (criterion.name, 42))
        sheet.write_number(row, 1, 3, styles["input"])
        sheet.data_validation(row, 1, row, 1, {
            "validate": "integer", "criteria": "between", "minimum": 0, "maximum": 5,
            "error_message": "Enter a whole number from 0 (irrelevant) to 5 (decisive)."})
        for col, option in enumerate(options, start=2):
            rating = option.ratings[criterion.id]
            sheet.write_number(row, col, rating.score, styles["cell"])
            sheet.write_comment(row, col, rating.rationale)
            cells[(option.id, criterion.id)] = xl_rowcol_to_cell(row, col, True, True)
    last = header + len(criteria)
    score_row = last + 1
    sheet.write(score_row, 0, "Weighted score (average rating, weighted)", styles["head"])
    sheet.write(score_row, 1, "", styles["head"])
    weights = xl_range_abs(header + 1, 1, last, 1)
    for col in range(2, len(options) + 2):
        ratings = xl_range(header + 1, col, last, col)
        formula = f"=IF(SUM({weights})=0,0,SUMPRODUCT({weights},{ratings})/SUM({weights}))"
        option = options[col - 2]
        average = sum(r.score for r in option.ratings.values()) / len(option.ratings)
        sheet.write_formula(score_row, col, formula, styles["score"], round(average, 6))
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
            label, text = f"{option.name}: {criterion.name}", f"{rating.score}: {rating.rationale}"
            sheet.write(row, 0, label, styles["cell"])
            sheet.merge_range(row, 1, row, len(options) + 1, text, styles["cell"])
            _fit(sheet, row, (label, 42), (text, 22 + 22 * len(options)))
    row += 2
    sheet.write(row, 0, "Questions to answer before deciding", styles["head"])
    for question in decision.questions:
        row += 1
        sheet.merge_range(row, 0, row, len(options) + 1, question, styles["cell"])
        _fit(sheet, row, (question, 64 + 22 * len(options)))
    row += 2
    sheet.write(row, 0, "Decision tree: question", styles["head"])
    sheet.write(row, 1, "If yes", styles["head"])
    sheet.write(row, 2, "If no", styles["head"])
    for node in decision.tree_rows():
        row += 1
        sheet.write(row, 0, node.question, styles["cell"])
        sheet.write(row, 1, node.yes_label, styles["cell"])
        sheet.write(row, 2, node.no_label, styles["cell"])
        _fit(sheet, row, (node.question, 42), (node.yes_label, 22), (node.no_label, 22))
    sheet.freeze_panes(header + 1, 1)
    sheet.print_area(0, 0, row, len(options) + 1)
    sheet.fit_to_pages(1, 0)
    sheet.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})
    return cells


def _fit(sheet: xlsxwriter.worksheet.Worksheet, row: int, *cells: tuple[str, float]) -> None:
    """Set a row's height for wrapped text: spreadsheet apps do not grow rows on load.

    Each cell is (text, column width in characters); the tallest wins. One
    line of the default 11-point font is 15 points high.
    """
    lines = max(math.ceil(len(text) / max(width * 0.95, 1)) for text, width in cells)
    if lines > 1:
        sheet.set_row(row, 15 * lines)


def _tree_formula(decision: decision_data.Decision, answers: dict[str, str], node: str) -> str:
    """Nest IFs that walk the tree from node, reading each answer cell."""
    if node not in decision.tree:
        name = next(o.name for o in decision.options if o.id == node)
        return '"' + name.replace('"', '""') + '"'
    cell, branch = answers[node], decision.tree[node]
    return (f'IF({cell}="","(answer the questions)",IF({cell}="Yes",'
            f'{_tree_formula(decision, answers, branch["if_yes"])},'
            f'{_tree_formula(decision, answers, branch["if_no"])}))')


def _interactive_sheet(workbook: xlsxwriter.Workbook, styles: dict[str, object],
                       decisions: list[decision_data.Decision],
                       cells: dict[str, dict[tuple[str, str], str]],
                       inputs: dict[str, dict], cache: bool) -> None:
    sheet = workbook.add_worksheet(INTERACTIVE)
    width = max(len(d.options) for d in decisions) + 2
    sheet.set_column(0, 0, 60)
    sheet.set_column(1, 1, 14)
    sheet.set_column(2, width - 1, 20)
    sheet.write(0, 0, "Your system: weight the criteria, answer the questions", styles["title"])
    sheet.merge_range(1, 0, 1, width - 1, "Yellow cells are inputs: weights 0 (irrelevant) to 5 "
                      "(decisive), answers Yes or No. Everything else is computed.", styles["wrap"])
    row = 3
    for decision in decisions:
        options = decision.options
        given = inputs.get(decision.id, {})
        sheet.merge_range(row, 0, row, width - 1, decision.title, styles["head"])
        row += 1
        header = row
        sheet.write(row, 0, "Criterion", styles["head"])
        sheet.write(row, 1, "Weight (0-5)", styles["head"])
        for col, option in enumerate(options, start=2):
            sheet.write(row, col, option.name, styles["head"])
        _fit(sheet, row, *((o.name, 20) for o in options))
        for criterion in decision.criteria:
            row += 1
            sheet.write(row, 0, criterion.name, styles["cell"])
            _fit(sheet, row, (criterion.name, 60))
            weight = given.get("weights", {}).get(criterion.id, 3)
            sheet.write_number(row, 1, weight, styles["input"])
            sheet.data_validation(row, 1, row, 1, {
                "validate": "integer", "criteria": "between", "minimum": 0, "maximum": 5,
                "input_title": "Weight", "input_message": "0 (irrelevant) to 5 (decisive)",
                "error_title": "Weight out of range",
                "error_message": "Enter a whole number from 0 (irrelevant) to 5 (decisive)."})
            for col, option in enumerate(options, start=2):
                rating = option.ratings[criterion.id]
                ref = f"='{decision.sheet_name}'!{cells[decision.id][(option.id, criterion.id)]}"
                sheet.write_formula(row, col, ref, styles["cell"], rating.score)
        row += 1
        weight_of = {c.id: given.get("weights", {}).get(c.id, 3) for c in decision.criteria}
        cached = decision_framework.weighted_scores(decision, weight_of)
        weights = xl_range_abs(header + 1, 1, row - 1, 1)
        sheet.write(row, 0, "Weighted score", styles["head"])
        sheet.write(row, 1, "", styles["head"])
        for col, option in enumerate(options, start=2):
            ratings = xl_range(header + 1, col, row - 1, col)
            sheet.write_formula(row, col, f"=IF(SUM({weights})=0,0,SUMPRODUCT({weights},"
                                f"{ratings})/SUM({weights}))", styles["score"],
                                round(cached[option.id], 6) if cache else 0)
        scores = xl_range_abs(row, 2, row, len(options) + 1)
        names = xl_range_abs(header, 2, header, len(options) + 1)
        sheet.conditional_format(row, 2, row, len(options) + 1, {
            "type": "formula", "criteria": f"={xl_rowcol_to_cell(row, 2)}=MAX({scores})",
            "format": styles["best"]})
        row += 1
        sheet.write(row, 0, "Highest weighted score", styles["head"])
        sheet.merge_range(row, 1, row, width - 1, "", styles["score"])
        best = max(options, key=lambda o: cached[o.id]).name  # first maximum, as MATCH
        sheet.write_formula(row, 1, f"=INDEX({names},1,MATCH(MAX({scores}),{scores},0))",
                            styles["score"], best if cache else "")
        row += 1
        answers: dict[str, str] = {}
        for node in decision.tree_rows():
            name = next(n for n, v in decision.tree.items() if v["question"] == node.question)
            sheet.write(row, 0, node.question, styles["cell"])
            _fit(sheet, row, (node.question, 60))
            answer = given.get("answers", {}).get(name)
            if answer:
                sheet.write_string(row, 1, answer, styles["input"])
            else:
                sheet.write_blank(row, 1, None, styles["input"])
            sheet.data_validation(row, 1, row, 1, {
                "validate": "list", "source": ["Yes", "No"], "input_title": "Answer",
                "input_message": "Yes or No", "error_message": "Choose Yes or No."})
            answers[name] = xl_rowcol_to_cell(row, 1)
            row += 1
        sheet.write(row, 0, "Decision tree recommends", styles["head"])
        sheet.merge_range(row, 1, row, width - 1, "", styles["best"])
        try:
            outcome = next(o.name for o in options if o.id == decision_framework.tree_outcome(
                decision, given.get("answers", {})))
        except decision_data.DecisionDataError:
            outcome = "(answer the questions)"
        sheet.write_formula(row, 1, "=" + _tree_formula(decision, answers, decision.tree_start),
                            styles["best"], outcome if cache else "")
        sheet.conditional_format(header, 2, header, len(options) + 1, {
            "type": "formula", "criteria": f"={xl_rowcol_to_cell(header, 2)}="
            f"{xl_rowcol_to_cell(row, 1, True, True)}", "format": styles["best"]})
        row += 2
    sheet.freeze_panes(3, 0)
    sheet.print_area(0, 0, row, width - 1)
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0, 1)
    sheet.protect("", {"select_locked_cells": True, "select_unlocked_cells": True})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default="0.0.0.dev0",
                        help="release version shown in the workbook (default: %(default)s)")
    parser.add_argument("--output", type=Path, help="workbook path (default: "
                        "build/xlsx/dsd-decision-framework-VERSION.xlsx)")
    args = parser.parse_args(argv)
    if args.output is None:
        args.output = ROOT / "build" / "xlsx" / f"dsd-decision-framework-{args.version}.xlsx"
    try:
        decision_framework.validate()
        decisions = decision_data.load()
    except decision_data.DecisionDataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    build(args.output, args.version, decisions)
    return 0


if __name__ == "__main__":
    sys.exit(main())
