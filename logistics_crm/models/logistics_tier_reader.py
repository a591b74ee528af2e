"""The tier engine's reading: a company's customers, confirmed sales and open deals, set-based.

Each method is one or two SQL queries over the jsonb company-dependent columns and the sales
tables (measured: see README, Performance); ``logistics.tier.engine`` ranks and writes.
"""

import logging
from datetime import timedelta

from odoo import api, models
from odoo.tools import SQL

from ..domain import tiering

_logger = logging.getLogger(__name__)


class LogisticsTierReader(models.AbstractModel):
    _name = "logistics.tier.reader"
    _description = "Logistics CRM tier engine: reading"

    @api.model
    def _logistics_fetch_current(self, company):
        """Current values of ``company``'s customers, keyed by partner id (one query).

        Company-dependent fields are jsonb columns keyed by company id. Customers are the
        commercial partners shared by all companies or reserved to this one.
        """
        key = str(company.id)
        self.env.cr.execute(
            SQL(
                """SELECT id, (logistics_tier_id->>%(key)s)::int,
                          COALESCE((logistics_tier_locked->>%(key)s)::boolean, FALSE),
                      (logistics_tier_date->>%(key)s)::date, logistics_stage->>%(key)s,
                      COALESCE((logistics_revenue_12m->>%(key)s)::float8, 0.0),
                      COALESCE((logistics_order_count->>%(key)s)::int, 0),
                      (logistics_last_order_date->>%(key)s)::date,
                      COALESCE((logistics_churn_risk->>%(key)s)::int, 0),
                      logistics_churn_level->>%(key)s, (logistics_next_contact_date->>%(key)s)::date,
                      (logistics_last_contact_date->>%(key)s)::date
                 FROM res_partner
                WHERE is_logistics_customer AND active AND (company_id IS NULL OR company_id = %(company)s)""",
                key=key,
                company=company.id,
            )
        )
        # {partner_id: ((tier_id, tier_date, stage, revenue, orders, last_order, risk, level, next_contact),
        #               locked, last_contact)}
        # (the revenue is stored rounded to cents: read back as float8 it equals the rounded new value)
        return {
            row[0]: ((row[1], row[3], row[4], row[5], row[6], row[7], row[8], row[9], row[10]), row[2], row[11])
            for row in self.env.cr.fetchall()
        }

    @api.model
    def _logistics_rateless_currencies(self, company):
        """Confirmed orders of ``company`` per currency that has no rate at all (Odoo would count them 1:1).

        Looks at the active currencies without any rate for the company first (a small table);
        the orders are counted only when there are such currencies.
        """
        self.env.cr.execute(
            SQL(
                """SELECT c.id FROM res_currency c
                WHERE c.active AND c.id != %(currency)s
                  AND NOT EXISTS (SELECT 1 FROM res_currency_rate r
                                   WHERE r.currency_id = c.id AND (r.company_id IS NULL OR r.company_id = %(root)s))""",
                currency=company.currency_id.id,
                root=company.root_id.id,
            )
        )
        currency_ids = [row[0] for row in self.env.cr.fetchall()]
        if not currency_ids:
            return {}
        self.env.cr.execute(
            SQL(
                """SELECT currency_id, COUNT(*) FROM sale_order
                WHERE company_id = %s AND state = 'sale' AND currency_id = ANY(%s)
             GROUP BY currency_id""",
                company.id,
                currency_ids,
            )
        )
        return dict(self.env.cr.fetchall())

    @api.model
    def _logistics_fetch_sales(self, company, today, months, rules, customer_ids=()):
        """Confirmed sales of ``company`` per commercial partner, one aggregate query.

        SQL rather than ``_read_group``: several filtered aggregates (window revenue,
        window count, recency, two frequency periods) in one scan of ``sale_order``.
        Amounts are untaxed, in order currency divided by the order's currency rate,
        i.e. in the company's currency. Orders in a currency without any rate are
        skipped (and counted): a 1:1 conversion would rank customers on wrong amounts.
        """
        rateless = self._logistics_rateless_currencies(company)
        skipped = sum(rateless.values())
        if skipped:
            names = self.env["res.currency"].browse(list(rateless)).mapped("name")
            _logger.warning(
                "logistics_recompute_tiers: %s: %s confirmed orders skipped, no rate for %s",
                company.name,
                skipped,
                ", ".join(names),
            )
        window_start = tiering.window_start(today, months)
        recent_start = today - timedelta(days=rules.active_days)
        prior_start = recent_start - timedelta(days=rules.active_days)
        # grouped by the ordering partner, without joining res_partner (a third faster at 200,000
        # orders); orders placed by contacts are added to their company below
        self.env.cr.execute(
            SQL(
                """SELECT so.partner_id,
                      COALESCE(SUM(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1))
                          FILTER (WHERE so.date_order >= %(window)s), 0)::float8,
                      COUNT(*) FILTER (WHERE so.date_order >= %(window)s),
                      MAX(so.date_order)::date,
                      COUNT(*) FILTER (WHERE so.date_order >= %(recent)s),
                      COUNT(*) FILTER (WHERE so.date_order >= %(prior)s AND so.date_order < %(recent)s)
                 FROM sale_order so
                WHERE so.state = 'sale' AND so.company_id = %(company)s
                  AND so.currency_id != ALL(%(rateless)s)
             GROUP BY so.partner_id""",
                window=window_start,
                recent=recent_start,
                prior=prior_start,
                company=company.id,
                rateless=list(rateless),
            )
        )
        sales = {row[0]: row[1:] for row in self.env.cr.fetchall()}
        others = [pid for pid in sales if pid not in customer_ids]
        if others:
            self.env.cr.execute(
                SQL(
                    "SELECT id, commercial_partner_id FROM res_partner "
                    "WHERE id = ANY(%s) AND commercial_partner_id != id",
                    others,
                )
            )
            for pid, commercial_id in self.env.cr.fetchall():
                revenue, orders, last, recent, prior = sales.pop(pid)
                if commercial_id not in sales:
                    sales[commercial_id] = (revenue, orders, last, recent, prior)
                    continue
                c_revenue, c_orders, c_last, c_recent, c_prior = sales[commercial_id]
                sales[commercial_id] = (
                    c_revenue + revenue,
                    c_orders + orders,
                    max(c_last, last),
                    c_recent + recent,
                    c_prior + prior,
                )
        return sales, skipped

    @api.model
    def _logistics_fetch_open_deals(self, company):
        """Commercial partners with an open opportunity or quotation of ``company``."""
        self.env.cr.execute(
            SQL(
                """SELECT p.commercial_partner_id
                 FROM crm_lead l
                 JOIN res_partner p ON p.id = l.partner_id
            LEFT JOIN crm_stage s ON s.id = l.stage_id
                WHERE l.active AND l.type = 'opportunity' AND COALESCE(l.probability, 0) < 100
                  AND NOT COALESCE(s.is_won, FALSE)
                  AND (l.company_id IS NULL OR l.company_id = %(company)s)
                UNION
               SELECT p.commercial_partner_id
                 FROM sale_order so
                 JOIN res_partner p ON p.id = so.partner_id
                WHERE so.state IN ('draft', 'sent') AND so.company_id = %(company)s""",
                company=company.id,
            )
        )
        return {row[0] for row in self.env.cr.fetchall()}
