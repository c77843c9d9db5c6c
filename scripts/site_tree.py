"""Assemble the multi-version web site from released HTML archives.

The published site keeps every release under ``/<version>/``, the main
branch under ``/latest/``, a copy of the newest non-pre-release under
``/stable/``, a ``switcher.json`` for the theme's version switcher, a root
page that sends readers to stable and a 404 page. It is rebuilt from the
release archives each time rather than kept on a branch, so this script must
make the same tree from the same inputs and must never lose a version.

Every change is made in a staging copy and swapped in with two renames only
when the whole tree is written: a failure at any step leaves the previous
site exactly as it was. A version, once published, is immutable: publishing
it again with identical content changes nothing, and with different content
is refused.

Usage:
  python scripts/site_tree.py publish --site SITE --base-url URL --archive dsd-html-1.2.0.zip
  python scripts/site_tree.py latest  --site SITE --base-url URL --html build/html|ZIP
  python scripts/site_tree.py assemble --site SITE --base-url URL \\
      [--archive ZIP ...] [--latest-html build/html]
"""

from __future__ import annotations

import argparse
import filecmp
import html
import json
import os
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import release_versions  # beside this script, so on sys.path when it runs

ARCHIVE_RE = re.compile(r"^dsd-html-(?P<version>[^/]+)\.zip$")
VERSION_IN_TREE = re.compile(r"VERSION:\s*'(?P<version>[^']*)'")
RESERVED = {"latest", "stable"}


class SiteError(RuntimeError):
    """The site cannot be changed as asked; the message names the input at fault."""


def tree_version(tree: Path) -> str:
    """The version an HTML build was stamped with (Sphinx's documentation options)."""
    options = tree / "_static" / "documentation_options.js"
    if not (tree / "index.html").is_file() or not options.is_file():
        raise SiteError(f"{tree}: not a built HTML site (no index.html or "
                        "_static/documentation_options.js)")
    match = VERSION_IN_TREE.search(options.read_text(encoding="utf-8"))
    if not match:
        raise SiteError(f"{options}: no VERSION entry")
    return match["version"]


def archive_version(archive: Path, release: bool = True) -> str:
    """The version a ``dsd-html-<version>.zip`` file name claims.

    Releases must carry a release version; the main branch's archive carries
    a development version with build metadata.
    """
    match = ARCHIVE_RE.match(archive.name)
    if not match:
        raise SiteError(f"{archive}: expected a file named dsd-html-<version>.zip")
    if release:
        try:
            release_versions.parse(match["version"])
        except release_versions.VersionError as exc:
            raise SiteError(f"{archive}: {exc}") from exc
    return match["version"]


def extract_archive(archive: Path, into: Path, release: bool = True) -> Path:
    """Unpack an HTML archive made by ``make dist`` and return its site folder."""
    version = archive_version(archive, release)
    try:
        with zipfile.ZipFile(archive) as zf:
            for member in zf.namelist():
                if member.startswith("/") or ".." in Path(member).parts:
                    raise SiteError(f"{archive}: unsafe path {member!r} in the archive")
            zf.extractall(into)
    except zipfile.BadZipFile as exc:
        raise SiteError(f"{archive}: not a readable zip file ({exc})") from exc
    tree = into / f"dsd-html-{version}"
    found = tree_version(tree) if tree.is_dir() else None
    if found != version:
        raise SiteError(f"{archive}: its HTML is stamped {found!r}, not {version!r}")
    return tree


def same_tree(a: Path, b: Path) -> bool:
    """True if two directories hold the same files with the same bytes."""
    comparison = filecmp.dircmp(a, b)
    if comparison.left_only or comparison.right_only or comparison.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, comparison.common_files, shallow=False)
    if mismatch or errors:
        return False
    return all(same_tree(a / d, b / d) for d in comparison.common_dirs)


def published_versions(site: Path) -> list[str]:
    """Release versions present in the site, highest first."""
    found = []
    for child in site.iterdir() if site.is_dir() else ():
        if child.is_dir() and child.name not in RESERVED:
            try:
                release_versions.parse(child.name)
            except release_versions.VersionError:
                continue
            found.append(child.name)
    return sorted(found, key=release_versions.precedence_key, reverse=True)


def switcher_entries(site: Path, base_url: str) -> list[dict[str, object]]:
    """The version switcher's data: latest, then every release, stable preferred."""
    versions = published_versions(site)
    stable = release_versions.newest_stable(versions)
    entries: list[dict[str, object]] = []
    if (site / "latest").is_dir():
        entries.append({"name": "latest (main)", "version": tree_version(site / "latest"),
                        "url": f"{base_url}/latest/"})
    for version in versions:
        entry: dict[str, object] = {"name": version, "version": version,
                                    "url": f"{base_url}/{version}/"}
        if version == stable:
            entry.update(name=f"{version} (stable)", url=f"{base_url}/stable/", preferred=True)
        entries.append(entry)
    return entries


def landing_page(target: str) -> str:
    """A root page that sends readers on; it works without JavaScript."""
    href = html.escape(target)
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"refresh\" content=\"0; url={href}\">\n"
        f"<link rel=\"canonical\" href=\"{href}\">\n"
        "<title>Distributed Systems Design</title>\n</head>\n<body>\n"
        f"<p>The course is at <a href=\"{href}\">{href}</a>.</p>\n</body>\n</html>\n")


