"""Pin the Raft lab: its safety properties hold across hundreds of seeded runs."""

import pytest

from dsd_labs.consensus import raft


def test_figure8_unsafe_rule_loses_an_applied_entry() -> None:
    lines, script = raft.figure8(safe_commit=False)
    assert any("applied as 'b' and as 'c'" in v for v in script.safety.violations)
    assert "VIOLATED" in lines[-1]


def test_figure8_raft_rule_does_not_commit_old_term_entry_by_counting() -> None:
    lines, script = raft.figure8(safe_commit=True)
    assert script.safety.violations == []
    assert any("on S1 S2 S3; committed: no" in line for line in lines)
    # S5 overwrote the uncommitted entry, and only then applied its own
    assert all(n.log[1].cmd == "c" for n in script.nodes.values() if n.id != 1)


def test_figure8_current_term_entry_protects_the_old_one() -> None:
    lines, script = raft.figure8(safe_commit=True, extend=True)
    assert script.safety.violations == []
    assert script.nodes[5].role != "leader"
    assert script.nodes[5].votes == {4, 5}
    assert any("committed: yes" in line for line in lines)


def test_safety_holds_across_hundreds_of_seeds() -> None:
    bad, results = raft.campaign(300, 7, raft.Config(duration=3_000))
    assert bad == 0, [r.violations[:2] for r in results if r.violations][:3]
    assert sum(r.crashes for r in results) > 300
    assert sum(r.partitions for r in results) > 200
    assert sum(r.leaders for r in results) > 300  # re-elections happened
    assert sum(r.committed for r in results) > 10_000


def test_checks_catch_a_broken_vote_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the up-to-date check, leaders miss committed entries: the checks must notice."""

    def careless_vote(self: raft.Node, m: raft.Msg) -> list[raft.Msg]:
        self.observe(m.term)
        grant = m.term == self.term and self.voted_for in (None, m.src)
        if grant:
            self.voted_for = m.src
            self.heard = True
        return [raft.Msg("vote-reply", self.id, m.src, self.term, granted=grant)]

    monkeypatch.setattr(raft.Node, "on_vote", careless_vote)
    bad, _ = raft.campaign(30, 1, raft.Config(duration=3_000))
    assert bad > 0


def test_failure_free_cluster_elects_one_leader_and_commits() -> None:
    cfg = raft.Config(loss=0.0, fault_every=10**9, duration=2_000)
    stats = raft.Cluster(cfg, seed=3).run()
    assert stats.violations == []
    assert stats.leaders == 1
    assert stats.committed > 50


def test_same_seed_replays_exactly() -> None:
    a = raft.Cluster(raft.Config(duration=2_000), seed=11).run()
    b = raft.Cluster(raft.Config(duration=2_000), seed=11).run()
    assert (a.leaders, a.committed, a.crashes) == (b.leaders, b.committed, b.crashes)


def test_follower_truncates_only_conflicting_suffix() -> None:
    safety = raft.Safety()
    node = raft.Node(2, [1, 2, 3], safety)
    node.term = 3
    node.log = [raft.Entry(1, "a"), raft.Entry(2, "x"), raft.Entry(2, "y")]
    stale = raft.Msg("append", 1, 2, 3, prev_index=1, prev_term=1,
                     entries=(raft.Entry(2, "x"),))
    node.on_append(stale)  # matching entries: nothing is removed
    assert len(node.log) == 3
    conflict = raft.Msg("append", 1, 2, 3, prev_index=1, prev_term=1,
                        entries=(raft.Entry(3, "z"),))
    node.on_append(conflict)
    assert [e.cmd for e in node.log] == ["a", "z"]


def test_vote_refused_to_a_less_up_to_date_candidate() -> None:
    node = raft.Node(2, [1, 2, 3], raft.Safety())
    node.log = [raft.Entry(1, "a"), raft.Entry(2, "b")]
    node.term = 2
    reply = node.on_vote(raft.Msg("vote", 1, 2, 3, last_index=5, last_term=1))
    assert not reply[0].granted  # longer log, older last term: not up to date
    reply = node.on_vote(raft.Msg("vote", 3, 2, 3, last_index=2, last_term=2))
    assert reply[0].granted
    assert node.voted_for == 3


def test_log_matching_checker_detects_divergent_prefix() -> None:
    safety = raft.Safety()
    a, b = raft.Node(1, [1, 2], safety), raft.Node(2, [1, 2], safety)
    a.log = [raft.Entry(1, "a"), raft.Entry(2, "b")]
    b.log = [raft.Entry(1, "q"), raft.Entry(2, "b")]
    assert raft.log_matching_violations([a, b])


def test_main_prints_three_replays_and_the_campaign(capsys: pytest.CaptureFixture[str]) -> None:
    assert raft.main(["--runs", "20", "--duration-ms", "2000"]) == 0
    out = capsys.readouterr().out
    assert out.count("Figure 8") == 3
    assert out.count("State Machine Safety: holds") == 2
    assert "VIOLATED" in out
    assert "runs with a violation: 0" in out
    assert len(out.splitlines()) <= 40


def test_randomized_timeouts_buy_liveness_not_safety() -> None:
    randomized = raft.campaign(40, 2, raft.Config(duration=3_000))[1]
    fixed = raft.campaign(40, 2, raft.Config(duration=3_000, timeout_min=200,
                                             timeout_max=200))[1]
    assert all(not r.violations for r in randomized + fixed)
    assert sum(r.committed for r in fixed) < sum(r.committed for r in randomized) / 2
