"""Cargo/vessel matching: hard filters, a 0-100 score with its parts, and the best N on each side.

Pure Python and numpy, no Odoo import. The Odoo models load open cargoes and open positions with
a few queries into a :class:`Cargoes` and a :class:`Positions` table of arrays, hand them here,
and persist the pairs :func:`match` selects.

Rules (issue #11):

* hard filters: the vessel lifts at least the cargo's minimum quantity (quantity less the MOLOO
  tolerance) within its deadweight; its type may carry the commodity; its draft fits both ports;
  the route is known; and it reaches the load port (open date + ballast distance / ballast speed)
  no later than the laycan's last day;
* score = weighted parts, each 0-100: size fit (how full the cargo makes the vessel), arrival
  (waiting before the laycan or arriving late in it costs), ballast distance (nearer is better)
  and the cargo owner's tier priority (key accounts first among equals);
* only the best ``limit`` positions of each cargo and the best ``limit`` cargoes of each
  position are kept: the union of both lists is what gets stored.

Dates are day numbers (``date.toordinal()``); an ETA is a fractional day number.
"""

from dataclasses import dataclass, fields

import numpy as np

WEIGHTS = {"size": 0.35, "arrival": 0.25, "ballast": 0.30, "tier": 0.10}
BALLAST_REFERENCE_NM = 8000.0  # a ballast leg this long (or longer) scores 0 on distance
WAIT_PENALTY_PER_DAY = 5.0  # arrival points lost per day spent waiting for the laycan to open
LATE_IN_LAYCAN_PENALTY = 50.0  # arrival points lost by arriving on the laycan's last day
TIE_BREAK = 1e-9  # equal scores rank the earlier row first (the same in both implementations)
CHUNK = 512  # cargoes scored at a time against all positions (bounds memory: CHUNK × positions)


@dataclass
class Cargoes:
    """Open cargoes as parallel arrays (one row per cargo)."""

    ids: np.ndarray  # int
    qty_min: np.ndarray  # t, quantity less tolerance
    qty_max: np.ndarray  # t, quantity plus tolerance
    load: np.ndarray  # port index
    discharge: np.ndarray  # port index
    laycan_start: np.ndarray  # day number
    laycan_end: np.ndarray  # day number
    commodity: np.ndarray  # commodity index (row of ``Context.compatible``)
    tier_priority: np.ndarray  # 0-100
    max_draft: np.ndarray  # m, the smaller of both ports' max draft (inf when unknown)

    def __len__(self):
        return len(self.ids)


@dataclass
class Positions:
    """Open vessel positions as parallel arrays (one row per position)."""

    ids: np.ndarray
    port: np.ndarray  # port index of the open port
    date_open: np.ndarray  # day number
    dwt: np.ndarray
    draft: np.ndarray  # m (0 when unknown: fits anywhere)
    vessel_type: np.ndarray  # vessel type index (column of ``Context.compatible``)
    ballast_speed: np.ndarray  # knots

    def __len__(self):
        return len(self.ids)


@dataclass
class Context:
    """What every pair shares: sea distances and which vessel types carry which commodity."""

    distances: np.ndarray  # [port, port] nautical miles, nan when unknown
    compatible: np.ndarray  # [commodity, vessel type] bool


@dataclass
class Pairs:
    """Selected pairs and their figures (parallel arrays)."""

    cargo: np.ndarray  # row in Cargoes
    position: np.ndarray  # row in Positions
    score: np.ndarray
    size_score: np.ndarray
    arrival_score: np.ndarray
    ballast_score: np.ndarray
    tier_score: np.ndarray
    ballast_nm: np.ndarray
    laden_nm: np.ndarray
    eta: np.ndarray  # fractional day number
    fits: np.ndarray  # bool: the pair passes the hard filters

    def __len__(self):
        return len(self.cargo)


def empty_pairs():
    return Pairs(**{f.name: np.zeros(0) for f in fields(Pairs)})


def _evaluate(c, p, cargoes, positions, ctx):
    """Mask, score, parts and legs of the pairs (cargo rows ``c``, position rows ``p``).

    ``c`` and ``p`` broadcast: a column of cargo rows against a row of position rows gives a
    matrix, two index vectors of equal length give the pairs one by one.
    """
    ballast_nm = ctx.distances[cargoes.load[c], positions.port[p]]
    laden_nm = ctx.distances[cargoes.load[c], cargoes.discharge[c]]
    eta = positions.date_open[p] + ballast_nm / (positions.ballast_speed[p] * 24.0)
    dwt = positions.dwt[p]
    mask = (
        (cargoes.qty_min[c] <= dwt)
        & ctx.compatible[cargoes.commodity[c], positions.vessel_type[p]]
        & (positions.draft[p] <= cargoes.max_draft[c])
        & ~np.isnan(ballast_nm)
        & ~np.isnan(laden_nm)
        & (np.floor(np.nan_to_num(eta, nan=np.inf)) <= cargoes.laycan_end[c])
    )
    size = 100.0 * np.minimum(cargoes.qty_max[c], dwt) / dwt
    start, end = cargoes.laycan_start[c], cargoes.laycan_end[c]
    wait = start - eta
    into = (eta - start) / np.maximum(end - start + 1.0, 1.0)
    arrival = np.where(
        wait > 0,
        np.maximum(0.0, 100.0 - WAIT_PENALTY_PER_DAY * wait),
        100.0 - LATE_IN_LAYCAN_PENALTY * np.clip(into, 0.0, 1.0),
    )
    ballast = 100.0 * np.clip(1.0 - ballast_nm / BALLAST_REFERENCE_NM, 0.0, 1.0)
    tier = cargoes.tier_priority[c] + np.zeros_like(ballast)
    score = (
        WEIGHTS["size"] * size + WEIGHTS["arrival"] * arrival + WEIGHTS["ballast"] * ballast + WEIGHTS["tier"] * tier
    )
    return mask, score, (size, arrival, ballast, tier), ballast_nm, laden_nm, eta


