"""Complaints and mail: the email gateway, triage of unknown senders, chatter and stage emails
(a part of ``logistics.complaint``, which inherits this mixin in place of ``mail.thread``)."""

import logging

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import email_normalize, html2plaintext
from odoo.tools.mail import email_split_tuples

from ..domain import sla

_logger = logging.getLogger(__name__)

# headers of automatic replies (RFC 3834 and the usual vendor ones): never a new complaint
AUTO_REPLY_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Auto-Response")
AUTO_PRECEDENCE = ("auto_reply", "bulk", "junk", "list")


class LogisticsComplaintMail(models.AbstractModel):
    _name = "logistics.complaint.mail"
    _inherit = ["mail.thread"]
    _description = "Complaint mail gateway and chatter (mixin of complaints)"

    # ------------------------------------------------------------------ triage of unknown senders
    def action_link_customer(self):
        """Link a complaint from an unknown sender to the customer who has its email address."""
        for complaint in self:
            email = email_normalize(complaint.email_from or "")
            contact = (
                self.env["res.partner"].search([("email_normalized", "=", email)], limit=1)
                if email
                else self.env["res.partner"]
            )
            if not contact:
                raise UserError(
                    self.env._(
                        "No customer has the address %(email)s: create the customer, or choose it in the Customer "
                        "field.",
                        email=complaint.email_from or "-",
                    )
                )
            complaint.write({"contact_id": contact.id, "partner_id": contact.commercial_partner_id.id})
        self.write({"needs_triage": False})
        return True

    def action_create_customer(self):
        """Create a customer contact from the sender of the complaint, link it and open it to complete it."""
        self.ensure_one()
        if not self.email_from:
            raise UserError(self.env._("This complaint has no sender address to create a customer from."))
        name, email = (email_split_tuples(self.email_from) or [("", self.email_from)])[0]
        contact = self.env["res.partner"].create(
            {
                "name": name or email,
                "email": email,
                "company_id": self.company_id.id,
                "user_id": self.user_id.id or False,
            }
        )
        self.write({"contact_id": contact.id, "partner_id": contact.id, "needs_triage": False})
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": contact.id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------------ mail gateway and chatter
    @api.model
    def _routing_check_route(self, message, message_dict, route, raise_exception=True):
        """An automatic reply never opens a new complaint (replies to a complaint still land on it)."""
        route = super()._routing_check_route(message, message_dict, route, raise_exception=raise_exception)
        if route and route[0] == self._name and not route[1] and self._logistics_is_auto_reply(message):
            _logger.info(
                "Automatic reply from %s (Message-Id %s): no complaint created",
                message_dict.get("email_from"),
                message_dict.get("message_id"),
            )
            return ()
        return route

    @api.model
    def _logistics_is_auto_reply(self, message):
        auto_submitted = (message.get("Auto-Submitted") or "").strip().lower()
        if auto_submitted and auto_submitted != "no":
            return True
        if any(message.get(header) for header in AUTO_REPLY_HEADERS):
            return True
        if (message.get("X-Auto-Response-Suppress") or "").strip().lower() in ("all", "oof"):
            return True
        return (message.get("Precedence") or "").strip().lower() in AUTO_PRECEDENCE

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A new email to the complaints alias: a complaint of the sender's customer company."""
        values = dict(custom_values or {})
        author = self.env["res.partner"].browse(msg_dict.get("author_id")).exists()
        if author and author.user_ids.filtered(lambda u: not u.share):
            author = self.env["res.partner"]  # a colleague forwarding: the customer is triaged by hand
        subject = (msg_dict.get("subject") or "").strip()
        text = html2plaintext(msg_dict.get("body") or "").strip()
        values.setdefault("subject", subject[:200] or False)
        values.setdefault("description", text or subject or self.env._("(empty email)"))
        values.setdefault("channel", "email")
        values.setdefault("email_from", msg_dict.get("email_from") or False)
        if author:
            values.setdefault("partner_id", author.commercial_partner_id.id)
            values.setdefault("contact_id", author.id)
        elif not values.get("partner_id"):
            values["needs_triage"] = True
        if values.get("partner_id") and "company_id" not in values:
            partner_company = self.env["res.partner"].browse(values["partner_id"]).company_id
            if partner_company:
                values["company_id"] = partner_company.id
        complaint = super().message_new(msg_dict, custom_values=values)
        template = complaint.stage_id.mail_template_id
        if complaint.needs_triage and complaint.email_from and template:
            # acknowledge an unknown sender by a plain email: posting the template would make a
            # contact of the address, and the customer is chosen at triage, not guessed
            template.send_mail(complaint.id)
        return complaint

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        for complaint in self:
            contact = complaint.contact_id or complaint.partner_id
            if contact and contact not in [r.get("partner_id") for r in recipients]:
                complaint._message_add_suggested_recipient(
                    recipients, partner=contact, reason=self.env._("Customer"), email=contact.email
                )
            elif not contact and complaint.email_from:
                complaint._message_add_suggested_recipient(
                    recipients, email=complaint.email_from, reason=self.env._("Customer email")
                )
        return recipients

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        # a public answer from staff is the first response of the SLA
        if (
            message
            and message.message_type in ("comment", "email")
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and not self.env.user.share
            and not self.env.su
            and message.author_id == self.env.user.partner_id
        ):
            self.filtered(lambda c: not c.first_response_date).write({"first_response_date": fields.Datetime.now()})
        return message

    def _track_template(self, changes):
        res = super()._track_template(changes)
        complaint = self[0]
        recipient = complaint.contact_id or complaint.partner_id
        if "stage_id" in changes and complaint.stage_id.mail_template_id and recipient:
            res["stage_id"] = (
                complaint.stage_id.mail_template_id,
                {
                    "auto_delete_keep_log": False,
                    # a message to the customer, shown in their portal thread; as an automatic message
                    # (auto_comment) it is no first response
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"),
                    "email_layout_xmlid": "mail.mail_notification_light",
                },
            )
        return res

    def _mail_get_partners(self, introspect_fields=False):
        # one customer per complaint, the person who complained first: answers and signed portal
        # links go to them, a token reply is signed by them (the portal expects a single partner)
        return {complaint.id: complaint.contact_id or complaint.partner_id for complaint in self}

    def _creation_subtype(self):
        return self.env.ref("logistics_crm.mt_complaint_new")

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "stage_id" in init_values and self.stage_id.is_closed:
            return self.env.ref("logistics_crm.mt_complaint_closed")
        if "sla_status" in init_values and self.sla_status == sla.BREACHED:
            return self.env.ref("logistics_crm.mt_complaint_breached")
        return super()._track_subtype(init_values)
