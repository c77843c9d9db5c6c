"""A deterministic Raft simulation: elections, replication, crashes, partitions.

Each node follows the rules of Ongaro and Ousterhout's Raft: terms, randomized
election timeouts, RequestVote with the up-to-date check, AppendEntries with
the consistency check, and a leader that commits an entry by counting
replicas only if the entry is from its own term. Every source of randomness
(timeouts, message delays and losses, crashes, partitions) comes from one
seeded generator, and time is simulated, so a seed replays exactly.

The lab does two things:

1. It replays the scenario of Figure 8 of the Raft paper step by step, once
   with a leader that counts replicas for entries of any term (unsafe: an
   entry that was applied is later overwritten) and once with Raft's rule.
2. It runs many seeded clusters with crashes, restarts, partitions and lost
   messages, and checks Raft's safety properties throughout: at most one
   leader per term, the log matching property, leader completeness, and
   state machine safety (no two nodes apply different entries at one index).

Run: ``python -m dsd_labs.consensus.raft --runs 200 --seed 1``
"""

from __future__ import annotations

import argparse
import heapq
import random
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Entry:
    """One log entry: the term in which a leader created it, and its command."""

    term: int
    cmd: str


@dataclass
class Msg:
    """A Raft RPC or its reply. Unused fields keep their defaults."""

    kind: str  # vote, vote-reply, append, append-reply
    src: int
    dst: int
    term: int
    last_index: int = 0
    last_term: int = 0
    granted: bool = False
    prev_index: int = 0
    prev_term: int = 0
    entries: tuple[Entry, ...] = ()
    commit: int = 0
    success: bool = False
    match: int = 0


class Safety:
    """Records what nodes did, and the first violation of each safety property."""

    def __init__(self) -> None:
        self.leaders: dict[int, int] = {}  # term -> leader id
        self.applied: dict[int, Entry] = {}  # index -> entry applied there
        self.committed: dict[int, Entry] = {}  # index -> entry a leader committed
        self.violations: list[str] = []

    def leader_elected(self, node: Node) -> None:
        """Election Safety, and Leader Completeness for every entry committed so far."""
        other = self.leaders.setdefault(node.term, node.id)
        if other != node.id:
            self.violations.append(f"two leaders in term {node.term}: S{other}, S{node.id}")
        for index, entry in self.committed.items():
            if index > len(node.log) or node.log[index - 1] != entry:
                self.violations.append(
                    f"leader S{node.id} (term {node.term}) lacks committed index {index}")

    def entry_committed(self, index: int, entry: Entry) -> None:
        self.committed.setdefault(index, entry)

    def entry_applied(self, node: Node, index: int, entry: Entry) -> None:
        """State Machine Safety: one entry per index, whoever applies it."""
        first = self.applied.setdefault(index, entry)
        if first != entry:
            self.violations.append(
                f"index {index} applied as {first.cmd!r} and as {entry.cmd!r} by S{node.id}")


