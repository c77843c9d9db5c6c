"""Pin the two-generals lab: the chain is real, no useful rule exists, the odds are right."""

import itertools
import random

import pytest

from dsd_labs.fundamentals import two_generals as tg


@pytest.mark.parametrize("k", range(1, 9))
def test_last_sender_cannot_tell_delivery_from_loss(k: int) -> None:
    for j in range(1, k + 1):
        now, before = tg.Run(k, j), tg.Run(k, j - 1)
        sender = now.last_sender()
        assert sender is not None
        assert now.view(sender) == before.view(sender)
        receiver = "B" if sender == "A" else "A"
        assert now.view(receiver) == before.view(receiver) + 1


def test_views_count_received_messages() -> None:
    run = tg.Run(5, 3)  # messages 1 and 3 reached B, message 2 reached A
    assert (run.view("A"), run.view("B")) == (1, 2)
    assert run.last_sender() == "A"
    assert tg.Run(5, 0).last_sender() is None


@pytest.mark.parametrize("k", range(1, 8))
def test_only_the_never_attack_rule_survives(k: int) -> None:
    total, agreeing, useful = tg.consistent_rules(k)
    assert total == 2 ** (k // 2 + 1 + (k + 1) // 2 + 1)
    assert agreeing == 1  # "never attack" agrees everywhere and is valid
    assert useful == 0  # ...and no rule both agrees and attacks when nothing is lost


def test_disagreement_formula_and_simulation_agree() -> None:
    assert tg.disagreement_exact(1, 0.1) == pytest.approx(0.1)
    assert tg.disagreement_exact(4, 0.1) == pytest.approx(0.9 ** 3 * 0.1)
    both, alone = tg.simulate(4, 0.1, 40000, random.Random(1))
    assert alone == pytest.approx(tg.disagreement_exact(4, 0.1), abs=0.006)
    assert both == pytest.approx(0.9 ** 4, abs=0.01)


def test_more_messages_never_reach_zero_disagreement() -> None:
    odds = [tg.disagreement_exact(k, 0.1) for k in range(1, 30)]
    assert all(later < earlier for earlier, later in itertools.pairwise(odds))
    assert min(odds) > 0


def test_main_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    assert tg.main(["--seed", "3"]) == 0
    first = capsys.readouterr().out
    assert tg.main(["--seed", "3"]) == 0
    assert capsys.readouterr().out == first
    assert "of-which-attack-when-nothing-lost" in first
    assert len(first.splitlines()) <= 40
