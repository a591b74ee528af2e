"""Demo set-up of the satisfaction surveys: answers of the demo customers over the last three quarters.

Called by ``demo/logistics_survey_demo.xml``. Nothing else uses it.
"""

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

_logger = logging.getLogger(__name__)

# the shipped survey's questions, in the order of the demo's answer lists
DEMO_QUESTIONS = [
    "logistics_crm.survey_question_expectation",
    "logistics_crm.survey_question_quality",
    "logistics_crm.survey_question_value",
    "logistics_crm.survey_question_satisfaction",
    "logistics_crm.survey_question_complaint",
    "logistics_crm.survey_question_recommend",
]
# days between the end of an order and the survey about it
ORDER_DELAY_DAYS = 3


def _xmlid(name):
    return name if "." in name else f"logistics_crm.{name}"


class LogisticsSurveyDemo(models.AbstractModel):
    _name = "logistics.survey.demo"
    _description = "Satisfaction survey demo set-up"

    @api.model
    def _logistics_demo_answers(self, answers):
        """Create the demo customers' satisfaction answers, completed back in time, then refresh their figures.

        ``answers`` maps the xml id to give each answer (``logistics_crm.`` may be left out) to
        its story:

        - ``contact``: the xml id of the contact who answers, or ``complaint``: the xml id of a
          closed complaint, whose closing invitation is answered (or made if it is missing);
        - ``source``: ``order`` (about the contact's latest confirmed order before the answer),
          ``periodic`` or ``manual`` (sent by hand by ``salesperson``, an xml id of a user);
        - ``days_ago``: when it was answered (pending: invited; for a complaint: ``days_after``
          its closing), and ``invited``: how many days before the answer the invitation went out;
        - ``values``: the answers to the expectation, quality, value, satisfaction, complaint
          handling (1-5, ``None``: skipped) and recommendation (0-10) questions, ``comment``;
          without ``values`` the invitation is pending (for a new one, emailed: queued).

        The answers are made and completed by the survey's own methods, then dated back with SQL
        (the ORM never writes a creation date). An xml id already known is left alone, so a
        module update changes nothing. Returns the answers created or completed.
        """
        Answer = self.env["survey.user_input"]
        company = self.env.ref("base.main_company")
        survey = Answer._logistics_survey(company)
        if not survey:
            return Answer
        existing = self.env["ir.model.data"].search_read(
            [("module", "=", "logistics_crm"), ("model", "=", Answer._name)], ["name"]
        )
        known = {f"logistics_crm.{row['name']}" for row in existing}
        now = fields.Datetime.now()
        made = Answer
        for index, (name, story) in enumerate(answers.items()):
            xmlid = _xmlid(name)
            if xmlid in known:
                continue
            # office hours in China (UTC+8), not all at the same minute
            day = fields.Datetime.to_datetime((now - timedelta(days=story.get("days_ago", 0))).date())
            moment = day + timedelta(hours=1, minutes=(index * 47) % 420)
            answer, answered, invited = self._logistics_demo_answer(survey, company, story, moment, now)
            if not answer:
                _logger.warning("Demo satisfaction answer %s: nothing to answer", xmlid)
                continue
            self.env["ir.model.data"]._update_xmlids([{"xml_id": xmlid, "record": answer, "noupdate": True}])
            self._logistics_demo_backdate(answer, answered, invited)
            made |= answer
        if made:
            self.env["res.partner"].logistics_refresh_satisfaction()
        return made

    @api.model
    def _logistics_demo_answer(self, survey, company, story, moment, now):
        """The answer of one demo story, made and (with ``values``) completed; with its dates to set.

        ``moment``: the day ``days_ago`` at office hours, when it was answered (pending: invited).
        """
        Answer = self.env["survey.user_input"]
        if story.get("complaint"):
            complaint = self.env.ref(_xmlid(story["complaint"]), raise_if_not_found=False)
            if not complaint or not complaint.date_closed:
                return Answer, None, None
            answer = Answer.search(
                [("logistics_complaint_id", "=", complaint.id), ("test_entry", "=", False)], order="id", limit=1
            )
            if answer.state == "done":
                return Answer, None, None  # the customer answered it for real
            invited = complaint.date_closed
            answered = min(invited + timedelta(days=story.get("days_after", 1)), now - timedelta(hours=1))
            if not answer:
                recipient = complaint._logistics_survey_recipient()
                if not recipient:
                    return Answer, None, None
                answer = survey._create_answer(
                    partner=recipient,
                    check_attempts=False,
                    logistics_company_id=complaint.company_id.id,
                    logistics_complaint_id=complaint.id,
                )
        else:
            contact = self.env.ref(_xmlid(story["contact"]))
            answered = moment
            invited = moment - timedelta(days=story.get("invited", 2), hours=3) if story.get("values") else moment
            answer = self._logistics_demo_invitation(survey, company, contact, story, invited)
        if story.get("values"):
            self._logistics_demo_fill(answer, story["values"], story.get("comment"))
            answer._mark_done()
        return answer, answered if story.get("values") else None, invited

    @api.model
    def _logistics_demo_invitation(self, survey, company, contact, story, invited):
        source = story.get("source", "periodic")
        links = {}
        if source == "order":
            order = self.env["sale.order"].search(
                [
                    ("partner_id", "child_of", contact.commercial_partner_id.id),
                    ("company_id", "=", company.id),
                    ("state", "=", "sale"),
                    ("date_order", "<=", invited - timedelta(days=ORDER_DELAY_DAYS)),
                    ("logistics_survey_input_ids", "=", False),
                ],
                order="date_order desc, id desc",
                limit=1,
            )
            if order:
                links["logistics_sale_order_id"] = order.id
            else:
                source = "periodic"
        salesperson = None
        if source == "manual":
            salesperson = self.env.ref(_xmlid(story["salesperson"]))
        elif not links:
            salesperson = contact.commercial_partner_id.user_id
        if not story.get("values"):
            # still waiting for the customer: invited the real way, the email queued
            return self.env["survey.user_input"]._logistics_invite(
                contact, company, source, salesperson=salesperson, **links
            )
        # answered long ago: no invitation email now
        vals = {"logistics_company_id": company.id, "logistics_source": source, **links}
        if salesperson is not None:
            vals["logistics_salesperson_id"] = salesperson.id or False
        if not links:
            commercial = contact.commercial_partner_id.with_company(company)
            vals["logistics_tier_id"] = commercial.logistics_tier_id.id or False
        return survey._create_answer(partner=contact, check_attempts=False, **vals)

    @api.model
    def _logistics_demo_fill(self, answer, values, comment):
        """Save the answers as the survey page posts them: strings, an empty one for a skipped question."""
        for xmlid, value in zip(DEMO_QUESTIONS, values, strict=True):
            answer._save_lines(self.env.ref(xmlid), "" if value is None else str(value))
        answer._save_lines(self.env.ref("logistics_crm.survey_question_comments"), comment or "")

    @api.model
    def _logistics_demo_backdate(self, answer, answered, invited):
        """Date the invitation (and the answer, when given) back: demo set-up only, in SQL."""
        self.env.flush_all()
        deadline_days = answer.logistics_company_id.logistics_survey_deadline_days
        deadline = invited + timedelta(days=deadline_days) if deadline_days > 0 else None
        if answered:
            start = answered - timedelta(minutes=4)
            self.env.cr.execute(
                SQL(
                    """UPDATE survey_user_input
                          SET create_date = %s, start_datetime = %s, end_datetime = %s, deadline = %s
                        WHERE id = %s""",
                    invited,
                    start,
                    answered,
                    deadline,
                    answer.id,
                )
            )
        else:
            self.env.cr.execute(
                SQL(
                    "UPDATE survey_user_input SET create_date = %s, deadline = %s WHERE id = %s",
                    invited,
                    deadline,
                    answer.id,
                )
            )
        answer.invalidate_recordset(["create_date", "start_datetime", "end_datetime", "deadline"])
