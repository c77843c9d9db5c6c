"""Render ``{mermaid}`` diagrams at build time: one browser session per build, cached by hash.

Why: sphinxcontrib-mermaid's build-time rendering starts one ``mmdc`` (one
Chromium) per diagram, about 2.5 s each, and its default HTML output needs
Mermaid's JavaScript in the reader's browser, which fails in an offline zip
opened from ``file://`` and in every ePub reader. This extension keeps the
authoring side of sphinxcontrib-mermaid (its directive and options) and replaces
the output side:

* while reading, it records each diagram's code and source location in the
  environment;
* when reading is done (``env-updated``) it hashes every diagram with the
  Mermaid version pinned in ``package-lock.json``, the renderer script and the
  Mermaid configuration, and renders only the hashes missing from the cache, all
  of them in one Chromium session (``scripts/render_mermaid.mjs``); a no-op
  rebuild starts no browser at all;
* while writing, each diagram becomes a standard ``image`` node pointing at the
  cached file in the builder's format, so Sphinx copies it, numbers its figure
  and resolves ``{numref}``/``{ref}`` exactly as for any figure:

  ======== ============================================================
  HTML     SVG with text labels (no client-side JavaScript), on a light
           card so it stays readable in the theme's dark mode
  LaTeX    a vector PDF per diagram, cropped to the diagram, printed by
           Chromium itself (labels stay real text)
  ePub     PNG at 2x device scale, alt text from ``accDescr``
  ======== ============================================================

A Mermaid syntax error fails the build naming the file, the line and Mermaid's
message; nothing half-rendered reaches the cache. Each build writes
``last-render.json`` in the cache directory with how many diagrams it rendered.

Configuration (``conf.py``):

``mermaid_render_cache_dir``
    Where rendered files live. Empty (the default) means ``.mermaid-cache`` in
    the deepest folder holding both the output and the doctree folders, i.e.
    ``build/.mermaid-cache`` for ``-b html -d build/doctrees/html ... build/html``,
    shared by every builder that writes under ``build/``.
    The environment variable ``MERMAID_RENDER_CACHE_DIR`` overrides both.
``mermaid_render_chromium``
    The browser, default ``/usr/bin/chromium`` (Debian package ``chromium``).
``mermaid_render_node``
    The Node.js executable, default ``node``.
``mermaid_render_config``
    Mermaid options merged over this module's defaults (``DEFAULT_CONFIG``).
``mermaid_render_latex_max_height``
    The tallest a diagram may be in LaTeX, default ``0.7\\textheight``; it is
    never wider than ``\\linewidth`` nor larger than its natural size.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.errors import SphinxError
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinxcontrib.mermaid import Mermaid, MermaidClassDiagram, mermaid

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCRIPT = REPO_ROOT / "scripts" / "render_mermaid.mjs"
STATS_FILE = "last-render.json"
CSS_FILE = "mermaid-render.css"
ENV_KEY = "mermaid_render_diagrams"

#: Mermaid options every diagram is rendered with. ``htmlLabels: False`` makes
#: labels SVG ``<text>`` rather than HTML in ``<foreignObject>``, so the SVG is
#: plain SVG for every consumer. DejaVu Sans is on every Debian machine with
#: fontconfig; Verdana, its look-alike, keeps label widths right in a reader's
#: browser that lacks it.
DEFAULT_CONFIG: dict[str, Any] = {
    "theme": "default",
    "securityLevel": "strict",
    "htmlLabels": False,
    "flowchart": {"htmlLabels": False},
    "fontFamily": '"DejaVu Sans", Verdana, Geneva, sans-serif',
}

#: The file format each kind of builder includes, by builder name then format.
FORMAT_BY_BUILDER = {"epub": "png", "texinfo": "png"}
FORMAT_BY_OUTPUT = {"html": "svg", "latex": "pdf", "texinfo": "png"}

CSS = """\
/* Diagrams pre-rendered by extensions/mermaid_render.py. They are drawn for a
   light page, so they sit on a light card that stays readable in dark mode. */
