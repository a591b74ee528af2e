"""The world of the satisfaction survey tests (issue #13).

A customer company with three contacts who have email addresses, and the shipped survey
answered programmatically the way its pages save it (``_save_lines`` then ``_mark_done``).
"""

from datetime import timedelta

from odoo import fields

from .common import LogisticsCrmCase

# the shipped survey's question of each satisfaction dimension
QUESTIONS = {
    "expectation": "logistics_crm.survey_question_expectation",
    "quality": "logistics_crm.survey_question_quality",
    "value": "logistics_crm.survey_question_value",
    "satisfaction": "logistics_crm.survey_question_satisfaction",
    "complaint": "logistics_crm.survey_question_complaint",
    "loyalty": "logistics_crm.survey_question_recommend",
}
# a content customer, 4 of 5 everywhere (75/100), complaint question skipped
GOOD = {"expectation": 4, "quality": 4, "value": 4, "satisfaction": 4}


class SatisfactionCase(LogisticsCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Answer = cls.env["survey.user_input"]
        cls.Partner = cls.env["res.partner"]
        cls.survey = cls.env.ref("logistics_crm.survey_customer_satisfaction")
        cls.questions = {dimension: cls.env.ref(xmlid) for dimension, xmlid in QUESTIONS.items()}
        cls.question_comments = cls.env.ref("logistics_crm.survey_question_comments")
        # the settings as shipped, whatever the database says
        cls.company.write(
            {
                "logistics_survey_id": False,
                "logistics_survey_order_delay_days": 3,
                "logistics_survey_window_days": 365,
                "logistics_survey_deadline_days": 30,
                "logistics_survey_on_complaint": True,
            }
        )
        cls.customer = cls._customer("Tianjin Bulk Carriers", email="ops@tianjin-bulk.example.com")
        cls.contact_1 = cls._contact(cls.customer, "Liu Yang", "liu.yang@tianjin-bulk.example.com")
        cls.contact_2 = cls._contact(cls.customer, "Gao Min", "gao.min@tianjin-bulk.example.com")
        cls.contact_3 = cls._contact(cls.customer, "Hu Jun", "hu.jun@tianjin-bulk.example.com")

    # ------------------------------------------------------------------ people
    @classmethod
    def _contact(cls, customer, name, email=False):
        return cls.env["res.partner"].create({"name": name, "parent_id": customer.id, "email": email})

    # ------------------------------------------------------------------ answers
    @classmethod
    def _start(cls, contact, company=None, **vals):
        """A new answer of ``contact`` to the shipped survey, asked by ``company``, not answered yet."""
        vals.setdefault("logistics_salesperson_id", contact.commercial_partner_id.user_id.id)
        vals.setdefault("logistics_source", "manual")
        return cls.survey._create_answer(
            partner=contact,
            check_attempts=False,
            logistics_company_id=(company or cls.company).id,
            **vals,
        )

    @classmethod
    def _fill(cls, answer, values_by_dimension, comment=None):
        """Save the answers as the survey page posts them: strings, an empty one for a skipped question."""
        for dimension, question in cls.questions.items():
            value = values_by_dimension.get(dimension)
            answer._save_lines(question, "" if value is None else str(value))
        answer._save_lines(cls.question_comments, comment or "")
        return answer

    @classmethod
    def _answer(cls, contact_or_answer, values_by_dimension, comment=None, **vals):
        """Answer the shipped survey and complete it.

        :param contact_or_answer: a contact (a new answer is made for them, ``vals`` passed to
            :meth:`_start`) or an existing answer (an invitation).
        :param values_by_dimension: ``{dimension: value}`` on the question's scale (1-5, loyalty
            0-10); a dimension left out is skipped.
        """
        if contact_or_answer._name == "res.partner":
            answer = cls._start(contact_or_answer, **vals)
        else:
            answer = contact_or_answer
        cls._fill(answer, values_by_dimension, comment)
        answer._mark_done()
        return answer

    @classmethod
    def _recommend(cls, contact, loyalty, **vals):
        """A completed answer rating the four core dimensions 4 of 5 and recommending ``loyalty`` of 10."""
        return cls._answer(contact, {**GOOD, "loyalty": loyalty}, **vals)

    def _age(self, answers, days):
        """Move the completion of ``answers`` ``days`` days back."""
        answers.write({"end_datetime": fields.Datetime.now() - timedelta(days=days)})

    def _backdate_invitation(self, answers, days):
        """Move the invitation (creation) of ``answers`` ``days`` days back: the ORM never writes it."""
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE survey_user_input SET create_date = %s WHERE id IN %s",
            (fields.Datetime.now() - timedelta(days=days), tuple(answers.ids)),
        )
        answers.invalidate_recordset(["create_date"])

    # ------------------------------------------------------------------ orders
    @classmethod
    def _fulfilled_order(cls, partner, days_ago, **vals):
        """A confirmed order locked as done, fulfilled ``days_ago`` days back."""
        order = cls._order(partner, 1000, days_ago=days_ago + 5, **vals)
        order.action_lock()
        order.write({"logistics_fulfilled_date": fields.Datetime.now() - timedelta(days=days_ago)})
        return order

    def _invitations(self, records):
        """The answers made for ``records`` (customers: of all their contacts)."""
        return self.Answer.search([("logistics_partner_id", "in", records.commercial_partner_id.ids)])

    def _mails(self, answers):
        """The invitation emails of ``answers``, queued (not sent) by the invitation."""
        return self.env["mail.mail"].search([("model", "=", "survey.user_input"), ("res_id", "in", answers.ids)])

    def _notes(self, record, text="Satisfaction survey sent"):
        return record.message_ids.filtered(
            lambda m: m.subtype_id == self.env.ref("mail.mt_note") and text in (m.body or "")
        )
