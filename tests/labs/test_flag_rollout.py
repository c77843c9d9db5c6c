"""Pin the feature-flag lab: consistent bucketing is stable, monotone and independent."""

import pytest

from dsd_labs.operations import flag_rollout as fr

USERS = [f"user-{i}" for i in range(20_000)]


def test_bucket_is_a_pure_function_in_unit_interval() -> None:
    values = [fr.bucket("f", "s", u) for u in USERS[:1000]]
    assert values == [fr.bucket("f", "s", u) for u in USERS[:1000]]
    assert all(0 <= v < 1 for v in values)


def test_ramp_never_drops_a_user_and_hits_the_target() -> None:
    rows = fr.ramp(USERS, [1, 5, 25, 50, 100])
    assert all(dropped == 0 for _, _, dropped in rows)
    for percent, count, _ in rows:
        assert count / len(USERS) == pytest.approx(percent / 100, abs=0.01)


def test_per_request_randomness_flips_almost_everyone() -> None:
    assert fr.flip_share(USERS[:2000], 25, 20, seed=1) > 0.98
    assert fr.consistent_flip_share(USERS[:500], 25, 20) == 0


def test_flag_keyed_cohorts_are_independent_and_shared_hash_is_not() -> None:
    keyed, shared = fr.overlap(USERS, 10)
    assert keyed == pytest.approx(0.01, abs=0.003)
    assert shared == pytest.approx(0.10, abs=0.01)


def test_main_prints_ramp_and_comparisons(capsys: pytest.CaptureFixture[str]) -> None:
    assert fr.main(["--users", "5000"]) == 0
    out = capsys.readouterr().out
    for text in ("Ramp of flag", "same users: True", "see both variants", "salt"):
        assert text in out
