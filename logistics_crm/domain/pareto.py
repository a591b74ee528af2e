"""The Pareto picture of the customer tiers: ranking, cumulative share, tier cut-offs, chart points.

Pure functions, no Odoo import. It draws what :func:`tiering.assign_tiers` decides: the same
ranking (revenue descending in whole cents, then id), the same tiers (it calls it), so the
cut-off ranks shown on the dashboard are the ranks where the tier engine's tiers end.

Shares are percentages of the total revenue of the ranked customers (those with a positive
revenue); they are computed in integer cents and rounded to 2 decimals only on output.
"""

from . import tiering

# above this many customers the chart gets buckets of consecutive ranks instead of one point each
DEFAULT_MAX_POINTS = 200


def rank_customers(revenues):
    """Customers with a positive revenue ranked as the tier engine ranks them.

    :param revenues: mapping ``partner_id -> revenue`` or sequence of ``(partner_id, revenue)``
    :return: list of ``(partner_id, cents)``, revenue descending, equal revenues by id
    """
    items = revenues.items() if hasattr(revenues, "items") else revenues
    cents = ((pid, int(round(amount * 100))) for pid, amount in items if amount and amount > 0)
    return sorted(((pid, c) for pid, c in cents if c > 0), key=lambda item: (-item[1], item[0]))


def _percent(part, total):
    return round(part * 100.0 / total, 2) if total else 0.0


def tier_spans(ranked, tiers):
    """The tier of each rank (``None`` after the last cut-off) and, per tier, where it starts and ends.

    :param ranked: output of :func:`rank_customers`
    :param tiers: sequence of ``(tier_key, cutoff_percent)`` in tier order
    :return: ``(rank_tiers, spans)``: ``rank_tiers[i]`` is the tier key of rank ``i + 1``;
        ``spans`` lists, in tier order, dicts ``key, cutoff, first_rank, last_rank, customers,
        revenue, share, cumulative`` (ranks are 1-based and inclusive, ``None`` for an empty
        tier; ``share`` is the tier's share of the total, ``cumulative`` the share of ranks
        1..last_rank, i.e. where the tier ends on the cumulative curve)
    """
    assigned = tiering.assign_tiers(dict(ranked), [(key, cutoff) for key, cutoff in tiers]) if ranked else {}
    # assign_tiers works on amounts; ranked holds cents: the scale changes nothing in the shares
    rank_tiers = [assigned.get(pid) for pid, _cents in ranked]
    total = sum(cents for _pid, cents in ranked)
    spans = []
    cumulative = 0
    position = 0
    for key, cutoff in tiers:
        first = position
        revenue = 0
        while position < len(ranked) and rank_tiers[position] == key:
            revenue += ranked[position][1]
            position += 1
        cumulative += revenue
        count = position - first
        spans.append(
            {
                "key": key,
                "cutoff": cutoff,
                "first_rank": first + 1 if count else None,
                "last_rank": position if count else None,
                "customers": count,
                "revenue": revenue / 100.0,
                "share": _percent(revenue, total),
                "cumulative": _percent(cumulative, total),
            }
        )
    return rank_tiers, spans


def buckets(size, boundaries, max_points=DEFAULT_MAX_POINTS):
    """Split ranks ``1..size`` into at most about ``max_points`` runs of consecutive ranks.

    No run crosses a boundary: every rank of ``boundaries`` (a run ends there, e.g. the last
    rank of each tier) stays the last rank of a run, so cut-offs are exact on the chart. Each
    segment between two boundaries gets a number of runs in proportion to its length (at least
    one), so the total may exceed ``max_points`` by at most the number of segments.

    :return: list of ``(first_rank, last_rank)``, 1-based inclusive, in order
    """
    if size <= 0:
        return []
    if size <= max_points:
        return [(rank, rank) for rank in range(1, size + 1)]
    ends = sorted({rank for rank in boundaries if 0 < rank < size} | {size})
    runs = []
    start = 1
    for end in ends:
        length = end - start + 1
        count = max(1, min(length, round(max_points * length / size)))
        for index in range(count):
            first = start + (length * index) // count
            last = start + (length * (index + 1)) // count - 1
            runs.append((first, last))
        start = end + 1
    return runs


def pareto(revenues, tiers, max_points=DEFAULT_MAX_POINTS):
    """Everything the Pareto chart shows.

    :param revenues: mapping or sequence of ``(partner_id, revenue)``; revenues <= 0 are left out
    :param tiers: sequence of ``(tier_key, cutoff_percent)`` in tier order (A first)
    :param max_points: above this many customers, consecutive ranks are grouped into points
    :return: dict with

        - ``customers``: number of ranked customers, ``total``: their revenue;
        - ``cutoffs``: per tier, see :func:`tier_spans`;
        - ``points``: in rank order, dicts ``first_rank, last_rank, customers, partner_id``
          (``None`` when the point groups several customers), ``revenue`` (the point's
          customers' revenue), ``average`` (per customer), ``share`` (% of the total),
          ``cumulative`` (% of the total made by ranks 1..last_rank) and ``tier`` (its key, a
          point never mixes tiers);
        - ``sampled``: whether points group several customers.
    """
    ranked = rank_customers(revenues)
    total = sum(cents for _pid, cents in ranked)
    rank_tiers, spans = tier_spans(ranked, tiers)
    # a run also ends where the tier changes, including the ranks without a tier after the last cut-off
    boundaries = [rank for rank in range(1, len(ranked)) if rank_tiers[rank - 1] != rank_tiers[rank]]
    points = []
    cumulative = 0
    for first, last in buckets(len(ranked), boundaries, max_points):
        revenue = sum(cents for _pid, cents in ranked[first - 1 : last])
        cumulative += revenue
        count = last - first + 1
        points.append(
            {
                "first_rank": first,
                "last_rank": last,
                "customers": count,
                "partner_id": ranked[first - 1][0] if count == 1 else None,
                "revenue": revenue / 100.0,
                "average": round(revenue / count) / 100.0,
                "share": _percent(revenue, total),
                "cumulative": _percent(cumulative, total),
                "tier": rank_tiers[first - 1],
            }
        )
    return {
        "customers": len(ranked),
        "total": total / 100.0,
        "cutoffs": spans,
        "points": points,
        "sampled": len(points) < len(ranked),
    }
