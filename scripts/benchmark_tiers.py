#!/usr/bin/env python3
"""Benchmark of ``res.partner.logistics_recompute_tiers()`` at scale.

1. Creates a fresh database (dropped first if it exists, unless ``--reuse-db``) with
   logistics_crm installed without demo data (``odoo -i logistics_crm --without-demo=all``);
2. fills it with scripts/generate_data.py (customers, confirmed orders and lines, open deals);
3. measures
   a. the FLOOR: one plain aggregate of the confirmed order lines of the last 12 months per
      commercial partner (best of 3 after a warm-up run) -- what reading the same rows costs
      at the very least;
   b. ``logistics_recompute_tiers()`` as superuser: a first run (every customer gets its
      tier, stage and figures: writes and chatter tracking messages), committed, then a
      second run right after (steady state: nothing changes, nothing is written);
   c. a realistic daily change: the orders of the window of 5 % of the customers with
      revenue are moved back out of the window (committed), then a third run;
   each run in its own process (Odoo registry loaded first, not timed), so that memory
   figures do not depend on the earlier runs; for each run: wall time (including the
   final flush; the commit is timed apart), SQL queries (``odoo.sql_db.sql_counter``),
   time spent in SQL, peak memory increase (peak RSS over the RSS before the call;
   ``--tracemalloc`` adds the Python-heap peak at the price of a slower run), the
   summary the method returns, and a breakdown by helper method (``_logistics_fetch_*``,
   ``assign_tiers``, ``_logistics_write_batch``, ``_logistics_history_batch``...);
4. prints a Markdown table, and drops the database unless ``--keep-db``.

Usage:
    python3 scripts/benchmark_tiers.py [--db lcrm_bench] [--partners 100000]
        [--orders 200000] [--lines 1000000] [--contacts-per-partner 0] [--seed 1]
        [--keep-db] [--reuse-db] [--tracemalloc] [--addons-path PATHS]

``--reuse-db`` keeps an existing database: no install, and no data generation when it
already holds generated data (the customers' recomputed fields are then reset, so that
the first run is a first run again; earlier shifts of step c stay). PostgreSQL is reached
through PGHOST / PGPORT / PGUSER / PGPASSWORD (defaults 127.0.0.1 / 5432 / root); Odoo 18
is found by ``import odoo``.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import odoo_env  # noqa: E402
from bench_measure import Breakdown, Memory  # noqa: E402
from odoo_env import ODOO_MAIN  # noqa: E402

FLOOR_SQL = """
SELECT p.commercial_partner_id, SUM(l.price_subtotal)
  FROM sale_order_line l
  JOIN sale_order so ON so.id = l.order_id
  JOIN res_partner p ON p.id = so.partner_id
 WHERE so.state = 'sale' AND so.date_order >= now() - interval '12 months'
 GROUP BY 1
