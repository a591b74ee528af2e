"""Tier and lifecycle windows, for Logistics CRM managers without Administration rights.

The three windows are system parameters, which only administrators may write through
Odoo's Settings app (``res.config.settings.execute`` requires them). This dialog is the
managers' way: the same parameters, the same validation (``logistics.tier.engine``).
"""

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..domain import tiering

MANAGER_GROUP = "logistics_crm.group_logistics_crm_manager"


class LogisticsTierSettings(models.TransientModel):
    _name = "logistics.tier.settings"
    _description = "Customer tier and lifecycle windows"

    tier_window_months = fields.Integer(
        string="Tier window (months)",
        required=True,
        help="Trailing window of confirmed sales used to rank customers into tiers.",
    )
    active_days = fields.Integer(
        string="Active window (days)",
        required=True,
        help="A customer with a confirmed order within this many days is active.",
    )
    dormant_days = fields.Integer(
        string="Dormant window (days)",
        required=True,
        help="A customer whose last order is older than the active window but within this many days is "
        "dormant; older than this, lost.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        get = self.env["ir.config_parameter"].sudo().get_param  # sudo: managers read the windows they edit
        for key, (default, _low, _high) in tiering.SETTINGS.items():
            if key in fields_list:
                try:
                    values[key] = int(get(f"logistics_crm.{key}", default))
                except (TypeError, ValueError):
                    values[key] = default  # a corrupt parameter: offer the default, to be saved
        return values

    def _logistics_values(self):
        self.ensure_one()
        return {key: self[key] for key in tiering.SETTINGS}

    def action_save(self):
        """Validate and store the windows (Logistics CRM managers)."""
        if not (self.env.su or self.env.user.has_group(MANAGER_GROUP)):
            raise AccessError(self.env._("Only Logistics CRM managers can change the tier and lifecycle windows."))
        values = self._logistics_values()
        self.env["logistics.tier.engine"]._logistics_check_settings(values)
        params = self.env["ir.config_parameter"].sudo()  # sudo: system parameters; the group is checked above
        for key, value in values.items():
            params.set_param(f"logistics_crm.{key}", value)
        return {"type": "ir.actions.act_window_close"}

    def action_save_and_recompute(self):
        self.action_save()
        return self.env["res.partner"].action_logistics_recompute_tiers()

    @api.constrains("tier_window_months", "active_days", "dormant_days")
    def _check_windows(self):
        for settings in self:
            self.env["logistics.tier.engine"]._logistics_check_settings(settings._logistics_values())