img.mermaid-diagram {
  background-color: #ffffff;
  padding: 0.5rem;
  border-radius: 0.375rem;
  box-sizing: content-box;
  max-width: calc(100% - 1rem);
  height: auto;
}
html[data-theme="dark"] img.mermaid-diagram {
  border: 1px solid rgba(255, 255, 255, 0.15);
}
"""


class MermaidRenderError(SphinxError):
    """A diagram could not be rendered; the build must not publish anything."""

    category = "Mermaid rendering failed"


class MermaidDirective(Mermaid):
    """sphinxcontrib-mermaid's directive, plus the source location on the node.

    The upstream directive leaves ``source``/``line`` unset on the ``mermaid``
    node, and an error message must name the file and line of the diagram.
    """

    def run(self, **kwargs: Any) -> list[nodes.Node]:
        result = super().run(**kwargs)
        source, line = self.state_machine.get_source_and_line(self.lineno)
        # Lines the directive put in front of the author's code (front matter
        # from mermaid_config or :title:), and where that code starts in the file.
        content_lines = len(self.content)
        for top in result:
            if not isinstance(top, nodes.Element):
                continue
            for node in top.findall(mermaid):
                node.source, node.line = source, line
                node["mermaid_render_prefix"] = (
                    len(node["code"].splitlines()) - content_lines if self.content else 0
                )
                node["mermaid_render_content_line"] = self.content_line(line)
        return result

    def content_line(self, line: int) -> int:
        """The 1-based source line of the first line of diagram code.

        docutils gives ``content_offset`` as the content's 0-based offset in the
        file; MyST gives it relative to the line after the opening fence.
        """
        if not self.content:
            return line
        if type(self.state_machine).__module__.startswith("myst_parser"):
            return self.lineno + 1 + self.content_offset
        return self.content_offset + 1


class MermaidClassDiagramDirective(MermaidClassDiagram):
    """``autoclasstree`` with the same source-location fix as :class:`MermaidDirective`."""

    def run(self, **kwargs: Any) -> list[nodes.Node]:
        result = super().run(**kwargs)
        source, line = self.state_machine.get_source_and_line(self.lineno)
        for top in result:
            if isinstance(top, nodes.Element):
                for node in top.findall(mermaid):
                    node.source, node.line = source, line
        return result


# -- hashing and cache layout -------------------------------------------------


def mermaid_version(script: Path) -> str:
    """The Mermaid version that renders: the one ``package-lock.json`` pins.

    Read from the lockfile rather than node_modules so a no-op rebuild can tell
    its cache is complete even on a machine where ``npm ci`` has not run yet.
    """
    root = script.resolve().parent.parent
    lock = root / "package-lock.json"
    if lock.is_file():
        data = json.loads(lock.read_text(encoding="utf-8"))
        entry = data.get("packages", {}).get("node_modules/mermaid")
        if entry and entry.get("version"):
            return str(entry["version"])
    installed = root / "node_modules" / "mermaid" / "package.json"
    if installed.is_file():
        return str(json.loads(installed.read_text(encoding="utf-8"))["version"])
    raise MermaidRenderError(
        f"cannot tell which Mermaid version renders: neither {lock} pins `mermaid` nor is "
        f"it installed in {root / 'node_modules'}; run `npm ci` in {root}"
    )


def render_config(app: Sphinx) -> dict[str, Any]:
    """The Mermaid options used for every diagram: defaults, then conf.py's overrides."""

    def merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
        out = copy.deepcopy(base)
        for key, value in extra.items():
            if isinstance(value, dict) and isinstance(out.get(key), dict):
                out[key] = merge(out[key], value)
            else:
                out[key] = value
        return out

    return merge(DEFAULT_CONFIG, dict(app.config.mermaid_render_config or {}))


def script_path(app: Sphinx) -> Path:
    """The Node renderer; configurable so tests can point at a copy."""
    return Path(app.config.mermaid_render_script or DEFAULT_SCRIPT).resolve()


def hash_context(app: Sphinx) -> str:
    """Everything besides a diagram's code that changes its rendering, as one string.

    Computed once per build: Mermaid's version, the renderer script's bytes
    (so fixing the renderer invalidates the cache) and the Mermaid options.
    """
    cached = getattr(app, "_mermaid_render_context", None)
    if cached is None:
        script = script_path(app)
        renderer = hashlib.sha256(script.read_bytes()).hexdigest() if script.is_file() else ""
        cached = json.dumps(
            {"mermaid": mermaid_version(script), "renderer": renderer,
             "config": render_config(app)},
            sort_keys=True,
        )
        app._mermaid_render_context = cached  # type: ignore[attr-defined]
    return cached


def diagram_hash(app: Sphinx, code: str) -> str:
    """The cache key of one diagram: its code plus :func:`hash_context`."""
    digest = hashlib.sha256()
    digest.update(hash_context(app).encode("utf-8"))
    digest.update(b"\0")
    digest.update(code.encode("utf-8"))
    return digest.hexdigest()[:32]


