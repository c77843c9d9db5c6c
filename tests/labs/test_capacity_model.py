"""The capacity-model mechanism: formatting, validation, scaling, dependence."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from dsd_labs.capacity import model
from dsd_labs.capacity.quantity import format_quantity, significant

DATA = """\
assumptions:
  daily_active_users: {value: 50000000, unit: users, label: Daily active users,
                       basis: Stated requirement., scales: true}
  uploads_per_user: {value: 2, unit: uploads/day, label: Uploads per user per day,
                     basis: Stated requirement.}
  object_size: {value: 2000000, unit: B, label: Average upload size, basis: Measured.}
"""


def _estimate(a: model.Assumptions) -> list[model.Table]:
    traffic = model.Table("traffic", "Traffic")
    rate = traffic.add("upload_rate", "Uploads, average",
                       a.daily_active_users * a.uploads_per_user / 86400, "req/s",
                       "users × uploads per user ÷ 86,400 s")
    storage = model.Table("storage", "Storage")
    storage.add("daily_bytes", "New data per day", rate * 86400 * a.object_size, "B",
                "upload rate × 86,400 s × upload size")
    return [traffic, storage]


@pytest.fixture()
def design(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setattr(model, "DATA", tmp_path)
    (tmp_path / "e99-sample.yaml").write_text(DATA, encoding="utf-8")
    module = types.ModuleType("dsd_labs.capacity.e99_sample")
    module.estimate = _estimate  # type: ignore[attr-defined]
    module.__file__ = __file__
    monkeypatch.setitem(sys.modules, "dsd_labs.capacity.e99_sample", module)
    return "e99-sample"


@pytest.mark.parametrize(("value", "unit", "text"), [
    (1.5e12, "B", "1.5 TB"), (999, "B", "999 B"), (2**30, "iB", "1 GiB"),
    (12.5e9 / 8, "B/s", "1.56 GB/s"), (10e9, "bit/s", "10 Gbit/s"), (0.0042, "s", "4.2 ms"),
    (5 * 86400, "s", "5 days"), (0.999, "%", "99.9%"), (1157.407, "req/s", "1,160 req/s"),
    (2.5e9, "users", "2.5 billion users"), (42, "servers", "42 servers"), (3.14159, "×", "3.14×"),
    (1, "replicas", "1 replica"), (1, "series", "1 series"), (1, "req/s", "1 req/s"),
])
def test_formatting(value: float, unit: str, text: str) -> None:
    assert format_quantity(value, unit) == text


def test_significant_figures() -> None:
    assert significant(123456) == "123,000"
    assert significant(0.012345) == "0.0123"
    assert significant(0) == "0"


def test_estimates_follow_the_assumptions(design: str) -> None:
    result = model.estimate(design)
    assert result.row("upload_rate").value == pytest.approx(50e6 * 2 / 86400)
    assert result.row("daily_bytes").formatted == "200 TB"


def test_scaling_multiplies_the_load_only(design: str) -> None:
    base, tenfold = model.estimate(design), model.estimate(design, scale=10)
    assert tenfold.row("upload_rate").value == pytest.approx(10 * base.row("upload_rate").value)
    sizes = {a.name: a.formatted(10) for a in tenfold.assumptions}
    assert sizes["object_size"] == "2 MB"
    assert sizes["daily_active_users"] == "500 million users"


def test_changing_an_assumption_changes_its_dependents(design: str, tmp_path: Path) -> None:
    before = model.estimate(design)
    path = tmp_path / "e99-sample.yaml"
    path.write_text(DATA.replace("value: 2000000", "value: 4000000"), encoding="utf-8")
    after = model.estimate(design)
    assert after.row("upload_rate").value == before.row("upload_rate").value
    assert after.row("daily_bytes").value == 2 * before.row("daily_bytes").value


@pytest.mark.parametrize(("broken", "message"), [
    (DATA.replace("unit: B,", ""), r"assumptions.object_size: missing 'unit'"),
    (DATA.replace("value: 2,", "value: two,"), r"assumptions.uploads_per_user.value"),
    (DATA.replace("scales: true", "scales: yes please"), r"daily_active_users.scales"),
    ("assumptions: [1, 2]", r"expected a mapping"),
])
def test_bad_data_names_file_and_field(design: str, tmp_path: Path, broken: str,
                                       message: str) -> None:
    (tmp_path / "e99-sample.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(model.CapacityError, match=message) as info:
        model.estimate(design)
    assert "e99-sample.yaml" in str(info.value)


def test_unknown_names_are_errors(design: str) -> None:
    result = model.estimate(design)
    with pytest.raises(model.CapacityError, match="no table 'network'"):
        result.table("network")
    with pytest.raises(model.CapacityError, match="no estimate 'egress'"):
        result.row("egress")
    with pytest.raises(model.CapacityError, match="must look like"):
        model.estimate("photo-sharing")
