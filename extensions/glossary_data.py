"""The ``glossary-from-data`` directive: one sorted glossary from per-part YAML files.

Every module and publication keeps its terms in its own file under
``data/glossary/`` so authors never edit the same file; this directive merges
them into one Sphinx glossary (so ``{term}`` links resolve everywhere), sorts
it, and refuses a term defined twice, naming both files.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective


class GlossaryDataError(ValueError):
    """A glossary file is malformed; the message names the file and entry."""


def load_terms(folder: Path) -> list[tuple[str, str, Path]]:
    """Read every ``*.yaml`` in ``folder`` into (term, definition, file) triples."""
    terms: list[tuple[str, str, Path]] = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(data, list):
            raise GlossaryDataError(f"{path}: expected a list of {{term, definition}} entries")
        for i, entry in enumerate(data):
            where = f"{path}: entry [{i}]"
            if not isinstance(entry, dict):
                raise GlossaryDataError(f"{where}: expected a mapping")
            for field in ("term", "definition"):
                value = entry.get(field)
                if not isinstance(value, str) or not value.strip():
                    raise GlossaryDataError(f"{where}: field '{field}' must be non-empty text")
            term = " ".join(entry["term"].split())
            key = term.lower()
            if key in seen:
                raise GlossaryDataError(
                    f"{where}: term '{term}' is already defined in {seen[key]}")
            seen[key] = path
            terms.append((term, " ".join(entry["definition"].split()), path))
    return terms


class GlossaryFromData(SphinxDirective):
    """Render all glossary files as one sorted ``glossary`` directive."""

    def run(self) -> list[nodes.Node]:
        folder = Path(self.env.app.confdir) / self.config.glossary_data_dir
        try:
            terms = load_terms(folder)
        except (GlossaryDataError, yaml.YAMLError) as exc:
            raise self.error(f"glossary-from-data: {exc}") from exc
        for path in sorted(folder.glob("*.yaml")):
            self.env.note_dependency(str(path))
        if not terms:
            raise self.error(f"glossary-from-data: no terms found in {folder}")
        lines = ["```{glossary}", ":sorted:", ""]
        for term, definition, _path in terms:
            lines += [term, f"   {definition}", ""]
        lines.append("```")
        return self.parse_text_to_nodes("\n".join(lines))


def setup(app: Sphinx) -> dict[str, object]:
    app.add_config_value("glossary_data_dir", "data/glossary", "env", types=frozenset({str}))
    app.add_directive("glossary-from-data", GlossaryFromData)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
