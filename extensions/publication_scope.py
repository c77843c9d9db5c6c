"""Scope a build to one publication, and link the publications to each other.

The HTML site holds all four publications; each ePub and PDF holds one. In a
per-publication build (``dsd_publication`` set, the Makefile does it) this
extension:

* appends the shared back matter (glossary, references) to the
  publication's table of contents, so every book carries its own;
* turns a reference into another publication, which this build cannot
  resolve, into the target's title and the publication's name, read from
  the HTML build's inventory; a printed book cannot link into another book,
  but it can name the page;
* gives HTML pages the download links of their own publication's PDF and
  ePub (``dsd-downloads.html`` renders them).
"""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.addnodes import pending_xref
from sphinx.application import Sphinx
from sphinx.builders.epub3 import Epub3Builder
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.inventory import InventoryFile

import publications

logger = logging.getLogger(__name__)

_inventory_cache: dict[Path, dict[str, tuple[str, str]]] = {}


def add_back_matter(app: Sphinx, docname: str, source: list[str]) -> None:
    """Append the shared back matter to the publication's own table of contents.

    In print, sphinxcontrib-bibtex moves the bibliography to the end of the
    book by itself, so the LaTeX build appends the glossary only.
    """
    key = app.config.dsd_publication
    if not key or docname != publications.by_key(key).root_doc:
        return
    entries = ["/glossary"] if app.builder.name == "latex" else ["/glossary", "/references"]
    listing = "\n".join(entries)
    source[0] += f"\n\n```{{toctree}}\n:caption: Back matter\n:maxdepth: 1\n\n{listing}\n```\n"


def load_labels(path: Path) -> dict[str, tuple[str, str]]:
    """Map each ``std:label`` of the HTML inventory to (document URI, title)."""
    if path not in _inventory_cache:
        with path.open("rb") as stream:
            inventory = InventoryFile.load(stream, "", lambda base, uri: uri)
        # Sphinx 9.0 returns a mapping here; later versions an object with .data.
        data = getattr(inventory, "data", inventory)
        labels = {}
        for name, item in data.get("std:label", {}).items():
            labels[name] = (item.uri, item.display_name)
        _inventory_cache[path] = labels
    return _inventory_cache[path]


def resolve_elsewhere(app: Sphinx, env: BuildEnvironment, node: pending_xref,
                      contnode: nodes.Element) -> nodes.Node | None:
    """Name the target of a reference into another publication."""
    key = app.config.dsd_publication
    if not key or node.get("refdomain") != "std" or node.get("reftype") not in {"ref", "numref"}:
        return None
    inventory = Path(app.confdir) / app.config.dsd_site_inventory
    if not inventory.is_file():
        logger.warning("reference %r points into another publication; build the HTML site "
                       "first (make html) so its inventory can name the target",
                       node["reftarget"], location=node, type="dsd", subtype="xref")
        return None
    found = load_labels(inventory).get(node["reftarget"])
    if not found:
        return None
    uri, title = found
    folder = uri.split("/", 1)[0]
    owner = next((p for p in publications.load() if p.folder == folder), None)
    text = contnode.astext() if node.get("refexplicit") else title
    result = nodes.inline("", "", nodes.emphasis(text, text))
    if owner is not None:
        result += nodes.Text(f" (in {owner.short_title})")
    return result


def download_links(app: Sphinx, pagename: str, templatename: str,
                   context: dict[str, Any], doctree: nodes.document | None) -> None:
    """Tell the sidebar template which PDF and ePub belong to this page."""
    version = app.config.release
    folder = pagename.split("/", 1)[0]
    links = []
    for pub in publications.load():
        if pagename != "index" and pub.folder != folder:
            continue
        for ext, label in (("pdf", "PDF"), ("epub", "ePub"), ("xlsx", "Spreadsheet")):
            if ext in pub.formats:
                name = pub.artifact(version, ext)
                links.append((f"{pub.short_title} ({label})", f"downloads/{name}"))
    context["dsd_downloads"] = links


class PublicationEpubBuilder(Epub3Builder):
    """The ePub builder, fixed for a root document in a subfolder.

    Sphinx 9.0 writes table-of-contents links relative to the root document
    in ``toc.ncx`` and ``nav.xhtml`` but resolves them from the book's top
    (and leaves ``curriculum/../glossary.xhtml`` unnormalized in the spine),
    so a publication rooted at ``curriculum/index`` gets dangling links that
    EPUBCheck rejects. Here every link is made relative to the book's top once.
    """

    def get_refnodes(self, doctree: nodes.Node,
                     result: list[dict[str, Any]]) -> list[dict[str, Any]]:
        refnodes = super().get_refnodes(doctree, result)
        base = posixpath.dirname(self.config.root_doc)
        for item in refnodes:
            if not item.get("dsd_rooted"):
                item["refuri"] = posixpath.normpath(posixpath.join(base, item["refuri"]))
                item["dsd_rooted"] = True
        return refnodes

    def get_toc(self) -> None:
        doctree = self.env.get_and_resolve_doctree(
            self.config.root_doc, self, tags=self.tags, prune_toctrees=False,
            includehidden=True)
        self.refnodes = self.get_refnodes(doctree, [])
        self.toc_add_files(self.refnodes)


def setup(app: Sphinx) -> dict[str, object]:
    app.add_config_value("dsd_publication", "", "env", types=frozenset({str}))
    app.add_config_value("dsd_site_inventory", "build/html/objects.inv", "env",
                         types=frozenset({str}))
    app.add_builder(PublicationEpubBuilder, override=True)
    app.connect("source-read", add_back_matter)
    app.connect("missing-reference", resolve_elsewhere)
    app.connect("html-page-context", download_links)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
