"""The Pareto picture of the dashboard (issue #15): ranking, cumulative share, tier cut-offs and the
chart's points, without Odoo. The cut-offs must be where domain/tiering.py's tiers end."""

import random

import pytest
from domain import pareto as p
from domain import tiering as t

ABC = [("A", 80.0), ("B", 95.0), ("C", 100.0)]


# --------------------------------------------------------------------------- ranking
def test_ranking_is_the_tier_engines():
    # revenue descending, equal revenues by id, no revenue left out, amounts in whole cents
    revenues = {7: 10.0, 3: 50.0, 5: 10.0, 9: 0.0, 4: -20.0, 8: 0.004, 2: 30.0}
    assert p.rank_customers(revenues) == [(3, 5000), (2, 3000), (5, 1000), (7, 1000)]
    assert p.rank_customers(list(revenues.items())) == p.rank_customers(revenues)


def test_nothing_to_rank():
    result = p.pareto({}, ABC)
    assert result["customers"] == 0
    assert result["total"] == 0.0
    assert result["points"] == []
    assert not result["sampled"]
    assert [c["key"] for c in result["cutoffs"]] == ["A", "B", "C"]
    assert all(c["customers"] == 0 and c["last_rank"] is None for c in result["cutoffs"])
    assert p.pareto({1: 100.0}, [])["cutoffs"] == []


# --------------------------------------------------------------------------- cumulative share and cut-offs
def test_textbook_curve():
    result = p.pareto({1: 50, 2: 30, 3: 10, 4: 6, 5: 4}, ABC)
    assert result["customers"] == 5
    assert result["total"] == 100.0
    assert [pt["cumulative"] for pt in result["points"]] == [50.0, 80.0, 90.0, 96.0, 100.0]
    assert [pt["share"] for pt in result["points"]] == [50.0, 30.0, 10.0, 6.0, 4.0]
    assert [pt["tier"] for pt in result["points"]] == ["A", "A", "B", "B", "C"]
    assert [pt["partner_id"] for pt in result["points"]] == [1, 2, 3, 4, 5]
    assert [pt["revenue"] for pt in result["points"]] == [50.0, 30.0, 10.0, 6.0, 4.0]
    assert not result["sampled"]
    a, b, c = result["cutoffs"]
    assert (a["first_rank"], a["last_rank"], a["customers"], a["revenue"], a["share"], a["cumulative"]) == (
        1,
        2,
        2,
        80.0,
        80.0,
        80.0,
    )
    assert (b["first_rank"], b["last_rank"], b["customers"], b["share"], b["cumulative"]) == (3, 4, 2, 16.0, 96.0)
    assert (c["first_rank"], c["last_rank"], c["customers"], c["share"], c["cumulative"]) == (5, 5, 1, 4.0, 100.0)
    assert [x["cutoff"] for x in result["cutoffs"]] == [80.0, 95.0, 100.0]


def test_exact_boundary_goes_to_the_next_tier_as_in_tiering():
    # the share before the third customer is exactly 80 %: not above it, so B (tiering's rule)
    result = p.pareto({1: 50, 2: 30, 3: 20}, ABC)
    assert [pt["tier"] for pt in result["points"]] == ["A", "A", "B"]
    assert result["cutoffs"][0]["last_rank"] == 2
    assert result["cutoffs"][1]["first_rank"] == 3
    assert result["cutoffs"][2]["customers"] == 0
    assert result["cutoffs"][2]["first_rank"] is None


def test_equal_revenues_share_a_tier():
    # four customers of 25 each: the share before each is 0, 25, 50, 75 % -> all A
    result = p.pareto({4: 25, 3: 25, 2: 25, 1: 25}, ABC)
    assert [pt["partner_id"] for pt in result["points"]] == [1, 2, 3, 4]
    assert {pt["tier"] for pt in result["points"]} == {"A"}
    assert result["cutoffs"][0]["last_rank"] == 4
    # ties straddling the cut-off: 60, then two of 20 (share before both: 60 %) -> both A
    result = p.pareto({1: 60, 2: 20, 3: 20}, ABC)
    assert [pt["tier"] for pt in result["points"]] == ["A", "A", "A"]


def test_cents_make_an_exact_boundary():
    # 0.1 + 0.2 is not 0.3 in floats; in cents the share before the third customer is exactly 80 %
    result = p.pareto({1: 0.4, 2: 0.4, 3: 0.1, 4: 0.1}, ABC)
    assert [pt["tier"] for pt in result["points"]] == ["A", "A", "B", "B"]
    assert result["points"][1]["cumulative"] == 80.0


