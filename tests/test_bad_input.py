"""Bad input gets a clear message naming the file and line, and publishes nothing."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import run_make

PAGE = Path("source/curriculum/m01-sample/index.md")


def append(project: Path, text: str) -> None:
    page = project / PAGE
    page.write_text(page.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")


def build_fails(project: Path, *fragments: str) -> str:
    result = run_make("html", cwd=project, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for fragment in fragments:
        assert fragment in output, f"{fragment!r} not in:\n{output}"
    return output


def test_the_mini_project_builds(mini_project: Path) -> None:
    run_make("html", cwd=mini_project)
    assert (mini_project / "build/html/curriculum/m01-sample/index.html").is_file()


@pytest.mark.parametrize(("text", "message"), [
    ("See {ref}`m01-no-such-label`.", "m01-no-such-label"),
    ("As shown by {cite:p}`nobody1999nothing`.", "nobody1999nothing"),
    ("```{lab-output} dsd_labs.no_such_lab\n```", "exited with status"),
    ("```{capacity-table} e01-photo-sharing\n:table: no_such_table\n```",
     "no table 'no_such_table'"),
    ("It needs {capacity}`e01-photo-sharing:no_such_row` of disk.",
     "e01-photo-sharing:no_such_row"),
], ids=["cross-reference", "citation", "failing-lab", "capacity-table", "capacity-value"])
def test_unknown_target_names_the_page_and_line(mini_project: Path, text: str,
                                                message: str) -> None:
    append(mini_project, text)
    build_fails(mini_project, "m01-sample/index.md:", message)


def test_missing_literalinclude_file(mini_project: Path) -> None:
    append(mini_project, "```{literalinclude} ../../../dsd_labs/no_such_lab.py\n"
                         ":pyobject: main\n```")
    build_fails(mini_project, "m01-sample/index.md:", "no_such_lab.py")


def test_duplicate_label(mini_project: Path) -> None:
    append(mini_project, "(m01-sample)=\n## Again")
    build_fails(mini_project, "m01-sample/index.md:6:",
                'Duplicate explicit target name: "m01-sample"')


def test_duplicate_label_across_pages(mini_project: Path) -> None:
    folder = mini_project / "source/curriculum/m01-sample"
    (folder / "second.md").write_text("(m01-sample)=\n# Second page\n\nText.\n", encoding="utf-8")
    append(mini_project, "```{toctree}\nsecond\n```")
    build_fails(mini_project, "second.md", "duplicate label m01-sample")


def test_label_outside_the_scheme(mini_project: Path) -> None:
    append(mini_project, "(m05-elsewhere)=\n## A label from another module")
    build_fails(mini_project, "m05-elsewhere", "must start with 'm01-'")


def test_glossary_term_defined_twice(mini_project: Path) -> None:
    folder = mini_project / "data/glossary"
    for name in ("aa-test.yaml", "zz-test.yaml"):
        (folder / name).write_text("- term: Sample term\n  definition: Twice.\n", encoding="utf-8")
    build_fails(mini_project, "zz-test.yaml", "already defined in", "aa-test.yaml")


def test_broken_mermaid_publishes_nothing(mini_project: Path) -> None:
    append(mini_project, "```{mermaid}\n:name: fig-m01-broken\n:caption: Broken.\n\n"
                         "flowchart LR\n    accTitle: Broken\n    accDescr: Broken.\n"
                         "    A -->> B((\n```")
    result = run_make("dist", cwd=mini_project, check=False, VERSION="1.0.0")
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "m01-sample/index.md" in output
    assert not (mini_project / "dist/1.0.0").exists()


def test_malformed_version(mini_project: Path) -> None:
    result = run_make("dist", cwd=mini_project, check=False, VERSION="1.2")
    assert result.returncode != 0
    assert "malformed version '1.2'" in result.stderr
    assert not (mini_project / "build/html").exists(), "it must fail before building"
    assert not (mini_project / "dist").exists() or not any((mini_project / "dist").iterdir())


def test_dist_into_existing_version(mini_project: Path) -> None:
    existing = mini_project / "dist/1.0.0"
    existing.mkdir(parents=True)
    (existing / "keep.txt").write_text("an earlier release", encoding="utf-8")
    result = run_make("dist", cwd=mini_project, check=False, VERSION="1.0.0")
    assert result.returncode != 0
    assert "already exists" in result.stderr
    assert sorted(p.name for p in existing.iterdir()) == ["keep.txt"]


def test_missing_system_tool_names_its_package(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "kpsewhich", "id", "sort", "printf", "cat"):
        for folder in ("/usr/bin", "/bin"):
            if Path(folder, tool).exists():
                (bin_dir / tool).symlink_to(Path(folder, tool))
                break
    env = {"PATH": str(bin_dir), "DSD_NO_APT": "1", "HOME": os.environ.get("HOME", "/")}
    import subprocess
    result = subprocess.run([str(bin_dir / "bash"), str(root / "scripts/install_system_deps.sh")],
                            env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "chromium: Debian/Ubuntu package 'chromium'" in result.stderr
    assert "pdffonts: Debian/Ubuntu package 'poppler-utils'" in result.stderr
    assert "sudo apt-get install" in result.stderr


def test_malformed_capacity_data(mini_project: Path) -> None:
    data = mini_project / "data/capacity/e01-photo-sharing.yaml"
    data.write_text(data.read_text(encoding="utf-8").replace("value: 500000000", "value: many"),
                    encoding="utf-8")
    append(mini_project, "```{capacity-assumptions} e01-photo-sharing\n```")
    build_fails(mini_project, "e01-photo-sharing.yaml: assumptions.daily_active_users.value")
