"""Complaints and automated actions: the shipped rules, rules users add, public entry points and
the churn signal of complaints (issue #12)."""

from odoo import Command
from odoo.api import call_kw
from odoo.tests import tagged

from .common_complaint import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintAutomation(ComplaintCase):
    def _rule(self, name, trigger, code, **vals):
        action = self.env["ir.actions.server"].create(
            {
                "name": name,
                "model_id": self.env["ir.model"]._get_id("logistics.complaint"),
                "state": "code",
                "code": code,
            }
        )
        return self.env["base.automation"].create(
            {
                "name": name,
                "model_id": self.env["ir.model"]._get_id("logistics.complaint"),
                "trigger": trigger,
                "action_server_ids": [Command.link(action.id)],
                **vals,
            }
        )

    def _field(self, name):
        return self.env["ir.model.fields"]._get("logistics.complaint", name)

    # ------------------------------------------------------------------ shipped rules
    def test_shipped_rules_are_active(self):
        for xmlid in (
            "automation_complaint_urgent",
            "automation_complaint_key_account",
            "automation_complaint_at_risk",
        ):
            rule = self.env.ref(f"logistics_crm.{xmlid}")
            self.assertTrue(rule.active, xmlid)
            self.assertEqual(rule.model_id.model, "logistics.complaint")
            self.assertTrue(rule.action_server_ids, xmlid)

    def test_urgent_priority_alerts_the_manager(self):
        complaint = self.complaint(self.customer_c)
        self.assertFalse(self.escalation_activities(complaint))
        complaint.priority = "3"
        activities = self.escalation_activities(complaint)
        self.assertEqual(activities.user_id, self.team_leader)
        self.assertIn("Urgent", activities.summary)
        complaint.priority = "2"
        complaint.priority = "3"
        self.assertEqual(len(self.escalation_activities(complaint)), 1, "not twice while one is open")

    def test_key_account_complaint_plans_a_call_for_the_owner(self):
        call = self.env.ref("mail.mail_activity_data_call")
        key = self.complaint(self.customer_a)
        small = self.complaint(self.customer_c)
        self.assertEqual(key.activity_ids.filtered(lambda a: a.activity_type_id == call).user_id, self.user_sales)
        self.assertFalse(small.activity_ids.filtered(lambda a: a.activity_type_id == call))

    def test_at_risk_reminds_the_owner(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        complaint = self.complaint(self.customer_b)
        self.assertFalse(complaint.activity_ids.filtered(lambda a: a.activity_type_id == todo))
        with self.clock(7):
            self.Complaint.logistics_escalate_overdue()
        self.assertEqual(complaint.sla_status, "at_risk")
        reminder = complaint.activity_ids.filtered(lambda a: a.activity_type_id == todo)
        self.assertEqual(reminder.user_id, self.user_sales)
        self.assertIn("SLA at risk", reminder.summary)

    # ------------------------------------------------------------------ rules a user adds
    def test_rule_on_stage_set_fires_when_closed(self):
        self._rule(
            "Thank the customer on closing",
            "on_stage_set",
            "record.message_post(body='Rule: closed, thank the customer')",
            trg_field_ref=self.stage_closed.id,
        )
        complaint = self.complaint(self.customer_b)
        complaint.resolution = "Refund made."
        complaint.action_close()
        self.assertTrue(any("Rule: closed" in (m.body or "") for m in complaint.message_ids))

    def test_rule_on_owner_set(self):
        self._rule("Owner changed", "on_user_set", "record.message_post(body='Rule: new owner')")
        complaint = self.complaint(self.customer_c)
        complaint.user_id = self.team_leader
        self.assertTrue(any("Rule: new owner" in (m.body or "") for m in complaint.message_ids))

    def test_rule_on_breach_fires_from_the_sla_watch(self):
        self._rule(
            "Breached: flag urgent",
            "on_create_or_write",
            "records.write({'priority': '3'})",
            trigger_field_ids=[Command.link(self._field("sla_status").id)],
            filter_domain="[('sla_status', '=', 'breached')]",
        )
        complaint = self.complaint(self.customer_a)
        self.assertEqual(complaint.priority, "1")
        with self.clock(5):
            self.Complaint.logistics_escalate_overdue()
        self.assertEqual(complaint.priority, "3", "the cron writes sla_status through write(): the rule fires")

    def test_rule_on_escalation_level(self):
        self._rule(
            "Level 2: tell the director",
            "on_create_or_write",
            "record.message_post(body='Rule: level %s' % record.escalation_level)",
            trigger_field_ids=[Command.link(self._field("escalation_level").id)],
            filter_domain="[('escalation_level', '>=', 2)]",
        )
        complaint = self.complaint(self.customer_a)
        with self.clock(5):
            self.Complaint.logistics_escalate_overdue()
        self.assertFalse(any("Rule: level" in (m.body or "") for m in complaint.message_ids))
        with self.clock(30):
            self.Complaint.logistics_escalate_overdue()
        self.assertTrue(any("Rule: level 2" in (m.body or "") for m in complaint.message_ids))

    def test_server_action_calls_the_workflow_buttons(self):
        complaint = self.complaint(self.customer_b)
        action = self.env["ir.actions.server"].create(
            {
                "name": "Start investigating",
                "model_id": self.env["ir.model"]._get_id("logistics.complaint"),
                "state": "code",
                "code": "records.action_investigate()",
            }
        )
        action.with_context(active_model="logistics.complaint", active_ids=complaint.ids).run()
        self.assertEqual(complaint.stage_id, self.stage_investigating)

    def test_public_methods_are_rpc_callable(self):
        complaint = self.complaint(self.customer_a)
        with self.clock(5):
            escalated = call_kw(self.Complaint, "logistics_escalate_overdue", [], {})
        self.assertEqual(escalated, complaint)
        for method in (
            "action_mark_responded",
            "action_investigate",
            "logistics_refresh_sla",
            "logistics_notify_manager",
        ):
            call_kw(self.Complaint, method, [complaint.ids], {})
        self.assertEqual(complaint.stage_id, self.stage_investigating)
        self.assertTrue(complaint.first_response_date)


@tagged("post_install", "-at_install")
class TestComplaintChurnSignal(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # two customers ordering the same way: only their complaints differ
        for customer in (cls.customer_a, cls.customer_c):
            cls._order(customer, 10000, days_ago=40)
            cls._order(customer, 10000, days_ago=100)
        cls.twin = cls._customer("Harbin Twin Trading")
        cls._order(cls.twin, 10000, days_ago=40)
        cls._order(cls.twin, 10000, days_ago=100)

    def _risks(self):
        self.recompute()
        self.env.invalidate_all()
        return (
            self.customer_a.logistics_churn_risk,
            self.customer_c.logistics_churn_risk,
            self.twin.logistics_churn_risk,
        )

    def test_open_and_breached_complaints_raise_churn_risk(self):
        base_a, base_c, twin = self._risks()
        self.assertEqual(base_a, twin)
        # tiers are assigned by the recomputation; keep A the key account for the breach weight
        self.customer_a.write({"logistics_tier_id": self.tier_a.id, "logistics_tier_locked": True})
        self.customer_c.write({"logistics_tier_id": self.tier_c.id, "logistics_tier_locked": True})
        complaint_a = self.complaint(self.customer_a)
        complaint_c = self.complaint(self.customer_c)
        open_a, open_c, twin_again = self._risks()
        self.assertEqual(open_a, base_a + 5, "an open complaint adds 5")
        self.assertEqual(open_c, base_c + 5)
        self.assertEqual(twin_again, twin)
        # both breach their SLA: the key account's churn risk rises more
        (complaint_a | complaint_c).with_context(logistics_complaint_sla_refresh=True).write({"sla_status": "breached"})
        breached_a, breached_c, _twin = self._risks()
        self.assertEqual(breached_c, open_c + 10)
        self.assertEqual(breached_a, open_a + 20, "a key account let down weighs twice")
        # closed in breach: still a signal for a year, the open-complaint part is gone
        for complaint in complaint_a | complaint_c:
            complaint.write({"resolution": "Done late.", "stage_id": self.stage_closed.id})
        self.assertEqual((complaint_a | complaint_c).mapped("sla_status"), ["breached", "breached"])
        closed_a, closed_c, _twin = self._risks()
        self.assertEqual(closed_a, base_a + 20)
        self.assertEqual(closed_c, base_c + 10)

    def test_complaints_of_another_company_are_no_signal(self):
        _base_a, _base_c, twin = self._risks()
        other_company = self.env["res.company"].create({"name": "Shenzhen Branch"})
        self.Complaint.create(
            {
                "partner_id": self.twin.id,
                "company_id": other_company.id,
                "description": "Recorded by the other branch.",
            }
        )
        self.assertEqual(self._risks()[2], twin)
