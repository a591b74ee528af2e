import json

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# the care mailing rules shipped for the main company and copied for every other one
CARE_RULE_XMLIDS = (
    "logistics_crm.care_rule_win_back",
    "logistics_crm.care_rule_key_accounts",
    "logistics_crm.care_rule_others",
)


class ResCompany(models.Model):
    _inherit = "res.company"

    # Bookkeeping of the tier engine, written with SQL inside its runs (never by users).
    logistics_tier_run_at = fields.Datetime(
        string="Tiers last computed",
        readonly=True,
        copy=False,
        help="When a recompute of this company's customer tiers last started.",
    )
    logistics_tier_skip = fields.Json(
        string="Customers skipped today",
        readonly=True,
        copy=False,
        help="Customers of a batch that failed during today's daily job: they wait for tomorrow's run.",
    )

    def _logistics_tier_skipped(self, today):
        """Ids of the customers whose batch failed earlier in today's daily job."""
        self.ensure_one()
        skip = self.sudo().logistics_tier_skip or {}
        return list(skip.get("ids", [])) if skip.get("date") == str(today) else []

    def _logistics_tier_skip(self, today, partner_ids):
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "UPDATE res_company SET logistics_tier_skip = %s::jsonb WHERE id = %s",
                json.dumps({"date": str(today), "ids": sorted(set(partner_ids))}),
                self.id,
            )
        )
        self.invalidate_recordset(["logistics_tier_skip"])

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._logistics_refresh_customer_flag()
        companies._logistics_create_care_rules()
        return companies

    def write(self, vals):
        old_partners = self.partner_id if "partner_id" in vals else self.env["res.partner"]
        result = super().write(vals)
        if "partner_id" in vals:
            self._logistics_refresh_customer_flag(old_partners)
        return result

    def _logistics_create_care_rules(self):
        """Give each of these companies that has no care mailing rule a copy of the shipped ones
        (key accounts monthly, others quarterly, win-back), as the main company has them now: its
        edits of their tiers, stages and intervals are copied too."""
        # sudo: the rules are configuration the company needs, whoever creates it
        rules = self.env["logistics.care.rule"].sudo().with_context(active_test=False)
        shipped = rules.browse()
        for xmlid in CARE_RULE_XMLIDS:
            shipped |= self.env.ref(xmlid, raise_if_not_found=False) or rules.browse()
        if not shipped:
            return
        with_rules = set(rules.search([("company_id", "in", self.ids)]).company_id.ids)
        for company in self.filtered(lambda c: c.id not in with_rules):
            for rule in shipped:
                rule.copy({"company_id": company.id})

    def _logistics_refresh_customer_flag(self, extra_partners=None):
        """Our own companies are not customers: refresh the flag of their partners."""
        partners = self.partner_id | (extra_partners or self.env["res.partner"])
        self.env.add_to_compute(partners._fields["is_logistics_customer"], partners)

    # Cargo/vessel matching settings (per company: its own prices and currency)
    logistics_match_limit = fields.Integer(
        string="Matches kept per cargo and per position",
        default=10,
        help="Only the best N vessels of each cargo and the best N cargoes of each position are stored.",
    )
    logistics_match_notify_score = fields.Float(
        string="Notify from score",
        default=75.0,
        help="A new match scoring at least this much gives the cargo's salesperson an activity. 0: never.",
    )
    logistics_bunker_price = fields.Float(
        string="Bunker price (per t)", default=600.0, help="Fuel price used by voyage estimates, in company currency."
    )
    logistics_port_cost = fields.Float(
        string="Port costs (per call)", default=30000.0, help="Costs of one port call in voyage estimates."
    )
    logistics_port_days = fields.Float(
        string="Port days (per voyage)", default=4.0, help="Days spent loading and discharging in voyage estimates."
    )

    @api.constrains(
        "logistics_match_limit",
        "logistics_match_notify_score",
        "logistics_bunker_price",
        "logistics_port_cost",
        "logistics_port_days",
    )
    def _check_logistics_matching(self):
        for company in self:
            if not 1 <= company.logistics_match_limit <= 100:
                raise ValidationError(self.env._("Matches kept per cargo and position: between 1 and 100."))
            if not 0 <= company.logistics_match_notify_score <= 100:
                raise ValidationError(self.env._("The notification score is between 0 and 100."))
            if min(company.logistics_bunker_price, company.logistics_port_cost, company.logistics_port_days) < 0:
                raise ValidationError(self.env._("Bunker price, port costs and port days cannot be negative."))

    # Complaint escalation (per company)
    logistics_complaint_escalation_hours = fields.Integer(
        string="Escalation step (hours)",
        default=24,
        help="An overdue complaint goes one escalation level up for every further step it stays overdue: "
        "level 1 when a deadline is missed, level 2 this many hours later (the sales manager is involved), "
        "level 3 after another step.",
    )
    logistics_complaint_manager_id = fields.Many2one(
        "res.users",
        string="Complaint escalation manager",
        domain="[('share', '=', False)]",
        help="The sales manager asked to act on complaints from escalation level 2 (and at level 1 when the "
        "owner has no team leader). Empty: the first sales administrator of the company.",
    )

    @api.constrains("logistics_complaint_escalation_hours")
    def _check_logistics_complaint_escalation(self):
        for company in self:
            if company.logistics_complaint_escalation_hours <= 0:
                raise ValidationError(self.env._("The escalation step must be a positive number of hours."))

    # Satisfaction surveys (per company)
    logistics_survey_id = fields.Many2one(
        "survey.survey",
        string="Satisfaction survey",
        # customers answer by their token link, without a login: no certification, no login, no session
        domain="[('survey_type', 'in', ('survey', 'custom')), ('users_login_required', '=', False), "
        "('certification', '=', False), ('access_mode', 'in', ('public', 'token'))]",
        help="The survey customers are invited to. Empty: the shipped customer satisfaction survey.",
    )
    logistics_survey_run_at = fields.Datetime(
        string="Survey invitations last run",
        readonly=True,
        copy=False,
        help="When the invitation job last invited this company's customers (written by the job itself).",
    )
    logistics_survey_order_delay_days = fields.Integer(
        string="Survey delay after an order (days)",
        default=3,
        help="Days after an order is delivered (or locked as done) before its customer is invited. "
        "The tier's survey frequency still applies.",
    )
    logistics_survey_window_days = fields.Integer(
        string="Satisfaction window (days)",
        default=365,
        help="A customer's satisfaction score and NPS are made of its answers completed within this many days.",
    )
    logistics_survey_deadline_days = fields.Integer(
        string="Survey link valid (days)",
        default=30,
        help="An invitation can be answered for this many days. 0: no limit.",
    )
    logistics_survey_on_complaint = fields.Boolean(
        string="Survey after complaints",
        default=True,
        help="Closing a complaint invites the customer who raised it to the satisfaction survey.",
    )
    logistics_survey_on_booking = fields.Boolean(
        string="Survey after bookings",
        default=True,
        help="A pickup or delivery marked done invites the person who booked to the satisfaction survey, "
        "at most once per the tier's survey frequency.",
    )

    @api.constrains(
        "logistics_survey_order_delay_days", "logistics_survey_window_days", "logistics_survey_deadline_days"
    )
    def _check_logistics_survey(self):
        for company in self:
            if min(company.logistics_survey_order_delay_days, company.logistics_survey_deadline_days) < 0:
                raise ValidationError(self.env._("Survey delay and link validity cannot be negative."))
            if company.logistics_survey_window_days < 1:
                raise ValidationError(self.env._("The satisfaction window is at least one day."))