class Node:
    """One Raft server. ``term``, ``voted_for`` and ``log`` are persistent; the rest is not."""

    def __init__(self, node_id: int, cluster_ids: list[int], safety: Safety,
                 safe_commit: bool = True, batch: int = 64) -> None:
        self.id = node_id
        self.peers = [i for i in cluster_ids if i != node_id]
        self.safety = safety
        self.safe_commit = safe_commit
        self.batch = batch
        self.term = 0
        self.voted_for: int | None = None
        self.log: list[Entry] = []
        self.up = True
        self.reset_volatile()

    def reset_volatile(self) -> None:
        """State a crash loses: role, commit index, applied index, leader bookkeeping."""
        self.role = "follower"
        self.commit = 0
        self.applied = 0
        self.votes: set[int] = set()
        self.next_index: dict[int, int] = {}
        self.match_index: dict[int, int] = {}
        self.heard = False  # set when the election timer must restart

    def majority(self) -> int:
        return (len(self.peers) + 1) // 2 + 1

    def last(self) -> tuple[int, int]:
        """(index, term) of the last log entry, (0, 0) for an empty log."""
        return len(self.log), (self.log[-1].term if self.log else 0)

    # [start election]
    def start_election(self) -> list[Msg]:
        """Election timeout: new term, vote for yourself, ask everyone else."""
        self.term += 1
        self.role = "candidate"
        self.voted_for = self.id
        self.votes = {self.id}
        index, term = self.last()
        return [Msg("vote", self.id, p, self.term, last_index=index, last_term=term)
                for p in self.peers]

    def on_vote(self, m: Msg) -> list[Msg]:
        """Grant at most one vote per term, and only to a candidate at least as up to date."""
        self.observe(m.term)
        my_index, my_term = self.last()
        up_to_date = (m.last_term, m.last_index) >= (my_term, my_index)
        grant = (m.term == self.term and self.voted_for in (None, m.src) and up_to_date)
        if grant:
            self.voted_for = m.src
            self.heard = True
        return [Msg("vote-reply", self.id, m.src, self.term, granted=grant)]

    def on_vote_reply(self, m: Msg) -> list[Msg]:
        """Count votes for the current term; a majority makes this node leader."""
        self.observe(m.term)
        if self.role != "candidate" or m.term != self.term or not m.granted:
            return []
        self.votes.add(m.src)
        if len(self.votes) < self.majority():
            return []
        self.role = "leader"
        self.next_index = {p: len(self.log) + 1 for p in self.peers}
        self.match_index = {p: 0 for p in self.peers}
        self.safety.leader_elected(self)
        return self.heartbeat()
    # [end election]

    def observe(self, term: int) -> None:
        """Any message from a higher term makes this node a follower of that term."""
        if term > self.term:
            self.term = term
            self.voted_for = None
            self.role = "follower"

    def propose(self, cmd: str) -> list[Msg]:
        """A client command at the leader: append locally, then replicate."""
        if self.role != "leader":
            return []
        self.log.append(Entry(self.term, cmd))
        return self.heartbeat()

    def heartbeat(self) -> list[Msg]:
        return [self.append_for(p) for p in self.peers]

    def append_for(self, peer: int) -> Msg:
        """AppendEntries for one follower, from its next index, at most ``batch`` entries."""
        nxt = self.next_index[peer]
        prev_term = self.log[nxt - 2].term if nxt > 1 else 0
        entries = tuple(self.log[nxt - 1:nxt - 1 + self.batch])
        return Msg("append", self.id, peer, self.term, prev_index=nxt - 1,
                   prev_term=prev_term, entries=entries, commit=self.commit)

    # [start append]
    def on_append(self, m: Msg) -> list[Msg]:
        """Follower side: reject stale leaders and mismatched logs, then make the log match."""
        self.observe(m.term)
        if m.term < self.term:
            return [Msg("append-reply", self.id, m.src, self.term, success=False)]
        self.role = "follower"
        self.heard = True
        if m.prev_index > len(self.log) or (
                m.prev_index > 0 and self.log[m.prev_index - 1].term != m.prev_term):
            return [Msg("append-reply", self.id, m.src, self.term, success=False)]
        for offset, entry in enumerate(m.entries):
            index = m.prev_index + 1 + offset
            if index <= len(self.log) and self.log[index - 1].term != entry.term:
                del self.log[index - 1:]  # a conflict: drop it and everything after
            if index > len(self.log):
                self.log.append(entry)
        last_new = m.prev_index + len(m.entries)
        self.set_commit(min(m.commit, last_new))
        return [Msg("append-reply", self.id, m.src, self.term, success=True, match=last_new)]
    # [end append]

    def on_append_reply(self, m: Msg) -> list[Msg]:
        """Leader side: advance the follower's indexes, or back up one entry and retry."""
        self.observe(m.term)
        if self.role != "leader" or m.term != self.term:
            return []
        if m.success:
            self.match_index[m.src] = max(self.match_index[m.src], m.match)
            self.next_index[m.src] = self.match_index[m.src] + 1
            self.advance_commit()
            if self.next_index[m.src] <= len(self.log):
                return [self.append_for(m.src)]
            return []
        self.next_index[m.src] = max(1, self.next_index[m.src] - 1)
        return [self.append_for(m.src)]

    # [start commit]
    def advance_commit(self) -> None:
        """Commit the highest index stored on a majority, if its entry is from this term.

        With ``safe_commit`` off, the leader also commits entries of earlier
        terms by counting replicas: the unsafe rule that Figure 8 refutes.
        """
        for n in range(len(self.log), self.commit, -1):
            replicas = 1 + sum(1 for p in self.peers if self.match_index[p] >= n)
            if replicas < self.majority():
                continue
            if self.log[n - 1].term == self.term or not self.safe_commit:
                for i in range(self.commit + 1, n + 1):
                    self.safety.entry_committed(i, self.log[i - 1])
                self.set_commit(n)
            return
    # [end commit]

    def set_commit(self, index: int) -> None:
        """Raise the commit index and apply newly committed entries in order."""
        self.commit = max(self.commit, index)
        while self.applied < self.commit:
            self.applied += 1
            self.safety.entry_applied(self, self.applied, self.log[self.applied - 1])

    def handle(self, m: Msg) -> list[Msg]:
        handler = {"vote": self.on_vote, "vote-reply": self.on_vote_reply,
                   "append": self.on_append, "append-reply": self.on_append_reply}[m.kind]
        return handler(m)


