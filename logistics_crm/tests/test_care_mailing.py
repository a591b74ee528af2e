"""The care mailing job: who is mailed, once per interval, through the mail queue, in batches that
the scheduled action commits one by one."""

import logging
from datetime import timedelta
from unittest.mock import patch

from freezegun import freeze_time

from odoo import fields
from odoo.tests import tagged
from odoo.tools import mute_logger

from ..domain import care
from ..models import logistics_care_rule
from ..models.logistics_care_run import CARE_LOCK_NAMESPACE
from .common_care import CareCase

RULE_MODULE = "odoo.addons.logistics_crm.models.logistics_care_rule"
RUN_MODULE = "odoo.addons.logistics_crm.models.logistics_care_run"


@tagged("post_install", "-at_install", "logistics_crm")
class TestCareMailing(CareCase):
    def test_first_run_mails_each_due_customer_once(self):
        mailed = self.send()

        self.assertEqual(mailed, 5)
        everybody = self.mailed_first | self.no_email | self.blacklisted | self.potential | self.key_1_contact
        messages = self.care_messages(everybody)
        self.assertEqual(sorted(messages.mapped("res_id")), sorted(self.mailed_first.ids), "one mail per due customer")
        for partner in self.mailed_first:
            self.assertEqual(partner.logistics_last_care_date, self.today)
        self.assertFalse(self.no_email.logistics_last_care_date, "no email address: skipped")
        self.assertFalse(self.blacklisted.logistics_last_care_date, "blacklisted: skipped")
        self.assertFalse(self.potential.logistics_last_care_date, "no rule applies to a potential customer")
        self.assertFalse(self.key_1_contact.logistics_last_care_date, "the date is the customer's, not its contacts'")
        self.assertEqual(self.rule_key.last_run_count, 2)
        self.assertEqual(self.rule_others.last_run_count, 2)
        self.assertEqual(self.rule_win_back.last_run_count, 1)
        self.assertTrue(self.rule_key.date_last_run)

    def test_the_first_rule_that_applies_mails(self):
        """A dormant key account gets the win-back, the key accounts their review, the others the
        plain template; the rule is recorded on the customer."""
        self.send()
        self.assertEqual(self.dormant_key.logistics_last_care_rule_id, self.rule_win_back)
        self.assertEqual(self.key_1.logistics_last_care_rule_id, self.rule_key)
        self.assertEqual(self.regular_b.logistics_last_care_rule_id, self.rule_others)
        self.assertIn("we miss your shipments", self.care_messages(self.dormant_key).subject)
        self.assertIn("your monthly account review", self.care_messages(self.key_1).subject)
        self.assertEqual(self.care_messages(self.regular_c).subject, "News for Care Regular C")

    def test_the_job_agrees_with_the_plain_rule(self):
        """The job's domains mail exactly the customers, with exactly the rules, that the plain-Python
        rule (domain/care.py, pick_rule) picks, on a day of mixed last mailings."""
        start = fields.Datetime.now()
        with freeze_time(start - timedelta(days=35)):
            self.send()  # everybody once, 35 days ago
        with freeze_time(start - timedelta(days=10)):
            self._segment(self.regular_c, self.tier_a, "active")  # promoted: key account now
            self._segment(self.key_2, self.tier_b, "dormant")  # gone quiet
        rules = [
            (rule.id, tuple(rule.tier_ids.ids), tuple(rule.stage_ids.mapped("code")), rule.interval_days)
            for rule in self.Rule.search([("company_id", "=", self.company.id)])
        ]
        customers = self.mailed_first | self.no_email | self.blacklisted | self.potential
        expected = {}
        for partner in customers.filtered(lambda p: p.email_normalized and not p.is_blacklisted):
            rule_id = care.pick_rule(
                rules,
                partner.logistics_tier_id.id or None,
                partner.logistics_stage,
                partner.logistics_last_care_date or None,
                self.today,
            )
            if rule_id:
                expected[partner.id] = rule_id
        self.assertEqual(self.send(), len(expected))
        mailed = {
            partner.id: partner.logistics_last_care_rule_id.id
            for partner in customers
            if partner.logistics_last_care_date == self.today
        }
        self.assertEqual(mailed, expected)
        self.assertEqual(
            expected,
            {self.key_1.id: self.rule_key.id, self.regular_c.id: self.rule_key.id},
            "35 days later: the key accounts (one of them just promoted); the one gone dormant falls under the "
            "win-back, whose 90 days have not passed",
        )

    def test_mails_go_through_the_mail_queue_to_the_customer(self):
        self.send()
        message = self.care_messages(self.key_1)
        self.assertEqual(message.message_type, "comment")
        self.assertEqual(message.partner_ids, self.key_1, "to the customer only, not its followers or contacts")
        self.assertEqual(message.author_id, self.user_sales.partner_id, "signed by the salesperson")
        mail = self.care_mails(self.key_1)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing", "queued: Odoo's mail queue sends it")
        self.assertEqual(mail.recipient_ids, self.key_1)
        self.assertIn("Care Key One", mail.body_html)
        self.assertIn(self.key_1.logistics_care_unsubscribe_url.replace("&", "&amp;"), mail.body_html)
        headers = mail.headers or ""
        self.assertIn("List-Unsubscribe", headers)
        self.assertIn("List-Unsubscribe=One-Click", headers)
        self.assertIn(f"/logistics/care/unsubscribe/{self.key_1.id}", headers)

    def test_a_template_without_the_link_gets_one(self):
        self.send()
        message = self.care_messages(self.regular_b)
        self.assertIn("Hello Care Regular B", message.body)
        self.assertIn("Unsubscribe from these messages", message.body)
        self.assertIn(f"/logistics/care/unsubscribe/{self.regular_b.id}", message.body)
        # a template that has the link keeps it once
        key_body = self.care_messages(self.key_1).body
        self.assertEqual(key_body.count("/logistics/care/unsubscribe/"), 1)

    def test_the_chatter_shows_mailings_and_care_calls(self):
        """The mailing is in the customer's chatter, next to the care-plan activity of the salesperson."""
        self.env["logistics.care.plan"]._logistics_plan_activities(
            self.key_1, "logistics_crm.mail_activity_type_logistics_care", lambda p: "Care call", lambda p: "Call them"
        )
        self.send()
        activity_type = self.env.ref("logistics_crm.mail_activity_type_logistics_care")
        self.assertTrue(self.key_1.activity_ids.filtered(lambda a: a.activity_type_id == activity_type))
        self.assertEqual(len(self.care_messages(self.key_1)), 1)

    def test_rerunning_the_same_day_sends_nothing(self):
        self.assertEqual(self.send(), 5)
        mails_before = self.env["mail.mail"].search_count([])
        self.assertEqual(self.send(), 0)
        self.assertEqual(self.send(), 0)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before)
        self.assertEqual(len(self.care_messages(self.mailed_first)), 5)

    def test_sent_once_per_interval(self):
        """Key accounts every 30 days, the others and the win-back every 90 days (frozen time)."""
        start = fields.Datetime.now()
        with freeze_time(start):
            self.assertEqual(self.send(), 5)
        with freeze_time(start + timedelta(days=29)):
            self.assertEqual(self.send(), 0, "29 days later: nobody is due")
        with freeze_time(start + timedelta(days=30)):
            self.assertEqual(self.send(), 2, "30 days later: the key accounts")
            self.assertEqual(self.key_1.logistics_last_care_date, self.today + timedelta(days=30))
            self.assertEqual(self.send(), 0, "and only once")
        for days, expected in ((59, 0), (60, 2), (89, 0), (90, 5)):
            with freeze_time(start + timedelta(days=days)):
                self.assertEqual(self.send(), expected, f"day {days}")
        self.assertEqual(len(self.care_messages(self.key_1)), 4)
        self.assertEqual(len(self.care_messages(self.regular_b)), 2)
        self.assertEqual(len(self.care_messages(self.dormant_key)), 2)

    def test_a_customer_mailed_by_another_rule_waits_for_the_interval(self):
        """One date per customer: a customer that turns from dormant to active after its win-back
        mail gets the key accounts' review only once 30 days have passed."""
        start = fields.Datetime.now()
        with freeze_time(start):
            self.send()
        self._segment(self.dormant_key, self.tier_a, "active")
        with freeze_time(start + timedelta(days=10)):
            self.assertEqual(self.send(), 0)
        with freeze_time(start + timedelta(days=30)):
            self.send()
        self.assertEqual(self.dormant_key.logistics_last_care_rule_id, self.rule_key)

    def test_blacklisted_unsubscribed_and_emailless_are_never_mailed(self):
        start = fields.Datetime.now()
        self.env["mail.blacklist"]._add("regb@care.example.com")  # as the unsubscribe link does
        for days in (0, 30, 90, 180):
            with freeze_time(start + timedelta(days=days)):
                self.send()
        self.assertFalse(self.care_messages(self.no_email | self.blacklisted | self.regular_b))
        # an address taken off the blacklist is mailed again
        self.env["mail.blacklist"]._remove("regb@care.example.com")
        with freeze_time(start + timedelta(days=181)):
            self.assertEqual(self.send(), 1)
        self.assertEqual(len(self.care_messages(self.regular_b)), 1)

    def test_an_archived_rule_mails_nobody(self):
        self.rule_key.active = False
        self.send()
        self.assertFalse(self.care_messages(self.key_1 | self.key_2))
        self.assertTrue(self.care_messages(self.regular_b))

    def test_batches(self):
        """A call mails at most a batch, tells the scheduled action what remains, and the next call
        goes on with the others."""
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": self.env.ref("logistics_crm.ir_cron_logistics_care_mailings").id}
        )
        Rule = self.Rule.sudo().with_context(ir_cron_progress_id=progress.id, mail_notify_force_send=False)
        self.assertEqual(Rule.logistics_send_care_mailings(batch_size=2), 2)
        self.assertEqual((progress.done, progress.remaining), (2, 3))
        self.assertEqual(Rule.logistics_send_care_mailings(batch_size=2), 2)
        self.assertEqual((progress.done, progress.remaining), (2, 1))
        self.assertEqual(Rule.logistics_send_care_mailings(batch_size=2), 1)
        self.assertEqual((progress.done, progress.remaining), (1, 0))
        self.assertEqual(Rule.logistics_send_care_mailings(batch_size=2), 0)
        self.assertEqual(sorted(self.care_messages(self.mailed_first).mapped("res_id")), sorted(self.mailed_first.ids))

    def test_bad_batch_size(self):
        for size in (0, -3, "many"):
            with self.subTest(size=size), self.assertRaisesRegex(Exception, "at least one customer"):
                self.send(batch_size=size)
        self.assertFalse(self.care_messages(self.mailed_first))

    def _run_cron(self):
        """Run the scheduled action as Odoo's cron worker runs it: batch after batch, each committed
        (test mode: a commit is a savepoint of the test transaction)."""
        cron = self.env.ref("logistics_crm.ir_cron_logistics_care_mailings")
        self.env.flush_all()
        self.registry.enter_test_mode(self.cr)
        try:
            self.registry["ir.cron"]._process_job(
                self.registry.db_name,
                self.registry.cursor(),
                {**cron.read(load=None)[0], "done": 0, "remaining": 0, "timed_out_counter": 0},
            )
        finally:
            self.registry.leave_test_mode()
        self.env.invalidate_all()
        return self.env["ir.cron.progress"].search([("cron_id", "=", cron.id)], order="id")

    def test_the_scheduled_action_commits_batch_after_batch(self):
        with patch.object(logistics_care_rule, "CARE_BATCH_SIZE", 2):
            progress = self._run_cron()
        self.assertEqual(progress.mapped("done"), [2, 2, 1], "three batches, one after the other")
        self.assertEqual(progress.mapped("remaining"), [3, 1, 0])
        self.assertEqual(len(self.care_messages(self.mailed_first)), 5, "each customer once")

    def test_a_failed_batch_keeps_the_batches_before(self):
        """The third batch fails: the two committed before it stay (their customers are not mailed
        again), the failed one is undone; the next run mails the rest."""
        original = type(self.Rule)._logistics_run
        calls = []

        def failing_third(rules, budget, skip):
            calls.append(budget)
            if len(calls) == 3:
                raise RuntimeError("mail server on fire")
            return original(rules, budget, skip)

        with (
            patch.object(logistics_care_rule, "CARE_BATCH_SIZE", 2),
            patch.object(type(self.Rule), "_logistics_run", failing_third),
            mute_logger("odoo.addons.base.models.ir_cron"),
        ):
            self._run_cron()
        self.assertEqual(len(calls), 3)
        dated = self.mailed_first.filtered("logistics_last_care_date")
        self.assertEqual(len(dated), 4, "the two committed batches stay")
        self.assertEqual(len(self.care_messages(self.mailed_first)), 4)
        with patch.object(logistics_care_rule, "CARE_BATCH_SIZE", 2):
            self._run_cron()
        self.assertEqual(len(self.care_messages(self.mailed_first)), 5, "the next run mails the last one, once")
        self.assertTrue(all(self.mailed_first.mapped("logistics_last_care_date")))

    def test_a_mail_that_fails_is_undone_and_the_others_go(self):
        """The customer whose mail fails is skipped for the day (noted in the rule's chatter); the
        others are mailed; the next day it is tried again."""
        original = type(self.env["res.partner"]).message_post
        broken = self.key_2

        def post(partner, **kwargs):
            if partner == broken:
                raise ValueError("template renders nonsense for this one")
            return original(partner, **kwargs)

        start = fields.Datetime.now()
        with (
            patch.object(type(self.env["res.partner"]), "message_post", post),
            mute_logger(RULE_MODULE),
        ):
            self.assertEqual(self.send(), 4)
            self.assertEqual(self.send(), 0, "skipped for the rest of the day, not retried batch after batch")
        self.assertFalse(self.key_2.logistics_last_care_date)
        self.assertFalse(self.care_messages(self.key_2))
        self.assertEqual(self.key_1.logistics_last_care_date, self.today)
        note = self.rule_key.message_ids.filtered(lambda m: "could not be mailed" in (m.body or ""))
        self.assertEqual(len(note), 1, "the rule's chatter says who was not mailed, and why")
        self.assertIn("Care Key Two", note.body)
        self.assertIn("template renders nonsense", note.body)
        self.assertEqual(self.send(), 0, "still skipped today, even once the cause is gone")
        with freeze_time(start + timedelta(days=1)):
            self.assertEqual(self.send(), 1, "the next day it is mailed")
        self.assertTrue(self.care_messages(self.key_2))

    def test_a_template_that_fails_for_some_customers(self):
        """The template of one rule does not render for some customers (no contact to name): they
        are skipped, the rule's other customers and the other rules' are mailed, and the job goes on."""
        self.template_plain.body_html = '<p>Hello <t t-out="object.child_ids[0].name"/>, our news.</p>'
        self.rule_others.tier_ids |= self.tier_a
        self.rule_others.sequence = 5  # first: it takes every active customer
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": self.env.ref("logistics_crm.ir_cron_logistics_care_mailings").id}
        )
        Rule = self.Rule.sudo().with_context(ir_cron_progress_id=progress.id, mail_notify_force_send=False)
        with mute_logger(RULE_MODULE):
            mailed = Rule.logistics_send_care_mailings()
        # key_1 has a contact: its mail renders; key_2, regular_b and regular_c have none
        self.assertEqual(mailed, 2, "key_1 by the others' rule, the dormant key account by the win-back")
        self.assertEqual(self.key_1.logistics_last_care_rule_id, self.rule_others)
        self.assertIn("Hello Ms. Key Contact", self.care_messages(self.key_1).body)
        self.assertEqual(self.dormant_key.logistics_last_care_rule_id, self.rule_win_back)
        self.assertFalse(self.care_messages(self.key_2 | self.regular_b | self.regular_c))
        self.assertEqual((progress.done, progress.remaining), (5, 0))
        run = self.env["logistics.care.run"].search([("company_id", "=", self.company.id)])
        self.assertEqual(sorted(run.skip_ids), sorted((self.key_2 | self.regular_b | self.regular_c).ids))
        self.assertEqual(run.skip_date, self.today)

    def test_when_nothing_goes_through_the_job_stops_for_today(self):
        progress = self.env["ir.cron.progress"].create(
            {"cron_id": self.env.ref("logistics_crm.ir_cron_logistics_care_mailings").id}
        )

        def post(partner, **kwargs):
            raise ValueError("no mail goes out")

        with (
            patch.object(type(self.env["res.partner"]), "message_post", post),
            mute_logger(RULE_MODULE),
        ):
            mailed = self.Rule.sudo().with_context(ir_cron_progress_id=progress.id).logistics_send_care_mailings()
            self.assertEqual(mailed, 0)
            self.assertEqual((progress.done, progress.remaining), (5, 0), "no endless retry of the same failures")
            self.assertEqual(self.send(), 0)

    def test_the_day_count_adds_up_over_the_batches(self):
        """*Mailed that day* counts every batch of the day, and starts again the next day."""
        start = fields.Datetime.now()
        with freeze_time(start):
            for _batch in range(3):
                self.send(batch_size=1)
        self.assertEqual(self.rule_win_back.last_run_count, 1)
        self.assertEqual(self.rule_key.last_run_count, 2)
        with freeze_time(start + timedelta(days=30)):
            self.send(batch_size=1)
        self.assertEqual(self.rule_key.last_run_count, 1, "a new day starts a new count")

    def test_the_appended_link_speaks_the_customers_language(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.regular_b.lang = "zh_CN"
        self.send()
        body = self.care_messages(self.regular_b).body
        self.assertIn("退订此类邮件", body)
        self.assertNotIn("Unsubscribe from these messages", body)
        self.assertIn("Unsubscribe from these messages", self.care_messages(self.regular_c).body)

    def test_a_second_run_at_the_same_time_skips_the_company(self):
        """Another worker holds the company's care mailing lock (a second database connection):
        this run mails nobody of that company and says so in the log."""
        with self.registry.cursor() as other:
            other.execute("SELECT pg_advisory_xact_lock(%s, %s)", (CARE_LOCK_NAMESPACE, self.company.id))
            with self.assertLogs(RUN_MODULE, level=logging.INFO) as logs:
                self.assertEqual(self.send(), 0)
            other.rollback()
        self.assertIn("already running", "\n".join(logs.output))
        self.assertFalse(self.care_messages(self.mailed_first))
        self.assertEqual(self.send(), 5, "once the other run is over, this one mails")


@tagged("post_install", "-at_install", "logistics_crm")
class TestCareMailingCompanies(CareCase):
    """A rule mails its company's customers, by their tier and stage in that company, with its
    template; the last mailing date is one per company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Care Freight B", "email": "care@freight-b.example.com"})
        # the shipped copies of company B are archived: its own test rule only
        cls.Rule.search([("company_id", "=", cls.company_b.id)]).active = False
        cls.rule_b = cls._rule(
            "B: active customers", 10, 60, cls.template_plain, stages=cls.stage_active, company=cls.company_b
        )
        cls.customer_b = cls._customer("Care B Only", email="b-only@care.example.com", company_id=cls.company_b.id)
        cls._segment(cls.customer_b, cls.tier_b, "active", company=cls.company_b)
        # a shared customer: key account of A, tier C of B
        cls._segment(cls.key_1, cls.tier_c, "active", company=cls.company_b)

    def test_each_company_mails_its_customers_with_its_rules(self):
        self.assertEqual(self.send(), 5 + 2, "A's five, B's two (its own customer and the shared one)")
        self.assertEqual(self.customer_b.with_company(self.company_b).logistics_last_care_date, self.today)
        self.assertFalse(self.customer_b.with_company(self.company).logistics_last_care_date, "A has no rule for it")
        self.assertEqual(self.key_1.with_company(self.company).logistics_last_care_rule_id, self.rule_key)
        self.assertEqual(self.key_1.with_company(self.company_b).logistics_last_care_rule_id, self.rule_b)
        messages = self.care_messages(self.key_1)
        self.assertEqual(len(messages), 2, "one mail per company")
        self.assertEqual(
            sorted(messages.mapped("subject")),
            sorted(["News for Care Key One", f"{self.company.name}: your monthly account review"]),
        )

    def test_the_mail_carries_the_company_of_the_rule(self):
        self.send()
        mail = self.care_mails(self.customer_b)
        self.assertEqual(len(mail), 1)
        self.assertIn("Care Freight B", mail.body_html, "the layout shows the rule's company")

    def test_company_b_customers_are_not_mailed_by_company_a(self):
        self.rule_b.active = False
        self.send()
        self.assertFalse(self.care_messages(self.customer_b))