"""

SHIFT_SHARE = 0.05
COMPANY_KEY = "1"  # the generated data belongs to the first company: its key in the jsonb columns
# The automated action that is active during the runs (unless --no-rule): on a change of the customer
# tier, run a server action. Its code does no work of its own, so the figures show what the engine
# pays for a rule (reading old values, filtering, one action call per changed customer); whatever
# a real rule does (post a message, send a mail) comes on top, per changed customer.
RULE_CODE = "tier = record.logistics_tier_id"


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# ---------------------------------------------------------------------------- database
def drop_database(dbname):
    conn = odoo_env.pg_connect("postgres", autocommit=True)
    with conn.cursor() as cr:
        cr.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (dbname,),
        )
        cr.execute('DROP DATABASE IF EXISTS "{}"'.format(dbname.replace('"', "")))
    conn.close()
    shutil.rmtree(os.path.join(odoo_env.REPO, ".data", "filestore", "filestore", dbname), ignore_errors=True)


def odoo_stop_after_init(dbname, addons_path, *args):
    """Run Odoo once on ``dbname`` (install: ``-i logistics_crm --without-demo=all``; update: ``-u``)."""
    cmd = [sys.executable, "-c", ODOO_MAIN, *odoo_env.odoo_server_args(addons_path), "-d", dbname, *args]
    subprocess.run([*cmd, "--stop-after-init"], check=True)


def has_generated_data(dbname):
    conn = odoo_env.pg_connect(dbname)
    with conn.cursor() as cr:
        cr.execute("SELECT EXISTS(SELECT 1 FROM res_partner WHERE ref LIKE %s)", ("BENCH%-%",))
        found = cr.fetchone()[0]
    conn.close()
    return found


def generate(args):
    cmd = [
        sys.executable,
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "generate_data.py"),
        "--db",
        args.db,
        "--partners",
        str(args.partners),
        "--orders",
        str(args.orders),
        "--lines",
        str(args.lines),
        "--contacts-per-partner",
        str(args.contacts_per_partner),
        "--seed",
        str(args.seed),
    ]
    if args.addons_path:
        cmd += ["--addons-path", args.addons_path]
    subprocess.run(cmd, check=True)


def reset_recomputed(cr):
    """Forget the recomputed values, so that the next run is a first run again."""
    from odoo.addons.logistics_crm.models.logistics_customer_values import CUSTOMER_VALUE_FIELDS  # noqa: PLC0415

    # what the recompute writes: the customer values but the manager's lock and the last care contact
    recomputed = sorted(CUSTOMER_VALUE_FIELDS - {"logistics_tier_locked", "logistics_last_contact_date"})
    cr.execute(
        f"""UPDATE res_partner SET {", ".join(f"{c} = NULL" for c in recomputed)}
             WHERE commercial_partner_id IN (SELECT id FROM res_partner WHERE is_logistics_customer)"""
    )
    count = cr.rowcount
    cr.execute("DELETE FROM logistics_tier_history")
    # open care and win-back activities of earlier runs would keep new ones from being planned
    cr.execute("""DELETE FROM mail_activity WHERE activity_type_id IN (
                      SELECT res_id FROM ir_model_data
                       WHERE module = 'logistics_crm' AND model = 'mail.activity.type')""")
    return count


def set_rule(args):
    """Create (or re-activate) the benchmark's automated action on tier changes."""
    env = odoo_env.open_env(args.db, args.addons_path)
    try:
        Automation = env["base.automation"].with_context(active_test=False)
        rule = Automation.search([("name", "=", "Benchmark: customer tier changed")])
        if not rule:
            action = env["ir.actions.server"].create(
                {
                    "name": "Benchmark: customer tier changed",
                    "model_id": env["ir.model"]._get_id("res.partner"),
                    "state": "code",
                    "code": RULE_CODE,
                }
            )
            rule = Automation.create(
                {
                    "name": "Benchmark: customer tier changed",
                    "model_id": env["ir.model"]._get_id("res.partner"),
                    "trigger": "on_create_or_write",
                    "trigger_field_ids": [(4, env["ir.model.fields"]._get("res.partner", "logistics_tier_id").id)],
                    "action_server_ids": [(4, action.id)],
                }
            )
        rule.active = True
        name = rule.name
        env.cr.commit()
    finally:
        env.cr.close()
    return f"'{name}' (trigger field: customer tier; code: {RULE_CODE})"


def data_counts(cr):
    cr.execute(
        """SELECT (SELECT COUNT(*) FROM res_partner WHERE is_logistics_customer AND active),
                  (SELECT COUNT(*) FROM res_partner c JOIN res_partner p ON p.id = c.commercial_partner_id
                    WHERE p.is_logistics_customer AND c.id <> p.id),
                  (SELECT COUNT(*) FROM sale_order WHERE state = 'sale'),
                  (SELECT COUNT(*) FROM sale_order_line l JOIN sale_order so ON so.id = l.order_id
                    WHERE so.state = 'sale'),
                  (SELECT COUNT(*) FROM sale_order WHERE state IN ('draft', 'sent')),
                  (SELECT COUNT(*) FROM crm_lead WHERE active AND type = 'opportunity')"""
    )
    keys = (
        "customers",
        "contacts",
        "confirmed orders",
        "confirmed order lines",
        "open quotations",
        "open opportunities",
    )
    return dict(zip(keys, cr.fetchone(), strict=True))


