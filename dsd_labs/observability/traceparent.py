"""The W3C Trace Context ``traceparent`` header: parse, validate, generate.

A ``traceparent`` value has four dash-separated fields, all lowercase hex:

    00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01
    version  trace-id (16 bytes)        parent-id (8 bytes)  trace-flags

Version ``ff`` is forbidden; an all-zero trace-id or parent-id is invalid;
only the low bit of the flags (``sampled``) is defined by Trace Context
Level 1, and Level 2 adds bit 1 (``random``: the trace-id's right-most 7 bytes
are random). A version-00 value is exactly 55 characters. A receiver that sees
a higher version parses the first three fields the same way and ignores what
follows, provided the value is at least 55 characters and the flags are
followed by the end of the value or a dash. A receiver that cannot parse the
header starts a new trace, and must not parse ``tracestate`` either.

Run: ``python -m dsd_labs.observability.traceparent --seed 3``
"""

from __future__ import annotations

import argparse
import random
import re
from dataclasses import dataclass

SAMPLED = 0x01
RANDOM = 0x02  # Trace Context Level 2
_HEX = re.compile(r"[0-9a-f]+")


class InvalidTraceParent(ValueError):
    """The header cannot be used; the receiver restarts the trace."""


@dataclass(frozen=True)
class TraceParent:
    """The four fields of a parsed header; ids are kept as lowercase hex strings."""

    version: int
    trace_id: str
    parent_id: str
    flags: int

    @property
    def sampled(self) -> bool:
        """The caller may have recorded this request: mask the bit, never compare the byte."""
        return bool(self.flags & SAMPLED)

    def header(self) -> str:
        """Serialize as version 00, the highest version this implementation knows."""
        return f"00-{self.trace_id}-{self.parent_id}-{self.flags & (SAMPLED | RANDOM):02x}"


def _hex_field(value: str, length: int, name: str) -> str:
    """Check one id field: exact length, lowercase hex only, not all zeros."""
    if len(value) != length or not _HEX.fullmatch(value):
        raise InvalidTraceParent(f"{name} must be {length} lowercase hex characters")
    if set(value) == {"0"}:
        raise InvalidTraceParent(f"{name} must not be all zeros")
    return value


# [start parse]
def parse(value: str) -> TraceParent:
    """Parse and validate a traceparent value, raising InvalidTraceParent with the reason."""
    value = value.strip(" \t")  # HTTP optional whitespace around a field value
    if len(value) < 3 or value[2] != "-" or not _HEX.fullmatch(value[:2]):
        raise InvalidTraceParent("version must be 2 lowercase hex characters and a dash")
    version = int(value[:2], 16)
    if version == 0xFF:
        raise InvalidTraceParent("version ff is forbidden")
    if len(value) < 55:
        raise InvalidTraceParent("too short: a traceparent has at least 55 characters")
    if version == 0 and len(value) != 55:
        raise InvalidTraceParent("version 00 has exactly 55 characters")
    if len(value) > 55 and value[55] != "-":
        raise InvalidTraceParent("flags must be followed by the end of the value or a dash")
    if value[35] != "-" or value[52] != "-":
        raise InvalidTraceParent("fields must be separated by dashes")
    trace_id = _hex_field(value[3:35], 32, "trace-id")
    parent_id = _hex_field(value[36:52], 16, "parent-id")
    flags = value[53:55]
    if not _HEX.fullmatch(flags):
        raise InvalidTraceParent("trace-flags must be 2 lowercase hex characters")
    return TraceParent(version, trace_id, parent_id, int(flags, 16))
# [end parse]


def new_id(rng: random.Random, n_bytes: int) -> str:
    """A random, non-zero identifier of n_bytes bytes in lowercase hex."""
    while True:
        value = rng.getrandbits(8 * n_bytes)
        if value:
            return f"{value:0{2 * n_bytes}x}"


# [start generate]
def new_root(rng: random.Random, sampled: bool) -> TraceParent:
    """Start a trace: a fresh random trace-id, this span's id, the head sampling decision."""
    flags = (SAMPLED if sampled else 0) | RANDOM
    return TraceParent(0, new_id(rng, 16), new_id(rng, 8), flags)


def child(parent: TraceParent, rng: random.Random) -> TraceParent:
    """The header to send downstream: same trace, this span's new id as the parent-id."""
    return TraceParent(0, parent.trace_id, new_id(rng, 8), parent.flags & (SAMPLED | RANDOM))
# [end generate]


EXAMPLES = (
    ("W3C example, sampled", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
    ("not sampled", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00"),
    ("flags 09: bit 0 set", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-09"),
    ("uppercase hex", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00F067AA0BA902B7-01"),
    ("all-zero trace-id", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"),
    ("all-zero parent-id", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"),
    ("version ff", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
    ("00 with extra field", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-ab"),
    ("future version 01", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-ab"),
    ("64-bit trace-id", "00-a3ce929d0e0e4736-00f067aa0ba902b7-01"),
)


def main(argv: list[str] | None = None) -> int:
    """Validate example headers, then generate a root and two downstream headers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args(argv)
    for label, value in EXAMPLES:
        try:
            tp = parse(value)
            verdict = f"valid, version {tp.version:02x}, sampled={tp.sampled}"
        except InvalidTraceParent as exc:
            verdict = f"invalid: {exc}"
        print(f"{label:<22} {verdict}")
    rng = random.Random(args.seed)
    hop = new_root(rng, sampled=True)
    print("\ntraceparent sent by each service for one request:")
    print(f"{'frontend':<9} sends {hop.header()}")
    for service in ("api", "payments"):
        hop = child(parse(hop.header()), rng)
        print(f"{service:<9} sends {hop.header()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
