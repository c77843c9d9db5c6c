"""Render the worked designs' capacity models into their pages at build time.

Three entry points, all reading ``dsd_labs.capacity``:

* ``capacity-assumptions`` (directive): the stated inputs, with their basis;
* ``capacity-table`` (directive): one table of derived numbers and how each
  is computed, optionally at ``:scale:`` times the load;
* ``capacity`` (role): one derived number inside a sentence,
  ``{capacity}`e01-photo-sharing:peak_upload_rate``` or ``…@10`` for 10× load.

A page therefore never holds a typed estimate: change an assumption and
every number that depends on it changes in every format.
"""

from __future__ import annotations

from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective, SphinxRole

from dsd_labs.capacity import model


def _note_sources(env: object, design: str) -> None:
    env.note_dependency(str(model.data_file(design)))  # type: ignore[attr-defined]
    env.note_dependency(str(model.model_source(design)))  # type: ignore[attr-defined]
    env.note_dependency(str(model.ROOT / "dsd_labs/capacity/quantity.py"))  # type: ignore[attr-defined]


class _CapacityDirective(SphinxDirective):
    required_arguments = 1
    option_spec: ClassVar[dict[str, object]] = {
        "table": directives.unchanged,
        "scale": directives.positive_int,
        "name": directives.unchanged,
        "caption": directives.unchanged,
    }

    def build_table(self, caption: str, header: list[str], rows: list[list[str]],
                    widths: list[int]) -> nodes.table:
        # "longtable" lets LaTeX break a long table across pages instead of
        # running it off the bottom of one.
        table = nodes.table(classes=["capacity-table", "longtable"])
        group = nodes.tgroup(cols=len(header))
        table += group
        for width in widths:
            group += nodes.colspec(colwidth=width)
        head = nodes.thead()
        group += head
        head += self._row(header)
        body = nodes.tbody()
        group += body
        for cells in rows:
            body += self._row(cells)
        parsed, _messages = self.parse_inline(caption, lineno=self.lineno)
        title = nodes.title(caption, "", *parsed)
        table.insert(0, title)
        self.set_source_info(table)
        self.add_name(table)
        return table

    def _row(self, cells: list[str]) -> nodes.row:
        row = nodes.row()
        for text in cells:
            entry = nodes.entry()
            paragraph = nodes.paragraph()
            parsed, _messages = self.parse_inline(text, lineno=self.lineno)
            paragraph += parsed
            entry += paragraph
            row += entry
        return row


class CapacityAssumptions(_CapacityDirective):
    """The table of a design's assumptions: what is assumed and on what basis."""

    def run(self) -> list[nodes.Node]:
        design = self.arguments[0]
        try:
            items = model.load_assumptions(design)
            _note_sources(self.env, design)
        except model.CapacityError as exc:
            raise self.error(f"capacity-assumptions: {exc}") from exc
        scale = self.options.get("scale", 1)
        rows = [[item.label, item.formatted(scale), item.basis] for item in items.values()]
        caption = self.options.get("caption", "Assumptions")
        return [self.build_table(caption, ["Assumption", "Value", "Basis"], rows, [30, 15, 55])]


class CapacityTable(_CapacityDirective):
    """One table of derived estimates, each with the arithmetic in words."""

    def run(self) -> list[nodes.Node]:
        design = self.arguments[0]
        scale = self.options.get("scale", 1)
        try:
            estimate = model.estimate(design, scale)
            table = estimate.table(self.options.get("table", ""))
            _note_sources(self.env, design)
        except model.CapacityError as exc:
            raise self.error(f"capacity-table: {exc}") from exc
        default = table.title if scale == 1 else f"{table.title} at {scale}× load"
        caption = self.options.get("caption", default)
        rows = [[row.label, row.formatted, row.how] for row in table.rows]
        return [self.build_table(caption, ["Estimate", "Value", "How it is computed"], rows,
                                 [30, 15, 55])]


class CapacityValue(SphinxRole):
    """One estimate in running text: ``design:row`` or ``design:row@scale``."""

    def run(self) -> tuple[list[nodes.Node], list[nodes.system_message]]:
        target, _, scale_text = self.text.partition("@")
        design, _, name = target.partition(":")
        try:
            scale = float(scale_text) if scale_text else 1.0
            estimate = model.estimate(design, scale)
            value = (estimate.row(name).formatted if name in _row_names(estimate)
                     else next(a.formatted(scale) for a in estimate.assumptions if a.name == name))
            _note_sources(self.env, design)
        except (model.CapacityError, ValueError, StopIteration) as exc:
            message = self.inliner.reporter.error(
                f"capacity: cannot resolve {self.text!r}: {exc or 'no such estimate'}",
                line=self.lineno)
            return [self.inliner.problematic(self.rawtext, self.rawtext, message)], [message]
        return [nodes.inline(value, value, classes=["capacity-value"])], []


def _row_names(estimate: model.Estimate) -> set[str]:
    return {row.name for table in estimate.tables for row in table.rows}


def setup(app: Sphinx) -> dict[str, object]:
    app.add_directive("capacity-assumptions", CapacityAssumptions)
    app.add_directive("capacity-table", CapacityTable)
    app.add_role("capacity", CapacityValue())
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
