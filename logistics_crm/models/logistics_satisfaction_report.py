"""The satisfaction KPI report: survey answers and complaints per salesperson, tier and period.

A SQL view with one row per completed satisfaction answer and one per complaint, so that the
pivot groups both by salesperson, tier, month or quarter. Averages skip the rows without a
value (a complaint row has no scores, a skipped dimension has none): the NPS is the mean of
+100 (promoter), 0 (passive) and -100 (detractor) over the answers that rated loyalty.
"""

from odoo import fields, models, tools
from odoo.tools import SQL

from ..domain import satisfaction
from .survey_user_input import NPS_SELECTION, SOURCES


def _avg(label, help_text):
    return fields.Float(string=label, digits=(5, 1), aggregator="avg", readonly=True, help=help_text)


class LogisticsSatisfactionReport(models.Model):
    _name = "logistics.satisfaction.report"
    _description = "Satisfaction KPI report"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "date"
    # the columns the view reads: Odoo flushes them before reading the report
    _depends = {
        "survey.user_input": [
            "end_datetime",
            "logistics_company_id",
            "logistics_salesperson_id",
            "logistics_partner_id",
            "logistics_tier_id",
            "survey_id",
            "logistics_source",
            "logistics_nps_category",
            "logistics_scores",
            "logistics_scored",
            "logistics_satisfaction_score",
            "state",
            "test_entry",
        ],
        "logistics.complaint": ["create_date", "company_id", "user_id", "partner_id", "tier_id", "sla_status"],
    }

    kind = fields.Selection([("answer", "Survey answer"), ("complaint", "Complaint")], readonly=True)
    date = fields.Date(readonly=True, help="The day the survey was completed or the complaint received.")
    company_id = fields.Many2one("res.company", readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        readonly=True,
        help="Who the answer or complaint is credited to: the complaint's owner, the order's salesperson "
        "or the customer's salesperson.",
    )
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    tier_id = fields.Many2one("logistics.customer.tier", readonly=True)
    survey_id = fields.Many2one("survey.survey", readonly=True)
    source = fields.Selection(SOURCES, string="Invitation", readonly=True)
    nps_category = fields.Selection(NPS_SELECTION, string="NPS category", readonly=True)
    answer_id = fields.Many2one("survey.user_input", readonly=True)
    complaint_id = fields.Many2one("logistics.complaint", readonly=True)
    response_count = fields.Integer(string="Responses", readonly=True, help="Completed satisfaction answers.")
    score_expectation = _avg("Expected quality", "Mean 0-100 score of the expected-quality questions.")
    score_quality = _avg("Experienced quality", "Mean 0-100 score of the experienced-quality questions.")
    score_value = _avg("Perceived value", "Mean 0-100 score of the perceived-value questions.")
    score_satisfaction = _avg("Overall satisfaction", "Mean 0-100 score of the overall-satisfaction questions.")
    score_complaint = _avg("Complaint handling", "Mean 0-100 score of the complaint-handling questions.")
    score_loyalty = _avg("Loyalty", "Mean 0-100 score of the loyalty (would recommend) question.")
    satisfaction_score = _avg("Satisfaction index", "Mean 0-100 satisfaction index of the answers.")
    nps = _avg("NPS", "Net Promoter Score, -100 to 100: % promoters (9-10) minus % detractors (0-6) of the answers.")
    promoter_count = fields.Integer(string="Promoters", readonly=True)
    passive_count = fields.Integer(string="Passives", readonly=True)
    detractor_count = fields.Integer(string="Detractors", readonly=True)
    complaint_count = fields.Integer(string="Complaints received", readonly=True)
    breached_count = fields.Integer(
        string="Complaints breached", readonly=True, help="Complaints whose response or resolution deadline was missed."
    )

    def _logistics_query(self):
        scores = SQL(", ").join(
            SQL("(ui.logistics_scores ->> %s)::float8 AS %s", dimension, SQL.identifier(f"score_{dimension}"))
            for dimension in satisfaction.DIMENSIONS
        )
        no_scores = SQL(", ").join(
            SQL("NULL::float8 AS %s", SQL.identifier(f"score_{dimension}")) for dimension in satisfaction.DIMENSIONS
        )
        return SQL(
            """
            SELECT ui.id * 2 AS id, 'answer' AS kind, ui.end_datetime::date AS date,
                   ui.logistics_company_id AS company_id, ui.logistics_salesperson_id AS user_id,
                   ui.logistics_partner_id AS partner_id, ui.logistics_tier_id AS tier_id,
                   ui.survey_id AS survey_id, ui.logistics_source AS source,
                   ui.logistics_nps_category AS nps_category,
                   ui.id AS answer_id, NULL::int AS complaint_id, 1 AS response_count,
                   %(scores)s,
                   ui.logistics_satisfaction_score AS satisfaction_score,
                   CASE ui.logistics_nps_category
                        WHEN %(promoter)s THEN 100.0 WHEN %(passive)s THEN 0.0 WHEN %(detractor)s THEN -100.0
                   END::float8 AS nps,
                   (ui.logistics_nps_category = %(promoter)s)::int AS promoter_count,
                   (ui.logistics_nps_category = %(passive)s)::int AS passive_count,
                   (ui.logistics_nps_category = %(detractor)s)::int AS detractor_count,
                   0 AS complaint_count, 0 AS breached_count
              FROM survey_user_input ui
             WHERE ui.state = 'done' AND ui.logistics_scored AND ui.logistics_company_id IS NOT NULL
               AND ui.test_entry IS NOT TRUE
            UNION ALL
            SELECT c.id * 2 + 1, 'complaint', c.create_date::date,
                   c.company_id, c.user_id, c.partner_id, c.tier_id,
                   NULL::int, NULL::varchar, NULL::varchar,
                   NULL::int, c.id, 0,
                   %(no_scores)s,
                   NULL::float8, NULL::float8,
                   0, 0, 0,
                   1, (c.sla_status = 'breached')::int
              FROM logistics_complaint c
            """,
            scores=scores,
            no_scores=no_scores,
            promoter=satisfaction.PROMOTER,
            passive=satisfaction.PASSIVE,
            detractor=satisfaction.DETRACTOR,
        )

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL("CREATE OR REPLACE VIEW %s AS (%s)", SQL.identifier(self._table), self._logistics_query())
        )
