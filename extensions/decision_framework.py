"""Render the Decision Framework's tables, trees and questions from its data file.

The same data drives the spreadsheet (scripts/build_spreadsheet.py), so the
published framework and the workbook cannot disagree. Directives:

* ``decision-matrix <id>``: the trade-off matrix, one row per criterion,
  each rating with its rationale;
* ``decision-tree <id>``: the decision tree as a Mermaid flowchart, drawn by
  the shared diagram renderer;
* ``decision-questions <id>``: the questions to answer before deciding;
* ``decision-scenarios <id>``: the worked scenarios, with the tree's outcome
  and the weighted scores that the spreadsheet computes for the same inputs.

``validate`` checks the data file against ``decisions.schema.json`` and the
cross-references a schema cannot express (duplicate ids, ratings against
unknown criteria, scenario answers to unknown questions). The spreadsheet
generator calls it too, so bad data fails both builds with the same message,
naming the file and the field path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

import jsonschema
import yaml
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

import decision_data

SCHEMA = decision_data.DATA.with_name("decisions.schema.json")


def _path(parts: object) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text.lstrip(".") or "(top level)"


def validate(path: Path = decision_data.DATA) -> dict:
    """Return the raw data after checking it; raise DecisionDataError naming file and field."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise decision_data.DecisionDataError(f"{path}: {exc}") from exc
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(raw),
                    key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        first = errors[0]
        raise decision_data.DecisionDataError(
            f"{path}: {_path(first.absolute_path)}: {first.message}")
    seen: set[str] = set()
    for i, decision in enumerate(raw["decisions"]):
        where = f"{path}: decisions[{i}]"
        if decision["id"] in seen:
            raise decision_data.DecisionDataError(f"{where}.id: duplicate id '{decision['id']}'")
        seen.add(decision["id"])
        for kind in ("criteria", "options"):
            ids = [item["id"] for item in decision[kind]]
            for j, item_id in enumerate(ids):
                if item_id in ids[:j]:
                    raise decision_data.DecisionDataError(
                        f"{where}.{kind}[{j}].id: duplicate id '{item_id}'")
        criteria = {c["id"] for c in decision["criteria"]}
        for j, option in enumerate(decision["options"]):
            for cid in option["ratings"]:
                if cid not in criteria:
                    raise decision_data.DecisionDataError(
                        f"{where}.options[{j}].ratings.{cid}: no criterion '{cid}'")
        overlap = set(decision["tree"]["nodes"]) & {o["id"] for o in decision["options"]}
        if overlap:
            raise decision_data.DecisionDataError(
                f"{where}.tree.nodes: ids used for both a node and an option: {sorted(overlap)}")
        for j, scenario in enumerate(decision["scenarios"]):
            at = f"{where}.scenarios[{j}]"
            if set(scenario["weights"]) != criteria:
                raise decision_data.DecisionDataError(
                    f"{at}.weights: must weight exactly {sorted(criteria)}")
            for node in scenario["answers"]:
                if node not in decision["tree"]["nodes"]:
                    raise decision_data.DecisionDataError(
                        f"{at}.answers.{node}: no tree node '{node}'")
    decision_data.load(path)  # the structural checks shared with the spreadsheet
    return raw


def tree_outcome(decision: decision_data.Decision, answers: dict[str, str]) -> str:
    """Walk the tree with Yes/No answers and return the option id it reaches."""
    node = decision.tree_start
    while node in decision.tree:
        if node not in answers:
            raise decision_data.DecisionDataError(f"{decision.id}: no answer for '{node}'")
        node = decision.tree[node]["if_yes" if answers[node] == "Yes" else "if_no"]
    return node


def weighted_scores(decision: decision_data.Decision,
                    weights: dict[str, int]) -> dict[str, float]:
    """The weighted average rating per option, as the spreadsheet computes it."""
    total = sum(weights.values())
    return {o.id: (sum(weights[c] * o.ratings[c].score for c in weights) / total if total else 0.0)
            for o in decision.options}


def scenarios(decision_id: str, path: Path = decision_data.DATA) -> list[dict]:
    """The worked scenarios of one decision, as written in the data file."""
    for decision in validate(path)["decisions"]:
        if decision["id"] == decision_id:
            return decision["scenarios"]
    raise decision_data.DecisionDataError(f"{path}: no decision '{decision_id}'")


