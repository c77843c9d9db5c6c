"""The web edition as readers meet it: in Chromium, on a desktop and a phone,
with a screen reader's view checked by axe-core.

The site under test is the HTML archive `make dist` publishes (so download
links are real), unpacked into a site tree the way the Site workflow lays
it out, and served on localhost with GitHub Pages' 404 behavior. Playwright
drives the system Chromium; no browser is downloaded. A failing test saves
a screenshot under build/test-screenshots/.
"""

from __future__ import annotations

import functools
import http.server
import itertools
import os
import re
import shutil
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

import check_links
import site_tree

pytestmark = pytest.mark.build
ROOT = Path(__file__).resolve().parent.parent
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "build" / "test-screenshots"
SVG = "{http://www.w3.org/2000/svg}"

# One page of each kind the site has; the accessibility and layout checks
# run on these (set DSD_A11Y_ALL=1, as `make a11y` does, for every page).
PAGE_TYPES = {
    "home": "index.html",
    "publication": "curriculum/index.html",
    "module": "curriculum/m04-time-and-ordering/index.html",
    "topic with diagrams": "curriculum/m01-fundamentals/cap-theorem.html",
    "lab": "curriculum/m04-time-and-ordering/lab-clocks.html",
    "exercises": "curriculum/m04-time-and-ordering/exercises.html",
    "capacity model": "worked-examples/e01-photo-sharing/capacity.html",
    "decision": "decision-framework/index.html",
    "study plan": "study-guide/six-month-plan.html",
    "glossary": "glossary.html",
    "references": "references.html",
    "search": "search.html",
    "general index": "genindex.html",
}


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serve files like GitHub Pages: a missing path gets /404.html, status 404."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass

    def send_error(self, code: int, message: str | None = None,
                   explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def served(release: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """(base URL of the course, site folder on disk), served on localhost."""
    root = tmp_path_factory.mktemp("pages")
    site = root / "site"
    site.mkdir()
    handler = functools.partial(PagesHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_port}"
    archive = next(release.glob("dsd-html-*.zip"))
    site_tree.latest(site, archive, origin)
    try:
        yield f"{origin}/latest/", site / "latest"
    finally:
        server.shutdown()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.fail("Chromium is not installed: run scripts/install_system_deps.sh")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium,
                                              args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture()
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    yield opened
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        opened.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    context.close()


def pages_to_check(site: Path) -> dict[str, str]:
    if os.environ.get("DSD_A11Y_ALL") == "1":
        return {p.relative_to(site).as_posix(): p.relative_to(site).as_posix()
                for p in sorted(site.rglob("*.html")) if "_static" not in p.parts}
    return PAGE_TYPES


# -- checks shared by the tests and their negative controls ---------------------

def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 A/AA violations on the open page."""
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    found = page.evaluate("""async () => {
        const result = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return result.violations
            .filter(v => v.impact === 'serious' || v.impact === 'critical')
            .map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', '));
    }""")
    return list(found)


def heading_problems(page: Page) -> list[str]:
    """Skipped heading levels and pages without exactly one h1 in the main content."""
    levels = page.evaluate("""() => {
        const root = document.querySelector('article.bd-article')
            || document.querySelector('.bd-search-container') || document.body;
        return Array.from(root.querySelectorAll('h1, h2, h3, h4, h5, h6'))
            .map(h => Number(h.tagName[1]));
    }""")
    problems = [] if levels.count(1) == 1 else [f"{levels.count(1)} h1 headings"]
    for before, after in itertools.pairwise(levels):
        if after > before + 1:
            problems.append(f"h{before} followed by h{after}")
    return problems


def svg_label_problems(svg: Path) -> list[str]:
    """A rendered diagram must carry its labels as text a reader (and search) can use."""
    tree = ET.parse(svg)
    texts = ["".join(t.itertext()).strip() for t in tree.iter(f"{SVG}text")]
    labels = [t for t in texts if t]
    return [] if labels else [f"{svg.name}: no text labels"]


# -- reading and navigating ---------------------------------------------------------

def test_search_finds_a_topic(page: Page, served: tuple[str, Path]) -> None:
    base, _site = served
    page.goto(base + "search.html?q=vector+clocks")
    page.wait_for_selector("ul.search li a", timeout=20_000)
    hrefs = page.eval_on_selector_all("ul.search li a", "links => links.map(a => a.href)")
    assert any("vector-clocks.html" in href for href in hrefs)


def test_navigation_and_table_of_contents(page: Page, served: tuple[str, Path]) -> None:
    base, _site = served
    page.goto(base + "index.html")
    page.locator("nav.bd-links a", has_text="Core Curriculum").first.click()
    assert page.url.endswith("curriculum/index.html")
    page.locator("article a", has_text="Time, ordering, and causality").first.click()
    assert "m04-time-and-ordering/index.html" in page.url
    page.goto(base + "curriculum/m04-time-and-ordering/vector-clocks.html")
    entry = page.locator(".bd-toc a.nav-link").first
    target = entry.get_attribute("href")
    assert target and target.startswith("#")
    entry.click()
    page.wait_for_function("h => location.hash === h", arg=target)
    assert page.locator(f"[id='{target[1:]}']").first.is_visible()


def test_every_diagram_is_visible_with_its_labels(page: Page, served: tuple[str, Path]) -> None:
    base, site = served
    svgs = sorted((site / "_images").glob("mermaid-*.svg"))
    assert svgs
    assert [p for svg in svgs for p in svg_label_problems(svg)] == []
    pages = sorted({p.relative_to(site).as_posix() for p in site.rglob("*.html")
                    if "mermaid-diagram" in p.read_text(encoding="utf-8")})
    invisible = []
    for path in pages:
        page.goto(base + path)
        for image in page.eval_on_selector_all("img.mermaid-diagram", """images => images.map(i => {
                i.scrollIntoView();
                const box = i.getBoundingClientRect();
                return {src: i.getAttribute('src'), alt: i.alt,
                        loaded: i.complete && i.naturalWidth > 0,
                        width: box.width, height: box.height};
            })"""):
            if not (image["loaded"] and image["width"] > 100 and image["height"] > 30
                    and image["alt"].strip()):
                invisible.append(f"{path}: {image}")
    assert invisible == []


def test_dark_mode_keeps_diagrams_readable(page: Page, served: tuple[str, Path]) -> None:
    base, _site = served
    page.goto(base + "curriculum/m01-fundamentals/cap-theorem.html")
    page.evaluate("document.documentElement.dataset.theme = 'dark'")
    colors = page.evaluate("""() => ({
        body: getComputedStyle(document.body).backgroundColor,
        diagram: getComputedStyle(
            document.querySelector('img.mermaid-diagram')).backgroundColor})""")
    body = [int(x) for x in re.findall(r"\d+", colors["body"])[:3]]
    assert sum(body) < 3 * 80, f"dark mode did not darken the page: {colors}"
    assert colors["diagram"] == "rgb(255, 255, 255)", colors


def test_copy_button_copies_the_code(browser: Browser, served: tuple[str, Path]) -> None:
    base, _site = served
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(base + "curriculum/m04-time-and-ordering/lab-clocks.html")
    block = page.locator("div.highlight").first
    block.hover()
    block.locator("button.copybtn").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    code = block.locator("pre").inner_text()
    context.close()
    assert copied.strip() == code.strip()
    assert copied.startswith("python -m dsd_labs.")


def test_download_links_resolve(page: Page, served: tuple[str, Path]) -> None:
    base, _site = served
    page.goto(base + "curriculum/index.html")
    links = page.eval_on_selector_all(".dsd-downloads a", "links => links.map(a => a.href)")
    assert {link.rsplit(".", 1)[-1] for link in links} >= {"pdf", "epub"}
    for link in links:
        response = page.request.get(link)
        assert response.status == 200, link
        assert len(response.body()) > 10_000, link


def test_a_missing_page_shows_the_404_page(page: Page, served: tuple[str, Path]) -> None:
    base, _site = served
    response = page.goto(base + "curriculum/no-such-page.html")
    assert response is not None and response.status == 404
    assert page.locator("h1", has_text="Page not found").is_visible()
    page.locator("a", has_text="latest").first.click()
    assert page.url.endswith("/latest/")
    assert page.title().startswith("Distributed Systems Design")


def test_no_horizontal_scrolling_on_a_phone(page: Page, served: tuple[str, Path]) -> None:
    base, site = served
    page.set_viewport_size({"width": 375, "height": 812})
    too_wide = []
    for name, path in pages_to_check(site).items():
        page.goto(base + path)
        width, viewport = page.evaluate(
            "[document.documentElement.scrollWidth, window.innerWidth]")
        if width > viewport:
            too_wide.append(f"{name}: {width}px > {viewport}px")
    assert too_wide == []


# -- accessibility ------------------------------------------------------------------

def test_accessibility_no_serious_violations(page: Page, served: tuple[str, Path]) -> None:
    base, site = served
    found = {}
    for name, path in pages_to_check(site).items():
        page.goto(base + path)
        violations = serious_violations(page)
        if violations:
            found[name] = violations
    assert found == {}


def test_accessibility_headings_in_order_and_images_described(
        page: Page, served: tuple[str, Path]) -> None:
    base, site = served
    problems = {}
    for name, path in pages_to_check(site).items():
        page.goto(base + path)
        missing_alt = page.eval_on_selector_all(
            "article img", "images => images.filter(i => !i.alt.trim()).map(i => i.src)")
        found = heading_problems(page) + [f"no alt text: {src}" for src in missing_alt]
        if found:
            problems[name] = found
    assert problems == {}


def test_internal_links_and_anchors_resolve(served: tuple[str, Path]) -> None:
    _base, site = served
    assert check_links.broken_links(site) == []


# -- the checks catch what they are for (negative controls) ---------------------------

def test_axe_check_catches_a_serious_violation(page: Page, served: tuple[str, Path]) -> None:
    base, _site = served
    page.goto(base + "curriculum/m01-fundamentals/cap-theorem.html")
    page.evaluate("""() => {
        const image = document.querySelector('img.mermaid-diagram');
        image.removeAttribute('alt');
        const button = document.createElement('button');
        document.querySelector('article').appendChild(button);
    }""")
    found = " ".join(serious_violations(page))
    assert "image-alt" in found and "button-name" in found


def test_heading_check_catches_a_skipped_level(page: Page, served: tuple[str, Path]) -> None:
    base, _site = served
    page.goto(base + "curriculum/m01-fundamentals/cap-theorem.html")
    page.evaluate("document.querySelector('article h2').outerHTML = '<h4>Skipped</h4>'")
    assert any("followed by h4" in p for p in heading_problems(page))


def test_label_check_catches_a_diagram_without_labels(served: tuple[str, Path],
                                                      tmp_path: Path) -> None:
    _base, site = served
    svg = next((site / "_images").glob("mermaid-*.svg"))
    tree = ET.parse(svg)
    for parent in tree.iter():
        for child in list(parent):
            if child.tag == f"{SVG}text":
                parent.remove(child)
    stripped = tmp_path / svg.name
    tree.write(stripped)
    assert svg_label_problems(stripped) == [f"{svg.name}: no text labels"]


def test_link_check_catches_a_broken_link_and_anchor(served: tuple[str, Path],
                                                     tmp_path: Path) -> None:
    _base, site = served
    copy = tmp_path / "site"
    shutil.copytree(site / "curriculum" / "m01-fundamentals", copy)
    (copy / "index.html").write_text(
        (copy / "index.html").read_text(encoding="utf-8")
        + '<a href="gone.html">x</a><a href="cap-theorem.html#no-such-anchor">y</a>',
        encoding="utf-8")
    broken = {href for _page, href in check_links.broken_links(copy)}
    assert {"gone.html", "cap-theorem.html#no-such-anchor"} <= broken
