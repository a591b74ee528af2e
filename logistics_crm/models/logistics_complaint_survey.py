"""The satisfaction survey after a complaint (a part of ``logistics.complaint``).

``logistics.complaint`` inherits this mixin. Closing a complaint (a stage with ``is_closed``)
invites the person who raised it to the company's satisfaction survey, once per complaint.
"""

import logging

from odoo import fields, models
from odoo.exceptions import UserError

from .logistics_survey_subject import SURVEY_GROUP

_logger = logging.getLogger(__name__)


class LogisticsComplaintSurvey(models.AbstractModel):
    _name = "logistics.complaint.survey"
    _inherit = ["logistics.survey.subject"]
    _description = "Complaint satisfaction survey (mixin of complaints)"
    _logistics_survey_link = "logistics_complaint_id"

    logistics_survey_input_ids = fields.One2many(
        "survey.user_input",
        "logistics_complaint_id",
        string="Satisfaction answers",
        copy=False,
        groups=SURVEY_GROUP,
    )

    def _logistics_send_closing_survey(self):
        """Invite the customer of each newly closed complaint, unless already invited for it.

        Skipped (never blocking the closing) when the company turned it off, the complaint has no
        customer with an email address, or no survey is active. Returns the answers created.
        """
        Answer = self.env["survey.user_input"]
        created = Answer.browse()
        candidates = self.filtered(lambda c: c.partner_id and c.company_id.logistics_survey_on_complaint)
        for complaint in candidates - candidates._logistics_surveyed():
            recipient = complaint._logistics_survey_recipient()
            if not recipient or not Answer._logistics_survey(complaint.company_id):
                _logger.info("Complaint %s closed without a satisfaction survey (no email or survey)", complaint.name)
                continue
            created |= Answer._logistics_invite(
                recipient, complaint.company_id, "complaint", logistics_complaint_id=complaint.id
            )
            complaint._logistics_log_survey(recipient)
        return created

    def action_send_satisfaction_survey(self):
        """Invite the customer of each complaint to the satisfaction survey now, by email.

        Public entry point (button, automated and server actions, XML-RPC); closing a complaint
        does it by itself. Refuses, and sends nothing, for a complaint without a customer email
        address or one already surveyed.
        """
        self.check_access("write")
        problems = []
        surveyed = self._logistics_surveyed()
        for complaint in self:
            if complaint in surveyed:
                problems.append(
                    self.env._("%(complaint)s was already sent a satisfaction survey.", complaint=complaint.name)
                )
            elif not complaint._logistics_survey_recipient():
                problems.append(self.env._("%(complaint)s has no customer email address.", complaint=complaint.name))
        if problems:
            raise UserError(self.env._("No survey was sent:\n%(problems)s", problems="\n".join(problems)))
        Answer = self.env["survey.user_input"]
        for complaint in self:
            recipient = complaint._logistics_survey_recipient()
            Answer._logistics_invite(recipient, complaint.company_id, "complaint", logistics_complaint_id=complaint.id)
            complaint._logistics_log_survey(recipient)
        return True
