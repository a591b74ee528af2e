#!/usr/bin/env python3
"""Generate logistics_crm demo data at scale (customers, confirmed sales, open deals).

Fills an existing database where ``logistics_crm`` is installed, with set-based SQL
(``INSERT ... SELECT ... FROM generate_series``), not the ORM record by record, so a
hundred thousand customers and a million order lines take minutes:

- N customer companies (``res.partner``, ``is_logistics_customer``), optionally with
  contacts (child partners) that place a quarter of the orders;
- M confirmed sales orders (state ``sale``) spread over the last ``--months`` months,
  with a Pareto-like revenue distribution over the customers (order count and order
  size both skewed), so that tiers A, B and C are all populated;
- L order lines of one service product (created once through the ORM), taxed with the
  company's default sales tax when it is a plain percentage (``--no-tax``: untaxed);
  order totals are set from their lines with one ``UPDATE ... FROM (... GROUP BY)``;
- a few thousand open opportunities (``crm.lead``) and draft quotations, so that the
  lifecycle stage "target" exists.

Every column the ORM would fill is filled: the script creates one prototype record of
each model through the ORM (with its defaults and computed fields, whatever modules
are installed), copies the columns it does not compute itself from that prototype,
then deletes the prototypes. All rows are made in one transaction (nothing is kept if
a step fails); the id sequences are advanced past the inserted ids; the touched tables
are vacuumed and analysed.

Re-runnable: each run marks its rows with a prefix (partner ``ref`` ``BENCH-000001``,
order ``BENCH/000001``); a later run on the same database picks ``BENCH2``, ``BENCH3``...
An explicit ``--prefix`` that is already used is refused.

Usage:
    python3 scripts/generate_data.py --db NAME [--partners 100000] [--orders 200000]
        [--lines 1000000] [--contacts-per-partner 0] [--seed 1] [--months 24]
        [--opportunities N] [--quotations N] [--prefix BENCH] [--no-tax]
        [--addons-path PATHS]

PostgreSQL is reached through PGHOST / PGPORT / PGUSER / PGPASSWORD (defaults
127.0.0.1 / 5432 / root). Odoo 18 is found by ``import odoo`` (set PYTHONPATH or
ODOO_PATH); the addons path defaults to the one scripts/lib.sh computes (Odoo's addons,
a source checkout's addons/ folder, this repository, ODOO_ADDONS_PATH).
The database must not be in use by other writers while the script runs.
"""

import argparse
import re

from generate_orders import OrderRows
from generate_sql import Steps, insert_from_prototype, reserve_ids
from odoo_env import database_exists, import_odoo, open_env, pg_connect

# Revenue skew: an order goes to the customer of Pareto rank floor(N * u**ORDER_SKEW)
# (u uniform), and its lines are priced PRICE_SKEW-times higher for top-ranked customers
# (factor ((rank + 0.5) / N) ** -PRICE_SKEW). With 2.0 / 0.35, 200,000 orders over
# 100,000 customers and 24 months give about 28 % / 39 % / 33 % of the customers with
# revenue in tiers A / B / C (80 / 95 / 100 % cut-offs), and a mix of active, dormant,
# lost and never-ordering customers.
ORDER_SKEW = 2.0
PRICE_SKEW = 0.35
PRODUCT_CODE = "LCRM-BENCH-SERVICE"


