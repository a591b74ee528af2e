"""The satisfaction survey after a booking (a part of ``logistics.booking``).

``logistics.booking`` inherits this mixin. A booking marked done invites the person who booked to
the company's satisfaction survey when the company asks for it (``logistics_survey_on_booking``)
and the customer's tier lets it be asked now (its survey frequency): bookings are frequent, a
customer is not asked after each of them.
"""

import logging

from odoo import api, fields, models
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)

SURVEY_GROUP = "survey.group_survey_user"


class LogisticsBookingSurvey(models.AbstractModel):
    _name = "logistics.booking.survey"
    _description = "Booking satisfaction survey (mixin of bookings)"

    logistics_survey_input_ids = fields.One2many(
        "survey.user_input",
        "logistics_booking_id",
        string="Satisfaction answers",
        copy=False,
        groups=SURVEY_GROUP,
    )
    logistics_survey_count = fields.Integer(
        string="Surveys", compute="_compute_logistics_survey_count", groups=SURVEY_GROUP
    )

    def _compute_logistics_survey_count(self):
        counts = dict(
            self.env["survey.user_input"]._read_group(
                [("logistics_booking_id", "in", self.ids)], ["logistics_booking_id"], ["__count"]
            )
        )
        for booking in self:
            booking.logistics_survey_count = counts.get(booking, 0)

    def _logistics_survey_recipient(self):
        self.ensure_one()
        for partner in (self.contact_id, self.partner_id):
            if partner and partner.email:
                return partner
        return self.env["res.partner"]

    def _logistics_surveyed(self):
        """The bookings among ``self`` that already have a survey answer (any state)."""
        # sudo: read to avoid a second invitation, whatever the caller may read of survey answers
        rows = (
            self.env["survey.user_input"]
            .sudo()
            ._read_group(
                [("logistics_booking_id", "in", self.ids), ("test_entry", "=", False)],
                ["logistics_booking_id"],
                ["__count"],
            )
        )
        return self.browse([booking.id for booking, _count in rows])

    def _logistics_invite_for_booking(self, recipient):
        self.ensure_one()
        # sudo: dispatchers without survey rights invite their customers; the token answer is the customer's
        Answer = self.env["survey.user_input"].sudo()
        salesperson = self.partner_id.with_company(self.company_id).user_id
        answer = Answer._logistics_invite(
            recipient,
            self.company_id,
            "booking",
            salesperson=salesperson.filtered(lambda u: not u.share),
            logistics_booking_id=self.id,
        )
        self.message_post(
            body=self.env._("Satisfaction survey sent to %(contact)s.", contact=recipient.display_name),
            subtype_xmlid="mail.mt_note",
        )
        return answer

    def _logistics_send_done_survey(self):
        """Invite the customer of each booking just done, when its company asks for it and its tier's
        survey frequency lets it be asked today; never twice for one booking, at most one invitation
        per customer and run. Never blocks the booking: a failing invitation is logged and undone.
        Returns the answers created."""
        # sudo: whoever marks the booking done (a dispatcher without survey rights, the customer's
        # automated action) reads the survey settings and past invitations of the customer
        Answer = self.env["survey.user_input"].sudo()
        created = Answer.browse()
        candidates = self.filtered(lambda b: b.company_id.logistics_survey_on_booking)
        candidates -= candidates._logistics_surveyed()
        for company in candidates.company_id:
            if not Answer._logistics_survey(company):
                continue
            of_company = candidates.filtered(lambda b, c=company: b.company_id == c)
            due = Answer._logistics_due(company, of_company.partner_id)
            for booking in of_company:
                recipient = booking._logistics_survey_recipient()
                if booking.partner_id not in due or not recipient:
                    continue
                due -= booking.partner_id
                try:
                    with self.env.cr.savepoint():
                        created |= booking._logistics_invite_for_booking(recipient)
                except Exception:
                    _logger.exception("Satisfaction invitation after booking %s failed", booking.name)
        return created

    def action_send_satisfaction_survey(self):
        """Invite the customer of each booking to the satisfaction survey now, by email.

        Public entry point (button, automated and server actions, XML-RPC). Refuses, and sends
        nothing, for a booking not done, without a customer email address, or already surveyed.
        """
        self.check_access("write")
        problems = []
        surveyed = self._logistics_surveyed()
        for booking in self:
            if booking.state != "done":
                problems.append(self.env._("%(booking)s is not done yet.", booking=booking.name))
            elif booking in surveyed:
                problems.append(self.env._("%(booking)s was already sent a satisfaction survey.", booking=booking.name))
            elif not booking._logistics_survey_recipient():
                problems.append(self.env._("%(booking)s has no customer email address.", booking=booking.name))
        if problems:
            raise UserError(self.env._("No survey was sent:\n%(problems)s", problems="\n".join(problems)))
        for booking in self:
            booking._logistics_invite_for_booking(booking._logistics_survey_recipient())
        return True

    @api.model
    def _logistics_survey_action(self, domain):
        action = self.env["ir.actions.act_window"]._for_xml_id("logistics_crm.action_logistics_survey_answers")
        action["domain"] = domain
        action["context"] = {"create": False}
        return action

    def action_logistics_view_surveys(self):
        self.ensure_one()
        return self._logistics_survey_action([("logistics_booking_id", "=", self.id)])
