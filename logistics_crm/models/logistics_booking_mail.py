"""The confirmation mail and the chatter of bookings (a part of ``logistics.booking``)."""

from odoo import models

from ..domain import booking as rules

CONFIRMATION_TEMPLATE = "logistics_crm.mail_template_logistics_booking_confirmed"


class LogisticsBookingMail(models.AbstractModel):
    _name = "logistics.booking.mail"
    _inherit = ["mail.thread"]
    _description = "Booking confirmation mail and chatter (mixin of bookings)"

    def _logistics_send_confirmation(self):
        template = self.env.ref(CONFIRMATION_TEMPLATE, raise_if_not_found=False)
        if not template:
            return
        for booking in self:
            # to the person who booked, else the typed on-site email, else the customer (see the template)
            if not (booking.contact_id.email or booking.email or booking.partner_id.email):
                continue
            booking.message_post_with_source(
                template,
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
                email_layout_xmlid="mail.mail_notification_light",
            )

    def _mail_get_partners(self, introspect_fields=False):
        # the person who booked, else the customer: signed portal links and token replies are theirs
        return {booking.id: booking.contact_id or booking.partner_id for booking in self}

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        for booking in self:
            contact = booking.contact_id or booking.partner_id
            if contact and contact.id not in [r.get("partner_id") for r in recipients]:
                booking._message_add_suggested_recipient(
                    recipients, partner=contact, reason=self.env._("Customer"), email=contact.email
                )
        return recipients

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "state" in init_values and self.state == rules.DONE:
            return self.env.ref("logistics_crm.mt_booking_done")
        if "state" in init_values and self.state == rules.CANCELLED:
            return self.env.ref("logistics_crm.mt_booking_cancelled")
        return super()._track_subtype(init_values)

    def _creation_subtype(self):
        return self.env.ref("logistics_crm.mt_booking_new")
