"""How a load balancer picks a server for one request.

Each policy answers one question, ``pick(n, load)``: given ``n`` servers and a
function ``load(i)`` that reports how many requests the balancer believes
server ``i`` has outstanding, which server gets the next request? The
policies differ in how much of that information they use:

- random and round robin use none of it;
- weighted round robin uses static weights (for example, server speeds);
- least outstanding requests reads every server's load;
- power of two choices reads the load of two servers drawn at random.

``load`` may be stale (a snapshot refreshed periodically) when the caller
wants to show what old information does to each policy. Ties are broken at
random: breaking them by lowest index would quietly favor server 0.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

LoadView = Callable[[int], int]


class RandomPolicy:
    """Pick a server uniformly at random, ignoring load."""

    name = "random"

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, n: int, load: LoadView) -> int:
        return self.rng.randrange(n)


class RoundRobin:
    """Pick servers in a fixed cycle, ignoring load."""

    name = "round robin"

    def __init__(self) -> None:
        self.next = 0

    def pick(self, n: int, load: LoadView) -> int:
        choice = self.next % n
        self.next += 1
        return choice


# [start wrr]
class WeightedRoundRobin:
    """Smooth weighted round robin: server i gets weights[i] / sum(weights) of picks.

    Each pick adds every server's weight to its credit, sends the request to
    the server with the most credit, and charges that server the total
    weight. Picks of a heavy server are spread out instead of bunched, which
    keeps any one server from receiving a burst.
    """

    name = "weighted round robin"

    def __init__(self, weights: Sequence[float]) -> None:
        self.weights = list(weights)
        self.credit = [0.0] * len(self.weights)
        self.total = sum(self.weights)

    def pick(self, n: int, load: LoadView) -> int:
        for i, weight in enumerate(self.weights):
            self.credit[i] += weight
        choice = max(range(n), key=lambda i: self.credit[i])
        self.credit[choice] -= self.total
        return choice
# [end wrr]


def _least(candidates: Sequence[int], load: LoadView, rng: random.Random) -> int:
    """The candidate with the smallest load; ties broken uniformly at random."""
    loads = [load(i) for i in candidates]
    low = min(loads)
    return rng.choice([i for i, value in zip(candidates, loads, strict=True) if value == low])


# [start lor]
class LeastOutstanding:
    """Send the request to the server with the fewest outstanding requests.

    It reads the load of all ``n`` servers for every request. With a fresh
    view this is the best a balancer can do without knowing service times;
    with a stale view every request in a refresh interval sees the same
    minimum and goes to the same server.
    """

    name = "least outstanding"

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, n: int, load: LoadView) -> int:
        return _least(range(n), load, self.rng)
# [end lor]


# [start p2c]
class PowerOfTwoChoices:
    """Draw two distinct servers at random and pick the less loaded one.

    Two reads per request instead of ``n``, and the randomness of the draw
    keeps requests that see the same stale view from all choosing the same
    server.
    """

    name = "power of two choices"

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, n: int, load: LoadView) -> int:
        return _least(self.rng.sample(range(n), 2), load, self.rng)
# [end p2c]


Policy = RandomPolicy | RoundRobin | WeightedRoundRobin | LeastOutstanding | PowerOfTwoChoices


def make_policy(name: str, speeds: Sequence[float], seed: int) -> Policy:
    """Build a policy by name; its random choices come from their own seeded stream."""
    rng = random.Random(f"policy-{seed}")
    factories: dict[str, Callable[[], Policy]] = {
        "random": lambda: RandomPolicy(rng),
        "round robin": RoundRobin,
        "weighted round robin": lambda: WeightedRoundRobin(speeds),
        "least outstanding": lambda: LeastOutstanding(rng),
        "power of two choices": lambda: PowerOfTwoChoices(rng),
    }
    return factories[name]()


POLICY_NAMES = ("random", "round robin", "weighted round robin", "least outstanding",
                "power of two choices")
