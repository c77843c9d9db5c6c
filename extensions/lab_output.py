"""The ``lab-output`` directive: run a lab during the build and show what it prints.

Output pasted into a page goes stale the day the lab changes; output produced
by the build cannot. sphinxcontrib-programoutput runs a shell command line,
which would pick whatever ``python`` is first on PATH; this directive runs
the lab with the interpreter that runs Sphinx, so the page always shows the
locked environment's result, and a failing lab fails the build at the page's
line.

One build runs every lab once per format that contains its page, and
``make dist`` builds the curriculum three times (HTML, ePub, PDF). When
``lab_output_cache`` names a directory (the Makefile sets it inside the
build directory), a lab's output is stored there under a digest of
everything it can depend on: the module and arguments, the interpreter, the
lock file and every file under ``dsd_labs/`` and ``data/``. A changed input
changes the digest, so a stale result is never shown; a separate build
directory starts empty, so the reproducible-release test still runs every
lab twice.
"""

from __future__ import annotations

import hashlib
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
# Everything a lab may read; the digest covers all of it.
INPUT_DIRS = ("dsd_labs", "data")
INPUT_FILES = ("requirements/requirements.lock",)


def inputs_digest(root: Path, module: str, args: list[str]) -> str:
    """A digest of the lab's command and every input that could change its output."""
    digest = hashlib.sha256()
    for part in (sys.version, module, *args):
        digest.update(part.encode() + b"\0")
    files = [root / name for name in INPUT_FILES]
    for folder in INPUT_DIRS:
        files += [p for p in (root / folder).rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts]
    for path in sorted(f for f in files if f.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


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
        stdout = self._cached_run(root, module, args)
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

    def _cached_run(self, root: Path, module: str, args: list[str]) -> str:
        cache_dir = self.config.lab_output_cache
        if not cache_dir:
            return self._run_lab(root, module, args)
        entry = Path(cache_dir) / f"{inputs_digest(root, module, args)}.txt"
        if entry.is_file():
            return entry.read_text(encoding="utf-8")
        stdout = self._run_lab(root, module, args)
        entry.parent.mkdir(parents=True, exist_ok=True)
        partial = entry.with_suffix(f".{os.getpid()}.tmp")
        partial.write_text(stdout, encoding="utf-8")
        partial.replace(entry)
        return stdout

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
    app.add_config_value("lab_output_cache", os.environ.get("DSD_LAB_OUTPUT_CACHE", ""), "",
                         types=frozenset({str}))
    app.add_directive("lab-output", LabOutput)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
