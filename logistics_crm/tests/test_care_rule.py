"""Care mailing rules: bad input, who may see and press what, the shipped rules, the order of the
rules, their counters and their buttons, and the rules as clients of automated actions (issue #15)."""

from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, new_test_user, tagged

from .common import LogisticsCrmCase
from .common_care import MSG_INTERVAL, MSG_MANAGERS, MSG_TEMPLATE, MSG_TEMPLATE_MODEL, CareCase

BATCH_SIZE = "odoo.addons.logistics_crm.models.logistics_care_rule.CARE_BATCH_SIZE"
MSG_COMPUTED = "cannot be set by hand"
SHIPPED_RULES = ("care_rule_win_back", "care_rule_key_accounts", "care_rule_others")


class CareRuleCase(CareCase):
    """The care world, and company B with a rule, a customer, a manager and a user of its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Care Freight B"})
        cls.manager_b = cls._company_b_user("lcrm_care_manager_b", "logistics_crm.group_logistics_crm_manager")
        cls.user_b = cls._company_b_user("lcrm_care_user_b", "logistics_crm.group_logistics_crm_user")
        cls.rule_b = cls._rule(
            "Test B others", 10, 60, cls.template_plain, stages=cls.stage_active, company=cls.company_b
        )
        cls.customer_b = cls._segment(
            cls._customer("Care B Customer", email="b@care.example.com", company_id=cls.company_b.id),
            cls.tier_b,
            "active",
            company=cls.company_b,
        )
        cls.portal_user = new_test_user(cls.env, login="lcrm_care_portal", groups="base.group_portal")
        cls.cron = cls.env.ref("logistics_crm.ir_cron_logistics_care_mailings")

    @classmethod
    def _company_b_user(cls, login, group):
        return new_test_user(
            cls.env,
            login=login,
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
            groups=f"base.group_user,{group}",
        )

    def rule_count(self):
        return self.Rule.with_context(active_test=False).search_count([])

    def customers(self, rule):
        """The customers the rule's Customers button shows."""
        return self.env["res.partner"].search(rule.action_view_customers()["domain"])

    def notification(self, action):
        self.assertEqual(action["type"], "ir.actions.client")
        self.assertEqual(action["tag"], "display_notification")
        return action["params"]["message"]


@tagged("post_install", "-at_install", "logistics_crm")
class TestCareRuleInput(CareRuleCase):
    def _form(self, record=None):
        return Form(record or self.Rule.with_user(self.user_manager))

    def test_a_rule_needs_a_template(self):
        count = self.rule_count()
        form = self._form()
        form.name = "No template"
        form.interval_days = 30
        # the form view marks the template required: the client refuses to save before the server
        with self.assertRaisesRegex(AssertionError, "mail_template_id is a required field"):
            form.save()
        with self.assertRaisesRegex(ValidationError, MSG_TEMPLATE), self.env.cr.savepoint():
            self.Rule.with_user(self.user_manager).create({"name": "No template", "interval_days": 30})
        with self.assertRaisesRegex(ValidationError, MSG_TEMPLATE), self.env.cr.savepoint():
            self.rule_key.with_user(self.user_manager).write({"mail_template_id": False})
        self.assertEqual(self.rule_count(), count)
        self.assertEqual(self.rule_key.mail_template_id, self.template_key)

    def test_the_interval_is_at_least_one_day(self):
        count = self.rule_count()
        for days in (0, -5):
            with self.subTest(days=days):
                form = self._form()
                form.name = f"Every {days} days"
                form.mail_template_id = self.template_regular
                form.interval_days = days
                with self.assertRaisesRegex(ValidationError, MSG_INTERVAL), self.env.cr.savepoint():
                    form.save()
                with self.assertRaisesRegex(ValidationError, MSG_INTERVAL), self.env.cr.savepoint():
                    self.Rule.with_user(self.user_manager).create(
                        {"name": f"Every {days} days", "interval_days": days, "mail_template_id": self.template_key.id}
                    )
        self.assertEqual(self.rule_count(), count)

    def test_an_existing_rule_keeps_its_interval(self):
        form = self._form(self.rule_key.with_user(self.user_manager))
        form.interval_days = 0
        with self.assertRaisesRegex(ValidationError, MSG_INTERVAL), self.env.cr.savepoint():
            form.save()
        self.assertEqual(self.rule_key.interval_days, 30)
        with self.assertRaisesRegex(ValidationError, MSG_INTERVAL), self.env.cr.savepoint():
            self.rule_key.with_user(self.user_manager).write({"interval_days": 0})
        self.assertEqual(self.rule_key.interval_days, 30)

    def test_the_template_is_made_for_contacts(self):
        quotation = self.env.ref("sale.email_template_edi_sale")
        count = self.rule_count()
        form = self._form()
        form.name = "Quotation template"
        form.mail_template_id = quotation
        with self.assertRaisesRegex(ValidationError, MSG_TEMPLATE_MODEL), self.env.cr.savepoint():
            form.save()
        with self.assertRaisesRegex(ValidationError, MSG_TEMPLATE_MODEL), self.env.cr.savepoint():
            self.Rule.with_user(self.user_manager).create({"name": "Quotation", "mail_template_id": quotation.id})
        self.assertEqual(self.rule_count(), count)
        form = self._form(self.rule_key.with_user(self.user_manager))
        form.mail_template_id = quotation
        with self.assertRaisesRegex(ValidationError, MSG_TEMPLATE_MODEL), self.env.cr.savepoint():
            form.save()
        self.assertEqual(self.rule_key.mail_template_id, self.template_key)

    def test_a_manager_saves_a_good_rule_through_the_form(self):
        form = self._form()
        form.name = "Potential customers: welcome"
        form.mail_template_id = self.template_regular
        form.interval_days = 45
        form.stage_ids.add(self.env.ref("logistics_crm.lifecycle_stage_potential"))
        rule = form.save()
        self.assertEqual(rule.company_id, self.company)
        self.assertEqual(rule.partner_count, 1)
        self.assertEqual(self.customers(rule), self.potential)


