"""The ``lab-output`` directive: run a lab during the build and show what it prints.

Output pasted into a page goes stale the day the lab changes; output produced
by the build cannot. sphinxcontrib-programoutput runs a shell command line,
which would pick whatever ``python`` is first on PATH; this directive runs
the lab with the interpreter that runs Sphinx, so the page always shows the
locked environment's result, and a failing lab fails the build at the page's
line.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

MODULE_RE = re.compile(r"^dsd_labs(\.[a-z_][a-z0-9_]*)+$")


class LabOutput(SphinxDirective):
    """Run ``python -m <module> [args]`` and render its standard output."""

    required_arguments = 1
    option_spec: ClassVar[dict[str, object]] = {
        "args": directives.unchanged,
        "caption": directives.unchanged,
        "name": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        module = self.arguments[0]
        if not MODULE_RE.match(module):
            raise self.error(f"lab-output: {module!r} is not a module of the dsd_labs package")
        root = Path(self.env.app.confdir)
        for source in sorted((root / "dsd_labs").rglob("*.py")):
            self.env.note_dependency(str(source))
        args = shlex.split(self.options.get("args", ""))
        stdout = self._run_lab(root, module, args)
        block = nodes.literal_block(stdout, stdout, language="text", classes=["lab-output"])
        self.set_source_info(block)
        if "caption" not in self.options:
            self.add_name(block)
            return [block]
        caption = self.options["caption"]
        container = nodes.container("", literal_block=True, classes=["literal-block-wrapper"])
        parsed, _messages = self.parse_inline(caption, lineno=self.lineno)
        container += nodes.caption(caption, "", *parsed)
        container += block
        self.add_name(container)
        return [container]

    def _run_lab(self, root: Path, module: str, args: list[str]) -> str:
        env = dict(os.environ, PYTHONPATH=str(root), PYTHONHASHSEED="0", COLUMNS="80")
        command = [sys.executable, "-m", module, *args]
        try:
            result = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True,
                                    timeout=self.config.lab_output_timeout, check=False)
        except subprocess.TimeoutExpired as exc:
            raise self.error(f"lab-output: {shlex.join(command[1:])} ran longer than "
                             f"{exc.timeout} s") from exc
        if result.returncode != 0:
            tail = "\n".join(result.stderr.strip().splitlines()[-12:])
            raise self.error(f"lab-output: {shlex.join(command[1:])} exited with status "
                             f"{result.returncode}:\n{tail}")
        if not result.stdout.strip():
            raise self.error(f"lab-output: {shlex.join(command[1:])} printed nothing")
        return result.stdout.rstrip("\n")


def setup(app: Sphinx) -> dict[str, object]:
    app.add_config_value("lab_output_timeout", 120, "env", types=frozenset({int}))
    app.add_directive("lab-output", LabOutput)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
