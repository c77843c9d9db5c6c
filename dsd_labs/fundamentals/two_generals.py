"""Two generals over a lossy channel: no finite exchange gives both sides certainty.

General A wants to attack at dawn and must agree with general B over a channel
that can lose any message. The lab models the family of *chained* protocols of
``k`` messages: message 1 goes from A to B, message 2 from B to A, and so on,
each sent only after the previous one arrived. A run is then fixed by how many
messages got through before the first loss, and a general's whole view of the
run is the number of messages it received.

The lab shows three things, all computed rather than asserted:

1. The indistinguishability chain: the run where the last delivered message
   is lost looks the same to that message's sender as the run where it
   arrived. Walking the chain from "nothing lost" down to "nothing delivered"
   is the impossibility proof.
2. An exhaustive search over every deterministic decision rule for chained
   protocols of up to ``--max-k`` messages: none attacks when nothing is lost,
   never attacks without an order, and agrees in every run.
3. What engineering does instead: the probability that the generals disagree
   under independent loss rate ``p``, exactly and by seeded simulation, for the
   "attack if every message addressed to you arrived" rule and for redundant
   one-way messengers.

Run: ``python -m dsd_labs.fundamentals.two_generals --loss 0.1``
"""

from __future__ import annotations

import argparse
import itertools
import random
from dataclasses import dataclass

GENERALS = ("A", "B")


# [start run]
@dataclass(frozen=True)
class Run:
    """One run of a chained ``k``-message protocol, fixed by its first loss.

    ``delivered`` messages arrived, then message ``delivered + 1`` was lost and
    nothing more was sent (``delivered == k`` means nothing was lost). Odd
    messages travel A→B and even ones B→A.
    """

    k: int
    delivered: int

    def view(self, general: str) -> int:
        """Messages this general received: everything it can know about the run."""
        if general == "B":
            return (self.delivered + 1) // 2  # messages 1, 3, 5, ... that arrived
        return self.delivered // 2  # messages 2, 4, 6, ... that arrived

    def last_sender(self) -> str | None:
        """Who sent the last delivered message (None if nothing was delivered)."""
        if self.delivered == 0:
            return None
        return "A" if self.delivered % 2 == 1 else "B"
# [end run]


def chain(k: int) -> list[str]:
    """The indistinguishability chain from the lossless run down to total loss.

    Adjacent runs ``j`` and ``j - 1`` differ only in whether message ``j``
    arrived; its sender receives nothing in between, so its view is the same
    in both runs and it must decide the same way in both.
    """
    lines = []
    for j in range(k, 0, -1):
        now, before = Run(k, j), Run(k, j - 1)
        sender = now.last_sender()
        assert sender is not None and now.view(sender) == before.view(sender)
        receiver = "B" if sender == "A" else "A"
        lines.append(
            f"  {j} vs {j - 1} delivered: {sender} sees {now.view(sender)} msg(s) in both; "
            f"{receiver} sees {now.view(receiver)} vs {before.view(receiver)}"
        )
    return lines


# [start search]
def consistent_rules(k: int) -> tuple[int, int, int]:
    """Count deterministic rules for the chained ``k``-message protocol.

    A rule gives each general a decision (attack or not) for each view it can
    have. Returns (rules in total, rules that agree in every run and never
    attack without an order, of those the ones that attack when nothing is
    lost). Validity pins B to "no attack" when it received nothing: that view
    is also what B has when A never ordered an attack.
    """
    runs = [Run(k, j) for j in range(k + 1)]
    views = {g: sorted({r.view(g) for r in runs}) for g in GENERALS}
    total = agreeing = useful = 0
    for a_bits in itertools.product((False, True), repeat=len(views["A"])):
        for b_bits in itertools.product((False, True), repeat=len(views["B"])):
            total += 1
            rule = {"A": dict(zip(views["A"], a_bits, strict=True)),
                    "B": dict(zip(views["B"], b_bits, strict=True))}
            if rule["B"][0]:
                continue  # B would attack with no order at all
            if any(rule["A"][r.view("A")] != rule["B"][r.view("B")] for r in runs):
                continue  # some run ends with one general attacking alone
            agreeing += 1
            lossless = runs[-1]
            if rule["A"][lossless.view("A")] and rule["B"][lossless.view("B")]:
                useful += 1
    return total, agreeing, useful
# [end search]


# [start odds]
def disagreement_exact(k: int, p: float) -> float:
    """P(exactly one general attacks) for "attack if all your messages arrived".

    Under that rule only one run ends in disagreement: the one where the first
    ``k - 1`` messages arrive and the last is lost, so the last sender attacks
    alone. Independent loss with probability ``p`` gives ``(1 - p)^(k-1) * p``.
    """
    return (1 - p) ** (k - 1) * p


def simulate(k: int, p: float, trials: int, rng: random.Random) -> tuple[float, float]:
    """Fractions of runs where both attack and where exactly one attacks."""
    both = alone = 0
    for _ in range(trials):
        delivered = 0
        while delivered < k and rng.random() >= p:
            delivered += 1
        run = Run(k, delivered)
        a_attacks = run.view("A") == k // 2  # every B→A message arrived
        b_attacks = run.view("B") == (k + 1) // 2  # every A→B message arrived
        both += a_attacks and b_attacks
        alone += a_attacks != b_attacks
    return both / trials, alone / trials
# [end odds]


def main(argv: list[str] | None = None) -> int:
    """Print the chain, the exhaustive search and the disagreement odds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--k", type=int, default=4, help="messages in the chain to print")
    parser.add_argument("--max-k", type=int, default=6, help="largest k to search and simulate")
    parser.add_argument("--loss", type=float, default=0.1, help="independent loss probability")
    parser.add_argument("--trials", type=int, default=20000, help="simulated runs per k")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    if not 0 <= args.loss < 1 or args.k < 1 or args.max_k < 1:
        parser.error("need 0 <= loss < 1, k >= 1 and max-k >= 1")
    rng = random.Random(args.seed)

    print(f"== Indistinguishability chain, k = {args.k}")
    print("\n".join(chain(args.k)))
    print("== Every deterministic rule, chained protocols")
    print("   k  rules  agree-and-valid  of-which-attack-when-nothing-lost")
    for k in range(1, args.max_k + 1):
        total, agreeing, useful = consistent_rules(k)
        print(f"  {k:2d}  {total:5d}  {agreeing:15d}  {useful:33d}")
    print(f"== Rule 'attack if all your messages arrived', loss p = {args.loss}, "
          f"{args.trials} runs each")
    print("   k  P(both attack)  P(one alone) exact  simulated")
    for k in range(1, args.max_k + 1):
        both, alone = simulate(k, args.loss, args.trials, rng)
        print(f"  {k:2d}  {both:14.4f}  {disagreement_exact(k, args.loss):18.4f}  "
              f"{alone:9.4f}")
    print("== One-way redundancy: A sends m copies and attacks; B attacks on any copy")
    print("   m  P(A alone) = p^m")
    for m in range(1, args.max_k + 1):
        print(f"  {m:2d}  {args.loss ** m:.6f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