@tagged("post_install", "-at_install", "logistics_crm")
class TestCareRuleAccess(CareRuleCase):
    def test_a_user_reads_the_rules_a_manager_changes_them(self):
        rules = self.Rule.with_user(self.user_sales)
        self.assertEqual(rules.search([]), self.rule_win_back | self.rule_key | self.rule_others)
        self.assertEqual(self.rule_key.with_user(self.user_sales).read(["name"])[0]["name"], "Test key accounts")
        vals = {"name": "Mine", "interval_days": 10, "mail_template_id": self.template_key.id}
        with self.assertRaises(AccessError):
            rules.create(vals)
        with self.assertRaises(AccessError):
            self.rule_key.with_user(self.user_sales).write({"interval_days": 7})
        with self.assertRaises(AccessError):
            self.rule_key.with_user(self.user_sales).unlink()
        self.assertEqual(self.rule_key.interval_days, 30)

        rule = self.Rule.with_user(self.user_manager).create(vals)
        rule.write({"interval_days": 7})
        self.assertEqual(rule.interval_days, 7)

    def test_a_manager_deletes_a_rule(self):
        rule = self._rule("Test to delete", 40, 90, self.template_plain)
        rule.with_user(self.user_manager).unlink()
        self.assertFalse(rule.exists())
        # a rule that mailed customers: they keep the date of their last care mailing
        self.rule_key.with_user(self.user_manager).action_send_now()
        self.rule_key.with_user(self.user_manager).unlink()
        self.assertFalse(self.rule_key.exists())
        self.assertFalse(self.key_1.logistics_last_care_rule_id)
        self.assertEqual(self.key_1.logistics_last_care_date, self.today)

    def test_company_b_sees_only_its_rules(self):
        for user in (self.manager_b, self.user_b):
            with self.subTest(user=user.login):
                rules = self.Rule.with_user(user)
                self.assertEqual(rules.search([]), self.rule_b)
                everything = rules.with_context(active_test=False).search([])
                self.assertEqual(everything.company_id, self.company_b, "its copies of the shipped rules too")
                self.assertFalse(rules.search([("id", "=", self.rule_key.id)]))
                with self.assertRaises(AccessError):
                    self.rule_key.with_user(user).read(["name"])
        with self.assertRaises(AccessError):
            self.rule_key.with_user(self.manager_b).action_send_now()
        self.assertFalse(self.care_messages(self.mailed_first))
        # its counters are made of company B's customers
        rule_b = self.rule_b.with_user(self.manager_b)
        self.assertEqual((rule_b.partner_count, rule_b.due_count), (1, 1))

    def test_a_company_b_manager_does_not_mail_company_a(self):
        """The public job called by a company B manager (a server action, XML-RPC) mails its
        companies' customers only: company A's are mailed by A's managers or the scheduled action."""
        mailed = self.Rule.with_user(self.manager_b).logistics_send_care_mailings()
        self.assertTrue(self.care_messages(self.customer_b))
        self.assertFalse(self.care_messages(self.mailed_first))
        self.assertEqual(mailed, 1)

    def test_portal_users_see_no_rule_and_send_nothing(self):
        with self.assertRaises(AccessError):
            self.rule_key.with_user(self.portal_user).read(["name"])
        with self.assertRaises(AccessError):
            self.Rule.with_user(self.portal_user).search([])
        with self.assertRaisesRegex(AccessError, MSG_MANAGERS):
            self.Rule.with_user(self.portal_user).logistics_send_care_mailings()
        self.assertFalse(self.care_messages(self.mailed_first | self.customer_b))

    def test_only_managers_send(self):
        with self.assertRaisesRegex(AccessError, MSG_MANAGERS):
            self.Rule.with_user(self.user_sales).logistics_send_care_mailings()
        with self.assertRaisesRegex(AccessError, MSG_MANAGERS):
            self.rule_key.with_user(self.user_sales).action_send_now()
        self.assertFalse(self.care_messages(self.mailed_first))
        self.assertFalse(self.key_1.logistics_last_care_date)
        self.assertFalse(self.rule_key.date_last_run)

    def test_internal_users_without_logistics_rights_see_no_rule(self):
        with self.assertRaises(AccessError):
            self.rule_key.with_user(self.user_plain).read(["name"])
        with self.assertRaises(AccessError):
            self.Rule.with_user(self.user_plain).search([])

    def test_nobody_writes_the_last_care_mailing(self):
        contacts_manager = new_test_user(
            self.env,
            login="lcrm_care_contacts",
            groups="base.group_user,base.group_partner_manager,logistics_crm.group_logistics_crm_manager",
        )
        last_week = fields.Date.subtract(self.today, days=7)
        self.rule_key.with_user(self.user_manager).action_send_now()
        for vals in ({"logistics_last_care_date": last_week}, {"logistics_last_care_rule_id": self.rule_others.id}):
            for user in (self.user_manager, contacts_manager, self.user_sales):
                with self.subTest(user=user.login, field=next(iter(vals))):
                    with self.assertRaisesRegex(AccessError, MSG_COMPUTED), self.env.cr.savepoint():
                        self.key_1.with_user(user).write(vals)
            with self.assertRaisesRegex(AccessError, MSG_COMPUTED), self.env.cr.savepoint():
                self.env["res.partner"].with_user(contacts_manager).create({"name": "Forged", **vals})
        self.assertEqual(self.key_1.logistics_last_care_date, self.today)
        self.assertEqual(self.key_1.logistics_last_care_rule_id, self.rule_key)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Forged")]))


