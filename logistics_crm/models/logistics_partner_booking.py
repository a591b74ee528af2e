"""The bookings of a customer, on the partner form (a part of ``res.partner``)."""

from odoo import fields, models

USER_GROUP = "logistics_crm.group_logistics_crm_user"


class LogisticsPartnerBooking(models.AbstractModel):
    _name = "logistics.partner.booking"
    _description = "Pickup and delivery bookings of a customer (mixin of partners)"

    logistics_booking_count = fields.Integer(
        string="Bookings", compute="_compute_logistics_booking_count", groups=USER_GROUP
    )

    def _compute_logistics_booking_count(self):
        commercial = self.commercial_partner_id
        counts = dict(
            self.env["logistics.booking"]._read_group(
                [("partner_id", "in", commercial.ids)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.logistics_booking_count = counts.get(partner.commercial_partner_id, 0)

    def action_logistics_view_bookings(self):
        """The pickups and deliveries of the customer (its commercial partner)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("logistics_crm.action_logistics_booking")
        commercial = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", commercial.id)]
        action["context"] = {"default_partner_id": commercial.id}
        return action
