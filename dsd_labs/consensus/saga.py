"""A saga orchestrator with compensations, retries, crashes and late duplicates.

An order saga touches three services, each with its own local transactions:

1. ``orders.create``      compensatable: ``orders.reject``
2. ``inventory.reserve``  compensatable: ``inventory.release``
3. ``payments.authorize`` the pivot: once it succeeds, the saga only goes forward
4. ``inventory.commit``   retriable
5. ``orders.approve``     retriable

The orchestrator writes every step to a durable saga log before and after
calling it, so a crashed orchestrator resumes from the log. Calls can fail
for business reasons (no stock, card declined), which triggers compensation,
or time out, in which case the request may or may not have been applied and
may even arrive late, after the saga compensated. Every request carries the
saga id as its idempotency key, and a compensation leaves a tombstone so a
late request cannot resurrect what was undone.

The lab prints one failed saga's log, then runs many seeded sagas with
crashes and timeouts and checks the saga invariant: every saga ends either
fully applied or fully compensated. With ``--no-tombstones`` the check fails.

Run: ``python -m dsd_labs.consensus.saga --runs 500 --seed 1``
"""

from __future__ import annotations

import argparse
import contextlib
import random
from collections.abc import Callable
from dataclasses import dataclass, field


class BusinessFailure(Exception):
    """The service refused for a reason that will not change on retry."""


class Timeout(Exception):
    """No answer: the request may have been applied, or may still arrive later."""


@dataclass
class Services:
    """Three services' state; each method is one local ACID transaction, idempotent by saga id."""

    stock: int = 5
    tombstones: bool = True
    orders: dict[str, str] = field(default_factory=dict)
    reservations: dict[str, str] = field(default_factory=dict)  # saga -> held | committed
    authorizations: dict[str, int] = field(default_factory=dict)
    cancelled: set[str] = field(default_factory=set)
    duplicates_rejected: int = 0

    # [start inventory]
    def reserve(self, saga: str, qty: int) -> None:
        """Hold stock for a saga. A retry is a no-op; a request after release is refused."""
        if saga in self.reservations:
            return
        if self.tombstones and saga in self.cancelled:
            self.duplicates_rejected += 1
            raise BusinessFailure("reservation already released")
        if self.stock < qty:
            raise BusinessFailure("insufficient stock")
        self.stock -= qty
        self.reservations[saga] = "held"

    def release(self, saga: str, qty: int) -> None:
        """Compensation: give the stock back, and remember that this saga was undone."""
        if self.reservations.pop(saga, None) is not None:
            self.stock += qty
        self.cancelled.add(saga)
    # [end inventory]

    def create(self, saga: str) -> None:
        """Create the order as PENDING: the semantic lock other requests can see."""
        if saga in self.cancelled and self.tombstones:
            self.duplicates_rejected += 1
            raise BusinessFailure("order already rejected")
        self.orders.setdefault(saga, "PENDING")

    def reject(self, saga: str) -> None:
        """Compensation for create: the order ends REJECTED, never deleted."""
        self.orders[saga] = "REJECTED"
        self.cancelled.add(saga)

    def authorize(self, saga: str, amount: int, declined: bool) -> None:
        """The pivot: an authorization that is never voided in this saga."""
        if declined:
            raise BusinessFailure("card declined")
        self.authorizations[saga] = self.authorizations.get(saga, 0) + (
            0 if saga in self.authorizations else amount)

    def commit_stock(self, saga: str) -> None:
        """Retriable: turn the hold into a sale."""
        self.reservations[saga] = "committed"

    def approve(self, saga: str) -> None:
        """Retriable: the order becomes APPROVED."""
        self.orders[saga] = "APPROVED"


@dataclass
class Faults:
    """Seeded fault injection for one saga."""

    rng: random.Random
    timeout_p: float = 0.0
    crash_p: float = 0.0
    declined: bool = False
    late: list[Callable[[], None]] = field(default_factory=list)

    def call(self, action: Callable[[], None]) -> None:
        """Run one request through an unreliable network.

        On a timeout the request was applied before the reply was lost, or it
        is still in flight and will be delivered after the saga ends.
        """
        if self.rng.random() >= self.timeout_p:
            action()
            return
        if self.rng.random() < 0.5:
            with contextlib.suppress(BusinessFailure):
                action()
        else:
            self.late.append(action)
        raise Timeout()


class Crash(Exception):
    """The orchestrator process died; only the saga log survives."""


@dataclass
class Step:
    """One saga step: its action, its compensation (None for pivot and retriable steps)."""

    name: str
    action: Callable[[Services, str, Faults], None]
    compensation: Callable[[Services, str], None] | None
    retriable: bool = False


QTY, AMOUNT = 2, 40
STEPS = [
    Step("orders.create", lambda s, g, f: s.create(g), lambda s, g: s.reject(g)),
    Step("inventory.reserve", lambda s, g, f: s.reserve(g, QTY), lambda s, g: s.release(g, QTY)),
    Step("payments.authorize", lambda s, g, f: s.authorize(g, AMOUNT, f.declined), None),
    Step("inventory.commit", lambda s, g, f: s.commit_stock(g), None, retriable=True),
    Step("orders.approve", lambda s, g, f: s.approve(g), None, retriable=True),
]
PIVOT = 2  # index of the pivot step


