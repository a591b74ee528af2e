from odoo import Command
from odoo.tests import tagged

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestAutomation(LogisticsCrmCase):
    """Every entry point an automated action, a server action, the cron or XML-RPC uses."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key = cls._customer("Cron Key Account")
        cls._order(cls.key, 80000, days_ago=3)
        cls.small = cls._customer("Cron Small Customer")  # share before it: 80 000 / 90 000 = 89 %: B
        cls._order(cls.small, 10000, days_ago=3)

    def test_daily_cron(self):
        cron = self.env.ref("logistics_crm.ir_cron_logistics_recompute_tiers")
        self.assertTrue(cron.active)
        self.assertEqual(cron.interval_type, "days")
        cron.method_direct_trigger()
        self.assertEqual(self.key.logistics_tier_id, self.tier_a)
        self.assertEqual(self.small.logistics_tier_id, self.tier_b)
        care = self.env.ref("logistics_crm.mail_activity_type_logistics_care")
        self.assertTrue(
            self.key.activity_ids.filtered(lambda a: a.activity_type_id == care),
            "the cron also plans the care contacts",
        )

    def _cron_call(self, batch_size):
        """One call as Odoo's cron runner makes it: job id and a progress record in the context."""
        cron = self.env.ref("logistics_crm.ir_cron_logistics_recompute_tiers")
        cron, progress = cron._add_progress()
        summary = (
            self.env["res.partner"]
            .with_context(cron_id=cron.id, **cron.env.context)
            ._cron_logistics_recompute_tiers(batch_size=batch_size)
        )
        return summary, progress

    def test_cron_batches_report_progress(self):
        first, progress = self._cron_call(batch_size=1)
        self.assertEqual(first["written"], 1)
        self.assertGreater(first["changed"], 1)
        self.assertEqual((progress.done, progress.remaining), (1, first["changed"] - 1))
        self.assertNotIn("care_activities", first, "care contacts wait for the last batch")
        for _call in range(first["changed"]):
            summary, progress = self._cron_call(batch_size=1)
            self.assertEqual(progress.done, 1)
            if not progress.remaining:
                break
        self.assertIn("care_activities", summary, "the last batch's call plans the care contacts")
        self.assertEqual(self.key.logistics_tier_id, self.tier_a)
        self.assertEqual(self.small.logistics_tier_id, self.tier_b)
        self.assertEqual(self.env["res.partner"].logistics_recompute_tiers()["changed"], 0, "every batch was written")

    def test_server_action(self):
        action = self.env.ref("logistics_crm.action_server_logistics_recompute_tiers")
        result = action.with_context(active_model="res.partner").run()
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn("tier changes", result["params"]["message"])
        self.assertEqual(self.key.logistics_tier_id, self.tier_a)

    def test_automated_action_on_order_confirmation(self):
        """A base_automation rule can recompute tiers whenever an order is confirmed."""
        server_action = self.env["ir.actions.server"].create(
            {
                "name": "Recompute tiers on confirmation",
                "model_id": self.env["ir.model"]._get_id("sale.order"),
                "state": "code",
                "code": "env['res.partner'].logistics_recompute_tiers()",
            }
        )
        self.env["base.automation"].create(
            {
                "name": "Tiers follow confirmed orders",
                "model_id": self.env["ir.model"]._get_id("sale.order"),
                "trigger": "on_create_or_write",
                "trigger_field_ids": [Command.link(self.env["ir.model.fields"]._get("sale.order", "state").id)],
                "filter_domain": "[('state', '=', 'sale')]",
                "action_server_ids": [Command.link(server_action.id)],
            }
        )
        newcomer = self._customer("Automation Newcomer")
        self._order(newcomer, 500000, days_ago=0)
        self.assertEqual(newcomer.logistics_tier_id, self.tier_a)
        self.assertEqual(newcomer.logistics_stage, "active")

    def test_public_methods_are_rpc_callable(self):
        """XML-RPC calls model methods through call_kw: the entry points need no record ids."""
        from odoo.api import call_kw

        summary = call_kw(self.env["res.partner"], "logistics_recompute_tiers", [], {})
        self.assertEqual(
            set(summary),
            {"customers", "changed", "written", "tier_changes", "win_back", "skipped_orders", "failed_batches"},
        )
        created = call_kw(self.env["res.partner"], "logistics_schedule_care_activities", [], {})
        self.assertIsInstance(created, int)
        self.assertFalse(
            self.env["res.partner"]._fields["logistics_tier_id"].compute,
            "stored by the recomputation, so searchable and groupable",
        )
