"""Enforce the course's label scheme at build time.

Labels are how every page, figure, table and listing is cross-referenced
from four publications; a label that does not say where it lives is a link
nobody can maintain. The scheme (see CONTRIBUTING.md):

    [fig-|tbl-|lst-]<part>-<slug>

where ``<part>`` is the folder the label lives in: ``m05`` for
``curriculum/m05-…``, ``e07`` for ``worked-examples/e07-…``, ``cur``, ``we``,
``df`` and ``sg`` for the publications' own pages, and ``dsd`` for the
pages shared by all of them (glossary, references, home).
"""

from __future__ import annotations

import re

from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging

logger = logging.getLogger(__name__)

LABEL_RE = re.compile(r"^(?:(?:fig|tbl|lst)-)?(?P<part>[a-z]+\d*)-[a-z0-9]+(?:-[a-z0-9]+)*$")
PUBLICATION_PARTS = {
    "curriculum": "cur",
    "worked-examples": "we",
    "decision-framework": "df",
    "study-guide": "sg",
}
BUILTIN_LABELS = {"genindex", "modindex", "py-modindex", "search"}


def expected_part(docname: str) -> str:
    """The label prefix a document's labels must carry."""
    parts = docname.split("/")
    if len(parts) == 1:
        return "dsd"
    folder = parts[1] if len(parts) > 2 else ""
    match = re.match(r"^([me]\d\d)-", folder)
    if match:
        return match.group(1)
    return PUBLICATION_PARTS.get(parts[0], "dsd")


def label_problem(name: str, docname: str) -> str | None:
    """Why ``name`` breaks the scheme in ``docname``, or None if it is fine."""
    match = LABEL_RE.match(name)
    want = expected_part(docname)
    if not match:
        return (f"label '{name}' does not follow the scheme "
                f"[fig-|tbl-|lst-]{want}-<slug> (lower case, digits and hyphens)")
    if match.group("part") != want:
        return f"label '{name}' must start with '{want}-' (or fig-/tbl-/lst-{want}-) in {docname}"
    return None


def check_labels(app: Sphinx, env: BuildEnvironment) -> None:
    std = env.domains.standard_domain
    for name, (docname, _labelid) in sorted(std.anonlabels.items()):
        if name in BUILTIN_LABELS or not docname:
            continue
        problem = label_problem(name, docname)
        if problem:
            logger.warning(problem, location=docname, type="dsd", subtype="label")


def setup(app: Sphinx) -> dict[str, object]:
    app.connect("env-check-consistency", check_labels)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
