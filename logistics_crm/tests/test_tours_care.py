"""Browser tours of the care mailings (headless Chromium through HttpCase): a manager previews and sends
the key accounts' mail and finds it in the customer's chatter; a plain user sees the rules read-only
(static/tests/tours/logistics_crm_care_tour.js)."""

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from ..models.logistics_customer_values import ENGINE_WRITE, INTERNAL_WRITE_KEY


@tagged("post_install", "-at_install", "logistics_crm")
class TestCareTours(HttpCase):
    def setUp(self):
        super().setUp()
        self.company = self.env.ref("base.main_company")
        self.rule_key = self.env.ref("logistics_crm.care_rule_key_accounts")
        # the shipped rules, as shipped; the customer of the key accounts rule is the test's alone: the
        # other customers (the demo's) have no tier or stage in the company
        (self.rule_key | self.env.ref("logistics_crm.care_rule_win_back")).write({"active": True})
        customers = self.env["res.partner"].search([("is_logistics_customer", "=", True)])
        self._segment(customers, False, False)
        self.manager = new_test_user(
            self.env,
            login="lcrm_care_tour_manager",
            name="Tour Care Manager",
            email="care.manager@example.com",
            tz="UTC",
            groups="base.group_user,logistics_crm.group_logistics_crm_manager",
        )
        self.customer = self.env["res.partner"].create(
            {"name": "Tour Care Shipper", "is_company": True, "email": "ops@tour-care.example.com"}
        )
        self._segment(self.customer, self.env.ref("logistics_crm.customer_tier_a").id, "active")

    def _segment(self, partners, tier_id, stage):
        """Tier and stage in the main company, as the tier engine writes them."""
        partners.with_company(self.company).with_context(**{INTERNAL_WRITE_KEY: ENGINE_WRITE}).write(
            {"logistics_tier_id": tier_id, "logistics_stage": stage}
        )

    def test_manager_previews_and_sends_the_key_accounts_mail(self):
        """Care mailings, Key accounts: monthly, Preview (the customer's mail), Send now (confirmed):
        one customer mailed, nobody due any more; the mail is in the customer's chatter and queued."""
        self.assertEqual((self.rule_key.partner_count, self.rule_key.due_count), (1, 1))

        self.start_tour("/odoo", "logistics_crm_care_tour", login=self.manager.login)

        self.customer.invalidate_recordset()
        customer = self.customer.with_company(self.company)
        self.assertEqual(customer.logistics_last_care_date, fields.Date.today())
        self.assertEqual(customer.logistics_last_care_rule_id, self.rule_key)
        messages = self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "=", customer.id),
                ("subtype_id", "=", self.env.ref("logistics_crm.mt_logistics_care_mailing").id),
            ]
        )
        self.assertEqual(len(messages), 1)
        self.assertIn("your monthly account review", messages.subject)
        mail = self.env["mail.mail"].search([("mail_message_id", "=", messages.id)])
        self.assertEqual(len(mail), 1, "the mail waits in the mail queue")
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.recipient_ids, customer)
        self.assertIn(customer.logistics_care_unsubscribe_url, mail.body_html)
        self.assertEqual((self.rule_key.last_run_count, self.rule_key.due_count), (1, 0))

    def test_plain_user_sees_the_rules_read_only(self):
        """A Logistics CRM user opens Care mailings and a rule: read-only, no Send now; nothing is mailed."""
        user = new_test_user(
            self.env,
            login="lcrm_care_tour_user",
            name="Tour Care User",
            email="care.user@example.com",
            tz="UTC",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        last_run = self.rule_key.date_last_run  # the demo's history, if installed
        self.start_tour("/odoo", "logistics_crm_care_user_tour", login=user.login)
        self.assertFalse(self.customer.with_company(self.company).logistics_last_care_date)
        self.assertEqual(self.rule_key.date_last_run, last_run, "the user's visit sends nothing")
