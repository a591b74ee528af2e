"""The satisfaction survey after a booking (a part of ``logistics.booking``).

``logistics.booking`` inherits this mixin. A booking marked done invites the person who booked to
the company's satisfaction survey when the company asks for it (``logistics_survey_on_booking``)
and the customer's tier lets it be asked now (its survey frequency): bookings are frequent, a
customer is not asked after each of them.
"""

import logging

from odoo import fields, models
from odoo.exceptions import UserError

from .logistics_survey_subject import SURVEY_GROUP

_logger = logging.getLogger(__name__)


class LogisticsBookingSurvey(models.AbstractModel):
    _name = "logistics.booking.survey"
    _inherit = ["logistics.survey.subject"]
    _description = "Booking satisfaction survey (mixin of bookings)"
    _logistics_survey_link = "logistics_booking_id"

    logistics_survey_input_ids = fields.One2many(
        "survey.user_input",
        "logistics_booking_id",
        string="Satisfaction answers",
        copy=False,
        groups=SURVEY_GROUP,
    )

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
        self._logistics_log_survey(recipient)
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
