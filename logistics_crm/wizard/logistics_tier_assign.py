from odoo import api, fields, models
from odoo.exceptions import UserError


class LogisticsTierAssign(models.TransientModel):
    _name = "logistics.tier.assign"
    _description = "Set the tier of customers by hand"

    partner_ids = fields.Many2many(
        "res.partner",
        string="Customers",
        required=True,
        help="The companies of these partners get the tier (contacts follow their company).",
    )
    tier_id = fields.Many2one(
        "logistics.customer.tier",
        help="Leave empty to remove the tier.",
    )
    lock = fields.Boolean(
        string="Lock the tier",
        default=True,
        help="Locked tiers are kept by the nightly recomputation. Unlock to let the Pareto rule decide again.",
    )
    reason = fields.Text(help="Why the tier is set by hand; posted on each customer's chatter.")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if "partner_ids" in fields_list and self.env.context.get("active_model") == "res.partner":
            values["partner_ids"] = [fields.Command.set(self.env.context.get("active_ids", []))]
        return values

    def action_apply(self):
        """Write the tier and the lock on the commercial partners, one write, then post the reason."""
        self.ensure_one()
        companies = self.partner_ids.commercial_partner_id
        if not companies:
            raise UserError(self.env._("Select at least one customer."))
        companies.write({"logistics_tier_id": self.tier_id.id, "logistics_tier_locked": self.lock})
        if self.reason:
            body = self.env._(
                "Tier set by hand to %(tier)s: %(reason)s",
                tier=self.tier_id.display_name or self.env._("none"),
                reason=self.reason,
            )
            for company in companies:
                company.message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_note")
        return {"type": "ir.actions.act_window_close"}
