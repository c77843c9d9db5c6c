"""Shared fixtures: the real course built once per test session, and a small
copy of the project for the tests that feed the pipeline bad input."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

import publications

ROOT = Path(__file__).resolve().parent.parent


def run_make(*targets: str, cwd: Path = ROOT, check: bool = True,
             **variables: str) -> subprocess.CompletedProcess[str]:
    """Run make the way a contributor does, capturing its output."""
    command = ["make", "--no-print-directory", *targets,
               *(f"{key}={value}" for key, value in variables.items())]
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if check and result.returncode != 0:
        pytest.fail(f"{' '.join(command)} failed:\n"
                    f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return result


@pytest.fixture(scope="session")
def built() -> Path:
    """The build tree after every format has been built once (incrementally)."""
    run_make("html", "epub", "pdf", "xlsx")
    return ROOT / "build"


@pytest.fixture(scope="session")
def release(built: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The release directory `make dist` writes for this checkout's version."""
    dist = tmp_path_factory.mktemp("dist")
    run_make("dist", DISTDIR=str(dist))
    return dist / publications.build_version()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """Keep each phase's report on the test item, so fixtures can see failures."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


MINI_PAGE = """\
(m01-sample)=
# Sample page

A sample that cites {cite:p}`lamport1978time` and links {ref}`m01-sample`.
"""


@pytest.fixture()
def mini_project(tmp_path: Path) -> Path:
    """A copy of the project's machinery with one short page per publication.

    Building it takes seconds, so each bad-input test can break one thing and
    watch the pipeline refuse it. It shares the real virtual environment and
    npm packages.
    """
    project = tmp_path / "project"
    project.mkdir()
    for name in ("conf.py", "Makefile", "extensions", "scripts", "data", "dsd_labs",
                 "requirements", "package.json", "package-lock.json", "pyproject.toml"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, project / name, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.exists():
            shutil.copy2(source, project / name)
    src = project / "source"
    src.mkdir()
    for name in ("index.md", "glossary.md", "references.md", "_static", "_templates",
                 "bibliography"):
        source = ROOT / "source" / name
        if source.is_dir():
            shutil.copytree(source, src / name)
        else:
            shutil.copy2(source, src / name)
    for folder, part in (("curriculum", "cur"), ("worked-examples", "we"),
                         ("decision-framework", "df"), ("study-guide", "sg")):
        (src / folder).mkdir()
        (src / folder / "index.md").write_text(
            f"({part}-{folder})=\n# {folder.replace('-', ' ').capitalize()}\n\nLanding text.\n",
            encoding="utf-8")
    (src / "curriculum" / "m01-sample").mkdir()
    (src / "curriculum" / "m01-sample" / "index.md").write_text(MINI_PAGE, encoding="utf-8")
    index = src / "curriculum" / "index.md"
    index.write_text(index.read_text(encoding="utf-8") +
                     "\n```{toctree}\n\nm01-sample/index\n```\n", encoding="utf-8")
    (project / ".venv").symlink_to(ROOT / ".venv")
    if (ROOT / "node_modules").exists():
        (project / "node_modules").symlink_to(ROOT / "node_modules")
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    os.utime(project / "requirements" / "requirements.lock", (0, 0))
    return project