def log_matching_violations(nodes: list[Node]) -> list[str]:
    """Log Matching: same index and term in two logs implies identical prefixes."""
    found = []
    for a in nodes:
        for b in nodes:
            if a.id >= b.id:
                continue
            for i in range(min(len(a.log), len(b.log)), 0, -1):
                if a.log[i - 1].term == b.log[i - 1].term:
                    if a.log[:i] != b.log[:i]:
                        found.append(f"S{a.id} and S{b.id} agree on index {i}, not before")
                    break
    return found


@dataclass
class Config:
    """Timing and fault parameters for one simulated cluster, in milliseconds."""

    nodes: int = 5
    duration: int = 5_000
    timeout_min: int = 150
    timeout_max: int = 300
    heartbeat: int = 50
    delay_min: int = 1
    delay_max: int = 15
    loss: float = 0.02
    client_every: int = 20
    fault_every: int = 400
    safe_commit: bool = True


@dataclass
class RunStats:
    """What one seeded run did and whether every safety check passed."""

    leaders: int = 0
    committed: int = 0
    crashes: int = 0
    partitions: int = 0
    violations: list[str] = field(default_factory=list)


class Cluster:
    """Discrete-event driver: a seeded network, timers, a client and a fault injector."""

    def __init__(self, cfg: Config, seed: int) -> None:
        self.cfg = cfg
        self.rng = random.Random(seed)
        self.safety = Safety()
        ids = list(range(1, cfg.nodes + 1))
        self.nodes = {i: Node(i, ids, self.safety, cfg.safe_commit) for i in ids}
        self.cut: set[frozenset[int]] = set()
        self.queue: list[tuple[int, int, str, object]] = []
        self.seq = 0
        self.now = 0
        self.timer_gen = dict.fromkeys(ids, 0)
        self.stats = RunStats()

    def at(self, time: int, kind: str, payload: object) -> None:
        self.seq += 1
        heapq.heappush(self.queue, (time, self.seq, kind, payload))

    def send(self, msgs: list[Msg]) -> None:
        """Each message is lost with probability ``loss`` or arrives after a random delay."""
        for m in msgs:
            if self.rng.random() < self.cfg.loss:
                continue
            self.at(self.now + self.rng.randint(self.cfg.delay_min, self.cfg.delay_max),
                    "deliver", m)

    def arm_timer(self, node_id: int) -> None:
        """Randomized election timeout: a fresh draw every time the timer restarts."""
        self.timer_gen[node_id] += 1
        delay = self.rng.randint(self.cfg.timeout_min, self.cfg.timeout_max)
        self.at(self.now + delay, "timeout", (node_id, self.timer_gen[node_id]))

    def after(self, node: Node, msgs: list[Msg]) -> None:
        if node.heard:
            node.heard = False
            self.arm_timer(node.id)
        self.send(msgs)

    def step(self, kind: str, payload: object) -> None:
        """Handle one event."""
        if kind == "deliver":
            assert isinstance(payload, Msg)
            node = self.nodes[payload.dst]
            if node.up and frozenset((payload.src, payload.dst)) not in self.cut:
                self.after(node, node.handle(payload))
        elif kind == "timeout":
            node_id, gen = payload  # type: ignore[misc]
            node = self.nodes[node_id]
            if node.up and gen == self.timer_gen[node_id]:
                msgs = [] if node.role == "leader" else node.start_election()
                self.arm_timer(node_id)
                self.send(msgs)
        elif kind == "tick":
            for node in self.nodes.values():
                if node.up and node.role == "leader":
                    self.send(node.heartbeat())
            self.at(self.now + self.cfg.heartbeat, "tick", None)
        elif kind == "client":
            leaders = [n for n in self.nodes.values() if n.up and n.role == "leader"]
            if leaders:
                node = max(leaders, key=lambda n: n.term)
                self.send(node.propose(f"c{self.now}"))
            self.at(self.now + self.cfg.client_every, "client", None)
        elif kind == "fault":
            self.inject_fault()
            self.at(self.now + self.cfg.fault_every, "fault", None)
        elif kind == "restart":
            node = self.nodes[payload]  # type: ignore[index]
            node.up = True
            self.arm_timer(node.id)
        elif kind == "heal":
            self.cut.clear()
        elif kind == "check":
            self.stats.violations += log_matching_violations(list(self.nodes.values()))
            self.at(self.now + 250, "check", None)

    def inject_fault(self) -> None:
        """Crash a node for a while, or cut the network into two sides for a while."""
        ids = list(self.nodes)
        if self.rng.random() < 0.5:
            up = [i for i in ids if self.nodes[i].up]
            if up:
                victim = self.rng.choice(up)
                self.nodes[victim].up = False
                self.nodes[victim].reset_volatile()
                self.stats.crashes += 1
                self.at(self.now + self.rng.randint(100, 800), "restart", victim)
        elif not self.cut:
            side = set(self.rng.sample(ids, self.rng.choice([1, 2])))
            self.cut = {frozenset((a, b)) for a in side for b in ids if b not in side}
            self.stats.partitions += 1
            self.at(self.now + self.rng.randint(200, 1_000), "heal", None)

    def run(self) -> RunStats:
        for node_id in self.nodes:
            self.arm_timer(node_id)
        for kind, start in (("tick", 0), ("client", 0), ("fault", 500), ("check", 250)):
            self.at(start, kind, None)
        while self.queue and self.queue[0][0] <= self.cfg.duration:
            self.now, _, kind, payload = heapq.heappop(self.queue)
            self.step(kind, payload)
        self.stats.violations += log_matching_violations(list(self.nodes.values()))
        self.stats.violations += self.safety.violations
        self.stats.leaders = len(self.safety.leaders)
        self.stats.committed = len(self.safety.committed)
        return self.stats