def not_found_page(base_url: str, has_stable: bool) -> str:
    """The page GitHub Pages serves for any missing path."""
    links = [f"<li><a href=\"{html.escape(base_url)}/stable/\">the current release</a></li>"
             ] if has_stable else []
    links.append(f"<li><a href=\"{html.escape(base_url)}/latest/\">the latest draft</a></li>")
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<title>Page not found: Distributed Systems Design</title>\n</head>\n<body>\n"
        "<h1>Page not found</h1>\n<p>This page does not exist in this version of the "
        "course. It may have moved or been renamed. Start again from:</p>\n<ul>\n"
        + "\n".join(links) + "\n</ul>\n</body>\n</html>\n")


def refresh_shared_files(site: Path, base_url: str) -> None:
    """Rewrite stable/, switcher.json, the root page and 404.html from the versions."""
    stable = release_versions.newest_stable(published_versions(site))
    shutil.rmtree(site / "stable", ignore_errors=True)
    if stable:
        shutil.copytree(site / stable, site / "stable")
    entries = switcher_entries(site, base_url)
    (site / "switcher.json").write_text(json.dumps(entries, indent=2) + "\n", encoding="utf-8")
    start = "stable/" if stable else "latest/"
    (site / "index.html").write_text(landing_page(start), encoding="utf-8")
    (site / "404.html").write_text(not_found_page(base_url, bool(stable)), encoding="utf-8")
    (site / ".nojekyll").write_text("", encoding="utf-8")


def transact(site: Path, change: Callable[[Path], None]) -> None:
    """Apply ``change`` to a staging copy of the site, then swap it in.

    The staging directory sits beside the site so that both renames stay on
    one file system and are atomic; on any error it is removed and the site
    is untouched.
    """
    site = site.resolve()
    site.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{site.name}.staging-", dir=site.parent))
    old = stage.with_name(stage.name.replace("staging", "previous"))
    try:
        tree = stage / "site"
        if site.exists():
            shutil.copytree(site, tree, symlinks=True)
        else:
            tree.mkdir()
        change(tree)
        if site.exists():
            os.rename(site, old)
        try:
            os.rename(tree, site)
        except OSError:
            if old.exists():
                os.rename(old, site)
            raise
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


def add_release(tree: Path, archive: Path, base_url: str) -> None:
    """Place one release's HTML under /<version>/ unless it is already there."""
    version = archive_version(archive)
    with tempfile.TemporaryDirectory() as scratch:
        unpacked = extract_archive(archive, Path(scratch))
        target = tree / version
        if target.exists():
            if not same_tree(target, unpacked):
                raise SiteError(f"{archive}: version {version} is already published with "
                                "different content; a published version is never replaced")
            return
        shutil.copytree(unpacked, target)
    refresh_shared_files(tree, base_url)


def set_latest(tree: Path, built: Path, base_url: str) -> None:
    """Replace /latest/ with the main branch's build: an HTML folder or archive."""
    with tempfile.TemporaryDirectory() as scratch:
        html_tree = built if built.is_dir() else extract_archive(built, Path(scratch), False)
        tree_version(html_tree)
        shutil.rmtree(tree / "latest", ignore_errors=True)
        shutil.copytree(html_tree, tree / "latest",
                        ignore=shutil.ignore_patterns(".buildinfo*"))
    refresh_shared_files(tree, base_url)


def publish(site: Path, archive: Path, base_url: str) -> None:
    transact(site, lambda tree: add_release(tree, archive, base_url))


def latest(site: Path, built_html: Path, base_url: str) -> None:
    transact(site, lambda tree: set_latest(tree, built_html, base_url))


def assemble(site: Path, archives: list[Path], latest_html: Path | None, base_url: str) -> None:
    """Build a whole site in one transaction: every release, then latest."""
    def change(tree: Path) -> None:
        for archive in sorted(archives, key=lambda a: release_versions.precedence_key(
                archive_version(a))):
            add_release(tree, archive, base_url)
        if latest_html is not None:
            set_latest(tree, latest_html, base_url)
        refresh_shared_files(tree, base_url)
    transact(site, change)


def checked_base_url(url: str) -> str:
    if not re.match(r"^https?://[^\s/]+(/[^\s]*)?$", url):
        raise SiteError(f"--base-url {url!r}: expected an absolute http(s) URL, "
                        "e.g. https://example.github.io/course")
    return url.rstrip("/")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("publish", "latest", "assemble"):
        cmd = sub.add_parser(name)
        cmd.add_argument("--site", type=Path, required=True)
        cmd.add_argument("--base-url", required=True)
    sub.choices["publish"].add_argument("--archive", type=Path, required=True)
    sub.choices["latest"].add_argument("--html", type=Path, required=True)
    sub.choices["assemble"].add_argument("--archive", type=Path, action="append", default=[])
    sub.choices["assemble"].add_argument("--latest-html", type=Path)
    args = parser.parse_args(argv)
    try:
        base_url = checked_base_url(args.base_url)
        if args.command == "publish":
            publish(args.site, args.archive, base_url)
        elif args.command == "latest":
            latest(args.site, args.html, base_url)
        else:
            assemble(args.site, args.archive, args.latest_html, base_url)
    except (SiteError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{args.site}: {', '.join(published_versions(args.site)) or 'no releases'}"
          f"{' + latest' if (args.site / 'latest').is_dir() else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
