"""The matching core: hard filters, score parts, best N per side, and the same pairs as a plain loop."""

import numpy as np
import pytest
from domain import matching as m

DAY = 740_000  # a day number (date.toordinal())


def _ctx(n_ports=3, distances=None):
    d = np.array(distances, dtype=float) if distances is not None else np.zeros((n_ports, n_ports))
    return m.Context(distances=d, compatible=np.ones((2, 4), dtype=bool))


def _cargoes(**over):
    base = {
        "ids": [1],
        "qty_min": [45000.0],
        "qty_max": [55000.0],
        "load": [0],
        "discharge": [1],
        "laycan_start": [DAY + 10.0],
        "laycan_end": [DAY + 20.0],
        "commodity": [0],
        "tier_priority": [0.0],
        "max_draft": [np.inf],
    }
    base.update(over)
    return m.Cargoes(**{k: np.array(v) for k, v in base.items()})


def _positions(**over):
    base = {
        "ids": [10],
        "port": [2],
        "date_open": [DAY + 5.0],
        "dwt": [60000.0],
        "draft": [12.0],
        "vessel_type": [0],
        "ballast_speed": [12.5],
    }
    base.update(over)
    return m.Positions(**{k: np.array(v) for k, v in base.items()})


DIST = [[0, 4809, 1500], [4809, 0, 3000], [1500, 3000, 0]]  # load, discharge, open port


def test_pair_passing_every_filter_gets_its_parts():
    pairs = m.match(_cargoes(), _positions(), _ctx(distances=DIST))
    assert len(pairs) == 1
    # 1,500 nm at 12.5 kn = 5 days: ETA day 10 = the laycan's first day
    assert pairs.eta[0] == pytest.approx(DAY + 10.0)
    assert pairs.arrival_score[0] == pytest.approx(100.0)
    assert pairs.size_score[0] == pytest.approx(100.0 * 55000 / 60000)
    assert pairs.ballast_score[0] == pytest.approx(100.0 * (1 - 1500 / 8000))
    assert pairs.ballast_nm[0] == 1500 and pairs.laden_nm[0] == 4809
    expected = 0.35 * pairs.size_score[0] + 0.25 * 100 + 0.30 * pairs.ballast_score[0] + 0.10 * 0
    assert pairs.score[0] == pytest.approx(expected)
    assert pairs.fits[0]


@pytest.mark.parametrize(
    ("cargo", "position", "why"),
    [
        ({}, {"dwt": [40000.0]}, "vessel lifts less than the minimum quantity"),
        ({}, {"date_open": [DAY + 16.0]}, "arrives after the laycan (day 21 > 20)"),
        ({"max_draft": [11.0]}, {}, "draft deeper than a port allows"),
        ({"commodity": [1]}, {}, "type cannot carry the commodity"),
        ({"load": [0], "discharge": [1]}, {"port": [3]}, "no known route"),
    ],
)
def test_hard_filters(cargo, position, why):
    ctx = _ctx(distances=DIST)
    ctx.compatible[1, 0] = False
    if position.get("port") == [3]:
        ctx.distances = np.pad(ctx.distances, ((0, 1), (0, 1)), constant_values=np.nan)
    pairs = m.match(_cargoes(**cargo), _positions(**position), ctx)
    assert len(pairs) == 0, why


def test_arriving_on_the_last_laycan_day_passes_but_scores_lower():
    on_time = m.match(_cargoes(), _positions(), _ctx(distances=DIST))
    late = m.match(_cargoes(), _positions(date_open=[DAY + 15.5]), _ctx(distances=DIST))
    assert len(late) == 1
    assert late.arrival_score[0] < on_time.arrival_score[0]


def test_waiting_for_the_laycan_costs_points():
    pairs = m.match(_cargoes(), _positions(date_open=[DAY]), _ctx(distances=DIST))
    # arrives day 5, laycan opens day 10: 5 days of waiting at 5 points a day
    assert pairs.arrival_score[0] == pytest.approx(75.0)


def test_nearer_better_sized_and_key_accounts_rank_first():
    ctx = _ctx(distances=[[0, 4809, 500, 3000], [4809, 0, 3000, 3000], [500, 3000, 0, 0], [3000, 3000, 0, 0]])
    positions = _positions(
        ids=[10, 11, 12],
        port=[2, 3, 2],
        date_open=[DAY + 8.0, DAY + 0.0, DAY + 8.0],
        dwt=[60000.0, 60000.0, 180000.0],
        draft=[12.0] * 3,
        vessel_type=[0] * 3,
        ballast_speed=[12.5] * 3,
    )
    scores = m.score_matrix(_cargoes(), positions, ctx)[0]
    assert scores[0] > scores[1]  # nearer
    assert scores[0] > scores[2]  # better sized
    cargoes = _cargoes(
        ids=[1, 2],
        qty_min=[45000.0] * 2,
        qty_max=[55000.0] * 2,
        load=[0, 0],
        discharge=[1, 1],
        laycan_start=[DAY + 10.0] * 2,
        laycan_end=[DAY + 20.0] * 2,
        commodity=[0, 0],
        tier_priority=[0.0, 100.0],
        max_draft=[np.inf] * 2,
    )
    per_position = m.score_matrix(cargoes, positions, ctx)[:, 0]
    assert per_position[1] > per_position[0]  # the key account, otherwise equal