# ---------------------------------------------------------------------------- measuring
def measure_floor(cr, repeat=3):
    cr.execute(FLOOR_SQL)  # warm-up
    rows = len(cr.fetchall())
    times = []
    for _i in range(repeat):
        t0 = time.perf_counter()
        cr.execute(FLOOR_SQL)
        cr.fetchall()
        times.append(time.perf_counter() - t0)
    return min(times), rows


def measure_run(env, label, breakdown, memory, repeats=1):
    """Time ``logistics_recompute_tiers()``; with ``repeats`` > 1, the first runs are rolled back to a
    savepoint and run again (the machine is shared: its speed drifts), the last one is committed, and
    the best time is reported with the others (the breakdown and memory are the last run's)."""
    import odoo  # noqa: PLC0415

    times = []
    for attempt in range(repeats):
        last = attempt == repeats - 1
        log(
            f"{label}: logistics_recompute_tiers() ..."
            + (f" (attempt {attempt + 1} of {repeats})" if repeats > 1 else "")
        )
        if not last:
            env.cr.execute("SAVEPOINT bench_attempt")
        env.invalidate_all()
        breakdown.take()
        thread = threading.current_thread()
        thread.query_count, thread.query_time = 0, 0.0
        memory.start()
        q0 = odoo.sql_db.sql_counter
        t0 = time.perf_counter()
        summary = env["res.partner"].logistics_recompute_tiers()
        env.flush_all()
        elapsed = time.perf_counter() - t0
        queries = odoo.sql_db.sql_counter - q0
        sql_time = thread.query_time
        mem = memory.stop()
        times.append(elapsed)
        if not last:
            env.cr.execute("ROLLBACK TO SAVEPOINT bench_attempt")
            env.invalidate_all()
            log(f"{label}: {elapsed:.2f} s (rolled back)")
    t1 = time.perf_counter()
    env.cr.commit()
    commit = time.perf_counter() - t1
    env.invalidate_all()
    result = {
        "label": label,
        "time": min(times),
        "times": times,
        "queries": queries,
        "sql_time": sql_time,
        "commit": commit,
        "summary": summary,
        "breakdown": breakdown.take(),
        **mem,
    }
    log(
        f"{label}: {elapsed:.2f} s, {queries} queries ({sql_time:.2f} s in SQL), "
        f"peak RSS +{mem['rss_increase'] / 2**20:.0f} MiB, commit {commit:.2f} s, summary {summary}"
    )
    return result


def child_run(args):
    """Measure one run in this (fresh) process and write the result as JSON to ``args.result_file``."""
    env = odoo_env.open_env(args.db, args.addons_path)
    try:
        breakdown = Breakdown(env)
        # the machine's speed drifts (shared host): the floor is measured again right before the run,
        # in the same process, and the run is compared with it
        run_floor, _rows = measure_floor(env.cr)
        env.cr.rollback()
        result = measure_run(env, args.child_run, breakdown, Memory(args.tracemalloc), repeats=args.repeats)
        result["floor"] = run_floor
    finally:
        env.cr.close()
    result["summary"] = {key: value for key, value in result["summary"].items() if isinstance(value, (int, float, str))}
    with open(args.result_file, "w") as out:
        json.dump(result, out)


def run_in_child(args, label, repeats=1):
    """One measured run in a new Python process: memory figures do not depend on the earlier runs."""
    with tempfile.NamedTemporaryFile("r", suffix=".json") as result:
        cmd = [
            sys.executable,
            os.path.abspath(__file__),
            "--db",
            args.db,
            "--child-run",
            label,
            "--repeats",
            str(repeats),
            "--result-file",
            result.name,
        ]
        if args.addons_path:
            cmd += ["--addons-path", args.addons_path]
        if args.tracemalloc:
            cmd.append("--tracemalloc")
        subprocess.run(cmd, check=True)
        return json.load(result)