@tagged("post_install", "-at_install", "logistics_crm")
class TestCareRuleShipped(LogisticsCrmCase):
    """The shipped rules and the scheduled action, as installed (no test world around them)."""

    def _shape(self, rules):
        """What a rule is made of, its company aside, for every rule of ``rules`` in order."""
        return [
            (
                rule.sequence,
                rule.name,
                rule.tier_ids.mapped("code"),
                rule.stage_ids.mapped("code"),
                rule.interval_days,
                rule.mail_template_id,
                rule.active,
            )
            for rule in rules.sorted("sequence")
        ]

    def test_the_main_company_has_the_three_rules(self):
        win_back, key, others = (self.env.ref(f"logistics_crm.{xmlid}") for xmlid in SHIPPED_RULES)
        main = self.env.ref("base.main_company")
        self.assertEqual((win_back | key | others).company_id, main)
        self.assertEqual((win_back.sequence, key.sequence, others.sequence), (10, 20, 30))
        self.assertFalse(win_back.tier_ids)
        self.assertEqual(key.tier_ids, self.tier_a)
        self.assertEqual(others.tier_ids, self.tier_b | self.tier_c)
        self.assertEqual(win_back.stage_ids.mapped("code"), ["dormant"])
        self.assertEqual(key.stage_ids.mapped("code"), ["active"])
        self.assertEqual(others.stage_ids.mapped("code"), ["active"])
        self.assertEqual((win_back.interval_days, key.interval_days, others.interval_days), (90, 30, 90))
        for rule, template in (
            (win_back, "mail_template_logistics_care_win_back"),
            (key, "mail_template_logistics_care_key_account"),
            (others, "mail_template_logistics_care_regular"),
        ):
            self.assertEqual(rule.mail_template_id, self.env.ref(f"logistics_crm.{template}"))
            self.assertEqual(rule.mail_template_id.model, "res.partner")
            self.assertTrue(rule.active)

    def test_a_new_company_gets_its_own_copies(self):
        Rule = self.env["logistics.care.rule"].with_context(active_test=False)
        shipped = self.env["logistics.care.rule"].browse()
        for xmlid in SHIPPED_RULES:
            shipped |= self.env.ref(f"logistics_crm.{xmlid}")
        admin = new_test_user(
            self.env,
            login="lcrm_care_admin",
            groups="base.group_user,base.group_partner_manager,base.group_system,logistics_crm.group_logistics_crm_manager",
        )
        main_rules = Rule.search([("company_id", "=", self.company.id)])
        first = self.env["res.company"].with_user(admin).create({"name": "Care Shipping Xiamen"})
        first_rules = Rule.search([("company_id", "=", first.id)])
        self.assertEqual(len(first_rules), 3)
        self.assertFalse(first_rules & shipped)
        self.assertEqual(self._shape(first_rules), self._shape(shipped))
        before = self._shape(first_rules)

        # a Settings administrator without Logistics CRM rights: the new company gets its rules too
        settings = new_test_user(
            self.env, login="lcrm_care_settings", groups="base.group_user,base.group_partner_manager,base.group_system"
        )
        second = self.env["res.company"].with_user(settings).create({"name": "Care Shipping Ningbo"})
        second_rules = Rule.search([("company_id", "=", second.id)])
        self.assertEqual(self._shape(second_rules), self._shape(shipped))
        self.assertEqual(Rule.search([("company_id", "=", first.id)]), first_rules)
        self.assertEqual(self._shape(first_rules), before)
        self.assertEqual(Rule.search([("company_id", "=", self.company.id)]), main_rules)

    def test_the_scheduled_action_runs_the_job(self):
        cron = self.env.ref("logistics_crm.ir_cron_logistics_care_mailings")
        self.assertEqual(cron.model_id.model, "logistics.care.rule")
        self.assertEqual(cron.state, "code")
        self.assertEqual(cron.code.strip(), "model.logistics_send_care_mailings()")
        self.assertTrue(cron.active)
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "days"))


