from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    logistics_complaint_ids = fields.One2many(
        "logistics.complaint", "partner_id", string="Complaints", groups="logistics_crm.group_logistics_crm_user"
    )
    logistics_complaint_open_count = fields.Integer(
        string="Open complaints",
        compute="_compute_logistics_complaint_open_count",
        groups="logistics_crm.group_logistics_crm_user",
    )

    def _compute_logistics_complaint_open_count(self):
        commercial = self.commercial_partner_id
        counts = dict(
            self.env["logistics.complaint"]._read_group(
                [("partner_id", "in", commercial.ids), ("is_closed", "=", False)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.logistics_complaint_open_count = counts.get(partner.commercial_partner_id, 0)

    def action_logistics_view_complaints(self):
        """The complaints of the customer (its commercial partner)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("logistics_crm.action_logistics_partner_complaints")
        commercial = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", commercial.id)]
        action["context"] = {"default_partner_id": commercial.id, "default_user_id": self.env.uid}
        return action
