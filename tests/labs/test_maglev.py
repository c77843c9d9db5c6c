"""Pin Maglev hashing: the paper's example, balance within one slot, bounded disruption."""

from dsd_labs.load_balancing import maglev


def test_reproduces_table_1_of_the_paper() -> None:
    before, after = maglev.paper_example()
    assert before == ["B2", "B1", "B2", "B1", "B3", "B3", "B1"]
    assert after == ["B1", "B1", "B1", "B1", "B3", "B3", "B3"]
    result = maglev.disruption(before, after, {"B2"})
    assert (result.changed, result.unavoidable, result.extra) == (3, 2, 1)


def test_preference_list_visits_every_slot_when_m_is_prime() -> None:
    m = 101
    for name in maglev.backend_names(20):
        offset, skip = maglev.offset_skip(name, m)
        assert sorted((offset + j * skip) % m for j in range(m)) == list(range(m))


def test_every_backend_gets_floor_or_ceil_of_m_over_n() -> None:
    m = 5_003
    for n in (3, 10, 37, 100):
        names = maglev.backend_names(n)
        low, high = maglev.balance(maglev.build_table(names, m), names)
        assert low == m // n
        assert high - low <= 1


def test_maglev_is_far_more_even_than_a_ring_with_virtual_nodes() -> None:
    m, names = 5_003, maglev.backend_names(50)
    low, high = maglev.balance(maglev.build_table(names, m), names)
    ring_low, ring_high = maglev.ring_balance(names, m, vnodes=100)
    assert high - low <= 1
    assert ring_high - ring_low > 10 * (high - low)


def test_removal_moves_all_of_its_slots_and_few_others() -> None:
    m, names = 65_537, maglev.backend_names(100)
    before = maglev.build_table(names, m)
    gone = {names[17]}
    after = maglev.build_table([n for n in names if n not in gone], m)
    result = maglev.disruption(before, after, gone)
    assert names[17] not in after
    assert result.unavoidable in (m // 100, m // 100 + 1)
    assert 0 < result.extra < result.unavoidable  # some collateral movement, less than ideal
    assert result.changed < 0.02 * m


def test_a_larger_table_disrupts_less() -> None:
    names = maglev.backend_names(50)
    gone = {names[3], names[30]}
    rest = [n for n in names if n not in gone]
    extra = {}
    for m in (1_009, 20_011):
        result = maglev.disruption(maglev.build_table(names, m), maglev.build_table(rest, m), gone)
        extra[m] = result.extra / m
    assert extra[20_011] < extra[1_009]


def test_lookup_is_stable_for_a_flow() -> None:
    table = maglev.build_table(maglev.backend_names(10), 1_009)
    assert maglev.lookup(table, 123_456_789) == maglev.lookup(table, 123_456_789)


def test_main_prints_the_three_sections(capsys) -> None:
    assert maglev.main(["--backends", "50", "--table-size", "5003"]) == 0
    out = capsys.readouterr().out
    assert "paper's example" in out
    assert "balance with M = 5,003" in out
    assert "disruption when backends fail" in out