def shift_revenue(cr, share=SHIFT_SHARE):
    """Move the window's orders of ``share`` of the customers with revenue back out of the window."""
    cr.execute(
        """WITH chosen AS (
               SELECT id FROM res_partner
                WHERE is_logistics_customer AND active AND (logistics_revenue_12m->>%(key)s)::numeric > 0
                ORDER BY md5(id::text)
                LIMIT (SELECT CEIL(COUNT(*) * %(share)s) FROM res_partner
                        WHERE is_logistics_customer AND active
                          AND (logistics_revenue_12m->>%(key)s)::numeric > 0))
           UPDATE sale_order so
              SET date_order = so.date_order - INTERVAL '12 months'
             FROM res_partner p
            WHERE p.id = so.partner_id AND p.commercial_partner_id IN (SELECT id FROM chosen)
              AND so.state = 'sale' AND so.date_order >= (NOW() AT TIME ZONE 'UTC') - INTERVAL '12 months'
        RETURNING p.commercial_partner_id, so.id""",
        {"share": share, "key": COMPANY_KEY},
    )
    rows = cr.fetchall()
    return len({row[0] for row in rows}), len(rows), [row[1] for row in rows]


def unshift_revenue(cr, order_ids):
    """Put the orders moved by :func:`shift_revenue` back, so that a reused database keeps its data."""
    cr.execute("UPDATE sale_order SET date_order = date_order + INTERVAL '12 months' WHERE id = ANY(%s)", (order_ids,))


def tier_distribution(cr):
    cr.execute(
        """SELECT COALESCE(t.code, '-'), COUNT(*) FROM res_partner p
        LEFT JOIN logistics_customer_tier t ON t.id = (p.logistics_tier_id->>%s)::int
            WHERE p.is_logistics_customer AND p.active GROUP BY 1 ORDER BY 1""",
        (COMPANY_KEY,),
    )
    tiers = ", ".join(f"{code}: {count:,}" for code, count in cr.fetchall())
    cr.execute(
        """SELECT COALESCE(logistics_stage->>%s, '-'), COUNT(*) FROM res_partner
            WHERE is_logistics_customer AND active GROUP BY 1 ORDER BY 2 DESC""",
        (COMPANY_KEY,),
    )
    stages = ", ".join(f"{stage}: {count:,}" for stage, count in cr.fetchall())
    return tiers, stages


# ---------------------------------------------------------------------------- report
def run_nested(runs, name):
    return any(run["breakdown"].get(name, {}).get("nested") for run in runs)


def mib(value):
    return f"{value / 2**20:,.0f} MiB" if value is not None else "n/a"


