"""Sphinx configuration for the whole course package.

One configuration serves every builder. The HTML build holds all four
publications in one site; ePub and LaTeX builds run once per publication with
``DSD_PUBLICATION=<key>`` (the Makefile does this), which makes that
publication's index the root document and leaves the others out.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
sys.path.insert(0, str(ROOT / "extensions"))
sys.path.insert(0, str(ROOT))

import publications  # noqa: E402  (needs the path above)

PUBLICATIONS = publications.load()
PUBLICATION = os.environ.get("DSD_PUBLICATION", "")

# -- Project ---------------------------------------------------------------
project = "Distributed Systems Design"
author = "The Distributed Systems Design authors"
copyright = "2026, the Distributed Systems Design authors"  # noqa: A001
release = publications.build_version()
version = release

# -- General ---------------------------------------------------------------
extensions = [
    "myst_parser",
    "sphinxcontrib.bibtex",
    "sphinxcontrib.mermaid",
    "sphinx_togglebutton",
    "sphinx_copybutton",
    # Local extensions, one job each (extensions/):
    "mermaid_render",
    "lab_output",
    "glossary_data",
    "label_scheme",
    "publication_scope",
    "capacity_tables",
    "decision_framework",
]
root_doc = "index"
exclude_patterns = ["_build", "**/_*.md"]
templates_path = ["source/_templates"]
nitpicky = True
language = "en"
today_fmt = "%Y-%m-%d"
numfig = True
numfig_secnum_depth = 1
suppress_warnings: list[str] = []

# Copy buttons copy the command or code, never prompts or line numbers.
copybutton_exclude = ".linenos, .gp, .go"

myst_enable_extensions = ["colon_fence", "deflist", "attrs_block"]
myst_heading_anchors = 3
myst_fence_as_directive = ["mermaid"]

bibtex_bibfiles = sorted(
    str(p.relative_to(ROOT)) for p in (ROOT / "source" / "bibliography").glob("*.bib")
)
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"
bibtex_cite_id = "cite-{key}"
bibtex_footcite_id = "footcite-{key}"
bibtex_bibliography_id = "bibliography-{bibliography_count}"

glossary_data_dir = "data/glossary"
lab_output_timeout = 120

# Diagrams are drawn at build time (extensions/mermaid_render.py); no Mermaid
# JavaScript is ever loaded by a page, from a CDN or otherwise.
mermaid_output_format = "svg"

# -- HTML: one site with all four publications -------------------------------
html_theme = "sphinx_book_theme"
html_title = f"Distributed Systems Design {release}"
html_static_path = ["source/_static"]
html_css_files = ["course.css"]
html_js_files = ["course.js"]
html_last_updated_fmt = None
html_copy_source = False
html_show_sourcelink = False
html_theme_options: dict[str, object] = {
    "show_toc_level": 2,
    "navigation_with_keys": False,
    "extra_footer": f"<p>Distributed Systems Design, version {release}.</p>",
    "home_page_in_toc": True,
    # Readers download the real PDF and ePub from the sidebar; the theme's
    # own button would offer the Markdown source (not published) instead.
    "use_download_button": False,
}
_repo = os.environ.get("GITHUB_REPOSITORY", "")
if "/" in _repo:
    html_theme_options.update({
        "repository_url": f"https://github.com/{_repo}",
        "repository_branch": "main",
        "path_to_docs": "source",
        "use_edit_page_button": True,
        "use_source_button": True,
        "use_repository_button": True,
    })
_site = os.environ.get("DSD_SITE_URL", "").rstrip("/")
if _site:
    html_theme_options.update({
        "switcher": {"json_url": f"{_site}/switcher.json", "version_match": release},
        "show_version_warning_banner": True,
        "navbar_persistent": ["version-switcher"],
    })
html_sidebars = {
    "**": ["navbar-logo.html", "icon-links.html", "search-button-field.html",
           "sbt-sidebar-nav.html", "dsd-downloads.html"],
}

# -- ePub: one book per publication ------------------------------------------
epub_show_urls = "no"
epub_use_index = True
epub_description = "A course in distributed systems design for working engineers."
epub_publisher = author
epub_copyright = copyright
epub_exclude_files = ["search.html", ".buildinfo.bak"]

# -- LaTeX / PDF: one book per publication ----------------------------------
latex_engine = "pdflatex"
latex_show_pagerefs = True
latex_show_urls = "footnote"
latex_use_xindy = False
latex_elements = {
    "papersize": "letterpaper",
    "pointsize": "10pt",
    "fontpkg": r"\usepackage{tgtermes}\usepackage{tgheros}\usepackage{tgcursor}",
    "preamble": r"""
% Reproducible PDFs: drop the pdfTeX info dictionary that embeds creation
% dates of included PDFs (the rendered diagrams).
\pdfsuppressptexinfo=-1
\usepackage{dsd-unicode}
""",
    "releasename": "Version",
    "maketitle": r"\sphinxmaketitle",
    "printindex": r"\footnotesize\raggedright\printindex",
}
latex_additional_files = ["extensions/latex/dsd-unicode.sty"]
latex_documents = []

# -- Per-publication builds (ePub, LaTeX) ------------------------------------
if PUBLICATION:
    _pub = publications.by_key(PUBLICATION)
    root_doc = master_doc = _pub.root_doc
    exclude_patterns += [f"{p.folder}/**" for p in PUBLICATIONS if p.key != _pub.key]
    exclude_patterns += ["index.md"]
    project = _pub.title
    epub_title = _pub.title
    epub_basename = f"dsd-{_pub.key}-{release}"
    # The NCX repeats epub_uid as the book's identifier, and EPUBCheck wants the
    # two to match; it is also an XML id, so it cannot carry the version's "+".
    epub_identifier = epub_uid = f"dsd-{_pub.key}"
    latex_documents = [
        (_pub.root_doc, f"dsd-{_pub.key}.tex", _pub.title, author, "manual", False),
    ]
    dsd_publication = _pub.key