def campaign(runs: int, seed: int, cfg: Config) -> tuple[int, list[RunStats]]:
    """Run ``runs`` clusters with seeds derived from ``seed``; return (failing runs, stats)."""
    results = [Cluster(cfg, seed * 1_000_003 + i).run() for i in range(runs)]
    return sum(1 for r in results if r.violations), results


class Script:
    """Drive nodes by hand: deliver only the messages between nodes you allow."""

    def __init__(self, safe_commit: bool) -> None:
        self.safety = Safety()
        ids = [1, 2, 3, 4, 5]
        self.nodes = {i: Node(i, ids, self.safety, safe_commit, batch=1) for i in ids}
        for node in self.nodes.values():  # every log starts with one committed entry
            node.term = 1
            node.log = [Entry(1, "a")]
            node.set_commit(1)

    def exchange(self, msgs: list[Msg], allowed: set[int]) -> None:
        """Deliver messages (and their replies, transitively) among ``allowed`` only."""
        pending = list(msgs)
        while pending:
            m = pending.pop(0)
            if m.src in allowed and m.dst in allowed:
                pending += self.nodes[m.dst].handle(m)

    def elect(self, node_id: int, allowed: set[int]) -> bool:
        """One election attempt by ``node_id``; True if it became leader."""
        self.exchange(self.nodes[node_id].start_election(), allowed)
        return self.nodes[node_id].role == "leader"

    def crash(self, node_id: int) -> None:
        self.nodes[node_id].reset_volatile()

    def holders(self, index: int, term: int) -> str:
        return " ".join(f"S{n.id}" for n in self.nodes.values()
                        if len(n.log) >= index and n.log[index - 1].term == term)

    def appliers(self, index: int) -> str:
        found = [f"S{n.id}:{n.log[index - 1].cmd}" for n in self.nodes.values()
                 if n.applied >= index]
        return " ".join(found) or "nobody"