def cache_dir(app: Sphinx) -> Path:
    """The cache folder, shared by all builders writing under one build folder."""
    override = os.environ.get("MERMAID_RENDER_CACHE_DIR") or app.config.mermaid_render_cache_dir
    if override:
        path = Path(override)
        return path if path.is_absolute() else (Path(app.confdir) / path).resolve()
    outdir, doctreedir = Path(app.outdir).resolve(), Path(app.doctreedir).resolve()
    common = Path(os.path.commonpath([outdir, doctreedir]))
    if common == outdir:  # doctrees inside the output (sphinx-build's default)
        return doctreedir / ".mermaid-cache"
    return common / ".mermaid-cache"


def cached_file(app: Sphinx, key: str, fmt: str) -> Path:
    """Where the rendering of diagram ``key`` in format ``fmt`` lives."""
    return cache_dir(app) / f"mermaid-{key}.{fmt}"


def builder_format(app: Sphinx) -> str | None:
    """The image format the current builder includes, or None if it takes no image."""
    builder = app.builder
    if builder is None:
        return None
    for prefix, fmt in FORMAT_BY_BUILDER.items():
        if builder.name.startswith(prefix):
            return fmt
    return FORMAT_BY_OUTPUT.get(builder.format)


# -- reading: collect diagrams into the environment ---------------------------


def diagrams(env: BuildEnvironment) -> dict[str, list[dict[str, Any]]]:
    """The per-document list of diagrams kept in the (pickled) environment."""
    if not hasattr(env, ENV_KEY):
        setattr(env, ENV_KEY, {})
    return getattr(env, ENV_KEY)


def node_location(node: nodes.Element, env: BuildEnvironment, docname: str) -> tuple[str, int]:
    """Source file and line of a diagram, falling back to its document."""
    source = node.source or str(env.doc2path(docname))
    line = node.line
    if line is None:
        parent = node.parent
        while parent is not None and line is None:
            line = parent.line
            parent = parent.parent
    return str(source), int(line or 0)


def collect_diagrams(app: Sphinx, doctree: nodes.document) -> None:
    """Record the diagrams of the document just read (``doctree-read``)."""
    env = app.env
    found = []
    for node in doctree.findall(mermaid):
        source, line = node_location(node, env, env.docname)
        found.append({
            "code": node["code"],
            "source": source,
            "line": line,
            "content_line": node.get("mermaid_render_content_line", line),
            "prefix": node.get("mermaid_render_prefix", 0),
        })
    store = diagrams(env)
    if found:
        store[env.docname] = found
    else:
        store.pop(env.docname, None)


def purge_diagrams(app: Sphinx, env: BuildEnvironment, docname: str) -> None:
    """Forget a document's diagrams before it is re-read or removed."""
    diagrams(env).pop(docname, None)


def merge_diagrams(app: Sphinx, env: BuildEnvironment, docnames: set[str],
                   other: BuildEnvironment) -> None:
    """Take the diagrams a parallel reader collected (``env-merge-info``)."""
    theirs = diagrams(other)
    ours = diagrams(env)
    for docname in docnames:
        if docname in theirs:
            ours[docname] = theirs[docname]


# -- rendering: one batch when reading is done ---------------------------------


def write_json_atomic(path: Path, data: dict[str, Any]) -> None:
    """Write a small JSON file so that readers never see half of it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(path)


def check_tools(app: Sphinx, script: Path) -> str:
    """Fail early, naming what to install, if a tool the renderer needs is missing."""
    node = shutil.which(app.config.mermaid_render_node)
    if node is None:
        raise MermaidRenderError(
            f"Node.js ({app.config.mermaid_render_node!r}) not found, needed to render Mermaid "
            "diagrams: install the Debian package `nodejs` (Node 20 or newer) or set "
            "mermaid_render_node"
        )
    if not script.is_file():
        raise MermaidRenderError(f"the Mermaid renderer {script} is missing")
    modules = script.parent.parent / "node_modules"
    for package in ("mermaid", "puppeteer-core"):
        if not (modules / package / "package.json").is_file():
            raise MermaidRenderError(
                f"the npm package `{package}` is not installed in {modules}: run `npm ci` in "
                f"{script.parent.parent} (it installs the versions package-lock.json pins)"
            )
    chromium = Path(app.config.mermaid_render_chromium)
    if not chromium.is_file():
        raise MermaidRenderError(
            f"Chromium not found at {chromium}, needed to render Mermaid diagrams: install the "
            "Debian package `chromium` (apt-get install --no-install-recommends chromium) or "
            "set mermaid_render_chromium"
        )
    return node


def error_location(entry: dict[str, Any], message: str) -> tuple[str, int]:
    """Map Mermaid's "line N" (within the diagram) to the line in the source file."""
    match = re.search(r"\bon line (\d+)", message) or re.search(r"\bline (\d+)", message)
    if not match or not entry.get("content_line"):
        return entry["source"], entry["line"]
    within = int(match.group(1)) - 1 - int(entry.get("prefix", 0))
    if within < 0:
        return entry["source"], entry["line"]
    return entry["source"], int(entry["content_line"]) + within


