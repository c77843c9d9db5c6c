"""Pin the request-signing lab: changed, stale and repeated requests are all rejected."""

from dataclasses import replace

from dsd_labs.security import request_signing as rs


def test_scripted_cases() -> None:
    results = dict(rs.scripted(window_s=300))
    assert results["fresh request"] == "accept"
    assert results["same bytes re-sent 2 s later"] == "replay (nonce seen)"
    assert results["same bytes re-sent 10 min later"] == "timestamp outside window"
    assert results["amount changed to 10000"] == "bad signature"
    assert results["same bytes sent to payments-eu"] == "bad signature"
    assert results["new nonce, client clock 200 s behind"] == "accept"
    assert results["new nonce, client clock 400 s behind"] == "timestamp outside window"
    assert results["unknown key id"] == "unknown key id"


def test_query_order_does_not_matter_but_values_do() -> None:
    base = rs.SignedRequest("GET", "h", "/p", (("a", "1"), ("b", "2")), b"", "k", 0, "n")
    swapped = replace(base, query=(("b", "2"), ("a", "1")))
    changed = replace(base, query=(("a", "1"), ("b", "3")))
    assert rs.canonical(base) == rs.canonical(swapped)
    assert rs.canonical(base) != rs.canonical(changed)


def test_forged_requests_do_not_fill_the_nonce_cache() -> None:
    v = rs.Verifier({"k": b"s" * 32}, host="h")
    for i in range(100):
        req = rs.SignedRequest("POST", "h", "/p", (), b"", "k", 0, f"n{i}", "bogus")
        assert v.verify(req, 0) == "bad signature"
    assert not v.seen


def test_simulation_rejects_every_replay_and_no_legit_request() -> None:
    counts = rs.simulate(seed=2, rate=20, seconds=400, window_s=60, replay_fraction=0.05)
    assert counts["legit rejected"] == 0
    assert counts["replays accepted"] == 0
    assert counts["replays rejected by nonce"] > 0 and counts["replays rejected by window"] > 0
    assert 20 * 60 <= counts["peak nonce cache entries"] <= 20 * (60 + 12)


def test_main_prints_cases_and_simulation(capsys) -> None:
    assert rs.main(["--seconds", "120", "--window", "30"]) == 0
    out = capsys.readouterr().out
    assert "replay (nonce seen)" in out and "peak nonce cache entries" in out
