from odoo import fields, models


class SaleOrder(models.Model):
    _inherit = "sale.order"

    logistics_cargo_id = fields.Many2one(
        "logistics.cargo",
        string="Cargo offer",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The cargo offer this quotation was made for (from a vessel match).",
    )
    logistics_match_id = fields.Many2one(
        "logistics.match",
        string="Vessel match",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )

    def action_confirm(self):
        result = super().action_confirm()
        self._logistics_fix_cargo()
        return result

    def _logistics_fix_cargo(self):
        """A confirmed freight quotation fixes its cargo and the matched vessel's position."""
        matched = self.filtered("logistics_match_id")
        if not matched:
            return
        # sudo: a salesperson confirming an order may not have the Logistics rights on cargo/positions
        matched.logistics_cargo_id.sudo().filtered(lambda c: c.state in ("open", "matched")).write({"state": "fixed"})
        matched.logistics_match_id.position_id.sudo().filtered(lambda p: p.state == "open").write({"state": "fixed"})