def run_renderer(app: Sphinx, jobs: list[dict[str, Any]]) -> dict[str, Any]:
    """Render ``jobs`` in one Node/Chromium session and return its JSON summary."""
    script = script_path(app)
    node = check_tools(app, script)
    payload = {"chromium": app.config.mermaid_render_chromium, "config": render_config(app),
               "jobs": jobs}
    # The job list goes through a file, not stdin: Node's synchronous read of a
    # pipe fails with EAGAIN when the pipe is not ready yet.
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as job_file:
        json.dump(payload, job_file)
        job_file.flush()
        try:
            proc = subprocess.run(
                [node, str(script), job_file.name], capture_output=True, text=True,
                cwd=script.parent.parent, timeout=120 + 30 * len(jobs), check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise MermaidRenderError(
                f"the Mermaid renderer timed out after {exc.timeout} s") from exc
    try:
        summary = json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        raise MermaidRenderError(
            f"the Mermaid renderer failed (exit {proc.returncode}):\n{proc.stderr.strip()}"
        ) from None
    if "fatal" in summary:
        raise MermaidRenderError(summary["fatal"])
    pinned = mermaid_version(script)
    if summary.get("mermaidVersion") != pinned:
        raise MermaidRenderError(
            f"node_modules holds mermaid {summary.get('mermaidVersion')} but package-lock.json "
            f"pins {pinned}: run `npm ci` in {script.parent.parent}"
        )
    return summary


def render_missing(app: Sphinx, env: BuildEnvironment) -> None:
    """Render every diagram of the build whose file is missing from the cache.

    Runs on ``env-updated``, before the environment is pickled: if a diagram
    fails, the build stops and the failing document stays "outdated", so the
    next build reports the error again instead of publishing without it.
    """
    fmt = builder_format(app)
    if fmt is None:
        return
    started = time.perf_counter()
    folder = cache_dir(app)
    jobs: dict[str, dict[str, Any]] = {}
    where: dict[str, list[dict[str, Any]]] = {}
    total = 0
    for docname in sorted(diagrams(env)):
        for entry in diagrams(env)[docname]:
            total += 1
            key = diagram_hash(app, entry["code"])
            where.setdefault(key, []).append(entry)
            target = cached_file(app, key, fmt)
            if key not in jobs and not target.is_file():
                jobs[key] = {"id": key, "code": entry["code"], "outputs": {fmt: str(target)}}
    stats: dict[str, Any] = {
        "builder": app.builder.name, "format": fmt, "diagrams": total,
        "rendered": 0, "cached": total, "failed": 0,
    }
    if jobs:
        logger.info("rendering %d Mermaid diagram(s) as %s in one Chromium session...",
                    len(jobs), fmt.upper())
        summary = run_renderer(app, list(jobs.values()))
        failures = [r for r in summary["results"] if not r["ok"]]
        stats.update({
            "rendered": summary["rendered"], "failed": len(failures),
            "cached": total - sum(len(where[r["id"]]) for r in summary["results"]),
            "browser_start_seconds": round(summary["startSeconds"], 3),
            "render_seconds": round(summary["renderSeconds"], 3),
            "chromium": summary["chromiumVersion"], "mermaid": summary["mermaidVersion"],
        })
        if failures:
            lines = []
            for failure in failures:
                message = failure["error"].strip()
                for entry in where[failure["id"]]:
                    source, line = error_location(entry, message)
                    logger.error("Mermaid syntax error in the diagram at line %d: %s",
                                 entry["line"], message, location=f"{source}:{line}")
                    lines.append(f"{source}:{line}: diagram at line {entry['line']}: "
                                 f"{message.splitlines()[0]}")
            stats["seconds"] = round(time.perf_counter() - started, 3)
            write_json_atomic(folder / STATS_FILE, stats)
            raise MermaidRenderError(
                f"{len(lines)} Mermaid diagram(s) did not render:\n" + "\n".join(lines)
            )
        logger.info("rendered %d Mermaid diagram(s) in %.2f s (browser start %.2f s)",
                    summary["rendered"], time.perf_counter() - started, summary["startSeconds"])
    stats["seconds"] = round(time.perf_counter() - started, 3)
    write_json_atomic(folder / STATS_FILE, stats)


# -- writing: swap each diagram for an image in the builder's format -----------


def accessible_text(code: str) -> str | None:
    """The diagram's ``accDescr`` (single-line or block), else its ``accTitle``."""
    block = re.search(r"^\s*accDescr\s*\{(.*?)\}", code, re.MULTILINE | re.DOTALL)
    line = re.search(r"^\s*accDescr\s*:\s*(.+)$", code, re.MULTILINE)
    title = re.search(r"^\s*accTitle\s*:\s*(.+)$", code, re.MULTILINE)
    for match in (block, line, title):
        if match:
            return " ".join(match.group(1).split())
    return None


def png_size(path: Path) -> tuple[int, int]:
    """Pixel size of a PNG, read from its IHDR chunk (no imaging library needed)."""
    header = path.read_bytes()[:24]
    return int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")


class MermaidToImage(SphinxPostTransform):
    """Replace each ``mermaid`` node by an ``image`` of its cached rendering.

    A standard image node lets every builder do what it does for any figure:
    copy the file, write ``<img alt>`` or ``\\sphinxincludegraphics`` (never
    wider than the line), and keep the surrounding figure's number and label.
    """

    default_priority = 5

    def run(self, **kwargs: Any) -> None:
        fmt = builder_format(self.app)
        if fmt is None:
            return
        docname = self.env.docname
        for node in list(self.document.findall(mermaid)):
            key = diagram_hash(self.app, node["code"])
            path = cached_file(self.app, key, fmt)
            if not path.is_file():
                logger.warning("Mermaid diagram was not rendered (missing %s)", path,
                               location=node, type="mermaid_render", subtype="missing")
                continue
            uri = str(path)
            alt = node.get("alt") or accessible_text(node["code"]) or "Diagram"
            image = nodes.image(uri=uri, alt=alt, candidates={"*": uri},
                                classes=["mermaid-diagram"])
            image["ids"] = list(node["ids"])
            image["names"] = list(node["names"])
            image.source, image.line = node.source, node.line
            if "align" in node:
                image["align"] = node["align"]
            if fmt == "png":
                # Drawn at 2x device scale: show it at its natural CSS size.
                width, _height = png_size(path)
                image["width"] = f"{width // 2}px"
            self.env.images.add_file(docname, uri)
            replacement: list[nodes.Node] = [image]
            if fmt == "pdf":
                limit = self.app.config.mermaid_render_latex_max_height
                replacement = [
                    nodes.raw("", "\\begingroup\\csname spx@image@maxheight\\endcsname="
                              f"{limit}\\relax\n", format="latex"),
                    image,
                    nodes.raw("", "\\endgroup\n", format="latex"),
                ]
                if image["ids"]:
                    # LaTeX writes no label for an image's ids; a target does, so
                    # {ref} to an uncaptioned diagram lands on it in the PDF too.
                    replacement.insert(0, nodes.target("", "", ids=image["ids"]))
                    image["ids"] = []
            node.replace_self(replacement)


def write_css(app: Sphinx) -> list[Any]:
    """Write the diagram card's CSS into ``_static`` (``html-collect-pages``).

    Runs after Sphinx copied the static files and before the ePub builder
    lists the book's files, so the stylesheet is in the ePub's manifest too.
    """
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    target = static / CSS_FILE
    if not target.is_file() or target.read_text(encoding="utf-8") != CSS:
        target.write_text(CSS, encoding="utf-8")
    return []


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the directive overrides, events, post-transform and config values."""
    app.setup_extension("sphinxcontrib.mermaid")
    app.add_directive("mermaid", MermaidDirective, override=True)
    app.add_directive("autoclasstree", MermaidClassDiagramDirective, override=True)
    app.add_config_value("mermaid_render_cache_dir", "", "", types=[str])
    app.add_config_value("mermaid_render_chromium", "/usr/bin/chromium", "", types=[str])
    app.add_config_value("mermaid_render_node", "node", "", types=[str])
    app.add_config_value("mermaid_render_script", "", "", types=[str])
    app.add_config_value("mermaid_render_config", {}, "env", types=[dict])
    app.add_config_value("mermaid_render_latex_max_height", r"0.7\textheight", "env",
                         types=[str])
    app.connect("doctree-read", collect_diagrams)
    app.connect("env-purge-doc", purge_diagrams)
    app.connect("env-merge-info", merge_diagrams)
    app.connect("env-updated", render_missing)
    app.connect("html-collect-pages", write_css)
    app.add_post_transform(MermaidToImage)
    app.add_css_file(CSS_FILE)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True,
            "env_version": 1}
