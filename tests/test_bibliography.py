"""The shared bibliography: one key per work, complete entries, every citation
resolvable, and the study guide covering the papers the course rests on.

The entries live in one file per area of the course (so parallel edits do not
collide), and the build reads them as one bibliography; these checks treat
them as the single database they are.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from pybtex.database import BibliographyData, parse_file

ROOT = Path(__file__).resolve().parent.parent
BIB_FILES = sorted((ROOT / "source" / "bibliography").glob("*.bib"))
VENUE_FIELDS = ("journal", "booktitle", "publisher", "howpublished", "institution",
                "school", "organization")
# Two classic papers appeared only in printed proceedings: no DOI or stable
# URL exists, so their full print citation (venue, pages) has to do.
PRINT_ONLY = {"fidge1988timestamps", "mattern1989virtual"}
CITE = re.compile(r"\{(?:cite|cite:p|cite:t|cite:ps|cite:ts|footcite)\}`([^`]+)`")

# The papers the study guide must annotate, by the words of their titles.
REQUIRED_PAPERS = {
    "Dynamo": "dynamo",
    "Raft": "understandable consensus",
    "Spanner": "spanner",
    "MapReduce": "mapreduce",
    "Bigtable": "bigtable",
    "Chubby": "chubby",
    "Lamport clocks": "time, clocks",
    "FLP": "impossibility of distributed consensus",
    "Paxos Made Simple": "paxos made simple",
    "GFS": "google file system",
    "ZooKeeper": "zookeeper",
    "Kafka": "kafka",
    "Dapper": "dapper",
    "CRDTs": "conflict-free replicated data types",
    "Hybrid logical clocks": "logical physical clocks",
    "Consistent hashing": "consistent hashing",
}


@pytest.fixture(scope="module")
def entries() -> dict[str, tuple[Path, object]]:
    found: dict[str, tuple[Path, object]] = {}
    for path in BIB_FILES:
        data: BibliographyData = parse_file(str(path), bib_format="bibtex")
        for key, entry in data.entries.items():
            found[key.lower()] = (path, entry)
    return found


def test_every_key_is_defined_once_across_all_files() -> None:
    keys = Counter()
    for path in BIB_FILES:
        keys.update(k.lower() for k in re.findall(r"^@\w+\{([^,\s]+),", path.read_text(
            encoding="utf-8"), re.M))
    assert [k for k, n in keys.items() if n > 1] == []


def test_every_entry_has_year_venue_and_a_stable_link(entries) -> None:
    problems = []
    for key, (path, entry) in sorted(entries.items()):
        fields = {name.lower() for name in entry.fields}
        if "year" not in fields:
            problems.append(f"{path.name}: {key}: no year")
        if not fields & set(VENUE_FIELDS):
            problems.append(f"{path.name}: {key}: no venue ({', '.join(VENUE_FIELDS)})")
        if key in PRINT_ONLY:
            if "pages" not in fields:
                problems.append(f"{path.name}: {key}: a print-only work needs its pages")
        elif not fields & {"doi", "url"} and not (entry.type == "book" and "isbn" in fields):
            problems.append(f"{path.name}: {key}: no doi or url (or isbn, for a book)")
        if not entry.persons.get("author") and not entry.persons.get("editor"):
            problems.append(f"{path.name}: {key}: no author")
    assert problems == []


def test_one_work_has_one_key(entries) -> None:
    by_doi: dict[str, list[str]] = {}
    for key, (_path, entry) in entries.items():
        doi = entry.fields.get("doi", "").lower().strip()
        if doi:
            by_doi.setdefault(doi, []).append(key)
    assert {doi: keys for doi, keys in by_doi.items() if len(keys) > 1} == {}


def cited_keys(folder: Path) -> set[str]:
    keys = set()
    for page in folder.rglob("*.md"):
        for group in CITE.findall(page.read_text(encoding="utf-8")):
            keys |= {k.strip().lower() for k in group.split(",")}
    return keys


def test_every_citation_resolves(entries) -> None:
    assert sorted(cited_keys(ROOT / "source") - set(entries)) == []


def test_the_study_guide_cites_every_required_paper(entries) -> None:
    cited = cited_keys(ROOT / "source" / "study-guide")
    titles = {key: str(entry.fields.get("title", "")).lower().replace("{", "").replace("}", "")
              for key, (_path, entry) in entries.items() if key in cited}
    missing = [name for name, words in REQUIRED_PAPERS.items()
               if not any(words in title for title in titles.values())]
    assert missing == []
