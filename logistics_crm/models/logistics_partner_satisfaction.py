"""Satisfaction figures of a customer (a part of ``res.partner``).

``res.partner`` inherits this mixin. The figures are per company (company-dependent): each
company sees the score, NPS and answer count of its own surveys only. They are aggregated over
the completed answers of the customer's contacts within the company's survey window, refreshed
when an answer is completed and every night (the window slides), and written set-based.
"""

from collections import defaultdict
from datetime import datetime, time

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..domain import satisfaction
from .logistics_customer_values import update_company_figures
from .logistics_tier_engine import USER_GROUP

# the company-dependent figures (jsonb columns) and their SQL types, in the order of the figures' tuples
SATISFACTION_COLUMNS = {
    "logistics_satisfaction_score": "float8",
    "logistics_nps": "float8",
    "logistics_survey_answer_count": "int4",
    "logistics_last_survey_date": "date",
}


class LogisticsPartnerSatisfaction(models.AbstractModel):
    _name = "logistics.partner.satisfaction"
    _description = "Customer satisfaction figures (mixin of partners)"

    logistics_satisfaction_score = fields.Float(
        company_dependent=True,
        copy=False,
        readonly=True,
        string="Satisfaction score",
        digits=(5, 1),
        aggregator="avg",
        groups=USER_GROUP,
        help="0-100: the mean satisfaction index of the customer's completed survey answers (all its "
        "contacts) within the survey window of the current company.",
    )
    logistics_nps = fields.Float(
        company_dependent=True,
        copy=False,
        readonly=True,
        string="NPS",
        digits=(5, 1),
        aggregator="avg",
        groups=USER_GROUP,
        help="Net Promoter Score, -100 to 100: % promoters (9-10) minus % detractors (0-6) among the "
        'customer\'s answers to "how likely are you to recommend us" within the survey window.',
    )
    logistics_survey_answer_count = fields.Integer(
        company_dependent=True,
        copy=False,
        readonly=True,
        string="Survey answers",
        groups=USER_GROUP,
        help="Completed satisfaction survey answers of the customer's contacts within the survey window.",
    )
    logistics_last_survey_date = fields.Date(
        company_dependent=True,
        copy=False,
        readonly=True,
        string="Last survey answer",
        groups=USER_GROUP,
        help="When one of the customer's contacts last completed a satisfaction survey.",
    )

    @api.model
    def logistics_refresh_satisfaction(self, batch_size=5000):
        """Refresh every customer's satisfaction figures in each company (the nightly job).

        Public entry point (cron, server and automated actions, XML-RPC). The window slides, so
        customers whose last answers left it drop back to no score. Returns the number of
        customers written.
        """
        if not (self.env.su or self.env.user.has_group("logistics_crm.group_logistics_crm_manager")):
            raise AccessError(self.env._("Only Logistics CRM managers refresh the satisfaction figures."))
        written = 0
        # sudo: the job refreshes the figures of every company, whoever runs it
        partners = self.env["res.partner"].sudo()
        # the SELECT below reads these columns: pending ORM changes first
        self.env["survey.user_input"].flush_model(
            ["logistics_company_id", "logistics_partner_id", "state", "logistics_scored"]
        )
        self.env["res.partner"].flush_model(["commercial_partner_id", "logistics_survey_answer_count"])
        # every company: a handful of records
        for company in self.env["res.company"].sudo().search([]):  # pylint: disable=no-search-all
            key = str(company.id)
            self.env.cr.execute(
                SQL(
                    """SELECT DISTINCT logistics_partner_id FROM survey_user_input
                        WHERE logistics_company_id = %(company)s AND logistics_partner_id IS NOT NULL
                          AND state = 'done' AND logistics_scored
                    UNION
                    SELECT id FROM res_partner
                     WHERE id = commercial_partner_id
                       AND COALESCE((logistics_survey_answer_count ->> %(key)s)::int, 0) > 0""",
                    company=company.id,
                    key=key,
                )
            )
            ids = sorted(row[0] for row in self.env.cr.fetchall())
            for start in range(0, len(ids), batch_size):
                written += partners._logistics_refresh_satisfaction(
                    company, partners.browse(ids[start : start + batch_size])
                )
        return written

    @api.model
    def _logistics_satisfaction_figures(self, company, partner_ids):
        """``{customer_id: (score, nps, answers, last_date)}`` over ``company``'s survey window."""
        today = fields.Date.context_today(self)
        since = datetime.combine(satisfaction.window_start(today, company.logistics_survey_window_days), time.min)
        domain = [
            ("logistics_company_id", "=", company.id),
            ("logistics_partner_id", "in", list(partner_ids)),
            ("state", "=", "done"),
            ("logistics_scored", "=", True),
            ("test_entry", "=", False),
            ("end_datetime", ">=", since),
        ]
        Answer = self.env["survey.user_input"].sudo()
        rows = Answer._read_group(
            domain, ["logistics_partner_id"], ["__count", "logistics_satisfaction_score:avg", "end_datetime:max"]
        )
        categories = defaultdict(list)
        for partner, category, count in Answer._read_group(
            [*domain, ("logistics_nps_category", "!=", False)],
            ["logistics_partner_id", "logistics_nps_category"],
            ["__count"],
        ):
            categories[partner.id] += [category] * count
        return {
            partner.id: (
                round(score or 0.0, 1),
                satisfaction.nps(categories[partner.id]) or 0.0,
                count,
                last.date() if last else None,
            )
            for partner, count, score, last in rows
        }

    def _logistics_refresh_satisfaction(self, company, customers):
        """Write the figures of ``customers`` (commercial partners) in ``company``, on them and their contacts.

        One grouped read and one ``UPDATE`` (company-dependent jsonb values). Returns the count written.
        """
        customers = customers.commercial_partner_id
        if not customers:
            return 0
        figures = self._logistics_satisfaction_figures(company, customers.ids)
        empty = (0.0, 0.0, 0, None)
        rows = [(pid, *figures.get(pid, empty)) for pid in customers.ids]
        update_company_figures(self.env, company.id, list(SATISFACTION_COLUMNS.items()), rows)
        self.env["res.partner"].invalidate_model(list(SATISFACTION_COLUMNS))
        return len(rows)

    def action_logistics_view_surveys(self):
        """The customer's satisfaction survey answers (all its contacts)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("logistics_crm.action_logistics_survey_answers")
        action["domain"] = [("logistics_partner_id", "=", self.commercial_partner_id.id)]
        action["context"] = {"search_default_done": 1}
        return action
