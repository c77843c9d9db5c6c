"""The registry of the course's publications and the build's version.

conf.py, the local extensions and the release script all read the list of
publications from ``data/publications.yaml`` through this module, so adding a
publication is one edit in one data file.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
REGISTRY = ROOT / "data" / "publications.yaml"
FORMATS = {"html", "epub", "pdf", "xlsx"}

# SemVer 2.0.0, as the release tags use it (v1.2.0, v2.0.0-rc.1), plus build
# metadata for development builds (0.0.0-dev+g1a2b3c4).
_IDENT = r"(?:0|[1-9]\d*|\d*[A-Za-z-][0-9A-Za-z-]*)"
VERSION_RE = re.compile(
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    rf"(?:-{_IDENT}(?:\.{_IDENT})*)?"
    r"(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$"
)


@dataclass(frozen=True)
class Publication:
    """One publication: what it is called and which artifacts it ships as."""

    key: str
    folder: str
    title: str
    short_title: str
    formats: tuple[str, ...]

    @property
    def root_doc(self) -> str:
        return f"{self.folder}/index"

    def artifact(self, version: str, ext: str) -> str:
        """The file name a reader downloads, e.g. ``dsd-curriculum-1.2.0.pdf``."""
        return f"dsd-{self.key}-{version}.{ext}"


class RegistryError(ValueError):
    """The publication registry is malformed; the message names the field."""


def load(path: Path = REGISTRY) -> list[Publication]:
    """Read and validate the registry, failing with the file and field at fault."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(raw, list) or not raw:
        raise RegistryError(f"{path}: expected a non-empty list of publications")
    pubs: list[Publication] = []
    for i, entry in enumerate(raw):
        where = f"{path}: publication [{i}]"
        for field in ("key", "folder", "title", "short_title", "formats"):
            if field not in entry:
                raise RegistryError(f"{where}: missing field '{field}'")
        unknown = set(entry["formats"]) - FORMATS
        if unknown:
            raise RegistryError(f"{where}.formats: unknown format(s) {sorted(unknown)}")
        if not (ROOT / "source" / entry["folder"] / "index.md").is_file():
            raise RegistryError(f"{where}.folder: source/{entry['folder']}/index.md not found")
        pubs.append(Publication(entry["key"], entry["folder"], entry["title"],
                                entry["short_title"], tuple(entry["formats"])))
    keys = [p.key for p in pubs]
    if len(set(keys)) != len(keys):
        raise RegistryError(f"{path}: duplicate publication keys in {keys}")
    return pubs


def by_key(key: str) -> Publication:
    for pub in load():
        if pub.key == key:
            return pub
    raise RegistryError(f"unknown publication '{key}' (see {REGISTRY})")


def check_version(text: str) -> str:
    """Return ``text`` if it is a SemVer 2.0.0 string, else fail naming it."""
    if not VERSION_RE.match(text):
        raise ValueError(
            f"malformed version {text!r}: expected MAJOR.MINOR.PATCH with optional "
            "-prerelease and +build parts, e.g. 1.2.0 or 2.0.0-rc.1"
        )
    return text


def git_version(root: Path = ROOT) -> str:
    """A development version derived from git, e.g. ``0.0.0-dev+g1a2b3c4``."""
    try:
        sha = subprocess.run(["git", "rev-parse", "--short=7", "HEAD"], cwd=root,
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "0.0.0-dev+unknown"
    return f"0.0.0-dev+g{sha}"


def build_version() -> str:
    """The version this build stamps on every artifact (``DSD_VERSION`` or git)."""
    return check_version(os.environ.get("DSD_VERSION") or git_version())
