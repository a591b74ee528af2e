"""The shipped automation rule: a detractor's answer plans a call-back on the customer."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_satisfaction import GOOD, SatisfactionCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestDetractorCallBack(SatisfactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rule = cls.env.ref("logistics_crm.automation_survey_detractor")
        cls.call_back = cls.env.ref("logistics_crm.mail_activity_type_logistics_detractor")

    def _call_backs(self, customer=None):
        answers = self.Answer.search([("logistics_partner_id", "=", (customer or self.customer).id)])
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", "survey.user_input"),
                ("res_id", "in", answers.ids),
                ("activity_type_id", "=", self.call_back.id),
            ]
        )

    def _rate(self, contact, loyalty, comment=None):
        return self._answer(
            contact, {**GOOD, "loyalty": loyalty}, comment=comment, logistics_salesperson_id=self.user_sales.id
        )

    def test_the_rule_ships_active(self):
        self.assertTrue(self.rule.active)
        self.assertEqual(self.rule.model_id.model, "survey.user_input")
        self.assertEqual(self.rule.trigger_field_ids.name, "logistics_nps_category")

    def test_a_detractor_gets_a_call_back_from_the_salesperson(self):
        answer = self._rate(self.contact_1, 4, comment="The trucks to Tianjin port were late three times.")
        activity = self._call_backs()
        self.assertEqual(len(activity), 1)
        self.assertEqual((activity.res_model, activity.res_id), ("survey.user_input", answer.id))
        self.assertEqual(activity.user_id, self.user_sales)
        self.assertEqual(activity.summary, "Detractor: call back Liu Yang (Tianjin Bulk Carriers)")
        self.assertIn("Liu Yang would recommend us 4/10", activity.note)
        self.assertIn("late three times", activity.note)
        self.assertGreater(activity.date_deadline, self.today)

    def test_promoters_passives_and_unfinished_answers_get_none(self):
        self._rate(self.contact_1, 10)
        self._rate(self.contact_2, 7)
        unfinished = self._fill(self._start(self.contact_3), {**GOOD, "loyalty": 2})
        self.assertNotEqual(unfinished.state, "done")
        self.assertFalse(self._call_backs())
        self.assertFalse(unfinished.logistics_plan_detractor_call())

    def test_one_open_call_back_per_customer(self):
        self._rate(self.contact_1, 3)
        self._rate(self.contact_2, 5)
        first = self._call_backs()
        self.assertEqual(len(first), 1, "the second detractor of the same customer waits for the open call")
        first.action_feedback(feedback="Called: new trucking partner from next month.")
        self._rate(self.contact_3, 6)
        self.assertEqual(len(self._call_backs()), 1, "a new one once the first call is done")
        self.assertIn("Hu Jun", self._call_backs().summary)

    def test_without_salesperson_or_with_the_rule_archived_nothing_is_planned(self):
        self._answer(self.contact_1, {**GOOD, "loyalty": 2}, logistics_salesperson_id=False)
        self.assertFalse(self._call_backs())
        # base.automation caches its rules: forget the archived one when this test is rolled back
        self.addCleanup(self.env.registry.clear_all_caches)
        self.rule.active = False
        self._rate(self.contact_2, 2)
        self.assertFalse(self._call_backs(), "the rule plans it, not a hidden hook")

    def test_old_answers_get_no_call_back(self):
        """A recomputation of old answers (a question mapped anew) plans no call for last year's detractors."""
        answer = self._rate(self.contact_1, 3)
        self._call_backs().action_feedback(feedback="Called.")
        self._age(answer, 30)
        self.assertFalse(answer.logistics_plan_detractor_call())
        self._age(answer, 10)
        self.assertEqual(len(answer.logistics_plan_detractor_call()), 1)

    def test_the_call_back_speaks_the_salespersons_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.user_sales.lang = "zh_CN"
        self._answer(
            self.contact_1.with_context(lang="en_US"),
            {**GOOD, "loyalty": 2},
            logistics_salesperson_id=self.user_sales.id,
        )
        self.assertIn("贬损者", self._call_backs().summary)

    def test_the_caller_must_read_the_answers(self):
        answer = self._rate(self.contact_1, 3)
        portal = self._portal_user()
        with self.assertRaises(AccessError):
            answer.with_user(portal).logistics_plan_detractor_call()

    def _portal_user(self):
        return new_test_user(self.env, login="lcrm_followup_portal", groups="base.group_portal")
