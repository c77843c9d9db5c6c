"""Load a design's assumptions, run its arithmetic, and hand back printable tables.

The split keeps every estimate honest: the YAML file says what is assumed
and why (with a citation where the figure comes from a source), the design's
module says how each number follows from the assumptions, and the pages show
both. Scaling the load assumptions by 10× or 100× re-runs the same
arithmetic, which is how a design shows what changes at higher load.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import yaml

from dsd_labs.capacity.quantity import format_quantity

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "capacity"
DESIGN_RE = re.compile(r"^(?:e\d\d|m13)-[a-z0-9]+(?:-[a-z0-9]+)*$")
NAME_RE = re.compile(r"^[a-z][a-z0-9_]*$")


class CapacityError(ValueError):
    """A capacity model or its data is wrong; the message names file and field."""


@dataclass(frozen=True)
class Assumption:
    """One stated input: its value in base units, how to print it, and why it holds."""

    name: str
    value: float
    unit: str
    label: str
    basis: str
    scales: bool

    def formatted(self, scale: float = 1.0) -> str:
        return format_quantity(self.value * (scale if self.scales else 1.0), self.unit)


class Assumptions:
    """The assumptions of one design, read as attributes: ``a.daily_active_users``.

    ``scale`` multiplies every assumption marked ``scales: true`` (the load),
    leaving per-item sizes and hardware figures alone.
    """

    def __init__(self, items: dict[str, Assumption], scale: float = 1.0) -> None:
        self._items = items
        self._scale = scale

    def __getattr__(self, name: str) -> float:
        try:
            item = self._items[name]
        except KeyError:
            raise CapacityError(f"the model reads an assumption '{name}' that the data file "
                                f"does not define (defined: {', '.join(self._items)})") from None
        return item.value * (self._scale if item.scales else 1.0)

    def __iter__(self) -> Iterator[Assumption]:
        return iter(self._items.values())

    @property
    def scale(self) -> float:
        return self._scale


@dataclass(frozen=True)
class Row:
    """One derived number and the arithmetic that produced it, in words."""

    name: str
    label: str
    value: float
    unit: str
    how: str

    @property
    def formatted(self) -> str:
        return format_quantity(self.value, self.unit)


@dataclass
class Table:
    """A titled group of derived numbers (traffic, storage, bandwidth, machines)."""

    name: str
    title: str
    rows: list[Row] = field(default_factory=list)

    def add(self, name: str, label: str, value: float, unit: str, how: str) -> float:
        """Record a derived number and return it, so later rows can build on it."""
        if not NAME_RE.match(name):
            raise CapacityError(f"row name {name!r} must be lower_snake_case")
        self.rows.append(Row(name, label, float(value), unit, how))
        return float(value)


@dataclass
class Estimate:
    """Every table a design's model produced, with lookups by name."""

    design: str
    assumptions: Assumptions
    tables: list[Table]

    def table(self, name: str) -> Table:
        for table in self.tables:
            if table.name == name:
                return table
        raise CapacityError(f"{self.design}: no table '{name}' "
                            f"(tables: {', '.join(t.name for t in self.tables)})")

    def row(self, name: str) -> Row:
        for table in self.tables:
            for row in table.rows:
                if row.name == name:
                    return row
        raise CapacityError(f"{self.design}: no estimate '{name}'")


def data_file(design: str) -> Path:
    return DATA / f"{design}.yaml"


def module_name(design: str) -> str:
    return "dsd_labs.capacity." + design.replace("-", "_")


def load_assumptions(design: str, path: Path | None = None) -> dict[str, Assumption]:
    """Read and validate a design's YAML, naming the file and field on any error."""
    if not DESIGN_RE.match(design):
        raise CapacityError(f"design id {design!r} must look like 'e01-photo-sharing' "
                            "(a worked design) or 'm13-url-shortener' (an interview walkthrough)")
    path = path or data_file(design)
    if not path.is_file():
        raise CapacityError(f"{path}: no such capacity data file")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CapacityError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("assumptions"), dict):
        raise CapacityError(f"{path}: expected a mapping with an 'assumptions' mapping")
    items = {}
    for name, entry in raw["assumptions"].items():
        where = f"{path}: assumptions.{name}"
        if not NAME_RE.match(str(name)):
            raise CapacityError(f"{where}: names are lower_snake_case")
        if not isinstance(entry, dict):
            raise CapacityError(f"{where}: expected a mapping with value, unit, label, basis")
        for key in ("value", "unit", "label", "basis"):
            if key not in entry:
                raise CapacityError(f"{where}: missing '{key}'")
        value = entry["value"]
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise CapacityError(f"{where}.value: expected a number, got {value!r}")
        if not isinstance(entry.get("scales", False), bool):
            raise CapacityError(f"{where}.scales: expected true or false")
        items[name] = Assumption(name, float(value), str(entry["unit"]), str(entry["label"]),
                                 str(entry["basis"]), bool(entry.get("scales", False)))
    return items


def _estimator(design: str) -> tuple[ModuleType, Callable[[Assumptions], list[Table]]]:
    try:
        module = importlib.import_module(module_name(design))
    except ModuleNotFoundError as exc:
        raise CapacityError(f"{design}: no model module {module_name(design)}") from exc
    estimate = getattr(module, "estimate", None)
    if not callable(estimate):
        raise CapacityError(f"{module.__file__}: defines no estimate(assumptions) function")
    return module, estimate


def estimate(design: str, scale: float = 1.0, path: Path | None = None) -> Estimate:
    """Run a design's model on its assumptions, scaled by ``scale``."""
    if scale <= 0:
        raise CapacityError(f"{design}: scale must be positive, got {scale}")
    assumptions = Assumptions(load_assumptions(design, path), scale)
    _module, run = _estimator(design)
    tables = run(assumptions)
    names = [row.name for table in tables for row in table.rows]
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise CapacityError(f"{design}: estimate names used twice: {', '.join(duplicates)}")
    return Estimate(design, assumptions, tables)


def model_source(design: str) -> Path:
    """The model's source file, so the build can rebuild pages when it changes."""
    module, _run = _estimator(design)
    return Path(module.__file__ or "")