def test_several_last_tiers_at_100_percent():
    tiers = [("A", 80.0), ("B", 100.0), ("C", 100.0)]
    result = p.pareto({1: 50, 2: 30, 3: 20}, tiers)
    assert [c["customers"] for c in result["cutoffs"]] == [2, 1, 0]
    assert result["cutoffs"][1]["cumulative"] == 100.0
    assert result["cutoffs"][2]["cumulative"] == 100.0


def test_invalid_cutoffs_leave_the_tail_without_tier():
    # the last cut-off below 100 % (refused by the tier settings, but drawn honestly)
    result = p.pareto({1: 50, 2: 30, 3: 20}, [("A", 80.0)])
    assert [pt["tier"] for pt in result["points"]] == ["A", "A", None]
    assert result["cutoffs"][0]["last_rank"] == 2


@pytest.mark.parametrize("seed", range(20))
def test_agrees_with_assign_tiers(seed):
    rng = random.Random(seed)
    revenues = {pid: round(rng.choice([rng.uniform(1, 1e6), rng.uniform(1, 100), 500.0]), 2) for pid in range(1, 400)}
    tiers = [("A", 70.0), ("B", 90.0), ("C", 99.0), ("D", 100.0)]
    expected = t.assign_tiers(revenues, tiers)
    result = p.pareto(revenues, tiers, max_points=10_000)
    assert {pt["partner_id"]: pt["tier"] for pt in result["points"]} == expected
    for cut in result["cutoffs"]:
        members = [pid for pid, key in expected.items() if key == cut["key"]]
        assert cut["customers"] == len(members)
        if members:
            ranks = [pt["last_rank"] for pt in result["points"] if pt["tier"] == cut["key"]]
            assert (cut["first_rank"], cut["last_rank"]) == (min(ranks), max(ranks))
            assert cut["revenue"] == pytest.approx(sum(revenues[pid] for pid in members))


# --------------------------------------------------------------------------- downsampling
def test_buckets_small_is_one_per_rank():
    assert p.buckets(3, [1], max_points=5) == [(1, 1), (2, 2), (3, 3)]
    assert p.buckets(0, [], max_points=5) == []


def test_buckets_cover_every_rank_once_and_end_on_boundaries():
    runs = p.buckets(1000, [7, 333, 334, 999], max_points=50)
    ranks = [rank for first, last in runs for rank in range(first, last + 1)]
    assert ranks == list(range(1, 1001))
    ends = {last for _first, last in runs}
    assert {7, 333, 334, 999, 1000} <= ends
    assert len(runs) <= 50 + 5
    assert all(first <= last for first, last in runs)


def test_large_base_is_sampled_with_exact_cutoffs():
    # 5,000 customers with a long tail: A ends early, far from any even step
    revenues = {pid: 1_000_000.0 / pid**1.2 for pid in range(1, 5001)}
    exact = p.pareto(revenues, ABC, max_points=10_000)
    sampled = p.pareto(revenues, ABC, max_points=200)
    assert sampled["sampled"] and not exact["sampled"]
    assert len(sampled["points"]) <= 200 + len(ABC)
    assert sampled["cutoffs"] == exact["cutoffs"], "cut-off ranks and shares are those of the full ranking"
    assert sampled["total"] == exact["total"]
    by_rank = {pt["last_rank"]: pt for pt in exact["points"]}
    for point in sampled["points"]:
        # each point ends on a real rank of the curve, with its exact cumulative share
        assert point["cumulative"] == by_rank[point["last_rank"]]["cumulative"]
        # a point never mixes tiers
        assert {by_rank[r]["tier"] for r in range(point["first_rank"], point["last_rank"] + 1)} == {point["tier"]}
    for cut in sampled["cutoffs"]:
        assert cut["last_rank"] in {pt["last_rank"] for pt in sampled["points"]}
    assert sampled["points"][-1]["cumulative"] == 100.0
    assert sum(pt["customers"] for pt in sampled["points"]) == 5000
    grouped = [pt for pt in sampled["points"] if pt["customers"] > 1]
    assert grouped and all(pt["partner_id"] is None for pt in grouped)
    assert grouped[0]["average"] == pytest.approx(grouped[0]["revenue"] / grouped[0]["customers"], abs=0.01)
