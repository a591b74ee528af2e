#!/usr/bin/env python3
"""Benchmark of cargo/vessel matching at scale (issue #11).

1. Creates a fresh database with logistics_crm installed without demo data (dropped first if it
   exists, unless ``--reuse-db``), and generates, in SQL-free ORM batches, ``--cargoes`` open cargo
   offers and ``--positions`` open vessel positions over the shipped ports (random ports, sizes,
   laycans within 60 days, commodities and vessel types), for ``--owners`` cargo owners;
2. measures, in one process on the same data:
   a. END TO END: ``logistics.cargo.action_find_matches()`` on every open cargo (read, filter,
      score, persist, prune, notify), first on an empty match table, then once more (steady
      state: the same pairs, updated in place); wall time with the final flush, SQL queries,
      peak RSS increase;
   b. the same call on the first 10 % of the cargoes: queries must not grow with the cargoes;
   c. ONE CARGO re-matched from its form: ``cargo.action_find_matches()`` (mean of 5 cargoes);
   d. the SCORING CORE alone (``domain.matching.match`` on the arrays the engine loads), and
   e. the BRUTE-FORCE baseline: the same selection in a plain Python loop over all pairs;
3. prints a Markdown table (paste it into README.md), and drops the database unless ``--keep-db``.

Usage:
    python3 scripts/benchmark_matching.py [--db lcrm_bench_match] [--cargoes 5000] [--positions 5000]
        [--owners 500] [--vessels 2500] [--seed 1] [--keep-db] [--reuse-db] [--addons-path PATHS]

PostgreSQL through PGHOST / PGPORT / PGUSER (defaults 127.0.0.1 / 5432 / root); Odoo 18 by ``import odoo``.
"""

import argparse
import os
import random
import sys
import time
from datetime import timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import odoo_env  # noqa: E402
from bench_measure import Memory  # noqa: E402
from benchmark_tiers import drop_database, odoo_stop_after_init  # noqa: E402


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def valid_imo(prefix):
    total = sum(int(d) * w for d, w in zip(str(prefix), range(7, 1, -1), strict=True))
    return f"{prefix}{total % 10}"