def mermaid_code(decision: decision_data.Decision) -> list[str]:
    """The decision tree as Mermaid flowchart lines, with accTitle and accDescr."""
    code = ["flowchart TD", f"    accTitle: Decision tree: {decision.title}",
            "    accDescr: " + " ".join(
                f"{row.question} If yes: {row.yes_label}. If no: {row.no_label}."
                for row in decision.tree_rows())]
    for name, node in decision.tree.items():
        code.append(f'    {name}{{"{node["question"]}"}}')
    for option in decision.options:
        code.append(f'    {option.id}["{option.name}"]')
    for name, node in decision.tree.items():
        code.append(f"    {name} -- yes --> {node['if_yes']}")
        code.append(f"    {name} -- no --> {node['if_no']}")
    return code


class _DecisionDirective(SphinxDirective):
    required_arguments = 1
    option_spec: ClassVar[dict[str, object]] = {"name": directives.unchanged,
                                                "caption": directives.unchanged}

    def decision(self) -> decision_data.Decision:
        self.env.note_dependency(str(decision_data.DATA))
        self.env.note_dependency(str(SCHEMA))
        try:
            validate()
            return decision_data.by_id(self.arguments[0])
        except decision_data.DecisionDataError as exc:
            raise self.error(f"{self.name}: {exc}") from exc


class DecisionMatrix(_DecisionDirective):
    """The trade-off matrix as a table: criteria down, options across."""

    def run(self) -> list[nodes.Node]:
        decision = self.decision()
        caption = self.options.get("caption", f"Trade-off matrix: {decision.title.lower()}.")
        name = self.options.get("name", f"tbl-df-{decision.id}-matrix")
        lines = [f"```{{list-table}} {caption}", ":header-rows: 1", f":name: {name}", "",
                 "* - Criterion"]
        lines += [f"  - {option.name}" for option in decision.options]
        for criterion in decision.criteria:
            lines.append(f"* - {criterion.name}")
            for option in decision.options:
                rating = option.ratings[criterion.id]
                lines.append(f"  - **{rating.score}/5.** {rating.rationale}")
        lines.append("```")
        return self.parse_text_to_nodes("\n".join(lines))


class DecisionTree(_DecisionDirective):
    """The decision tree as a Mermaid flowchart."""

    def run(self) -> list[nodes.Node]:
        decision = self.decision()
        code = mermaid_code(decision)
        caption = self.options.get("caption", f"Decision tree: {decision.title.lower()}.")
        name = self.options.get("name", f"fig-df-{decision.id}-tree")
        text = "\n".join(["```{mermaid}", f":name: {name}", f":caption: {caption}", "",
                          *code, "```"])
        return self.parse_text_to_nodes(text)


class DecisionQuestions(_DecisionDirective):
    """The questions to answer before deciding, as a numbered list."""

    def run(self) -> list[nodes.Node]:
        decision = self.decision()
        text = "\n".join(f"{i}. {q}" for i, q in enumerate(decision.questions, 1))
        return self.parse_text_to_nodes(text)


class DecisionScenarios(_DecisionDirective):
    """Worked scenarios: inputs, the tree's outcome and the weighted scores."""

    def run(self) -> list[nodes.Node]:
        decision = self.decision()
        names = {o.id: o.name for o in decision.options}
        criteria = {c.id: c.name for c in decision.criteria}
        lines: list[str] = []
        for scenario in scenarios(decision.id):
            scores = weighted_scores(decision, scenario["weights"])
            best = max(scores.values())
            top = [names[o] for o, v in scores.items() if v == best]
            weights = "; ".join(f"{criteria[c]}: {w}" for c, w in scenario["weights"].items())
            answers = " ".join(f"{decision.tree[n]['question']} **{a}.**"
                               for n, a in scenario["answers"].items())
            score_text = ", ".join(f"{names[o]} {v:.2f}" for o, v in scores.items())
            lines += [f"**{scenario['name']}.**", "",
                      f"- Weights (0 to 5): {weights}.",
                      f"- Answers: {answers}",
                      f"- Decision tree: **{names[tree_outcome(decision, scenario['answers'])]}**.",
                      f"- Weighted scores: {score_text}; highest: **{' and '.join(top)}**.", ""]
        return self.parse_text_to_nodes("\n".join(lines))


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("decision-matrix", DecisionMatrix)
    app.add_directive("decision-tree", DecisionTree)
    app.add_directive("decision-questions", DecisionQuestions)
    app.add_directive("decision-scenarios", DecisionScenarios)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