@tagged("post_install", "-at_install", "logistics_crm")
class TestCareRuleOrder(CareRuleCase):
    def test_counters_of_the_care_world(self):
        for rule, customers, due in (
            (self.rule_win_back, self.dormant_key, self.dormant_key),
            (self.rule_key, self.key_1 | self.key_2, self.key_1 | self.key_2),
            (self.rule_others, self.regular_b | self.regular_c | self.no_email | self.blacklisted, None),
        ):
            due = due if due is not None else self.regular_b | self.regular_c
            for user in (self.user_manager, self.user_sales):
                with self.subTest(rule=rule.name, user=user.login):
                    mine = rule.with_user(user)
                    self.assertEqual((mine.partner_count, mine.due_count), (len(customers), len(due)))
                    self.assertEqual(self.customers(mine), customers)
        self.send()
        self.env.invalidate_all()
        self.assertEqual(self.rule_others.partner_count, 4)
        self.assertEqual((self.rule_win_back.due_count, self.rule_key.due_count, self.rule_others.due_count), (0, 0, 0))

    def test_a_dormant_key_account_gets_the_win_back_only(self):
        self.rule_key.stage_ids = self.stage_active | self.stage_dormant  # dormant key accounts too
        self.env.invalidate_all()
        self.assertEqual(self.customers(self.rule_win_back), self.dormant_key)
        self.assertEqual(self.customers(self.rule_key), self.key_1 | self.key_2)
        self.assertEqual((self.rule_key.partner_count, self.rule_key.due_count), (2, 2))

        self.rule_key.sequence = 5  # the key accounts rule first: it takes the dormant key account
        self.env.invalidate_all()
        self.assertEqual(self.customers(self.rule_key), self.key_1 | self.key_2 | self.dormant_key)
        self.assertEqual((self.rule_key.partner_count, self.rule_key.due_count), (3, 3))
        self.assertFalse(self.customers(self.rule_win_back))
        self.assertEqual((self.rule_win_back.partner_count, self.rule_win_back.due_count), (0, 0))

    def test_an_archived_rule_takes_no_customer(self):
        self.rule_key.stage_ids = self.stage_active | self.stage_dormant
        self.rule_win_back.active = False
        self.env.invalidate_all()
        self.assertEqual(self.customers(self.rule_key), self.key_1 | self.key_2 | self.dormant_key)
        self.assertEqual(self.rule_win_back.due_count, 0)
        self.send()
        self.assertFalse(self.care_messages(self.dormant_key).filtered(lambda m: "miss your shipments" in m.subject))
        self.assertEqual(self.dormant_key.logistics_last_care_rule_id, self.rule_key)

    def test_a_rule_of_every_tier_after_the_others(self):
        """Customers without a tier fall under a later rule of every tier: the earlier rules' tiers
        do not take them."""
        untiered = self._segment(self._customer("Care Untiered", email="untiered@care.example.com"), None, "active")
        every_tier = self._rule("Test every tier", 40, 90, self.template_plain, stages=self.stage_active)
        self.assertEqual(self.customers(every_tier), untiered)
        self.assertEqual((every_tier.partner_count, every_tier.due_count), (1, 1))
        # a rule of everyone last: every customer of the company no earlier rule applies to
        catch_all = self._rule("Test everyone", 50, 90, self.template_plain)
        customers = self.env["res.partner"].search(
            [("is_logistics_customer", "=", True), ("company_id", "in", [False, self.company.id])]
        )
        taken = self.mailed_first | self.no_email | self.blacklisted | untiered
        self.assertEqual(self.customers(catch_all), customers - taken)
        self.assertIn(self.potential, self.customers(catch_all))
        self.assertEqual(catch_all.partner_count, len(customers - taken))


