"""Format numbers with their units the way the course prints them.

Estimates are computed as plain floats in base units (bytes, seconds,
requests per second); the unit only decides how a value is printed. Decimal
(kB, MB, GB) and binary (KiB, MiB, GiB) byte units stay apart, as the house
style requires: storage and network capacity are sold in powers of ten,
memory is addressed in powers of two.
"""

from __future__ import annotations

import math

SI_PREFIXES = ["", "k", "M", "G", "T", "P", "E"]
IEC_PREFIXES = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]
BIG_COUNTS = [(1e12, "trillion"), (1e9, "billion"), (1e6, "million")]
DURATIONS = [(86400.0, "days"), (3600.0, "h"), (60.0, "min"), (1.0, "s"), (1e-3, "ms"),
             (1e-6, "µs")]
INVARIANT_PLURALS = {"series", "bits", "ms", "µs"}
# Units printed as a plain number followed by the unit (rates, counts of things).
UNIT_KINDS = {"B": "bytes-si", "B/s": "bytes-si-rate", "bit/s": "bits-rate", "iB": "bytes-iec",
              "s": "duration", "%": "percent", "×": "ratio"}


def significant(value: float, digits: int = 3) -> str:
    """Round to ``digits`` significant figures, with thousands separators."""
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    rounded = round(value, digits - 1 - magnitude)
    decimals = max(digits - 1 - magnitude, 0)
    if decimals == 0:
        return f"{round(rounded):,}"
    return f"{rounded:,.{decimals}f}".rstrip("0").rstrip(".")


def _scaled(value: float, base: float, prefixes: list[str]) -> tuple[float, str]:
    index = 0
    while abs(value) >= base and index < len(prefixes) - 1:
        value /= base
        index += 1
    return value, prefixes[index]


def format_quantity(value: float, unit: str) -> str:
    """Render ``value`` (in base units) with ``unit``: ``1.5e12, "B"`` → ``1.5 TB``."""
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"cannot format {value} {unit}")
    kind = UNIT_KINDS.get(unit)
    if kind == "bytes-si":
        number, prefix = _scaled(value, 1000.0, SI_PREFIXES)
        return f"{significant(number)} {prefix}B"
    if kind == "bytes-si-rate":
        number, prefix = _scaled(value, 1000.0, SI_PREFIXES)
        return f"{significant(number)} {prefix}B/s"
    if kind == "bits-rate":
        number, prefix = _scaled(value, 1000.0, SI_PREFIXES)
        return f"{significant(number)} {prefix}bit/s"
    if kind == "bytes-iec":
        number, prefix = _scaled(value, 1024.0, IEC_PREFIXES)
        return f"{significant(number)} {prefix}B" if prefix else f"{significant(number)} B"
    if kind == "duration":
        for size, name in DURATIONS:
            if abs(value) >= size or name == "µs":
                return f"{significant(value / size)} {name}"
    if kind == "percent":
        return f"{significant(value * 100)}%"
    if kind == "ratio":
        return f"{significant(value)}×"
    count = _count(value)
    return f"{count} {_singular(unit) if count == '1' else unit}".rstrip()


def _singular(unit: str) -> str:
    """'1 replicas' reads wrong; drop a plural s from a plain noun unit."""
    if "/" in unit or unit in INVARIANT_PLURALS or not unit.endswith("s"):
        return unit
    return unit[:-1]


def _count(value: float) -> str:
    for size, word in BIG_COUNTS:
        if abs(value) >= size:
            return f"{significant(value / size)} {word}"
    return significant(value)