def _random_market(seed, n_cargo, n_pos, n_ports=40):
    rng = np.random.default_rng(seed)
    lat, lon = rng.uniform(-40, 60, n_ports), rng.uniform(-180, 180, n_ports)
    d = np.abs(lat[:, None] - lat[None, :]) * 60 + np.abs(lon[:, None] - lon[None, :]) * 40
    np.fill_diagonal(d, 0)
    ctx = m.Context(distances=d, compatible=rng.random((5, 4)) < 0.7)
    q = rng.uniform(5000, 150000, n_cargo)
    start = DAY + rng.integers(5, 40, n_cargo).astype(float)
    cargoes = m.Cargoes(
        ids=np.arange(n_cargo),
        qty_min=q * 0.9,
        qty_max=q * 1.1,
        load=rng.integers(0, n_ports, n_cargo),
        discharge=rng.integers(0, n_ports, n_cargo),
        laycan_start=start,
        laycan_end=start + rng.integers(0, 15, n_cargo),
        commodity=rng.integers(0, 5, n_cargo),
        tier_priority=rng.choice([0, 33.3, 66.7, 100], n_cargo),
        max_draft=np.full(n_cargo, np.inf),
    )
    positions = m.Positions(
        ids=np.arange(n_pos),
        port=rng.integers(0, n_ports, n_pos),
        date_open=DAY + rng.integers(0, 30, n_pos).astype(float),
        dwt=rng.uniform(8000, 200000, n_pos),
        draft=rng.uniform(8, 18, n_pos),
        vessel_type=rng.integers(0, 4, n_pos),
        ballast_speed=np.full(n_pos, 12.5),
    )
    return cargoes, positions, ctx


@pytest.mark.parametrize("limit", [1, 3, 10])
def test_vectorized_selection_equals_the_plain_loop(limit):
    cargoes, positions, ctx = _random_market(7, 300, 260)
    pairs = m.match(cargoes, positions, ctx, limit)
    assert set(zip(pairs.cargo.tolist(), pairs.position.tolist(), strict=True)) == m.brute_force(
        cargoes, positions, ctx, limit
    )
    assert pairs.fits.all()


def test_best_n_per_cargo_and_per_position():
    cargoes, positions, ctx = _random_market(3, 200, 200)
    limit = 4
    pairs = m.match(cargoes, positions, ctx, limit)
    scores = m.score_matrix(cargoes, positions, ctx)
    chosen = set(zip(pairs.cargo.tolist(), pairs.position.tolist(), strict=True))
    for i in range(len(cargoes)):
        passing = np.flatnonzero(np.isfinite(scores[i]))
        best = passing[np.argsort(-scores[i, passing], kind="stable")][:limit]
        assert {(i, int(j)) for j in best} <= chosen
    # nothing else than the best of one side or the other
    for i, j in chosen:
        row_rank = int((scores[i] > scores[i, j]).sum())
        col_rank = int((scores[:, j] > scores[i, j]).sum())
        assert row_rank < limit or col_rank < limit


def test_subset_rematch_respects_thresholds():
    cargoes, positions, ctx = _random_market(5, 120, 100)
    limit = 3
    full = m.match(cargoes, positions, ctx, limit)
    full_pairs = set(zip(full.cargo.tolist(), full.position.tolist(), strict=True))
    # re-match cargo rows 0-9 alone; the others' stored pairs set the positions' thresholds
    rows = np.arange(10)
    scores = m.score_matrix(cargoes, positions, ctx)
    others = scores.copy()
    others[rows] = -np.inf
    thresholds = np.array([np.sort(others[:, j])[::-1][limit - 1] for j in range(len(positions))])
    part = m.match(cargoes, positions, ctx, limit, rows=rows, position_thresholds=thresholds)
    part_pairs = set(zip(part.cargo.tolist(), part.position.tolist(), strict=True))
    assert part_pairs == {(i, j) for i, j in full_pairs if i < 10}


def test_empty_sides():
    cargoes, positions, ctx = _random_market(1, 5, 5)
    empty = m.Positions(**{k: v[:0] for k, v in vars(positions).items()})
    assert len(m.match(cargoes, empty, ctx)) == 0
    assert len(m.match(cargoes, positions, ctx, rows=[])) == 0
