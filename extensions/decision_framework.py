"""Render the Decision Framework's tables, trees and questions from its data file.

The same data drives the spreadsheet (scripts/build_spreadsheet.py), so the
published framework and the workbook cannot disagree. Directives:

* ``decision-matrix <id>``: the trade-off matrix, one row per criterion,
  each rating with its rationale;
* ``decision-tree <id>``: the decision tree as a Mermaid flowchart, drawn by
  the shared diagram renderer;
* ``decision-questions <id>``: the questions to answer before deciding.
"""

from __future__ import annotations

from typing import ClassVar

import decision_data
from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective


class _DecisionDirective(SphinxDirective):
    required_arguments = 1
    option_spec: ClassVar[dict[str, object]] = {"name": directives.unchanged,
                                                "caption": directives.unchanged}

    def decision(self) -> decision_data.Decision:
        self.env.note_dependency(str(decision_data.DATA))
        try:
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


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("decision-matrix", DecisionMatrix)
    app.add_directive("decision-tree", DecisionTree)
    app.add_directive("decision-questions", DecisionQuestions)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