# ---------------------------------------------------------------------------- generator
class Generator(OrderRows):
    def __init__(self, env, args):
        self.env = env
        self.cr = env.cr
        self.args = args
        self.steps = Steps()
        self.made = {}

    # -------------------------------------------------------------- set-up
    def check_installed(self):
        self.cr.execute("SELECT state FROM ir_module_module WHERE name = 'logistics_crm'")
        row = self.cr.fetchone()
        if not row or row[0] != "installed":
            raise SystemExit(f"ERROR: logistics_crm is not installed in database '{self.args.db}'.")

    def choose_prefix(self):
        def used(prefix):
            self.cr.execute(
                """SELECT EXISTS(SELECT 1 FROM res_partner WHERE ref LIKE %(p)s || '-%%')
                       OR EXISTS(SELECT 1 FROM sale_order WHERE name LIKE %(p)s || '/%%')""",
                {"p": prefix},
            )
            return self.cr.fetchone()[0]

        if self.args.prefix:
            if not re.fullmatch(r"[A-Za-z0-9_]+", self.args.prefix):
                raise SystemExit("ERROR: --prefix may hold letters, digits and underscores only.")
            if used(self.args.prefix):
                raise SystemExit(
                    f"ERROR: prefix '{self.args.prefix}' is already used in database "
                    f"'{self.args.db}' (partners {self.args.prefix}-..., orders "
                    f"{self.args.prefix}/...): choose another --prefix or drop the database."
                )
            return self.args.prefix
        prefix, run = "BENCH", 1
        while used(prefix):
            run += 1
            prefix = f"BENCH{run}"
        return prefix

    def setup(self):
        env = self.env
        self.check_installed()
        self.prefix = self.choose_prefix()
        self.company = env.ref("base.main_company")
        self.admin = env.ref("base.user_admin")
        # the prototypes are made as the admin user (salesperson, creator), without chatter
        self.uenv = env(
            user=self.admin.id,
            su=True,
            context={
                "tracking_disable": True,
                "mail_create_nolog": True,
                "mail_notrack": True,
                "allowed_company_ids": [self.company.id],
            },
        )
        self.tax = self.sales_tax()
        self.product = self.ensure_product()
        print(
            f"Database '{self.args.db}', prefix '{self.prefix}', company '{self.company.name}' "
            f"({self.company.currency_id.name}), product [{PRODUCT_CODE}], "
            f"tax: {self.tax.name if self.tax else 'none'}"
        )
        # setseed() takes a number in [-1, 1]
        self.cr.execute("SELECT setseed(%s)", (((self.args.seed * 2654435761) % 2**31) / 2**31 * 2 - 1,))
        self.cr.execute("SET LOCAL work_mem = '256MB'")

    def sales_tax(self):
        """The company's default sales tax when it is a plain percentage added to the price, else none."""
        tax = self.company.account_sale_tax_id if "account_sale_tax_id" in self.company._fields else None
        if self.args.no_tax or not tax:
            return None
        if tax.amount_type != "percent" or tax.price_include or tax.children_tax_ids:
            return None
        return tax

    def ensure_product(self):
        Product = self.uenv["product.product"].with_context(active_test=False)
        product = Product.search([("default_code", "=", PRODUCT_CODE)], limit=1)
        if not product:
            vals = {
                "name": "Freight forwarding service (benchmark)",
                "default_code": PRODUCT_CODE,
                "type": "service",
                "sale_ok": True,
                "purchase_ok": False,
                "list_price": 100.0,
                "invoice_policy": "order",
            }
            product = Product.create(vals)
            product.taxes_id = self.tax or False
        return product

    def make_prototypes(self):
        """One record of each model through the ORM: its columns are copied into the generated rows."""
        from odoo import Command  # noqa: PLC0415

        env = self.uenv
        self.proto_partner = env["res.partner"].create(
            {"name": f"{self.prefix} prototype", "is_company": True, "user_id": self.admin.id}
        )
        self.proto_contact = env["res.partner"].create(
            {"name": f"{self.prefix} prototype contact", "parent_id": self.proto_partner.id, "type": "contact"}
        )
        self.proto_order = env["sale.order"].create(
            {
                "partner_id": self.proto_partner.id,
                "company_id": self.company.id,
                "user_id": self.admin.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
            }
        )
        self.proto_line = self.proto_order.order_line
        self.proto_lead = env["crm.lead"].create(
            {
                "name": f"{self.prefix} prototype",
                "type": "opportunity",
                "partner_id": self.proto_partner.id,
                "user_id": self.admin.id,
            }
        )
        if not self.proto_lead.stage_id or self.proto_lead.stage_id.is_won:
            stage = env["crm.stage"].search([("is_won", "=", False)], order="sequence, id", limit=1)
            self.proto_lead.stage_id = stage
        env.flush_all()
        self.tax_rel = self.env["sale.order.line"]._fields["tax_id"]
        self.proto_line.tax_id = self.tax or False
        env.flush_all()

    def drop_prototypes(self):
        self.proto_lead.unlink()
        self.proto_order.unlink()  # draft: deletable, with its line
        (self.proto_contact | self.proto_partner).unlink()
        self.uenv.flush_all()

    # -------------------------------------------------------------- partners
    def common_partner(self):
        return {
            "company_id": "NULL",
            "active": "TRUE",
            "type": "'contact'",
            "partner_share": "TRUE",
            "user_id": "%(admin)s",
            "customer_rank": "1",
            "create_uid": "%(admin)s",
            "write_uid": "%(admin)s",
            "create_date": "NOW() AT TIME ZONE 'UTC'",
            "write_date": "NOW() AT TIME ZONE 'UTC'",
            # the logistics_* fields are the prototype's: no tier, stage or figures until the recomputation
        }

    def insert_partners(self):
        n = self.args.partners
        width = max(6, len(str(n)))
        self.partner_base = reserve_ids(self.cr, "res_partner", n)
        name = f"%(prefix)s || ' Customer ' || lpad(g::text, {width}, '0')"
        email = "lower(%(prefix)s) || '.customer' || g || '@example.com'"
        explicit = {
            **self.common_partner(),
            "id": "%(base)s + g - 1",
            "name": name,
            "complete_name": name,
            "commercial_company_name": name,
            "ref": f"%(prefix)s || '-' || lpad(g::text, {width}, '0')",
            "email": email,
            "email_normalized": email,
            "is_company": "TRUE",
            "parent_id": "NULL",
            "commercial_partner_id": "%(base)s + g - 1",
            "is_logistics_customer": "TRUE",
        }
        with self.steps.step(f"res.partner: {n:,} customer companies") as info:
            info["rows"] = insert_from_prototype(
                self.cr,
                "res_partner",
                explicit,
                "generate_series(1, %(n)s) AS g",
                self.proto_partner.id,
                {"base": self.partner_base, "n": n, "prefix": self.prefix, "admin": self.admin.id},
            )
        self.made["customer companies"] = info["rows"]

    def insert_contacts(self):
        k, n = self.args.contacts_per_partner, self.args.partners
        self.contact_base = None
        if k <= 0:
            return
        self.contact_base = reserve_ids(self.cr, "res_partner", n * k)
        # contact g (0-based) belongs to company g / k
        company_id = "%(pbase)s + (g - 1) / %(k)s"
        explicit = {
            **self.common_partner(),
            "id": "%(base)s + g - 1",
            "name": "'Contact ' || (1 + (g - 1) %% %(k)s) || ' of ' || c.name",
            "complete_name": "c.name || ', Contact ' || (1 + (g - 1) %% %(k)s) || ' of ' || c.name",
            "commercial_company_name": "c.name",
            "email": "lower(%(prefix)s) || '.contact' || g || '@example.com'",
            "email_normalized": "lower(%(prefix)s) || '.contact' || g || '@example.com'",
            "ref": "NULL",
            "is_company": "FALSE",
            "parent_id": "c.id",
            "commercial_partner_id": "c.id",
            "is_logistics_customer": "FALSE",
            "customer_rank": "0",
        }
        source = f"generate_series(1, %(count)s) AS g JOIN res_partner c ON c.id = {company_id}"
        with self.steps.step(f"res.partner: {n * k:,} contacts ({k} per company)") as info:
            info["rows"] = insert_from_prototype(
                self.cr,
                "res_partner",
                explicit,
                source,
                self.proto_contact.id,
                {
                    "base": self.contact_base,
                    "pbase": self.partner_base,
                    "k": k,
                    "count": n * k,
                    "prefix": self.prefix,
                    "admin": self.admin.id,
                },
            )
        self.made["contacts"] = info["rows"]

    def email_domain_criterion(self):
        """SQL for crm.lead.email_domain_criterion of the partners' @example.com addresses."""
        from odoo.addons.iap.tools import iap_tools  # noqa: PLC0415

        sample = "someone@example.com"
        criterion = iap_tools.mail_prepare_for_domain_search(sample)
        if criterion == sample:  # a generic mail provider: the whole address is the criterion
            return "p.email_normalized"
        return "'{}'".format((criterion or "").replace("'", "''").replace("%", "%%"))

    # -------------------------------------------------------------- maintenance
    def fix_sequences(self):
        for table in ("res_partner", "sale_order", "sale_order_line", "crm_lead"):
            self.cr.execute(
                f"""SELECT setval(pg_get_serial_sequence(%s, 'id'),
                                  GREATEST((SELECT COALESCE(MAX(id), 1) FROM "{table}"),
                                           (SELECT last_value FROM {table}_id_seq)))""",
                (table,),
            )

    def run(self):
        args = self.args
        self.setup()
        with self.steps.step("set-up: ORM prototypes"):
            self.make_prototypes()
        self.insert_partners()
        self.insert_contacts()
        days = args.months * 365.25 / 12
        self.made["confirmed orders"], self.made["confirmed order lines"] = self.insert_orders(
            "confirmed orders", args.orders, args.lines, True, "", ORDER_SKEW, PRICE_SKEW, days
        )
        if args.quotations > 0:
            self.made["draft quotations"], _lines = self.insert_orders(
                "draft quotations", args.quotations, args.quotations, False, "Q", 1.0, 0.0, 60.0
            )
        self.insert_opportunities()
        with self.steps.step("clean-up: prototypes, sequences"):
            self.drop_prototypes()
            self.fix_sequences()
        with self.steps.step("commit"):
            self.env.invalidate_all()
            self.cr.commit()
        with self.steps.step("VACUUM ANALYZE of the touched tables"):
            conn = pg_connect(args.db, autocommit=True)
            with conn.cursor() as cr:
                for table in ("res_partner", "sale_order", "sale_order_line", "crm_lead", self.tax_rel.relation):
                    cr.execute(f'VACUUM ANALYZE "{table}"')
            conn.close()
        self.report()

    def report(self):
        self.cr.execute(
            """SELECT COUNT(*) FILTER (WHERE so.state = 'sale'),
                      COALESCE(SUM(so.amount_untaxed) FILTER (WHERE so.state = 'sale'), 0),
                      COUNT(*) FILTER (WHERE so.state = 'draft'),
                      MIN(so.date_order), MAX(so.date_order)
                 FROM sale_order so WHERE so.name LIKE %s || '/%%'""",
            (self.prefix,),
        )
        confirmed, revenue, drafts, first, last = self.cr.fetchone()
        print(f"\nMade with prefix '{self.prefix}' in {self.steps.total():.1f} s:")
        for label, count in self.made.items():
            print(f"  {count:>12,}  {label}")
        print(
            f"  confirmed revenue (untaxed): {revenue:,.2f} {self.company.currency_id.name}, "
            f"orders dated {first:%Y-%m-%d} .. {last:%Y-%m-%d}"
        )


