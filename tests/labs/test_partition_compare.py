"""Pin the side-by-side comparison: who balances, who moves how much."""

from dsd_labs.partitioning import compare
from dsd_labs.partitioning.keyspace import make_keys


def test_comparison_orders_the_schemes_as_the_text_claims() -> None:
    rows = {r.scheme: r for r in compare.compare(10, make_keys(10_000), "n2", [16, 256])}
    mod, ring16, ring256 = rows["hash mod N"], rows["ring, 16 vnodes"], rows["ring, 256 vnodes"]
    hrw, jump = rows["rendezvous"], rows["jump (fill hole)"]
    assert mod.join > 0.85 and mod.leave > 0.85
    for r in (ring256, hrw, jump):
        assert abs(r.join - 1 / 11) < 0.03
    assert ring16.balance.cv > ring256.balance.cv > hrw.balance.cv
    assert jump.balance.max_over_mean < 1.1
    assert jump.leave > hrw.leave + 0.05  # filling the hole moves a second bucket's keys


def test_leave_list_fills_the_hole_with_the_last_node() -> None:
    nodes = ["a", "b", "c", "d"]
    assert compare.leave_list(nodes, "b", fill_hole=True) == ["a", "d", "c"]
    assert compare.leave_list(nodes, "b", fill_hole=False) == ["a", "c", "d"]
    assert compare.leave_list(nodes, "d", fill_hole=True) == ["a", "b", "c"]


def test_main_prints_one_row_per_scheme(capsys) -> None:
    assert compare.main(["--keys", "3000"]) == 0
    out = capsys.readouterr().out
    for name in ("hash mod N", "ring, 16 vnodes", "ring, 256 vnodes", "rendezvous", "jump"):
        assert name in out
