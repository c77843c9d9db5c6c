"""Every capacity model (worked designs and interview walkthroughs) runs, uses
every assumption, and the worked designs' models scale with the load."""

from __future__ import annotations

import copy
import math
from pathlib import Path

import pytest
import yaml

from dsd_labs.capacity import model

DESIGNS = sorted(p.stem for p in model.DATA.glob("e*.yaml"))
MODELS = DESIGNS + sorted(p.stem for p in model.DATA.glob("m13-*.yaml"))


def test_every_design_folder_has_a_model() -> None:
    folders = sorted(p.name for p in (model.ROOT / "source/worked-examples").glob("e[0-9][0-9]-*"))
    assert folders == DESIGNS


@pytest.mark.parametrize("design", MODELS)
def test_model_produces_finite_positive_numbers(design: str) -> None:
    result = model.estimate(design)
    rows = [row for table in result.tables for row in table.rows]
    assert rows
    for row in rows:
        assert math.isfinite(row.value) and row.value > 0, row
        assert row.how, f"{row.name} has no formula in words"
        assert row.formatted


@pytest.mark.parametrize("design", MODELS)
def test_every_assumption_changes_some_estimate(design: str, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """An assumption no estimate depends on is a number the page states for nothing."""
    path = model.data_file(design)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    baseline = {r.name: r.value for t in model.estimate(design).tables for r in t.rows}
    monkeypatch.setattr(model, "DATA", tmp_path)
    unused = []
    for name, entry in data["assumptions"].items():
        changed = copy.deepcopy(data)
        changed["assumptions"][name]["value"] = entry["value"] * 1.5
        (tmp_path / f"{design}.yaml").write_text(yaml.safe_dump(changed), encoding="utf-8")
        after = {r.name: r.value for t in model.estimate(design).tables for r in t.rows}
        if after == baseline:
            unused.append(name)
    assert not unused, f"assumptions that no estimate uses: {unused}"


@pytest.mark.parametrize("design", DESIGNS)
def test_load_scales_linearly_where_nothing_is_rounded(design: str) -> None:
    base, tenfold = model.estimate(design), model.estimate(design, scale=10)
    assert [t.name for t in base.tables] == [t.name for t in tenfold.tables]
    grew = [r for r in tenfold.tables[0].rows
            if r.value > base.row(r.name).value * 9.9]
    assert grew, "the traffic table should grow with the load"