@tagged("post_install", "-at_install", "logistics_crm")
class TestCareRuleButtons(CareRuleCase):
    def test_preview_renders_the_mail_of_a_due_customer(self):
        for user in (self.user_manager, self.user_sales):
            with self.subTest(user=user.login):
                action = self.rule_key.with_user(user).action_preview()
                self.assertEqual((action["res_model"], action["target"]), ("mail.template.preview", "new"))
                self.assertEqual(action["context"]["default_mail_template_id"], self.template_key.id)
                self.assertEqual(action["context"]["default_resource_ref"], f"res.partner,{self.key_1.id}")
                preview = self.env["mail.template.preview"].with_user(user).with_context(**action["context"]).create({})
                self.assertFalse(preview.error_msg)
                self.assertEqual(preview.resource_ref, self.key_1)
                self.assertIn("Dear Care Key One", preview.body_html)
                self.assertIn(self.key_1.logistics_care_unsubscribe_url, preview.body_html)
                self.assertIn("your monthly account review", preview.subject)

    def test_a_rule_without_customers_still_previews(self):
        # key accounts that are potential customers: nobody (a potential customer has no sales, no tier)
        nobody = self._rule(
            "Test nobody",
            40,
            90,
            self.template_win_back,
            tiers=self.tier_a,
            stages=self.env.ref("logistics_crm.lifecycle_stage_potential"),
        )
        self.assertEqual(nobody.partner_count, 0)
        action = nobody.with_user(self.user_manager).action_preview()
        self.assertNotIn("default_resource_ref", action["context"])
        preview = (
            self.env["mail.template.preview"].with_user(self.user_manager).with_context(**action["context"]).create({})
        )
        self.assertFalse(preview.error_msg)
        self.assertIn("miss your shipments", preview.subject)

    def test_send_now_mails_the_rules_due_customers(self):
        action = self.rule_key.with_user(self.user_manager).action_send_now()
        self.assertIn("Customers mailed: 2", self.notification(action))
        mailed = self.care_messages(self.mailed_first | self.no_email | self.blacklisted | self.potential)
        self.assertEqual(set(mailed.mapped("res_id")), set((self.key_1 | self.key_2).ids))
        self.assertEqual(len(self.care_mails(self.key_1 | self.key_2)), 2)
        self.assertEqual(self.key_1.logistics_last_care_date, self.today)
        self.assertFalse(self.regular_b.logistics_last_care_date)
        self.assertEqual(self.rule_key.last_run_count, 2)
        self.assertEqual(self.rule_key.due_count, 0)

        again = self.rule_key.with_user(self.user_manager).action_send_now()
        self.assertIn("No customer is due", self.notification(again))
        self.assertEqual(len(self.care_messages(self.key_1 | self.key_2)), 2)

    def test_send_now_refuses_an_archived_rule(self):
        self.rule_key.active = False
        with self.assertRaisesRegex(UserError, "archived"):
            self.rule_key.with_user(self.user_manager).action_send_now()
        self.assertFalse(self.care_messages(self.key_1 | self.key_2))

    def test_send_now_mails_one_batch_and_leaves_the_rest_to_the_cron(self):
        Trigger = self.env["ir.cron.trigger"]
        triggers = Trigger.search_count([("cron_id", "=", self.cron.id)])
        with patch(BATCH_SIZE, 1):
            action = self.rule_key.with_user(self.user_manager).action_send_now()
        message = self.notification(action)
        self.assertIn("Customers mailed: 1", message)
        self.assertIn("1 more will be mailed by the scheduled action", message)
        self.assertEqual(self.care_messages(self.mailed_first).mapped("res_id"), self.key_1.ids)
        self.assertEqual(Trigger.search_count([("cron_id", "=", self.cron.id)]), triggers + 1)


