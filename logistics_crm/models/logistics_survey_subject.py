"""What a record asked about in a satisfaction survey shares (complaints, bookings).

A model whose answers point back to it by a field of ``survey.user_input`` (its ``_logistics_survey_link``)
inherits this mixin for the answer count and its smart button, the person to ask, the records already
asked about, and the chatter note of an invitation. It declares the One2many of its answers itself.
"""

from odoo import api, fields, models

SURVEY_GROUP = "survey.group_survey_user"


class LogisticsSurveySubject(models.AbstractModel):
    _name = "logistics.survey.subject"
    _description = "Record a satisfaction survey asks about (mixin)"
    # the field of survey.user_input linking an answer to the record (set by each model)
    _logistics_survey_link = None

    logistics_survey_count = fields.Integer(
        string="Surveys", compute="_compute_logistics_survey_count", groups=SURVEY_GROUP
    )

    def _compute_logistics_survey_count(self):
        link = self._logistics_survey_link
        counts = dict(self.env["survey.user_input"]._read_group([(link, "in", self.ids)], [link], ["__count"]))
        for record in self:
            record.logistics_survey_count = counts.get(record, 0)

    def _logistics_survey_recipient(self):
        """The person to ask: the contact, else the customer, whichever has an email address first."""
        self.ensure_one()
        for partner in (self.contact_id, self.partner_id):
            if partner and partner.email:
                return partner
        return self.env["res.partner"]

    def _logistics_surveyed(self):
        """The records among ``self`` that already have a survey answer (any state)."""
        link = self._logistics_survey_link
        # sudo: read to avoid a second invitation, whatever the caller may read of survey answers
        rows = (
            self.env["survey.user_input"]
            .sudo()
            ._read_group([(link, "in", self.ids), ("test_entry", "=", False)], [link], ["__count"])
        )
        return self.browse([record.id for record, _count in rows])

    def _logistics_log_survey(self, recipient):
        self.ensure_one()
        self.message_post(
            body=self.env._("Satisfaction survey sent to %(contact)s.", contact=recipient.display_name),
            subtype_xmlid="mail.mt_note",
        )

    @api.model
    def _logistics_survey_action(self, domain):
        action = self.env["ir.actions.act_window"]._for_xml_id("logistics_crm.action_logistics_survey_answers")
        action["domain"] = domain
        action["context"] = {"create": False}
        return action

    def action_logistics_view_surveys(self):
        """The satisfaction answers about this record."""
        self.ensure_one()
        return self._logistics_survey_action([(self._logistics_survey_link, "=", self.id)])
