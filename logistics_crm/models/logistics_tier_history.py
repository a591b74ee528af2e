"""History of the customers' tier and lifecycle changes, one line per change and company.

The recomputation writes one line per customer whose tier or stage it changed (a
customer's first computation included); a manager setting a tier by hand writes one
too. Lines belong to the company whose ranking changed: a company's staff never sees
another company's history (record rule), unlike a shared customer's chatter.
"""

from odoo import fields, models

from .res_partner import STAGE_SELECTION


class LogisticsTierHistory(models.Model):
    _name = "logistics.tier.history"
    _description = "Customer tier history"
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        ondelete="cascade",
    )
    partner_id = fields.Many2one("res.partner", string="Customer", required=True, index=True, ondelete="cascade")
    date = fields.Date(required=True, index=True, default=fields.Date.context_today, help="Day the change was made.")
    old_tier_id = fields.Many2one("logistics.customer.tier", string="Previous tier", ondelete="set null")
    new_tier_id = fields.Many2one("logistics.customer.tier", string="New tier", index=True, ondelete="set null")
    old_stage = fields.Selection(STAGE_SELECTION, string="Previous stage")
    new_stage = fields.Selection(STAGE_SELECTION, string="New stage")
    revenue = fields.Float(
        string="Revenue (window)",
        digits=(16, 2),
        help="The customer's revenue over the tier window when the change was made, in the company's currency.",
    )
    currency_id = fields.Many2one(related="company_id.currency_id", string="Currency")
    origin = fields.Selection(
        [("recompute", "Recomputation"), ("manual", "Set by hand")],
        required=True,
        default="recompute",
        help="Recomputation: the daily Pareto ranking or Recompute now. Set by hand: a manager's override.",
    )
    user_id = fields.Many2one("res.users", string="By", default=lambda self: self.env.user)
    # set by whoever writes the line (a stored compute would cost more than the line itself)
    tier_changed = fields.Boolean(
        string="Tier changed", readonly=True, help="The tier changed (otherwise only the lifecycle stage did)."
    )
