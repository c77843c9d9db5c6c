"""Per-hop timeouts against a propagated deadline, in a four-hop call chain.

A user request enters a gateway, which calls an orders service, which calls
an inventory service, which queries a database. Each service does some work
before and after its downstream call. The database becomes slow.

With per-hop timeouts chosen independently (the inner ones longer than the
outer ones, a common accident), the gateway gives up first, retries, and
every hop below keeps working on requests nobody is waiting for: the
orphaned work that turns a slow dependency into a cascading failure. With a
deadline set once at the edge and propagated, each hop reserves time for its
own remaining work, refuses calls it cannot finish, and stops when the
deadline passes, so no work outlives the user's wait.

Virtual time only; cancellation is modeled as cooperative (a hop stops at its
deadline), which is what gRPC deadlines give a server that checks them.

Run: ``python -m dsd_labs.fault_tolerance.deadlines``
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Hop:
    """One service: work before and after its downstream call, and its timeout for that call."""

    name: str
    before_ms: float
    after_ms: float
    timeout_ms: float  # for the call to the next hop; unused by the last hop


CHAIN = (
    Hop("gateway", 5, 5, 1_000),
    Hop("orders", 20, 10, 2_000),
    Hop("inventory", 15, 10, 3_000),
    Hop("database", 0, 0, 0),
)


@dataclass
class Trace:
    """Busy intervals per hop: (hop name, start, end, outcome)."""

    spans: list[tuple[str, float, float, str]] = field(default_factory=list)

    def busy_ms(self, name: str) -> float:
        return sum(end - start for n, start, end, _ in self.spans if n == name)

    def orphaned_ms(self, user_done: float) -> float:
        """Work done after the user already had an answer (or an error)."""
        return sum(max(0.0, end - max(start, user_done)) for _, start, end, _ in self.spans)


# [start fixed]
def call_fixed(chain: tuple[Hop, ...], i: int, start: float, db_ms: float,
               trace: Trace) -> tuple[bool, float]:
    """Hop ``i`` handles a call arriving at ``start``; per-hop timeouts, no cancellation.

    Returns (success, time the caller hears back). A hop that times out
    answers its caller with an error, but the hop below does not know and
    finishes its own work anyway.
    """
    hop = chain[i]
    if i == len(chain) - 1:
        trace.spans.append((hop.name, start, start + db_ms, "ok"))
        return True, start + db_ms
    sent = start + hop.before_ms
    ok, back = call_fixed(chain, i + 1, sent, db_ms, trace)
    if back - sent > hop.timeout_ms:
        end = sent + hop.timeout_ms
        trace.spans.append((hop.name, start, end, "timeout"))
        return False, end
    end = back + hop.after_ms
    trace.spans.append((hop.name, start, end, "ok" if ok else "error"))
    return ok, end
# [end fixed]


# [start deadline]
def call_deadline(chain: tuple[Hop, ...], i: int, start: float, deadline: float,
                  db_ms: float, trace: Trace) -> tuple[bool, float]:
    """Hop ``i`` handles a call that must be answered by ``deadline``.

    The hop refuses at once if the time left cannot cover its own work, and
    passes down a deadline shortened by the work it still has to do after
    the downstream answer. Every hop stops at its deadline.
    """
    hop = chain[i]
    if start + hop.before_ms + hop.after_ms >= deadline:
        trace.spans.append((hop.name, start, start, "refused"))
        return False, start
    if i == len(chain) - 1:
        end = min(start + db_ms, deadline)
        trace.spans.append((hop.name, start, end, "ok" if end < deadline else "cancelled"))
        return end < deadline, end
    sent = start + hop.before_ms
    ok, back = call_deadline(chain, i + 1, sent, deadline - hop.after_ms, db_ms, trace)
    end = min(back + hop.after_ms, deadline)
    trace.spans.append((hop.name, start, end, "ok" if ok else "error"))
    return ok, end
# [end deadline]


# [start gateway]
def user_request(mode: str, db_ms: float, budget_ms: float = 1_000.0,
                 retries: int = 1, chain: tuple[Hop, ...] = CHAIN) -> tuple[bool, float, Trace]:
    """One user request through the gateway, which retries a failed call ``retries`` times.

    In ``fixed`` mode the gateway waits at most its own timeout per attempt;
    in ``deadline`` mode every attempt shares one deadline, ``budget_ms``
    after the request arrived. Returns (success, when the user got the
    answer, trace of all hops).
    """
    gateway, trace, now, ok = chain[0], Trace(), 0.0, False
    for _ in range(retries + 1):
        sent = now + gateway.before_ms
        if mode == "fixed":
            ok, back = call_fixed(chain, 1, sent, db_ms, trace)
            timed_out = back - sent > gateway.timeout_ms
            ok = ok and not timed_out
            now = sent + gateway.timeout_ms if timed_out else back + gateway.after_ms
        else:
            if sent + gateway.after_ms >= budget_ms:
                break
            ok, back = call_deadline(chain, 1, sent, budget_ms - gateway.after_ms, db_ms, trace)
            now = min(back + gateway.after_ms, budget_ms)
        if ok:
            break
    trace.spans.append((gateway.name, 0.0, now, "ok" if ok else "error"))
    return ok, now, trace
# [end gateway]


def main(argv: list[str] | None = None) -> int:
    """Compare the two designs on a slow database and on a healthy one."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db-ms", type=float, default=2_500.0, help="database time when slow")
    parser.add_argument("--budget-ms", type=float, default=1_000.0, help="user-facing deadline")
    args = parser.parse_args(argv)
    print("gateway -> orders -> inventory -> database; the gateway retries once")
    print("per-hop timeouts: " + ", ".join(
        f"{h.name} waits {h.timeout_ms:,.0f} ms" for h in CHAIN[:-1]))
    print(f"propagated deadline: {args.budget_ms:,.0f} ms from the gateway\n")
    for label, db_ms in (("healthy database (80 ms)", 80.0),
                         (f"slow database ({args.db_ms:,.0f} ms)", args.db_ms)):
        print(label)
        print(f"  {'design':<22}{'user answer':>14}{'db busy':>11}{'work after answer':>20}")
        for mode, name in (("fixed", "per-hop timeouts"), ("deadline", "propagated deadline")):
            ok, done, trace = user_request(mode, db_ms, args.budget_ms)
            answer = f"{'ok' if ok else 'error'} @ {done:,.0f}"
            print(f"  {name:<22}{answer:>14}{trace.busy_ms('database'):>8,.0f} ms"
                  f"{trace.orphaned_ms(done):>17,.0f} ms")
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
