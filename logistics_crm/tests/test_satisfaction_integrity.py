"""What the service bonus is paid on cannot be bent: answers, their lines across companies, the jobs."""

from unittest.mock import patch

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_satisfaction import GOOD, SatisfactionCase

SURVEY_OFFICER = "base.group_user,logistics_crm.group_logistics_crm_user,survey.group_survey_user"


@tagged("post_install", "-at_install", "logistics_crm")
class TestAnswerIntegrity(SatisfactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(cls.env, login="lcrm_bonus_officer", name="Tang Officer", groups=SURVEY_OFFICER)
        cls.detractor = cls._answer(cls.contact_1, {**GOOD, "loyalty": 3}, logistics_salesperson_id=cls.officer.id)

    def test_a_salesperson_cannot_move_hide_or_rewrite_an_answer(self):
        answer = self.detractor.with_user(self.officer)
        self.assertEqual(answer.read(["logistics_nps_category"])[0]["logistics_nps_category"], "detractor")
        for vals in (
            {"logistics_salesperson_id": self.user_sales.id},
            {"test_entry": True},
            {"state": "new"},
            {"logistics_nps_category": "promoter"},
            {"logistics_satisfaction_score": 100.0},
            {"partner_id": self.contact_2.id},
        ):
            with self.subTest(vals=vals), self.assertRaisesRegex(AccessError, "only Logistics CRM managers"):
                answer.write(vals)
        with self.assertRaises(AccessError):
            answer.unlink()
        self.assertEqual(
            (self.detractor.logistics_salesperson_id, self.detractor.state, self.detractor.logistics_nps_category),
            (self.officer, "done", "detractor"),
        )

    def test_a_salesperson_cannot_create_a_scored_answer(self):
        with self.assertRaises(AccessError):
            self.Answer.with_user(self.officer).create(
                {
                    "survey_id": self.survey.id,
                    "partner_id": self.contact_2.id,
                    "logistics_company_id": self.company.id,
                    "logistics_nps_category": "promoter",
                    "logistics_satisfaction_score": 100.0,
                }
            )

    def test_the_deadline_and_other_surveys_stay_free(self):
        answer = self.detractor.with_user(self.officer)
        answer.write({"deadline": "2030-01-01 00:00:00"})
        self.assertEqual(str(self.detractor.deadline), "2030-01-01 00:00:00")
        other_survey = self.env["survey.survey"].create({"title": "Canteen feedback"})
        staff_answer = other_survey._create_answer(partner=self.contact_2, check_attempts=False)
        staff_answer.with_user(self.officer).write({"test_entry": True})
        staff_answer.with_user(self.officer).unlink()
        self.assertFalse(staff_answer.exists())

    def test_a_logistics_manager_corrects_and_deletes(self):
        manager = new_test_user(
            self.env,
            login="lcrm_bonus_manager",
            groups="base.group_user,logistics_crm.group_logistics_crm_manager,survey.group_survey_user",
        )
        answer = self.detractor.with_user(manager)
        answer.write({"logistics_salesperson_id": self.user_sales.id})
        self.assertEqual(self.detractor.logistics_salesperson_id, self.user_sales)
        answer.unlink()
        self.assertFalse(self.detractor.exists())
        self.assertEqual(self.customer.logistics_survey_answer_count, 1, "refreshed at the next completion")

    def test_only_managers_run_the_jobs(self):
        portal = new_test_user(self.env, login="lcrm_bonus_portal", groups="base.group_portal")
        for user in (self.officer, portal):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.Answer.with_user(user).logistics_send_due_surveys()
                with self.assertRaises(AccessError):
                    self.Partner.with_user(user).logistics_refresh_satisfaction()
        self.Answer.with_user(self.user_manager).logistics_send_due_surveys()
        self.assertTrue(self.company.logistics_survey_run_at, "the run marks the company's row")
        self.assertGreaterEqual(self.Partner.with_user(self.user_manager).logistics_refresh_satisfaction(), 1)

    def test_one_failing_invitation_does_not_stop_the_others(self):
        failing = self._customer("Yingkou Steel Export", email="ops@yingkou-steel.example.com")
        order_1 = self._fulfilled_order(failing, days_ago=5)
        other = self._customer("Dalian Grain Terminal", email="ops@dalian-grain.example.com")
        order_2 = self._fulfilled_order(other, days_ago=5)
        invite = type(self.Answer)._logistics_invite

        def flaky(answers, contact, company, source, salesperson=None, **links):
            if contact == failing:
                raise ValueError("the template no longer renders")
            return invite(answers, contact, company, source, salesperson=salesperson, **links)

        with (
            patch.object(type(self.Answer), "_logistics_invite", flaky),
            self.assertLogs("odoo.addons.logistics_crm.models.survey_user_input", "ERROR"),
        ):
            created = self.Answer.logistics_send_due_surveys()
        self.assertIn(order_2, created.logistics_sale_order_id)
        self.assertNotIn(order_1, created.logistics_sale_order_id)
        self.assertFalse(order_1.logistics_survey_input_ids)


@tagged("post_install", "-at_install", "logistics_crm")
class TestAnswerLinesPerCompany(SatisfactionCase):
    def test_another_companys_answer_lines_are_invisible(self):
        company_b = self.env["res.company"].create({"name": "Qingdao Cold Storage Co."})
        officer_a = new_test_user(
            self.env,
            login="lcrm_lines_a",
            groups=SURVEY_OFFICER,
            company_id=self.company.id,
            company_ids=[Command.set(self.company.ids)],
        )
        answer_a = self._answer(self.contact_1, {**GOOD, "loyalty": 9}, comment="Fine.")
        answer_b = self._answer(
            self.contact_2, {**GOOD, "loyalty": 2}, comment="Secret of company B.", company=company_b
        )
        Line = self.env["survey.user_input.line"].with_user(officer_a)
        lines = Line.search([("survey_id", "=", self.survey.id)])
        self.assertIn(answer_a, lines.user_input_id)
        self.assertNotIn(answer_b, lines.user_input_id)
        self.assertNotIn("Secret of company B.", lines.mapped("value_text_box"))
        with self.assertRaises(AccessError):
            answer_b.user_input_line_ids.with_user(officer_a).read(["value_text_box"])


@tagged("post_install", "-at_install", "logistics_crm")
class TestFulfilledWithAutoLock(SatisfactionCase):
    def test_locked_at_confirmation_is_not_fulfilled(self):
        """With "Lock confirmed sales", Odoo locks every order at confirmation: only deliveries count."""
        auto_lock = self.env.ref("sale.group_auto_done_setting")
        self.env.ref("base.group_user").implied_ids = [Command.link(auto_lock.id)]
        order = self._order(self.contact_1, 1000, days_ago=1)
        self.assertTrue(order.locked)
        self.assertFalse(order.logistics_fulfilled_date)
        order.order_line.qty_delivered = order.order_line.product_uom_qty
        self.assertTrue(order.logistics_fulfilled_date)
