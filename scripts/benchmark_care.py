#!/usr/bin/env python3
"""Benchmark of the care mailings and the management dashboard at scale (issue #15).

1. Creates a fresh database with logistics_crm installed without demo data (dropped first if it
   exists, unless ``--reuse-db``), fills it with scripts/generate_data.py (``--partners`` customers
   with email addresses, confirmed orders and lines, open deals) and computes the tiers and stages
   (``logistics_recompute_tiers()``), so that the shipped care rules apply as they would in a
   company of that size;
2. measures, in one process on the same data:
   a. the rules' ``Due now`` counters (the form's figures);
   b. ONE BATCH of ``logistics_send_care_mailings()`` (``--batch`` customers: render, post in the
      chatter, queue the mail, record the date), committed;
   c. the WHOLE RUN: batch after batch until nobody is due (what the scheduled action does with
      Odoo's cron progress), each committed; mails queued per second;
   d. a SECOND RUN the same day (nothing to send: the cost of finding that out);
   e. the management dashboard's data (``logistics.dashboard.logistics_dashboard_data()``), if present;
   wall time with the final flush, SQL queries, peak RSS increase;
3. prints a Markdown table (paste it into README.md), and drops the database unless ``--keep-db``.

Usage:
    python3 scripts/benchmark_care.py [--db lcrm_bench_care] [--partners 10000] [--orders 20000]
        [--lines 60000] [--batch 200] [--seed 1] [--keep-db] [--reuse-db] [--addons-path PATHS]

PostgreSQL through PGHOST / PGPORT / PGUSER (defaults 127.0.0.1 / 5432 / root); Odoo 18 by ``import odoo``.
"""

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import odoo_env  # noqa: E402
from benchmark_matching import measured  # noqa: E402
from benchmark_tiers import drop_database, generate, has_generated_data, odoo_stop_after_init  # noqa: E402


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def build_parser():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", default="lcrm_bench_care")
    parser.add_argument("--partners", type=int, default=10_000, help="customer companies (default 10000)")
    parser.add_argument("--orders", type=int, default=20_000, help="confirmed sales orders (default 20000)")
    parser.add_argument("--lines", type=int, default=60_000, help="confirmed order lines (default 60000)")
    parser.add_argument("--batch", type=int, default=200, help="customers per batch (default 200, as the cron)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep-db", action="store_true")
    parser.add_argument("--reuse-db", action="store_true")
    parser.add_argument("--addons-path")
    parser.set_defaults(contacts_per_partner=0)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    if not (args.reuse_db and odoo_env.database_exists(args.db)):
        drop_database(args.db)
        log(f"installing logistics_crm into {args.db} (no demo data)")
        odoo_stop_after_init(args.db, args.addons_path, "-i", "logistics_crm", "--without-demo=all")
    if not has_generated_data(args.db):
        log(f"generating {args.partners:,} customers, {args.orders:,} orders, {args.lines:,} lines")
        generate(args)
    env = odoo_env.open_env(args.db, args.addons_path)
    rows = []

    def row(label, seconds, queries=None, mb=None, note=""):
        rows.append((label, seconds, queries, mb, note))
        log(f"{label}: {seconds:.2f} s, {queries} queries, {mb} MB {note}")

    try:
        Partner = env["res.partner"]
        if not Partner.search_count([("logistics_stage", "!=", False)], limit=1):
            log("computing tiers and stages")
            Partner.logistics_recompute_tiers()
            env.cr.commit()
        # a fresh start: nobody mailed yet
        env.cr.execute(
            "UPDATE res_partner SET logistics_last_care_date = NULL, logistics_last_care_rule_id = NULL "
            "WHERE logistics_last_care_date IS NOT NULL"
        )
        env.cr.execute(
            "DELETE FROM mail_mail m USING mail_message msg WHERE m.mail_message_id = msg.id "
            "AND msg.model = 'res.partner'"
        )
        env.cr.commit()
        env.invalidate_all()
        Rule = env["logistics.care.rule"].with_context(mail_notify_force_send=False)
        rules = Rule.search([])
        customers = Partner.search_count([("is_logistics_customer", "=", True)])

        def due_counts():
            rules.invalidate_recordset(["due_count", "partner_count"])
            return {rule.name: rule.due_count for rule in rules}

        seconds, queries, mb, due = measured(env, due_counts)
        total_due = sum(due.values())
        row(
            f"Due now counters of the {len(rules)} shipped rules",
            seconds,
            queries,
            mb,
            ", ".join(f"{name}: {count:,}" for name, count in due.items()),
        )

        seconds, queries, mb, mailed = measured(env, lambda: Rule.logistics_send_care_mailings(batch_size=args.batch))
        env.cr.commit()
        row(
            f"One batch ({args.batch} customers)",
            seconds,
            queries,
            mb,
            f"{mailed} mailed: {queries / max(mailed, 1):.1f} queries and {1000 * seconds / max(mailed, 1):.0f} ms "
            "per customer",
        )

        def whole_run():
            batches = total = 0
            while True:
                sent = Rule.logistics_send_care_mailings(batch_size=args.batch)
                env.cr.commit()
                if not sent:
                    return batches, total
                batches += 1
                total += sent

        seconds, queries, mb, (batches, total) = measured(env, whole_run)
        row(
            "Whole run, batch after batch, each committed",
            seconds,
            queries,
            mb,
            f"{total + mailed:,} customers mailed in all ({batches + 1} batches), "
            f"{total / max(seconds, 1e-9):.0f} mails queued per second",
        )
        seconds, queries, mb, again = measured(env, Rule.logistics_send_care_mailings)
        row("Second run the same day", seconds, queries, mb, f"{again} mailed")
        env.cr.execute(
            "SELECT count(*) FROM mail_mail m JOIN mail_message msg ON msg.id = m.mail_message_id "
            "WHERE msg.model = 'res.partner' AND m.state = 'outgoing'"
        )
        queued = env.cr.fetchone()[0]

        if "logistics.dashboard" in env and hasattr(env["logistics.dashboard"], "logistics_dashboard_data"):
            Dashboard = env["logistics.dashboard"]
            Dashboard.logistics_dashboard_data()  # warm-up: the registry's caches
            env.invalidate_all()
            seconds, queries, mb, _data = measured(env, Dashboard.logistics_dashboard_data)
            row("Management dashboard: all its figures", seconds, queries, mb)
        print()
        print(
            f"{customers:,} customers; {total_due:,} due a care mailing on the first day; "
            f"{queued:,} mails in the mail queue at the end."
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
