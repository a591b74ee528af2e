"""Satisfaction survey invitations (issue #13): by hand for an order, after fulfilled orders and
periodically by tier (the daily job), and after a closed complaint."""

from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common_complaint import ComplaintCase
from .common_satisfaction import SatisfactionCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestOrderInvitation(SatisfactionCase):
    """The *Send satisfaction survey* button of a confirmed order."""

    def test_send_survey_for_an_order(self):
        # sold by the manager, not the customer's salesperson: the answer is credited to the order's
        order = self._order(self.contact_1, 4000, days_ago=2, user_id=self.user_manager.id)
        before = fields.Datetime.now()
        result = order.action_send_satisfaction_survey()
        self.assertEqual(result["params"]["type"], "success")
        answer = order.logistics_survey_input_ids
        self.assertEqual(len(answer), 1)
        self.assertEqual(order.logistics_survey_count, 1)
        self.assertEqual(answer.survey_id, self.survey)
        self.assertEqual(answer.state, "new")
        self.assertEqual(answer.partner_id, self.contact_1)
        self.assertEqual(answer.logistics_partner_id, self.customer)
        self.assertEqual(answer.logistics_company_id, order.company_id)
        self.assertEqual(answer.logistics_sale_order_id, order)
        self.assertEqual(answer.logistics_salesperson_id, self.user_manager)
        self.assertEqual(answer.logistics_source, "manual")
        self.assertTrue(answer.access_token)
        self.assertAlmostEqual(answer.deadline, before + timedelta(days=30), delta=timedelta(minutes=1))
        mail = self._mails(answer)
        self.assertEqual(len(mail), 1, "one invitation email, queued")
        self.assertEqual(mail.recipient_ids, self.contact_1)
        self.assertIn(answer.get_start_url(), mail.body_html)
        self.assertIn(order.name, mail.body_html)
        self.assertEqual(len(self._notes(order)), 1)
        self.assertIn(self.contact_1.name, self._notes(order).body)
        self.assertEqual(self._invitations(self.customer), answer)

    def test_link_without_deadline(self):
        self.company.logistics_survey_deadline_days = 0
        order = self._order(self.contact_1, 4000, days_ago=2)
        order.action_send_satisfaction_survey()
        answer = order.logistics_survey_input_ids
        self.assertTrue(answer.access_token)
        self.assertFalse(answer.deadline, "0: the link never expires")

    def test_contact_without_email_gets_it_at_the_company_address(self):
        silent = self._contact(self.customer, "Wu Qiang")
        order = self._order(silent, 4000, days_ago=2)
        order.action_send_satisfaction_survey()
        answer = order.logistics_survey_input_ids
        self.assertEqual(answer.partner_id, self.customer)
        self.assertEqual(self._mails(answer).recipient_ids, self.customer)
        self.assertEqual(answer.logistics_salesperson_id, self.user_sales)

    def _assert_refused(self, orders, message):
        mails = self.env["mail.mail"].search_count([])
        with self.assertRaisesRegex(UserError, message), self.env.cr.savepoint():
            orders.action_send_satisfaction_survey()
        self.assertFalse(self.Answer.search([("logistics_sale_order_id", "in", orders.ids)]))
        self.assertEqual(self.env["mail.mail"].search_count([]), mails, "no email either")
        for order in orders:
            self.assertFalse(self._notes(order))

    def test_refuses_a_quotation(self):
        quotation = self._order(self.contact_1, 4000, confirm=False)
        self._assert_refused(quotation, "is not a confirmed order")
        quotation.action_confirm()
        quotation.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(quotation.state, "cancel")
        self._assert_refused(quotation, "is not a confirmed order")

    def test_refuses_an_order_already_surveyed(self):
        order = self._order(self.contact_1, 4000, days_ago=2)
        order.action_send_satisfaction_survey()
        answer = order.logistics_survey_input_ids
        with self.assertRaisesRegex(UserError, "already sent a satisfaction survey"), self.env.cr.savepoint():
            order.action_send_satisfaction_survey()
        self.assertEqual(self._invitations(self.customer), answer)
        self.assertEqual(len(self._notes(order)), 1)

    def test_refuses_a_customer_without_email(self):
        customer = self._customer("Lanzhou Overland Freight")
        contact = self._contact(customer, "Zhou Bo")
        self._assert_refused(self._order(contact, 4000, days_ago=2), "has no email address")
        self._assert_refused(self._order(customer, 4000, days_ago=2), "has no email address")

    def test_one_bad_order_sends_nothing(self):
        good = self._order(self.contact_1, 4000, days_ago=2)
        other_good = self._order(self.contact_2, 4000, days_ago=2)
        quotation = self._order(self.contact_3, 4000, confirm=False)
        self._assert_refused(good | quotation | other_good, quotation.name)
        self.assertFalse(self._invitations(self.customer))
        (good | other_good).action_send_satisfaction_survey()
        self.assertEqual(self._invitations(self.customer).logistics_sale_order_id, good | other_good)


