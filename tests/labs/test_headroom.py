"""Pin the headroom lab: N+2, zone-loss sizing, growth runway, HPA and rollout arithmetic."""

import pytest

from dsd_labs.operations import headroom as h


def test_sre_book_example_gives_n_plus_two_of_37() -> None:
    assert h.tasks_for(3470, 100) == 35
    assert "N+2 = 37" in h.fleet()[0]


def test_zonal_fleet_survives_a_zone_at_the_degraded_ceiling() -> None:
    for zones in (2, 3, 4):
        per_zone, busy = h.zonal_fleet(36_000, 1_200, zones, 0.70, 0.85)
        assert 36_000 / ((zones - 1) * per_zone * 1_200) <= 0.85
        assert busy <= 0.70
    assert h.zonal_fleet(36_000, 1_200, 3, 0.70, 0.85)[0] == 18


def test_more_zones_cost_less_headroom() -> None:
    totals = [z * h.zonal_fleet(36_000, 1_200, z, 0.70, 0.85)[0] for z in (2, 3, 4)]
    assert totals == sorted(totals, reverse=True)


def test_hpa_rule_and_tolerance() -> None:
    lines = h.autoscale()
    assert "-> 42 replicas" in lines[1]  # ceil(30 x 84 / 60)
    assert "-> 30 replicas" in lines[2]  # 64 / 60 is within the 10% tolerance


def test_rollout_without_unavailability_keeps_full_capacity() -> None:
    text = "\n".join(h.rollout())
    assert ">= 41 ready" in text and ">= 54 ready" in text
    assert "130% busy" in text


def test_restore_fits_the_rto() -> None:
    assert "3.11 h" in h.restore()[1]


@pytest.mark.parametrize("section", h.SECTIONS)
def test_main_prints_each_section(section: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert h.main(["--section", section]) == 0
    assert capsys.readouterr().out.strip()
