"""Browser tours of the satisfaction survey (headless Chromium through HttpCase): the customer answers the
shipped survey through the personal link of the invitation, without logging in, then an administrator finds
the score on the customer (static/tests/tours/logistics_crm_survey_tour.js)."""

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common_satisfaction import SatisfactionCase

COMMENT = "Faster customs clearance at Qingdao, please."


@tagged("post_install", "-at_install", "logistics_crm")
class TestSurveyTours(HttpCase, SatisfactionCase):
    def setUp(self):
        super().setUp()
        self.salesperson = new_test_user(
            self.env,
            login="lcrm_survey_tour_sales",
            name="Tour Survey Salesperson",
            email="survey.sales@tour.example.com",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        self.shipper = self.env["res.partner"].create(
            {
                "name": "Tour Survey Shipper",
                "is_company": True,
                "email": "ops@tour-survey-shipper.example.com",
                "user_id": self.salesperson.id,
            }
        )
        self.buyer = self._contact(self.shipper, "Tour Survey Buyer", "buyer@tour-survey-shipper.example.com")
        # the salesperson sends the survey about a confirmed order from its form (the real path)
        self.order = self._order(self.buyer, 25_000, days_ago=6)
        self.assertEqual(self.order.user_id, self.salesperson)
        self.order.with_user(self.salesperson).action_send_satisfaction_survey()
        self.invitation = self.order.logistics_survey_input_ids
        self.assertEqual(len(self.invitation), 1)
        self.assertEqual(self.invitation.state, "new")
        self.assertEqual(self.invitation.partner_id, self.buyer)

    def test_survey_tours(self):
        """The buyer answers 4, 5, 3, 4, skips the complaint question, recommends 9 and comments; the answer
        is scored, the customer's figures refreshed; the administrator sees them on the customer."""
        # no login: the emailed link opens the survey by the invitation's token
        self.start_tour(self.invitation.get_start_url(), "logistics_crm_survey_answer_tour")

        self.env.invalidate_all()
        answer = self.invitation
        self.assertEqual(answer.state, "done")
        self.assertEqual(
            answer.logistics_scores,
            {"expectation": 75.0, "quality": 100.0, "value": 50.0, "satisfaction": 75.0, "loyalty": 90.0},
            "the skipped complaint question has no score",
        )
        self.assertEqual(answer.logistics_satisfaction_score, 78.0)
        self.assertEqual(answer.logistics_recommend_value, 9)
        self.assertEqual(answer.logistics_nps_category, "promoter")
        self.assertEqual(answer.logistics_partner_id, self.shipper)
        self.assertEqual(answer.logistics_sale_order_id, self.order)
        self.assertEqual(answer.logistics_salesperson_id, self.salesperson)
        lines = answer.user_input_line_ids
        complaint_line = lines.filtered(lambda line: line.question_id == self.questions["complaint"])
        self.assertTrue(complaint_line.skipped)
        comment_line = lines.filtered(lambda line: line.question_id == self.question_comments)
        self.assertEqual(comment_line.value_text_box, COMMENT)

        # completing the survey refreshed the customer's figures, on the company and its contact
        today = fields.Date.context_today(self.shipper)
        for partner in (self.shipper, self.buyer):
            partner = partner.with_company(self.company)
            self.assertEqual(partner.logistics_survey_answer_count, 1, partner.name)
            self.assertEqual(partner.logistics_satisfaction_score, 78.0, partner.name)
            self.assertEqual(partner.logistics_nps, 100.0, partner.name)
            self.assertEqual(partner.logistics_last_survey_date, today, partner.name)

        self.start_tour(
            "/odoo/action-logistics_crm.action_logistics_customers", "logistics_crm_survey_customer_tour", login="admin"
        )
