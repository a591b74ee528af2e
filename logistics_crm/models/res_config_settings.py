from odoo import api, fields, models

from ..domain.tiering import DEFAULT_ACTIVE_DAYS, DEFAULT_DORMANT_DAYS, DEFAULT_WINDOW_MONTHS


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    logistics_tier_window_months = fields.Integer(
        string="Tier window (months)",
        config_parameter="logistics_crm.tier_window_months",
        default=DEFAULT_WINDOW_MONTHS,
        help="Trailing window of confirmed sales used to rank customers into tiers.",
    )
    logistics_active_days = fields.Integer(
        string="Active window (days)",
        config_parameter="logistics_crm.active_days",
        default=DEFAULT_ACTIVE_DAYS,
        help="A customer with a confirmed order within this many days is active.",
    )
    logistics_dormant_days = fields.Integer(
        string="Dormant window (days)",
        config_parameter="logistics_crm.dormant_days",
        default=DEFAULT_DORMANT_DAYS,
        help="A customer whose last order is older than the active window but within this many days "
        "is dormant; older than this, lost.",
    )

    logistics_tier_run_at = fields.Datetime(related="company_id.logistics_tier_run_at")

    @api.constrains("logistics_tier_window_months", "logistics_active_days", "logistics_dormant_days")
    def _check_logistics_windows(self):
        for settings in self:
            self.env["logistics.tier.engine"]._logistics_check_settings(
                {
                    "tier_window_months": settings.logistics_tier_window_months,
                    "active_days": settings.logistics_active_days,
                    "dormant_days": settings.logistics_dormant_days,
                }
            )

    def action_logistics_recompute_tiers(self):
        self.execute()
        return self.env["res.partner"].action_logistics_recompute_tiers()

    logistics_match_limit = fields.Integer(related="company_id.logistics_match_limit", readonly=False)
    logistics_match_notify_score = fields.Float(related="company_id.logistics_match_notify_score", readonly=False)
    logistics_bunker_price = fields.Float(related="company_id.logistics_bunker_price", readonly=False)
    logistics_port_cost = fields.Float(related="company_id.logistics_port_cost", readonly=False)
    logistics_port_days = fields.Float(related="company_id.logistics_port_days", readonly=False)
    logistics_complaint_escalation_hours = fields.Integer(
        related="company_id.logistics_complaint_escalation_hours", readonly=False
    )
    logistics_complaint_manager_id = fields.Many2one(
        related="company_id.logistics_complaint_manager_id", readonly=False
    )
    logistics_complaint_alias_id = fields.Many2one(
        "mail.alias",
        string="Complaints alias",
        compute="_compute_logistics_complaint_alias_id",
        help="Emails to this address become complaints (replies go to their thread).",
    )

    def _compute_logistics_complaint_alias_id(self):
        alias = self.env.ref("logistics_crm.mail_alias_logistics_complaint", raise_if_not_found=False)
        for settings in self:
            settings.logistics_complaint_alias_id = alias

    logistics_survey_id = fields.Many2one(related="company_id.logistics_survey_id", readonly=False)
    logistics_survey_order_delay_days = fields.Integer(
        related="company_id.logistics_survey_order_delay_days", readonly=False
    )
    logistics_survey_window_days = fields.Integer(related="company_id.logistics_survey_window_days", readonly=False)
    logistics_survey_deadline_days = fields.Integer(related="company_id.logistics_survey_deadline_days", readonly=False)
    logistics_survey_on_complaint = fields.Boolean(related="company_id.logistics_survey_on_complaint", readonly=False)
    logistics_survey_on_booking = fields.Boolean(related="company_id.logistics_survey_on_booking", readonly=False)