# [start figure8]
def figure8(safe_commit: bool, extend: bool = False) -> tuple[list[str], Script]:
    """Replay Figure 8 of the Raft paper; return a short narrative and the final state."""
    s, lines = Script(safe_commit), []
    all_ids = {1, 2, 3, 4, 5}
    s.elect(1, all_ids)  # (a) S1 leads term 2, replicates index 2 to S2 only
    s.exchange(s.nodes[1].propose("b"), {1, 2})
    lines.append(f"(a) term 2: S1 leads; index 2 (term 2) on {s.holders(2, 2)}")
    s.crash(1)
    s.elect(5, {3, 4, 5})  # (b) S5 leads term 3 with S3 and S4, writes index 2 locally
    s.nodes[5].propose("c")
    lines.append(f"(b) term 3: S5 leads; index 2 (term 3) on {s.holders(2, 3)}")
    s.crash(5)
    s.elect(1, {1, 2, 3, 4})  # (c) S1 restarts; term 3 fails (S3, S4 voted for S5)
    s.elect(1, {1, 2, 3})  # term 4 succeeds; S1 brings S3 up to date
    s.exchange(s.nodes[1].heartbeat(), {1, 2, 3})
    if extend:  # (e) S1 also replicates an entry of its own term before crashing
        s.exchange(s.nodes[1].propose("d"), {1, 2, 3})
        s.exchange(s.nodes[1].heartbeat(), {1, 2, 3})
    lines.append(f"(c) term 4: S1 leads; index 2 (term 2) on {s.holders(2, 2)}; "
                 f"committed: {'yes' if s.nodes[1].commit >= 2 else 'no'}")
    lines.append(f"    applied at index 2: {s.appliers(2)}")
    s.crash(1)
    elected = s.elect(5, {2, 3, 4, 5}) or s.elect(5, {2, 3, 4, 5})  # (d) terms 4 and 5
    if elected:
        s.exchange(s.nodes[5].heartbeat(), {2, 3, 4, 5})
        s.exchange(s.nodes[5].propose("e"), {2, 3, 4, 5})
        s.exchange(s.nodes[5].heartbeat(), {2, 3, 4, 5})
        lines.append(f"(d) term {s.nodes[5].term}: S5 leads; index 2 (term 3) on "
                     f"{s.holders(2, 3)}")
        lines.append(f"    applied at index 2: {s.appliers(2)}")
    else:
        votes = " ".join(f"S{v}" for v in sorted(s.nodes[5].votes))
        lines.append(f"(d) S5 gets votes from {votes} only and cannot lead")
        lines.append(f"    index 2 (term 2) stays on {s.holders(2, 2)}")
    clash = [v for v in s.safety.violations if "applied as" in v]
    lines.append("State Machine Safety: " + (f"VIOLATED, {clash[0].split(' by ')[0]}"
                                              if clash else "holds"))
    return lines, s
# [end figure8]


def main(argv: list[str] | None = None) -> int:
    """Replay Figure 8 under both commit rules, then check safety over many seeded runs."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--nodes", type=int, default=5)
    parser.add_argument("--duration-ms", type=int, default=5_000)
    parser.add_argument("--loss", type=float, default=0.02)
    parser.add_argument("--timeout-min", type=int, default=150)
    parser.add_argument("--timeout-max", type=int, default=300)
    parser.add_argument("--no-figure8", action="store_true", help="only the seeded runs")
    parser.add_argument("--unsafe-commit", action="store_true",
                        help="count replicas for entries of any term in the seeded runs")
    args = parser.parse_args(argv)
    replays = () if args.no_figure8 else (
            ("Figure 8, counting replicas for entries of any term (unsafe):", False, False),
            ("Figure 8, counting replicas only for current-term entries (Raft):",
             True, False),
            ("Figure 8, Raft's rule, S1 first replicates an entry of term 4:", True, True))
    for title, safe, extend in replays:
        print(title)
        for line in figure8(safe, extend)[0]:
            print(f"  {line}")
    cfg = Config(nodes=args.nodes, duration=args.duration_ms, loss=args.loss,
                 timeout_min=args.timeout_min, timeout_max=args.timeout_max,
                 safe_commit=not args.unsafe_commit)
    bad, results = campaign(args.runs, args.seed, cfg)
    if replays:
        print()
    print(f"{args.runs} seeded runs: {args.nodes} nodes, {args.duration_ms} ms each, "
          f"timeouts {cfg.timeout_min}-{cfg.timeout_max} ms, loss {args.loss}")
    print(f"  crashes {sum(r.crashes for r in results)}, "
          f"partitions {sum(r.partitions for r in results)}, "
          f"leaders {sum(r.leaders for r in results)}, "
          f"entries committed {sum(r.committed for r in results)}")
    print("  checked: election safety, log matching, leader completeness,")
    print("           state machine safety")
    print(f"  runs with a violation: {bad}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