def print_report(args, counts, timings, floor, floor_rows, runs, shift, distribution):
    print()
    print(
        f"## logistics_recompute_tiers() benchmark ({args.db}, {os.cpu_count()} CPUs, "
        f"PostgreSQL {timings['pg_version']}, Odoo {timings['odoo_version']})"
    )
    print()
    print("| Data | Rows |")
    print("|---|---:|")
    for key, value in counts.items():
        print(f"| {key} | {value:,} |")
    if timings.get("install") is not None:
        print(f"| (install without demo: {timings['install']:.0f} s; data generation: {timings['generate']:.0f} s) | |")
    print()
    print(
        f"Floor (plain aggregate of the 12-month confirmed lines per commercial partner, {floor_rows:,} groups, "
        f"best of 3 after a warm-up): **{floor:.3f} s**"
    )
    print()
    print(
        "The floor is measured again right before each run, in the run's process (`Floor then`, best of 3);"
        " `Run / floor` compares the run with that floor. Runs 2 and 3 are made several times (the earlier"
        " attempts rolled back), and the best is reported, like the floor; `Attempts` lists them all."
    )
    print()
    print(
        "| Run | Time | Floor then | Run / floor | SQL queries | Time in SQL | Peak RSS increase"
        + (" | Python heap peak" if args.tracemalloc else "")
        + " | Changed customers | Tier changes | Win-back activities | Attempts |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|" + ("---:|" if args.tracemalloc else "") + "---:|---:|---:|---:|")
    for run in runs:
        summary = run["summary"]
        run_floor = run.get("floor", floor)
        print(
            f"| {run['label']} | {run['time']:.2f} s | {run_floor:.3f} s | {run['time'] / run_floor:.2f}x | "
            f"{run['queries']:,} | "
            f"{run['sql_time']:.2f} s | {mib(run['rss_increase'])}"
            + (f" | {mib(run.get('python_peak'))}" if args.tracemalloc else "")
            + f" | {summary['changed']:,} of {summary['customers']:,} | {summary['tier_changes']:,} | "
            f"{summary['win_back']:,} | {', '.join(f'{t:.2f}' for t in run.get('times', [run['time']]))} s |"
        )
    print()
    before = [run.get("rss_before") for run in runs if run.get("rss_before")]
    if before:
        print(
            f"Each run ran in a fresh process holding {mib(min(before))}-{mib(max(before))} RSS before the call "
            "(Odoo registry loaded)."
        )
    failed = sum(run["summary"].get("failed_batches", 0) for run in runs)
    if failed:
        print(f"**WARNING: {failed} batches FAILED during the runs (see the log above): these figures are not valid.**")
    print(
        f"Run 3 follows a shift of {shift[1]:,} orders of {shift[0]:,} customers "
        f"({SHIFT_SHARE:.0%} of those with revenue) out of the window."
    )
    print(f"After run 1: tiers {distribution[0]}; stages {distribution[1]}.")
    rule = "none" if args.no_rule else f"on tier changes, code `{RULE_CODE}`"
    print(f"Automated action active during the runs: {rule}.")
    print()
    print("Breakdown by helper (inclusive wall time; `of which` rows are inside the helper above them):")
    print()
    print("| Step | " + " | ".join(run["label"] for run in runs) + " |")
    print("|---|" + "---:|" * len(runs))
    names = []
    for run in runs:
        for name in run["breakdown"]:
            if name not in names:
                names.append(name)
    order = [
        "env.flush_all",
        "_logistics_plan",
        "_logistics_fetch_current",
        "_logistics_fetch_sales",
        "_logistics_fetch_open_deals",
        "tiering.assign_tiers",
        "_logistics_write_batch",
        "base.automation._process",
        "_logistics_history_batch",
        "mail.message.create",
        "_logistics_win_back_batch",
        "mail.activity.create",
    ]
    names.sort(key=lambda n: order.index(n) if n in order else len(order))
    for name in names:
        cells = []
        for run in runs:
            stat = run["breakdown"].get(name)
            cells.append(
                f"{stat['time']:.2f} s, {stat['queries']:,} q ({stat['sql']:.2f} s SQL), {stat['calls']}x"
                if stat
                else "-"
            )
        label = f"of which {name}" if run_nested(runs, name) else name
        print(f"| {label} | " + " | ".join(cells) + " |")
    cells = []
    for run in runs:
        top = sum(s["time"] for s in run["breakdown"].values() if not s["nested"])
        cells.append(f"{run['time'] - top:.2f} s")
    print("| rest (Python: comparing, building the changes; final flush) | " + " | ".join(cells) + " |")


