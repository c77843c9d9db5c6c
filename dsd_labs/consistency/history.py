"""The history format shared by every lab that produces or checks register histories.

Labs in other modules (the partitioned register of Module 1, for instance)
emit histories in this form so that the Module 2 checkers can judge them
without adapters.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

OpKind = Literal["read", "write"]


@dataclass(frozen=True)
class Operation:
    """One completed operation on a single register, as a client observed it.

    ``invoke`` and ``response`` are instants on one global (simulated) clock,
    which only the checker sees; processes never read it. ``value`` is the
    value written, or the value a read returned (``None`` for the initial,
    never-written state).
    """

    process: str
    kind: OpKind
    value: int | None
    invoke: int
    response: int

    def __post_init__(self) -> None:
        if self.response < self.invoke:
            raise ValueError(f"{self}: response precedes invocation")

    def precedes(self, other: Operation) -> bool:
        """Real-time order: this operation completed before ``other`` began."""
        return self.response < other.invoke


History = list[Operation]


def module1_history() -> History | None:
    """The partitioned-register history of Module 1's lab, or None if absent.

    The Module 2 labs judge that history; importing it lazily keeps them
    runnable on a checkout where Module 1's lab is not installed.
    """
    try:
        from dsd_labs.fundamentals.partitioned_register import (
            availability_scenario_history,
        )
    except ImportError:
        return None
    return list(availability_scenario_history())