@tagged("post_install", "-at_install", "logistics_crm")
class TestFulfilledDate(SatisfactionCase):
    """An order is fulfilled when locked as done or when all its lines are delivered."""

    def test_locked_order_is_fulfilled(self):
        order = self._order(self.contact_1, 4000, days_ago=2)
        self.assertFalse(order.locked)
        self.assertFalse(order.logistics_fulfilled_date)
        before = fields.Datetime.now()
        order.action_lock()
        self.assertAlmostEqual(order.logistics_fulfilled_date, before, delta=timedelta(minutes=1))
        order.action_unlock()
        self.assertFalse(order.logistics_fulfilled_date)

    def test_delivered_order_is_fulfilled(self):
        order = self._order(self.contact_1, 4000, days_ago=2)
        order.order_line.write({"product_uom_qty": 2})
        order.order_line.qty_delivered = 1
        self.assertFalse(order.logistics_fulfilled_date, "half delivered")
        order.order_line.qty_delivered = 2
        self.assertTrue(order.logistics_fulfilled_date)
        order.order_line.qty_delivered = 1
        self.assertFalse(order.logistics_fulfilled_date, "a delivery corrected down")

    def test_quotation_and_cancelled_order_are_not_fulfilled(self):
        quotation = self._order(self.contact_1, 4000, confirm=False)
        quotation.order_line.qty_delivered = 1
        self.assertFalse(quotation.logistics_fulfilled_date)
        order = self._order(self.contact_1, 4000, days_ago=2)
        order.order_line.qty_delivered = 1
        self.assertTrue(order.logistics_fulfilled_date)
        order.with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertFalse(order.logistics_fulfilled_date)


