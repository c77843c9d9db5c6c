"""`make dist` on the real course: a verifiable package, byte-identical when rebuilt."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

import make_dist
import publications
import site_tree
from conftest import run_make

pytestmark = pytest.mark.build
VERSION = publications.build_version()


def test_release_holds_every_artifact(release: Path) -> None:
    names = {p.name for p in release.iterdir()}
    for pub in publications.load():
        for ext in ("pdf", "epub", "xlsx"):
            if ext in pub.formats:
                assert pub.artifact(VERSION, ext) in names
    assert {f"dsd-html-{VERSION}.zip", f"dsd-course-{VERSION}.zip", "SHA256SUMS",
            "manifest.json"} <= names


def test_manifest_and_checksums_match_the_files(release: Path) -> None:
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["version"] == VERSION
    listed = {a["file"]: a for a in manifest["artifacts"]}
    assert set(listed) == {p.name for p in release.iterdir()} - {"manifest.json", "SHA256SUMS"}
    for name, record in listed.items():
        data = (release / name).read_bytes()
        assert record["bytes"] == len(data)
        assert record["sha256"] == hashlib.sha256(data).hexdigest()
    sums = dict(reversed(line.split("  ")) for line in
                (release / "SHA256SUMS").read_text(encoding="utf-8").splitlines())
    assert sums == {name: record["sha256"] for name, record in listed.items()}


def test_course_archive_matches_the_manifest(release: Path) -> None:
    manifest = json.loads((release / "manifest.json").read_text(encoding="utf-8"))
    course = f"dsd-course-{VERSION}.zip"
    with zipfile.ZipFile(release / course) as archive:
        inside = {n.split("/", 1)[1]: archive.read(n) for n in archive.namelist()}
    expected = {a["file"]: a["sha256"] for a in manifest["artifacts"] if a["file"] != course}
    assert set(inside) == set(expected) | {"README.txt", "SHA256SUMS"}
    for name, digest in expected.items():
        assert hashlib.sha256(inside[name]).hexdigest() == digest
    assert VERSION in inside["README.txt"].decode()


def test_offline_site_carries_its_downloads(release: Path) -> None:
    with zipfile.ZipFile(release / f"dsd-html-{VERSION}.zip") as archive:
        names = set(archive.namelist())
    top = f"dsd-html-{VERSION}"
    assert f"{top}/index.html" in names
    for pub in publications.load():
        for ext in ("pdf", "epub", "xlsx"):
            if ext in pub.formats:
                assert f"{top}/downloads/{pub.artifact(VERSION, ext)}" in names


def test_a_fresh_build_is_byte_identical(release: Path, tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    run_make("dist", BUILDDIR=str(tmp_path / "build"), DISTDIR=str(dist))
    again = dist / VERSION
    assert sorted(p.name for p in again.iterdir()) == sorted(p.name for p in release.iterdir())
    different = [p.name for p in release.iterdir()
                 if p.read_bytes() != (again / p.name).read_bytes()]
    assert not different, f"not reproducible: {different}"


def test_the_release_verifies_and_publishes_as_latest(release: Path, tmp_path: Path) -> None:
    assert "manifest.json" not in make_dist.verify(release)
    site = tmp_path / "site"
    site_tree.latest(site, release / f"dsd-html-{VERSION}.zip", "https://example.org/course")
    entries = json.loads((site / "switcher.json").read_text(encoding="utf-8"))
    assert entries == [{"name": "latest (main)", "version": VERSION,
                        "url": "https://example.org/course/latest/"}]
    assert (site / "latest" / "downloads").is_dir()
    assert (site / "latest" / "curriculum" / "index.html").is_file()