# [start orchestrator]
def run_saga(svc: Services, saga: str, faults: Faults, log: list[tuple[str, str]],
             attempts: int = 3) -> str:
    """Drive the saga from whatever its log says; return 'completed' or 'compensated'.

    The log is the orchestrator's only memory: a restarted orchestrator calls
    this again with the same log and continues where the last record stops.
    """
    done = [n for kind, n in log if kind == "done"]
    if ("decided", "compensate") not in log:
        for i, step in enumerate(STEPS[len(done):], start=len(done)):
            if not _forward(svc, saga, faults, log, step, i, attempts):
                log.append(("decided", "compensate"))
                break
        else:
            return "completed"
    for step in reversed(STEPS[:PIVOT]):
        if step.compensation and ("compensated", step.name) not in log:
            _maybe_crash(faults)
            _until_ok(faults, lambda st=step: st.compensation(svc, saga))
            log.append(("compensated", step.name))
    return "compensated"


def _forward(svc: Services, saga: str, faults: Faults, log: list[tuple[str, str]],
             step: Step, index: int, attempts: int) -> bool:
    """Run one forward step; False means the saga must compensate."""
    log.append(("start", step.name))
    _maybe_crash(faults)
    must_finish = index >= PIVOT  # pivot and later steps are retried until they answer
    tries = 0
    while True:
        tries += 1
        try:
            faults.call(lambda: step.action(svc, saga, faults))
            _maybe_crash(faults)  # applied, but the log does not say so yet
            log.append(("done", step.name))
            return True
        except BusinessFailure as exc:
            if step.retriable:
                raise AssertionError("a retriable step must not fail for good") from exc
            log.append(("failed", step.name))
            return False
        except Timeout:
            if not must_finish and tries >= attempts:
                log.append(("gave-up", step.name))  # outcome unknown: compensate anyway
                return False
# [end orchestrator]


def _until_ok(faults: Faults, action: Callable[[], None]) -> None:
    """Compensations cannot fail for good: retry until one attempt gets an answer."""
    while True:
        try:
            faults.call(action)
            return
        except Timeout:
            continue


def _maybe_crash(faults: Faults) -> None:
    if faults.rng.random() < faults.crash_p:
        raise Crash()


def execute(svc: Services, saga: str, faults: Faults) -> tuple[str, list[tuple[str, str]], int]:
    """Run a saga to the end, restarting the orchestrator from its log after each crash."""
    log: list[tuple[str, str]] = []
    crashes = 0
    while True:
        try:
            outcome = run_saga(svc, saga, faults, log)
            break
        except Crash:
            crashes += 1
    for action in faults.late:  # requests that were still in flight arrive now
        with contextlib.suppress(BusinessFailure):
            action()
    return outcome, log, crashes


def invariant_holds(svc: Services, saga: str, outcome: str, stock_before: int) -> bool:
    """Fully applied, or fully compensated: nothing in between survives."""
    if outcome == "completed":
        return (svc.orders.get(saga) == "APPROVED" and svc.reservations.get(saga) == "committed"
                and svc.stock == stock_before - QTY and svc.authorizations.get(saga) == AMOUNT)
    return (svc.orders.get(saga) == "REJECTED" and saga not in svc.reservations
            and svc.stock == stock_before and saga not in svc.authorizations)


def campaign(runs: int, seed: int, tombstones: bool = True, timeout_p: float = 0.2,
             crash_p: float = 0.05) -> dict[str, int]:
    """Run many independent sagas with seeded faults and count what happened."""
    rng = random.Random(seed)
    counts = {"completed": 0, "compensated": 0, "violations": 0, "crashes": 0,
              "late": 0, "rejected": 0}
    for i in range(runs):
        svc = Services(stock=rng.choice([1, 5]), tombstones=tombstones)
        faults = Faults(random.Random(rng.random()), timeout_p, crash_p,
                        declined=rng.random() < 0.2)
        before = svc.stock
        outcome, _, crashes = execute(svc, f"saga-{i}", faults)
        counts[outcome] += 1
        counts["crashes"] += crashes
        counts["late"] += len(faults.late)
        counts["rejected"] += svc.duplicates_rejected
        counts["violations"] += not invariant_holds(svc, f"saga-{i}", outcome, before)
    return counts


def main(argv: list[str] | None = None) -> int:
    """Show one compensated saga, then check the invariant over many faulty runs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout-p", type=float, default=0.2)
    parser.add_argument("--crash-p", type=float, default=0.05)
    parser.add_argument("--no-tombstones", action="store_true")
    args = parser.parse_args(argv)
    svc = Services(stock=5)
    outcome, log, _ = execute(svc, "saga-demo", Faults(random.Random(0), declined=True))
    print("one saga, card declined at the pivot:")
    for kind, name in log:
        print(f"  {kind:<12} {name}")
    print(f"  outcome: {outcome}; order {svc.orders['saga-demo']}, stock {svc.stock}/5")
    tomb = not args.no_tombstones
    c = campaign(args.runs, args.seed, tomb, args.timeout_p, args.crash_p)
    print(f"\n{args.runs} sagas, timeout p={args.timeout_p}, orchestrator crash "
          f"p={args.crash_p} per step, tombstones {'on' if tomb else 'off'}:")
    print(f"  completed {c['completed']}, compensated {c['compensated']}")
    print(f"  orchestrator crashes recovered from the log: {c['crashes']}")
    print(f"  requests delivered after the saga ended: {c['late']}; "
          f"refused by tombstones: {c['rejected']}")
    print(f"  sagas left half-applied: {c['violations']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