def _position_side(positions, ctx):
    """Per-position arrays the matrix path gathers rows from (computed once per match)."""
    distances = np.where(np.isnan(ctx.distances), np.inf, ctx.distances)
    return {
        "ballast": np.ascontiguousarray(distances[:, positions.port]),  # [port, position]
        "compatible": np.ascontiguousarray(ctx.compatible[:, positions.vessel_type]),  # [commodity, position]
        "hours": 1.0 / (positions.ballast_speed * 24.0),
        "inv_dwt": 100.0 / positions.dwt,
    }


def score_matrix(cargoes, positions, ctx, rows=None, side=None):
    """Scores of cargo ``rows`` (all by default) against every position; -inf where a filter fails.

    The same rules as :func:`_evaluate`, written for speed: per-position columns are gathered once
    (``side``), unknown distances are +inf (an ETA never reached), and no part is kept.
    """
    rows = np.arange(len(cargoes)) if rows is None else np.asarray(rows)
    side = side or _position_side(positions, ctx)
    load = cargoes.load[rows]
    ballast = side["ballast"][load]
    eta = ballast * side["hours"]
    eta += positions.date_open
    ok = side["compatible"][cargoes.commodity[rows]]
    ok &= positions.dwt >= cargoes.qty_min[rows][:, None]
    ok &= positions.draft <= cargoes.max_draft[rows][:, None]
    ok &= eta < (cargoes.laycan_end[rows] + 1.0)[:, None]  # arrives on the laycan's last day at the latest
    ok &= ~np.isnan(ctx.distances[load, cargoes.discharge[rows]])[:, None]
    # the parts, only where every filter passes (a fraction of the pairs)
    r, j = np.nonzero(ok)
    c = rows[r]
    ballast, eta = ballast[r, j], eta[r, j]
    start, end = cargoes.laycan_start[c], cargoes.laycan_end[c]
    wait = start - eta
    arrival = np.where(
        wait > 0,
        np.maximum(0.0, 100.0 - WAIT_PENALTY_PER_DAY * wait),
        100.0 - LATE_IN_LAYCAN_PENALTY * np.clip(-wait / np.maximum(end - start + 1.0, 1.0), 0.0, 1.0),
    )
    score = np.full(ok.shape, -np.inf)
    score[r, j] = (
        WEIGHTS["size"] * np.minimum(cargoes.qty_max[c], positions.dwt[j]) * side["inv_dwt"][j]
        + WEIGHTS["arrival"] * arrival
        + WEIGHTS["ballast"] * 100.0 * np.clip(1.0 - ballast / BALLAST_REFERENCE_NM, 0.0, 1.0)
        + WEIGHTS["tier"] * cargoes.tier_priority[c]
    )
    return score


def _top(scores, limit, axis):
    """Indices of the ``limit`` best finite scores along ``axis`` (unordered), and their validity."""
    n = scores.shape[axis]
    if n == 0:
        return None
    k = min(limit, n)
    idx = np.argpartition(-scores, k - 1, axis=axis).take(np.arange(k), axis=axis)
    return idx, np.isfinite(np.take_along_axis(scores, idx, axis=axis))