def generate(env, args):
    rng = random.Random(args.seed)
    quiet = env(
        context=dict(
            env.context, logistics_no_rematch=True, tracking_disable=True, mail_create_nolog=True, mail_notrack=True
        )
    )
    ports = quiet["logistics.port"].search([])
    commodities = quiet["logistics.commodity"].search([("vessel_type_ids", "!=", False)])
    today = quiet["logistics.cargo"]._fields["laycan_start"].context_today(quiet["logistics.cargo"])
    owners = quiet["res.partner"].create(
        [{"name": f"BENCH cargo owner {i}", "is_company": True, "ref": f"BENCHM-{i}"} for i in range(args.owners)]
    )
    carriers = quiet["res.partner"].create(
        [{"name": f"BENCH carrier {i}", "is_company": True} for i in range(max(1, args.vessels // 20))]
    )
    sizes = [
        (8000, 0.6),
        (30000, 0.9),
        (45000, 1.0),
        (58000, 1.0),
        (76000, 1.0),
        (82000, 0.9),
        (180000, 0.5),
        (206000, 0.2),
    ]
    vessel_vals = []
    for i in range(args.vessels):
        dwt = rng.choices([s for s, _w in sizes], [w for _s, w in sizes])[0] * rng.uniform(0.9, 1.1)
        vessel_vals.append(
            {
                "name": f"BENCH {i}",
                "imo": valid_imo(900000 + i),
                "dwt": round(dwt),
                "draft": round(6 + dwt**0.5 / 40, 1),
                "vessel_type": rng.choices(["bulk", "general", "container", "tanker"], [70, 15, 10, 5])[0],
                "ballast_speed": rng.choice([11.5, 12.0, 12.5, 13.0]),
                "owner_id": rng.choice(carriers).id,
            }
        )
    vessels = quiet["logistics.vessel"].create(vessel_vals)
    log(f"{len(vessels)} vessels")
    position_vals = [
        {
            "vessel_id": rng.choice(vessels).id,
            "port_id": rng.choice(ports).id,
            "date_open": today + timedelta(days=rng.randint(0, 45)),
        }
        for _i in range(args.positions)
    ]
    seen, unique_vals = set(), []
    for vals in position_vals:
        key = (vals["vessel_id"], vals["port_id"], vals["date_open"])
        if key not in seen:
            seen.add(key)
            unique_vals.append(vals)
    quiet["logistics.vessel.position"].create(unique_vals)
    log(f"{len(unique_vals)} open positions")
    cargo_vals = []
    for _i in range(args.cargoes):
        load, discharge = rng.sample(list(ports), 2)
        start = today + timedelta(days=rng.randint(5, 60))
        cargo_vals.append(
            {
                "partner_id": rng.choice(owners).id,
                "commodity_id": rng.choice(commodities).id,
                "quantity": rng.choice([5000, 12000, 25000, 33000, 45000, 55000, 70000, 150000, 170000]),
                "quantity_tolerance": rng.choice([0, 5, 10]),
                "load_port_id": load.id,
                "discharge_port_id": discharge.id,
                "laycan_start": start,
                "laycan_end": start + timedelta(days=rng.randint(0, 15)),
                "freight_rate": rng.uniform(8, 40),
            }
        )
    for start in range(0, len(cargo_vals), 1000):
        quiet["logistics.cargo"].create(cargo_vals[start : start + 1000])
    log(f"{len(cargo_vals)} open cargo offers")
    env.cr.commit()


def measured(env, func):
    """(seconds, queries, peak RSS increase in MB, result) of ``func()`` including the final flush."""
    from odoo import sql_db  # noqa: PLC0415

    memory = Memory()
    memory.start()
    queries = sql_db.sql_counter
    start = time.perf_counter()
    result = func()
    env.flush_all()
    seconds = time.perf_counter() - start
    mem = memory.stop()
    return seconds, sql_db.sql_counter - queries, mem["rss_increase"] / 2**20, result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="lcrm_bench_match")
    parser.add_argument("--cargoes", type=int, default=5000)
    parser.add_argument("--positions", type=int, default=5000)
    parser.add_argument("--owners", type=int, default=500)
    parser.add_argument("--vessels", type=int, default=2500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--reuse-db", action="store_true")
    parser.add_argument("--addons-path")
    args = parser.parse_args()

    if not (args.reuse_db and odoo_env.database_exists(args.db)):
        drop_database(args.db)
        log(f"installing logistics_crm into {args.db} (no demo data)")
        odoo_stop_after_init(args.db, args.addons_path, "-i", "logistics_crm", "--without-demo=all")
    env = odoo_env.open_env(args.db, args.addons_path)
    try:
        if not env["logistics.cargo"].search_count([]):
            generate(env, args)
        from odoo.addons.logistics_crm.domain import matching  # noqa: PLC0415

        env.cr.execute("DELETE FROM logistics_match")
        env.cr.execute("DELETE FROM mail_activity WHERE res_model = 'logistics.cargo'")
        env.cr.commit()
        env.invalidate_all()
        company = env.company
        cargoes = env["logistics.cargo"].search([("state", "=", "open")])
        rows = []

        def row(label, seconds, queries=None, mb=None, note=""):
            rows.append((label, seconds, queries, mb, note))
            log(f"{label}: {seconds:.2f} s, {queries} queries, {mb} MB {note}")

        seconds, queries, mb, _r = measured(env, cargoes.action_find_matches)
        env.cr.execute("SELECT count(*), count(DISTINCT cargo_id), count(DISTINCT position_id) FROM logistics_match")
        stored, with_match, positions_matched = env.cr.fetchone()
        env.cr.execute("SELECT count(*) FROM mail_activity WHERE res_model = 'logistics.cargo'")
        activities = env.cr.fetchone()[0]
        row(
            f"End to end, all {len(cargoes):,} cargoes, empty match table",
            seconds,
            queries,
            mb,
            f"{stored:,} matches stored ({with_match:,} cargoes, {positions_matched:,} positions), "
            f"{activities:,} salesperson activities",
        )
        env.cr.commit()
        seconds, queries, mb, _r = measured(env, cargoes.action_find_matches)
        row(f"End to end, all {len(cargoes):,} cargoes, again (steady state)", seconds, queries, mb)
        env.cr.commit()
        tenth = cargoes[: max(1, len(cargoes) // 10)]
        seconds, queries, mb, _r = measured(env, tenth.action_find_matches)
        row(f"End to end, {len(tenth):,} cargoes (10 %)", seconds, queries, mb)
        env.cr.commit()
        singles = []
        for cargo in cargoes[:: max(1, len(cargoes) // 5)][:5]:
            singles.append(measured(env, cargo.action_find_matches))
            env.cr.commit()
        row(
            "One cargo re-matched from its form (mean of 5)",
            sum(s[0] for s in singles) / len(singles),
            round(sum(s[1] for s in singles) / len(singles)),
        )

        arrays, positions, ctx = env["logistics.match.reader"]._logistics_load(company)
        limit = company.logistics_match_limit
        scores = matching.score_matrix(arrays, positions, ctx)
        passing = int((scores > float("-inf")).sum())
        del scores
        start = time.perf_counter()
        pairs = matching.match(arrays, positions, ctx, limit)
        core = time.perf_counter() - start
        row("Scoring core alone (numpy)", core, note=f"{len(pairs):,} pairs selected")
        start = time.perf_counter()
        brute = matching.brute_force(arrays, positions, ctx, limit)
        brute_seconds = time.perf_counter() - start
        same = brute == set(zip(pairs.cargo.tolist(), pairs.position.tolist(), strict=True))
        row(
            "Brute-force pure-Python loop over all pairs (baseline)",
            brute_seconds,
            note=f"same pairs as the core: {same}; core is {brute_seconds / core:.1f}x faster",
        )
        total = len(arrays) * len(positions)
        print()
        print(
            f"{len(arrays):,} open cargoes x {len(positions):,} open positions = {total:,} pairs, "
            f"{passing:,} ({100 * passing / total:.1f} %) pass the hard filters; best {limit} kept per side."
        )
        print()
        print("| Measure | Time (s) | SQL queries | Peak RSS increase (MB) | Notes |")
        print("|---|---:|---:|---:|---|")
        for label, seconds, queries, mb, note in rows:
            print(
                f"| {label} | {seconds:.2f} | {'' if queries is None else queries} | "
                f"{'' if mb is None else f'{mb:.0f}'} | {note} |"
            )
    finally:
        env.cr.close()
    if not args.keep_db:
        drop_database(args.db)


if __name__ == "__main__":
    main()