@tagged("post_install", "-at_install", "logistics_crm")
class TestCareRuleAutomation(CareRuleCase):
    def _server_action(self, model, code, name="Care test action"):
        return self.env["ir.actions.server"].create(
            {"name": name, "model_id": self.env["ir.model"]._get_id(model), "state": "code", "code": code}
        )

    def _automation(self, model, trigger, code, **vals):
        automation = self.env["base.automation"].create(
            {
                "name": f"Care test automation on {model}",
                "model_id": self.env["ir.model"]._get_id(model),
                "trigger": trigger,
                "action_server_ids": [Command.link(self._server_action(model, code).id)],
                **vals,
            }
        )
        self.addCleanup(self.env.registry.clear_all_caches)
        return automation

    def test_an_automated_action_on_rules_works_for_a_manager(self):
        self._automation(
            "logistics.care.rule",
            "on_create_or_write",
            "for record in records:\n    record.message_post(body='Check the template of this care rule.')",
        )

        def notes(rule):
            return rule.message_ids.filtered(lambda message: "Check the template" in message.body)

        rule = self.Rule.with_user(self.user_manager).create(
            {"name": "Test by a manager", "interval_days": 14, "mail_template_id": self.template_regular.id}
        )
        self.assertEqual(len(notes(rule)), 1)
        rule.write({"interval_days": 21})
        self.assertEqual(len(notes(rule)), 2)
        self.assertEqual(rule.interval_days, 21)

    def test_a_server_action_runs_the_job_as_the_cron(self):
        action = self._server_action("logistics.care.rule", "model.logistics_send_care_mailings()")
        action.with_user(SUPERUSER_ID).run()
        mailed = self.mailed_first | self.customer_b
        self.assertEqual(set(self.care_messages(mailed | self.no_email).mapped("res_id")), set(mailed.ids))
        self.assertEqual(self.regular_c.logistics_last_care_date, self.today)

    def test_an_automated_action_follows_the_care_mail(self):
        call = self.env.ref("mail.mail_activity_data_call")
        self._automation(
            "res.partner",
            "on_write",
            "for record in records:\n"
            "    record.activity_schedule('mail.mail_activity_data_call', summary='Call after the care mail',"
            " user_id=record.user_id.id)",
            trigger_field_ids=[
                Command.set([self.env["ir.model.fields"]._get("res.partner", "logistics_last_care_date").id])
            ],
        )
        self.key_2.write({"phone": "+86 20 1234 5678"})  # other field: no call
        self.assertFalse(self.key_2.activity_ids)
        self.rule_key.with_user(self.user_manager).action_send_now()
        for partner in self.key_1 | self.key_2:
            activity = partner.activity_ids
            self.assertEqual(activity.activity_type_id, call, partner.name)
            self.assertEqual(activity.summary, "Call after the care mail")
            self.assertEqual(activity.user_id, self.user_sales)
        for partner in self.regular_b | self.no_email | self.dormant_key:
            self.assertFalse(partner.activity_ids, partner.name)
