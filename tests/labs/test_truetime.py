"""Pin the TrueTime lab: epsilon's sawtooth and commit wait of about two epsilon."""

import random

from dsd_labs.clocks import truetime as tt


def test_epsilon_sawtooth_between_one_and_seven_ms() -> None:
    assert tt.epsilon_ms(0) == 1.0
    assert abs(tt.epsilon_ms(29.999) - 6.9998) < 1e-6
    assert tt.epsilon_ms(30) == 1.0


def test_commit_wait_ends_when_earliest_passes_s() -> None:
    for at in (15.0, 29.995, 100.25):
        s, wait = tt.commit_wait_ms(at)
        end = at + wait / 1000
        assert tt.tt_now(end).earliest >= s - 1e-6
        assert abs(wait - 2 * tt.epsilon_ms(at)) < 0.02 or at % 30 > 29.98


def test_mean_wait_is_about_twice_mean_epsilon() -> None:
    rng = random.Random(0)
    waits = [tt.commit_wait_ms(rng.uniform(0, 3600))[1] for _ in range(1000)]
    assert 7.5 < sum(waits) / len(waits) < 8.5
