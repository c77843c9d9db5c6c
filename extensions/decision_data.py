"""Load and validate the Decision Framework's data file.

The spreadsheet generator and the Sphinx directives both read the data
through this module, so a malformed file fails the same way in both, with
the file and the field path in the message.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data" / "decision-framework" / "decisions.yaml"


class DecisionDataError(ValueError):
    """The data file is malformed; the message names the file and field."""


@dataclass(frozen=True)
class Rating:
    score: int
    rationale: str


@dataclass(frozen=True)
class Criterion:
    id: str
    name: str


@dataclass(frozen=True)
class Option:
    id: str
    name: str
    ratings: dict[str, Rating]


@dataclass(frozen=True)
class TreeRow:
    question: str
    yes_label: str
    no_label: str


@dataclass(frozen=True)
class Decision:
    id: str
    title: str
    summary: str
    modules: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    options: tuple[Option, ...]
    questions: tuple[str, ...]
    tree_start: str
    tree: dict[str, dict[str, str]]

    @property
    def sheet_name(self) -> str:
        return self.title[:31]

    def label(self, target: str) -> str:
        """Name a tree target: an option's name, or 'question N'."""
        names = {o.id: o.name for o in self.options}
        if target in names:
            return names[target]
        return f"Go to: {self.tree[target]['question']}"

    def tree_rows(self) -> list[TreeRow]:
        order, seen, queue = [], set(), [self.tree_start]
        while queue:
            node = queue.pop(0)
            if node in seen or node not in self.tree:
                continue
            seen.add(node)
            order.append(node)
            queue += [self.tree[node]["if_yes"], self.tree[node]["if_no"]]
        return [TreeRow(self.tree[n]["question"], self.label(self.tree[n]["if_yes"]),
                        self.label(self.tree[n]["if_no"])) for n in order]


def _require(mapping: object, field: str, where: str, kind: type) -> object:
    if not isinstance(mapping, dict) or field not in mapping:
        raise DecisionDataError(f"{where}: missing '{field}'")
    value = mapping[field]
    if not isinstance(value, kind):
        raise DecisionDataError(f"{where}.{field}: expected {kind.__name__}")
    return value


def _decision(raw: dict, where: str) -> Decision:
    criteria = tuple(Criterion(str(_require(c, "id", f"{where}.criteria[{i}]", str)),
                               str(_require(c, "name", f"{where}.criteria[{i}]", str)))
                     for i, c in enumerate(_require(raw, "criteria", where, list)))
    ids = {c.id for c in criteria}
    options = []
    for i, raw_option in enumerate(_require(raw, "options", where, list)):
        at = f"{where}.options[{i}]"
        ratings_raw = _require(raw_option, "ratings", at, dict)
        if set(ratings_raw) != ids:
            raise DecisionDataError(f"{at}.ratings: must rate exactly {sorted(ids)}, "
                                    f"got {sorted(ratings_raw)}")
        ratings = {}
        for cid, pair in ratings_raw.items():
            if (not isinstance(pair, list) or len(pair) != 2 or not isinstance(pair[0], int)
                    or not 1 <= pair[0] <= 5 or not isinstance(pair[1], str)):
                raise DecisionDataError(f"{at}.ratings.{cid}: expected [score 1-5, rationale]")
            ratings[cid] = Rating(pair[0], pair[1])
        options.append(Option(str(_require(raw_option, "id", at, str)),
                              str(_require(raw_option, "name", at, str)), ratings))
    tree_raw = _require(raw, "tree", where, dict)
    nodes = _require(tree_raw, "nodes", f"{where}.tree", dict)
    targets = {o.id for o in options} | set(nodes)
    for name, node in nodes.items():
        for branch in ("question", "if_yes", "if_no"):
            _require(node, branch, f"{where}.tree.nodes.{name}", str)
        for branch in ("if_yes", "if_no"):
            if node[branch] not in targets:
                raise DecisionDataError(f"{where}.tree.nodes.{name}.{branch}: "
                                        f"'{node[branch]}' is neither an option nor a node")
    start = str(_require(tree_raw, "start", f"{where}.tree", str))
    if start not in nodes:
        raise DecisionDataError(f"{where}.tree.start: no node '{start}'")
    return Decision(str(_require(raw, "id", where, str)), str(_require(raw, "title", where, str)),
                    str(_require(raw, "summary", where, str)),
                    tuple(_require(raw, "modules", where, list)), criteria, tuple(options),
                    tuple(_require(raw, "questions", where, list)), start, nodes)


def load(path: Path = DATA) -> list[Decision]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DecisionDataError(f"{path}: {exc}") from exc
    decisions = _require(raw, "decisions", str(path), list)
    return [_decision(d, f"{path}: decisions[{i}]") for i, d in enumerate(decisions)]


def by_id(decision_id: str, path: Path = DATA) -> Decision:
    for decision in load(path):
        if decision.id == decision_id:
            return decision
    raise DecisionDataError(f"{path}: no decision '{decision_id}'")