# ---------------------------------------------------------------------------- main
def build_parser():
    parser = argparse.ArgumentParser(
        description="Benchmark logistics_recompute_tiers() on generated data against the floor of a plain "
        "aggregate query.",
        epilog="PostgreSQL: PGHOST/PGPORT/PGUSER/PGPASSWORD (default 127.0.0.1:5432, role root).",
    )
    parser.add_argument("--db", default="lcrm_bench", help="database to create (default lcrm_bench)")
    parser.add_argument("--partners", type=int, default=100_000, help="customer companies (default 100000)")
    parser.add_argument("--orders", type=int, default=200_000, help="confirmed sales orders (default 200000)")
    parser.add_argument("--lines", type=int, default=1_000_000, help="confirmed order lines (default 1000000)")
    parser.add_argument("--contacts-per-partner", type=int, default=0, help="contacts per company (default 0)")
    parser.add_argument("--seed", type=int, default=1, help="random seed of the data (default 1)")
    parser.add_argument("--keep-db", action="store_true", help="keep the database at the end")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="reuse the database if it exists (no install; no generation if it holds data)",
    )
    parser.add_argument(
        "--tracemalloc", action="store_true", help="also measure the Python-heap peak (slows the runs down)"
    )
    parser.add_argument("--no-rule", action="store_true", help="measure without the automated action on tier changes")
    parser.add_argument("--addons-path", help="Odoo addons path (default: as scripts/lib.sh computes it)")
    parser.add_argument("--child-run", help=argparse.SUPPRESS)  # internal: measure one run in this process
    parser.add_argument("--repeats", type=int, default=1, help=argparse.SUPPRESS)  # internal: attempts of a run
    parser.add_argument(
        "--attempts",
        type=int,
        default=3,
        help="attempts of the daily runs (2 and 3), best reported, like the floor (default 3)",
    )
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    odoo = odoo_env.import_odoo()
    if args.child_run:
        return child_run(args)
    timings = {"install": None, "generate": None, "odoo_version": odoo.release.version}
    exists = odoo_env.database_exists(args.db)
    if exists and not args.reuse_db:
        log(f"dropping database {args.db}")
        drop_database(args.db)
        exists = False
    if not exists:
        log(f"creating database {args.db} with logistics_crm, without demo data ...")
        t0 = time.perf_counter()
        odoo_stop_after_init(args.db, args.addons_path, "-i", "logistics_crm", "--without-demo=all")
        timings["install"] = time.perf_counter() - t0
        log(f"installed in {timings['install']:.0f} s")
    else:
        log(f"updating logistics_crm in {args.db} ...")
        odoo_stop_after_init(args.db, args.addons_path, "-u", "logistics_crm")
    generated = False
    if not has_generated_data(args.db):
        log(f"generating {args.partners:,} customers, {args.orders:,} orders, {args.lines:,} lines ...")
        t0 = time.perf_counter()
        generate(args)
        timings["generate"] = time.perf_counter() - t0
        generated = True
        log(f"generated in {timings['generate']:.0f} s")

    conn = odoo_env.pg_connect(args.db)
    cr = conn.cursor()
    try:
        if not generated:
            log(f"reusing the data of {args.db}: reset the recomputed fields of {reset_recomputed(cr):,} partners")
            conn.commit()
            conn.autocommit = True
            cr.execute("VACUUM ANALYZE res_partner")
            conn.autocommit = False
        cr.execute("SHOW server_version")
        timings["pg_version"] = cr.fetchone()[0].split()[0]
        counts = data_counts(cr)
        log(f"data: {counts}")

        log("automated action on tier changes: " + ("none (--no-rule)" if args.no_rule else set_rule(args)))
        floor, floor_rows = measure_floor(cr)
        log(f"floor: {floor:.3f} s ({floor_rows:,} groups)")
        conn.commit()

        runs = [run_in_child(args, "1. first run")]
        distribution = tier_distribution(cr)
        conn.commit()
        log(f"after run 1: tiers {distribution[0]}; stages {distribution[1]}")
        runs.append(run_in_child(args, "2. second run (no change)", repeats=args.attempts))

        shift = shift_revenue(cr)
        conn.commit()
        log(f"shifted {shift[1]:,} orders of {shift[0]:,} customers out of the window")
        runs.append(run_in_child(args, "3. after a 5% revenue shift", repeats=args.attempts))
        unshift_revenue(cr, shift[2])
        conn.commit()
    finally:
        cr.close()
        conn.close()
    print_report(args, counts, timings, floor, floor_rows, runs, shift, distribution)

    if not args.keep_db:
        drop_database(args.db)
        log(f"dropped database {args.db}")
    return None


if __name__ == "__main__":
    main()
