from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    logistics_tier_window_months = fields.Integer(
        string="Tier window (months)",
        config_parameter="logistics_crm.tier_window_months",
        default=12,
        help="Trailing window of confirmed sales used to rank customers into tiers.",
    )
    logistics_active_days = fields.Integer(
        string="Active window (days)",
        config_parameter="logistics_crm.active_days",
        default=180,
        help="A customer with a confirmed order within this many days is active.",
    )
    logistics_dormant_days = fields.Integer(
        string="Dormant window (days)",
        config_parameter="logistics_crm.dormant_days",
        default=365,
        help="A customer whose last order is older than the active window but within this many days "
        "is dormant; older than this, lost.",
    )

    @api.constrains("logistics_tier_window_months", "logistics_active_days", "logistics_dormant_days")
    def _check_logistics_windows(self):
        for settings in self:
            if settings.logistics_tier_window_months <= 0:
                raise ValidationError(_("The tier window must be at least one month."))
            if settings.logistics_active_days <= 0 or settings.logistics_dormant_days <= 0:
                raise ValidationError(_("The active and dormant windows must be positive numbers of days."))
            if settings.logistics_dormant_days <= settings.logistics_active_days:
                raise ValidationError(_("The dormant window must be longer than the active window."))

    def action_logistics_recompute_tiers(self):
        self.execute()
        return self.env["res.partner"].action_logistics_recompute_tiers()