def positive_or_zero(text):
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must be zero or more")
    return value


def build_parser():
    parser = argparse.ArgumentParser(
        description="Generate logistics_crm demo data at scale with set-based SQL "
        "(customers, confirmed sales orders and lines, open opportunities and quotations).",
        epilog="PostgreSQL: PGHOST/PGPORT/PGUSER/PGPASSWORD (default 127.0.0.1:5432, role root).",
    )
    parser.add_argument("--db", required=True, help="existing database where logistics_crm is installed")
    parser.add_argument("--partners", type=int, default=100_000, help="customer companies (default 100000)")
    parser.add_argument("--orders", type=int, default=200_000, help="confirmed sales orders (default 200000)")
    parser.add_argument(
        "--lines",
        type=int,
        default=1_000_000,
        help="lines of the confirmed orders, at least one per order (default 1000000)",
    )
    parser.add_argument(
        "--contacts-per-partner",
        type=positive_or_zero,
        default=0,
        help="contacts (child partners) per company; they place a quarter of the orders (default 0)",
    )
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--months", type=int, default=24, help="orders are dated over the last N months (default 24)")
    parser.add_argument(
        "--opportunities",
        type=positive_or_zero,
        default=None,
        help="open opportunities (default: partners / 50, between 100 and 5000)",
    )
    parser.add_argument(
        "--quotations",
        type=positive_or_zero,
        default=None,
        help="draft quotations of one line (default: partners / 50, between 100 and 5000)",
    )
    parser.add_argument(
        "--prefix", help="marker of this run's rows (default: BENCH, or BENCH2, BENCH3... when already used)"
    )
    parser.add_argument("--no-tax", action="store_true", help="untaxed lines even if the company has a sales tax")
    parser.add_argument("--addons-path", help="Odoo addons path (default: as scripts/lib.sh computes it)")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.partners < 1 or args.orders < 1:
        raise SystemExit("ERROR: --partners and --orders must be at least 1.")
    if args.lines < args.orders:
        raise SystemExit("ERROR: --lines must be at least --orders (every order has a line).")
    if args.months < 1:
        raise SystemExit("ERROR: --months must be at least 1.")
    deals = min(5000, max(100, args.partners // 50))
    args.opportunities = deals if args.opportunities is None else args.opportunities
    args.quotations = deals if args.quotations is None else args.quotations
    import_odoo()
    if not database_exists(args.db):
        raise SystemExit(
            f"ERROR: database '{args.db}' does not exist (create it with logistics_crm installed, "
            f"e.g. scripts/odoo -d {args.db} -i logistics_crm --without-demo=all --stop-after-init)."
        )
    env = open_env(args.db, args.addons_path)
    try:
        Generator(env, args).run()
    finally:
        env.cr.close()


if __name__ == "__main__":
    main()