def match(cargoes, positions, ctx, limit=10, rows=None, cargo_thresholds=None, position_thresholds=None):
    """Select the pairs to store: best ``limit`` positions per cargo, best ``limit`` cargoes per position.

    ``rows`` restricts the cargoes matched (all by default). When only some cargoes (or some
    positions) are matched again, the pairs already stored for the others compete through
    thresholds: per cargo row (``cargo_thresholds``, indexed like ``cargoes``) or per position
    (``position_thresholds``), the score a new pair must beat to enter that side's list; -inf
    lets any passing pair in. Returns :class:`Pairs` with their figures.
    """
    rows = np.arange(len(cargoes)) if rows is None else np.asarray(rows, dtype=int)
    n_pos = len(positions)
    if not len(rows) or not n_pos:
        return empty_pairs()
    keep_c, keep_p = [], []
    side = _position_side(positions, ctx)
    best_score = np.full((n_pos, 0), -np.inf)
    best_row = np.zeros((n_pos, 0), dtype=int)
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        scores = score_matrix(cargoes, positions, ctx, chunk, side)
        keyed = scores - TIE_BREAK * np.arange(n_pos)[None, :]
        idx, valid = _top(keyed, limit, axis=1)
        if cargo_thresholds is not None:
            chosen = np.take_along_axis(scores, idx, axis=1)
            valid &= chosen > np.asarray(cargo_thresholds)[chunk][:, None]
        keep_c.append(np.repeat(chunk, idx.shape[1])[valid.ravel()])
        keep_p.append(idx.ravel()[valid.ravel()])
        # running best cargoes of every position
        merged_score = np.concatenate([best_score, scores.T - TIE_BREAK * chunk[None, :]], axis=1)
        merged_row = np.concatenate([best_row, np.broadcast_to(chunk, (n_pos, len(chunk)))], axis=1)
        sel, _valid = _top(merged_score, limit, axis=1)
        best_score = np.take_along_axis(merged_score, sel, axis=1)
        best_row = np.take_along_axis(merged_row, sel, axis=1)
    best_ok = np.isfinite(best_score)
    if position_thresholds is not None:
        best_ok &= best_score > np.asarray(position_thresholds)[:, None]
    pos_idx = np.broadcast_to(np.arange(n_pos)[:, None], best_row.shape)
    keep_c.append(best_row[best_ok])
    keep_p.append(pos_idx[best_ok])
    pairs = np.unique(np.stack([np.concatenate(keep_c), np.concatenate(keep_p)], axis=1), axis=0)
    return pair_figures(cargoes, positions, ctx, pairs[:, 0], pairs[:, 1])


def pair_figures(cargoes, positions, ctx, c, p):
    """Figures of the given pairs, and whether each passes the filters (``fits``)."""
    c, p = np.asarray(c, dtype=int), np.asarray(p, dtype=int)
    if not len(c):
        return empty_pairs()
    with np.errstate(invalid="ignore", divide="ignore"):
        mask, score, parts, ballast_nm, laden_nm, eta = _evaluate(c, p, cargoes, positions, ctx)
    size, arrival, ballast, tier = parts
    return Pairs(c, p, score, size, arrival, ballast, tier, ballast_nm, laden_nm, eta, mask)


def brute_force(cargoes, positions, ctx, limit=10):
    """Baseline: the same selection as :func:`match`, one pair at a time in plain Python.

    Used by the benchmark (the speed-up of the vectorized core) and by the tests (same pairs).
    """
    dist = ctx.distances.tolist()
    compat = ctx.compatible.tolist()
    c_rows = [tuple(getattr(cargoes, f.name)[i].item() for f in fields(Cargoes)) for i in range(len(cargoes))]
    p_rows = [tuple(getattr(positions, f.name)[j].item() for f in fields(Positions)) for j in range(len(positions))]
    per_cargo = [[] for _ in c_rows]
    per_position = [[] for _ in p_rows]
    w_size, w_arr, w_bal, w_tier = WEIGHTS["size"], WEIGHTS["arrival"], WEIGHTS["ballast"], WEIGHTS["tier"]
    for i, (_cid, qmin, qmax, load, disch, start, end, comm, tier, max_draft) in enumerate(c_rows):
        laden = dist[load][disch]
        if laden != laden:  # nan
            continue
        row = dist[load]
        for j, (_pid, port, open_, dwt, draft, vtype, bspeed) in enumerate(p_rows):
            ballast = row[port]
            if qmin > dwt or not compat[comm][vtype] or draft > max_draft or ballast != ballast:
                continue
            eta = open_ + ballast / (bspeed * 24.0)
            if eta // 1 > end:
                continue
            size = 100.0 * min(qmax, dwt) / dwt
            wait = start - eta
            if wait > 0:
                arrival = max(0.0, 100.0 - WAIT_PENALTY_PER_DAY * wait)
            else:
                into = (eta - start) / max(end - start + 1.0, 1.0)
                arrival = 100.0 - LATE_IN_LAYCAN_PENALTY * min(max(into, 0.0), 1.0)
            bal = 100.0 * min(max(1.0 - ballast / BALLAST_REFERENCE_NM, 0.0), 1.0)
            score = w_size * size + w_arr * arrival + w_bal * bal + w_tier * tier
            per_cargo[i].append((score, j))
            per_position[j].append((score, i))
    selected = set()
    for i, scored in enumerate(per_cargo):
        ranked = sorted(scored, key=lambda sj: sj[0] - TIE_BREAK * sj[1], reverse=True)
        selected.update((i, j) for _s, j in ranked[:limit])
    for j, scored in enumerate(per_position):
        ranked = sorted(scored, key=lambda si: si[0] - TIE_BREAK * si[1], reverse=True)
        selected.update((i, j) for _s, i in ranked[:limit])
    return selected