@tagged("post_install", "-at_install", "logistics_crm")
class TestInvitationJob(SatisfactionCase):
    """The daily job: after fulfilled orders (delay 3 days, 30 days back at most), then by tier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tier_a.survey_frequency_days = 90
        cls.tier_b.survey_frequency_days = 180
        cls.tier_c.survey_frequency_days = 365
        cls.cron = cls.env.ref("logistics_crm.ir_cron_logistics_survey_invitations")

    def _customer_with_contact(self, name, tier=None, stage=None):
        customer = self._customer(name)
        contact = self._contact(customer, f"Buyer of {name}", f"buyer{customer.id}@example.com")
        values = {}
        if tier:
            values["logistics_tier_id"] = tier.id
        if stage:
            values["logistics_stage"] = stage
        if values:
            customer.with_company(self.company).write(values)
        return customer, contact

    def _run(self, customers):
        """Run the job; return the answers it made for ``customers`` (it also invites the others)."""
        created = self.Answer.logistics_send_due_surveys()
        self.assertTrue(all(answer.logistics_company_id for answer in created))
        return created.filtered(lambda a: a.logistics_partner_id in customers)

    def test_orders_fulfilled_after_the_delay_are_surveyed(self):
        due, due_contact = self._customer_with_contact("Due Customer")
        recent, recent_contact = self._customer_with_contact("Recent Customer")
        old, old_contact = self._customer_with_contact("Old Customer")
        order_due = self._fulfilled_order(due_contact, days_ago=5, user_id=self.user_manager.id)
        self._fulfilled_order(recent_contact, days_ago=1)
        self._fulfilled_order(old_contact, days_ago=40)
        not_fulfilled = self._order(self.contact_1, 4000, days_ago=10)
        customers = due | recent | old | self.customer
        answer = self._run(customers)
        self.assertEqual(answer.logistics_partner_id, due, "only the order fulfilled 5 days ago")
        self.assertEqual(answer.logistics_sale_order_id, order_due)
        self.assertEqual(answer.partner_id, due_contact, "the contact who ordered")
        self.assertEqual(answer.logistics_source, "order")
        self.assertEqual(answer.logistics_salesperson_id, self.user_manager, "the order's salesperson")
        self.assertEqual(self._mails(answer).recipient_ids, due_contact)
        self.assertEqual(len(self._notes(order_due)), 1)
        self.assertFalse(not_fulfilled.logistics_survey_input_ids)
        # the same day again: nothing more, for anyone
        self.assertFalse(self.Answer.logistics_send_due_surveys())
        self.assertEqual(self._invitations(customers), answer)

    def test_a_customer_is_invited_once_per_its_tiers_frequency(self):
        recent, recent_contact = self._customer_with_contact("Invited 100 days ago", tier=self.tier_b)
        due, due_contact = self._customer_with_contact("Invited 200 days ago", tier=self.tier_b)
        for contact, days in ((recent_contact, 100), (due_contact, 200)):
            self._backdate_invitation(self._start(contact, logistics_source="periodic"), days)
        self._fulfilled_order(recent_contact, days_ago=5)
        order = self._fulfilled_order(due_contact, days_ago=5)
        answer = self._run(recent | due)
        self.assertEqual(answer.logistics_sale_order_id, order, "tier B: every 180 days")
        self.assertEqual(len(self._invitations(recent)), 1, "only the invitation of 100 days ago")

    def test_orders_of_customers_invited_the_same_run_are_surveyed_once(self):
        self._fulfilled_order(self.contact_1, days_ago=6)
        latest = self._fulfilled_order(self.contact_2, days_ago=5)
        answer = self._run(self.customer)
        self.assertEqual(answer.logistics_sale_order_id, latest, "one invitation per customer, its latest order")
        self.assertEqual(answer.partner_id, self.contact_2)

    def test_tier_without_frequency_is_never_surveyed(self):
        self.tier_c.survey_frequency_days = 0
        small, small_contact = self._customer_with_contact("Tier C Customer", tier=self.tier_c, stage="active")
        # without a tier, a customer is surveyed as one of the last tier (C)
        untiered, untiered_contact = self._customer_with_contact("Untiered Customer")
        self._fulfilled_order(small_contact, days_ago=5)
        self._fulfilled_order(untiered_contact, days_ago=5)
        self.assertFalse(self._run(small | untiered))
        self.assertFalse(self._invitations(small | untiered))

    def test_periodic_invitations_by_tier(self):
        active, active_contact = self._customer_with_contact("Active Key Account", tier=self.tier_a, stage="active")
        dormant, _contact = self._customer_with_contact("Dormant Customer", tier=self.tier_b, stage="dormant")
        dormant.email = "desk@dormant.example.com"
        lost, _contact = self._customer_with_contact("Lost Customer", tier=self.tier_a, stage="lost")
        potential, _contact = self._customer_with_contact("Potential Customer", stage="potential")
        recent, recent_contact = self._customer_with_contact("Recently Asked", tier=self.tier_a, stage="active")
        self._backdate_invitation(self._start(recent_contact, logistics_source="periodic"), 30)
        customers = active | dormant | lost | potential | recent
        answers = self._run(customers)
        self.assertEqual(answers.logistics_partner_id, active | dormant)
        self.assertEqual(set(answers.mapped("logistics_source")), {"periodic"})
        self.assertFalse(answers.logistics_sale_order_id)
        self.assertEqual(answers.logistics_salesperson_id, self.user_sales, "the customer's salesperson")
        by_customer = {answer.logistics_partner_id: answer for answer in answers}
        self.assertEqual(by_customer[active].partner_id, active_contact, "a contact when the company has no email")
        self.assertEqual(by_customer[active].logistics_tier_id, self.tier_a)
        self.assertEqual(by_customer[dormant].partner_id, dormant, "the company's own address first")
        self.assertEqual(self._mails(answers).recipient_ids, active_contact | dormant)
        # the same day again: nothing more, for anyone
        self.assertFalse(self.Answer.logistics_send_due_surveys())
        self.assertEqual(self._invitations(customers), answers | self._invitations(recent))

    def test_the_shipped_job_runs_the_invitations(self):
        customer, contact = self._customer_with_contact("Customer of the job", tier=self.tier_a, stage="active")
        self.cron.method_direct_trigger()
        answer = self._invitations(customer)
        self.assertEqual((answer.partner_id, answer.logistics_source), (contact, "periodic"))


@tagged("post_install", "-at_install", "logistics_crm")
class TestComplaintInvitation(SatisfactionCase, ComplaintCase):
    """Closing a complaint invites the person who raised it, once per complaint."""

    def _closed_complaint(self, close="action_close", **vals):
        complaint = self.complaint(self.customer_a, contact_id=self.contact_a.id, user_id=self.team_leader.id, **vals)
        complaint.resolution = "Refunded the demurrage."
        complaint.action_resolve()
        self.assertFalse(complaint.logistics_survey_input_ids, "not before it is closed")
        getattr(complaint, close)()
        return complaint

    def test_closing_invites_the_contact_once(self):
        complaint = self._closed_complaint()
        answer = complaint.logistics_survey_input_ids
        self.assertEqual(len(answer), 1)
        self.assertEqual(complaint.logistics_survey_count, 1)
        self.assertEqual(answer.partner_id, self.contact_a)
        self.assertEqual(answer.logistics_partner_id, self.customer_a)
        self.assertEqual(answer.logistics_complaint_id, complaint)
        self.assertEqual(answer.logistics_salesperson_id, self.team_leader, "the complaint's owner")
        self.assertEqual(answer.logistics_source, "complaint")
        self.assertEqual(answer.logistics_company_id, complaint.company_id)
        self.assertEqual(answer.logistics_tier_id, self.tier_a)
        self.assertTrue(answer.access_token)
        mail = self._mails(answer)
        self.assertEqual(mail.recipient_ids, self.contact_a)
        self.assertIn(answer.get_start_url(), mail.body_html)
        self.assertIn(complaint.name, mail.body_html)
        self.assertEqual(len(self._notes(complaint)), 1)
        # reopened and closed again: no second invitation
        complaint.action_reopen()
        complaint.action_close()
        self.assertEqual(complaint.logistics_survey_input_ids, answer)
        self.assertEqual(len(self._notes(complaint)), 1)

    def test_refusing_invites_too(self):
        complaint = self._closed_complaint(close="action_refuse")
        self.assertEqual(complaint.stage_id, self.stage_refused)
        self.assertEqual(complaint.logistics_survey_input_ids.partner_id, self.contact_a)

    def test_without_contact_the_customer_is_invited(self):
        complaint = self.complaint(self.customer_b)
        complaint.write({"resolution": "Apologised.", "stage_id": self.stage_closed.id})
        answer = complaint.logistics_survey_input_ids
        self.assertEqual(answer.partner_id, self.customer_b)
        self.assertEqual(answer.logistics_salesperson_id, self.user_sales)

    def test_company_may_turn_it_off(self):
        self.company.logistics_survey_on_complaint = False
        complaint = self._closed_complaint()
        self.assertEqual(complaint.stage_id, self.stage_closed)
        self.assertFalse(complaint.logistics_survey_input_ids)
        self.assertFalse(self._notes(complaint))

    def test_closing_without_email_closes_without_survey(self):
        customer = self._customer("No Mail Shipping")
        complaint = self.complaint(customer)
        complaint.write({"resolution": "Apologised.", "stage_id": self.stage_closed.id})
        self.assertTrue(complaint.is_closed)
        self.assertFalse(complaint.logistics_survey_input_ids)
        with self.assertRaisesRegex(UserError, "has no customer email address"), self.env.cr.savepoint():
            complaint.action_send_satisfaction_survey()

    def test_send_by_hand_once(self):
        complaint = self.complaint(self.customer_a, contact_id=self.contact_a.id)
        complaint.action_send_satisfaction_survey()
        answer = complaint.logistics_survey_input_ids
        self.assertEqual((answer.partner_id, answer.logistics_source), (self.contact_a, "complaint"))
        with self.assertRaisesRegex(UserError, "already sent a satisfaction survey"), self.env.cr.savepoint():
            complaint.action_send_satisfaction_survey()
        complaint.write({"resolution": "Refunded.", "stage_id": self.stage_closed.id})
        self.assertEqual(complaint.logistics_survey_input_ids, answer, "closing it adds none")

    def test_send_by_hand_refuses_a_closed_and_surveyed_complaint(self):
        complaint = self._closed_complaint()
        answer = complaint.logistics_survey_input_ids
        with self.assertRaisesRegex(UserError, "already sent a satisfaction survey"), self.env.cr.savepoint():
            complaint.action_send_satisfaction_survey()
        self.assertEqual(complaint.logistics_survey_input_ids, answer)
