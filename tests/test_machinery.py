"""Unit tests of the build machinery: registry, versions, labels, glossary, zips, dist."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest

import glossary_data
import label_scheme
import make_dist
import publications
import reproducible_zip


def test_registry_lists_the_four_publications() -> None:
    keys = [p.key for p in publications.load()]
    assert keys == ["curriculum", "worked-examples", "decision-framework", "study-guide"]
    assert publications.by_key("curriculum").artifact("1.2.0", "pdf") == "dsd-curriculum-1.2.0.pdf"


def test_registry_errors_name_the_field(tmp_path: Path) -> None:
    bad = tmp_path / "publications.yaml"
    bad.write_text("- key: x\n  folder: curriculum\n  title: X\n  short_title: X\n"
                   "  formats: [html, mobi]\n", encoding="utf-8")
    with pytest.raises(publications.RegistryError, match=r"\[0\]\.formats: unknown .*mobi"):
        publications.load(bad)


@pytest.mark.parametrize("version", ["1.2.0", "0.0.0-dev+g1a2b3c4", "2.0.0-rc.1", "10.20.30"])
def test_good_versions(version: str) -> None:
    assert publications.check_version(version) == version


@pytest.mark.parametrize("version", ["1.2", "v1.2.0", "01.2.0", "1.2.0-", "1.2.0+", "latest", ""])
def test_malformed_versions(version: str) -> None:
    with pytest.raises(ValueError, match="malformed version"):
        publications.check_version(version)


@pytest.mark.parametrize(("name", "docname"), [
    ("m05-sloppy-quorums", "curriculum/m05-replication/leaderless-replication"),
    ("fig-m05-sloppy-quorum", "curriculum/m05-replication/leaderless-replication"),
    ("tbl-e07-ingest-rates", "worked-examples/e07-time-series-db/capacity"),
    ("cur-curriculum", "curriculum/index"),
    ("df-consistency", "decision-framework/consistency"),
    ("dsd-glossary", "glossary"),
])
def test_labels_that_follow_the_scheme(name: str, docname: str) -> None:
    assert label_scheme.label_problem(name, docname) is None


@pytest.mark.parametrize(("name", "docname", "message"), [
    ("m06-hot-spots", "curriculum/m05-replication/index", "must start with 'm05-'"),
    ("fig_m05_quorum", "curriculum/m05-replication/index", "does not follow the scheme"),
    ("Quorums", "curriculum/m05-replication/index", "does not follow the scheme"),
    ("figure-m05-x", "curriculum/m05-replication/index", "must start with 'm05-'"),
])
def test_labels_that_break_the_scheme(name: str, docname: str, message: str) -> None:
    problem = label_scheme.label_problem(name, docname)
    assert problem is not None and message in problem


def test_glossary_merges_files_and_refuses_duplicates(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("- term: Quorum\n  definition: A set.\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text("- term: Lease\n  definition: A lock\n    with a timeout.\n",
                                     encoding="utf-8")
    terms = glossary_data.load_terms(tmp_path)
    assert [(t, d) for t, d, _ in terms] == [("Quorum", "A set."),
                                             ("Lease", "A lock with a timeout.")]
    (tmp_path / "c.yaml").write_text("- term: quorum\n  definition: Again.\n", encoding="utf-8")
    with pytest.raises(glossary_data.GlossaryDataError, match=r"c.yaml: entry \[0\].*a.yaml"):
        glossary_data.load_terms(tmp_path)


def test_glossary_entry_without_definition(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("- term: Quorum\n", encoding="utf-8")
    with pytest.raises(glossary_data.GlossaryDataError, match="field 'definition'"):
        glossary_data.load_terms(tmp_path)


def test_zip_bytes_depend_only_on_contents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    entries = [("b.txt", b"second"), ("mimetype", b"application/epub+zip"), ("a.txt", b"first")]
    one, two = tmp_path / "one.zip", tmp_path / "two.zip"
    reproducible_zip.write_zip(one, entries, first="mimetype")
    reproducible_zip.write_zip(two, list(reversed(entries)), first="mimetype")
    assert one.read_bytes() == two.read_bytes()
    with zipfile.ZipFile(one) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == ["mimetype", "a.txt", "b.txt"]
    assert infos[0].compress_type == zipfile.ZIP_STORED
    assert {i.date_time for i in infos} == {(2023, 11, 14, 22, 13, 20)}


def fake_build(build: Path, version: str) -> None:
    """Lay out the files the real build produces, with small contents."""
    for pub in publications.load():
        if "pdf" in pub.formats:
            path = build / "pdf" / pub.key / "latex" / f"dsd-{pub.key}.pdf"
            path.parent.mkdir(parents=True)
            path.write_bytes(b"%PDF " + pub.key.encode())
        if "epub" in pub.formats:
            path = build / "epub" / pub.key / pub.artifact(version, "epub")
            path.parent.mkdir(parents=True)
            path.write_bytes(b"epub " + pub.key.encode())
        if "xlsx" in pub.formats:
            path = build / "xlsx" / pub.artifact(version, "xlsx")
            path.parent.mkdir(parents=True)
            path.write_bytes(b"xlsx")
    (build / "html" / "curriculum").mkdir(parents=True)
    (build / "html" / "index.html").write_text("<html>home</html>", encoding="utf-8")
    (build / "html" / "curriculum" / "index.html").write_text("<html>c</html>", encoding="utf-8")


def test_pack_writes_a_verifiable_release(tmp_path: Path) -> None:
    fake_build(tmp_path / "build", "1.2.0")
    target = make_dist.pack("1.2.0", tmp_path / "build", tmp_path / "dist")
    assert target == tmp_path / "dist" / "1.2.0"
    manifest = json.loads((target / "manifest.json").read_text(encoding="utf-8"))
    files = {a["file"] for a in manifest["artifacts"]}
    assert files == {p.name for p in target.iterdir()} - {"manifest.json", "SHA256SUMS"}
    assert "dsd-decision-framework-1.2.0.xlsx" in files
    for line in (target / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((target / name).read_bytes()).hexdigest() == digest
    with zipfile.ZipFile(target / "dsd-html-1.2.0.zip") as site:
        names = site.namelist()
    assert "dsd-html-1.2.0/index.html" in names
    assert "dsd-html-1.2.0/downloads/dsd-curriculum-1.2.0.pdf" in names
    with zipfile.ZipFile(target / "dsd-course-1.2.0.zip") as course:
        inside = {n.split("/", 1)[1] for n in course.namelist()}
    assert inside == (files - {"dsd-course-1.2.0.zip"}) | {"README.txt", "SHA256SUMS"}
    assert not [p for p in (tmp_path / "dist").iterdir() if p.name.startswith(".staging")]


def test_pack_refuses_an_existing_release_and_a_missing_format(tmp_path: Path) -> None:
    fake_build(tmp_path / "build", "1.2.0")
    make_dist.pack("1.2.0", tmp_path / "build", tmp_path / "dist")
    before = sorted(p.name for p in (tmp_path / "dist" / "1.2.0").iterdir())
    with pytest.raises(make_dist.DistError, match="already exists"):
        make_dist.pack("1.2.0", tmp_path / "build", tmp_path / "dist")
    assert sorted(p.name for p in (tmp_path / "dist" / "1.2.0").iterdir()) == before
    (tmp_path / "build" / "xlsx" / "dsd-decision-framework-1.3.0.xlsx").unlink(missing_ok=True)
    with pytest.raises(make_dist.DistError, match="did not produce"):
        make_dist.pack("1.3.0", tmp_path / "build", tmp_path / "dist")
    assert not (tmp_path / "dist" / "1.3.0").exists()
