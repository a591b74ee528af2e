import ast
from datetime import timedelta

from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestLifecycle(LogisticsCrmCase):
    def test_stages(self):
        potential = self._customer("Potential Ltd")
        target_lead = self._customer("Target by Opportunity")
        self.env["crm.lead"].create({"name": "Spot cargo", "type": "opportunity", "partner_id": target_lead.id})
        target_quote = self._customer("Target by Quotation")
        self._order(target_quote, 1000, confirm=False)
        active = self._customer("Active Ltd")
        self._order(active, 1000, days_ago=180)
        active_with_deal = self._customer("Active with deal")
        self._order(active_with_deal, 1000, days_ago=10)
        self.env["crm.lead"].create({"name": "Renewal", "type": "opportunity", "partner_id": active_with_deal.id})
        dormant = self._customer("Dormant Ltd")
        self._order(dormant, 1000, days_ago=181)
        dormant_edge = self._customer("Dormant edge")
        self._order(dormant_edge, 1000, days_ago=365)
        lost = self._customer("Lost Ltd")
        self._order(lost, 1000, days_ago=366)
        lost_back_in_play = self._customer("Lost but quoting again")
        self._order(lost_back_in_play, 1000, days_ago=500)
        self._order(lost_back_in_play, 2000, confirm=False)
        self.recompute()
        expected = {
            potential: "potential",
            target_lead: "target",
            target_quote: "target",
            active: "active",
            active_with_deal: "active",
            dormant: "dormant",
            dormant_edge: "dormant",
            lost: "lost",
            lost_back_in_play: "target",
        }
        for partner, stage in expected.items():
            self.assertEqual(partner.logistics_stage, stage, partner.name)

    def test_won_and_lost_opportunities_are_not_open_deals(self):
        won = self._customer("Won deal Ltd")
        lead = self.env["crm.lead"].create({"name": "Won", "type": "opportunity", "partner_id": won.id})
        lead.action_set_won()
        lost = self._customer("Lost deal Ltd")
        lead = self.env["crm.lead"].create({"name": "Lost", "type": "opportunity", "partner_id": lost.id})
        lead.action_set_lost()
        plain_lead = self._customer("Lead only Ltd")
        self.env["crm.lead"].create({"name": "Just a lead", "type": "lead", "partner_id": plain_lead.id})
        self.recompute()
        self.assertEqual(won.logistics_stage, "potential")
        self.assertEqual(lost.logistics_stage, "potential")
        self.assertEqual(plain_lead.logistics_stage, "potential")

    def test_stage_windows_come_from_settings(self):
        partner = self._customer("Seasonal Grain")
        self._order(partner, 1000, days_ago=60)
        self.recompute()
        self.assertEqual(partner.logistics_stage, "active")
        with Form(self.env["res.config.settings"]) as settings:
            settings.logistics_active_days = 30
            settings.logistics_dormant_days = 90
        # "Save and recompute now": stores the settings and applies them at once
        result = settings.record.action_logistics_recompute_tiers()
        self.assertEqual(self.env["ir.config_parameter"].sudo().get_param("logistics_crm.active_days"), "30")
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(partner.logistics_stage, "dormant")

    def test_bad_settings_are_refused_and_change_nothing(self):
        params = self.env["ir.config_parameter"].sudo()
        for values in (
            {"logistics_active_days": 0},
            {"logistics_dormant_days": -3},
            {"logistics_active_days": 400},
            {"logistics_tier_window_months": 0},
        ):
            with self.subTest(values=values), self.assertRaises(ValidationError):
                self.env["res.config.settings"].create(values).execute()
        self.assertEqual(params.get_param("logistics_crm.active_days"), "180")
        self.assertEqual(params.get_param("logistics_crm.dormant_days"), "365")
        self.assertEqual(params.get_param("logistics_crm.tier_window_months"), "12")

    def test_corrupt_parameters_stop_the_recomputation_with_a_clear_message(self):
        partner = self._customer("Unchanged Ltd")
        self._order(partner, 1000, days_ago=5)
        params = self.env["ir.config_parameter"].sudo()
        for key, value in (
            ("logistics_crm.dormant_days", "100"),
            ("logistics_crm.active_days", "abc"),
            ("logistics_crm.tier_window_months", "-1"),
        ):
            with self.subTest(key=key):
                params.set_param(key, value)
                with self.assertRaises(ValidationError):
                    self.recompute()
                params.set_param(
                    key,
                    {
                        "logistics_crm.dormant_days": "365",
                        "logistics_crm.active_days": "180",
                        "logistics_crm.tier_window_months": "12",
                    }[key],
                )
        self.assertFalse(partner.logistics_stage, "nothing was written")

    def test_window_length_from_settings(self):
        partner = self._customer("Two-year contract")
        self._order(partner, 5000, days_ago=500)
        self.recompute()
        self.assertFalse(partner.logistics_tier_id)
        self.env["ir.config_parameter"].sudo().set_param("logistics_crm.tier_window_months", 24)
        self.recompute()
        self.assertEqual(partner.logistics_tier_id, self.tier_a)
        self.assertEqual(partner.logistics_revenue_12m, 5000)

    def test_churn_risk(self):
        fresh = self._customer("Fresh order")
        self._order(fresh, 1000, days_ago=1)
        steady = self._customer("Steady")
        for days in (20, 60, 100, 200, 260, 320):
            self._order(steady, 1000, days_ago=days)
        fading = self._customer("Fading")
        for days in (170, 200, 230, 260, 290, 320):
            self._order(fading, 1000, days_ago=days)
        dormant = self._customer("Dormant")
        self._order(dormant, 1000, days_ago=200)
        lost = self._customer("Lost")
        self._order(lost, 1000, days_ago=400)
        never = self._customer("Never ordered")
        self.recompute()
        self.assertLess(fresh.logistics_churn_risk, steady.logistics_churn_risk)
        self.assertLess(steady.logistics_churn_risk, fading.logistics_churn_risk)
        self.assertLessEqual(fading.logistics_churn_risk, 49, "fading but active: still below any dormant customer")
        self.assertLess(fading.logistics_churn_risk, dormant.logistics_churn_risk)
        self.assertEqual(lost.logistics_churn_risk, 100)
        self.assertEqual(never.logistics_churn_risk, 0)
        self.assertEqual(fresh.logistics_churn_level, "low")
        self.assertEqual(lost.logistics_churn_level, "high")
        at_risk_action = self.env.ref("logistics_crm.action_logistics_customers_at_risk")
        at_risk = self.env["res.partner"].search(ast.literal_eval(at_risk_action.domain))
        self.assertIn(dormant, at_risk)
        self.assertNotIn(lost, at_risk)
        self.assertNotIn(fresh, at_risk)

    def test_first_computation_plans_no_win_back(self):
        """A customer first seen already dormant did not just turn dormant: no task flood on install."""
        old_key = self._customer("Long dormant key account")
        self._order(old_key, 90000, days_ago=250)
        self.recompute()
        self.assertEqual((old_key.logistics_tier_id, old_key.logistics_stage), (self.tier_a, "dormant"))
        win_back = self.env.ref("logistics_crm.mail_activity_type_logistics_win_back")
        self.assertFalse(old_key.activity_ids.filtered(lambda a: a.activity_type_id == win_back))

    def test_win_back_activity_when_a_valuable_customer_turns_dormant(self):
        key = self._customer("Key account turning dormant")
        order = self._order(key, 90000, days_ago=100)
        small = self._customer("Small one turning dormant")
        small_order = self._order(small, 100, days_ago=100)
        self.recompute()
        self.assertEqual(key.logistics_tier_id, self.tier_a)
        self.assertEqual(small.logistics_tier_id, self.tier_c)
        self.assertEqual(key.logistics_stage, "active")
        win_back = self.env.ref("logistics_crm.mail_activity_type_logistics_win_back")
        self.assertFalse(key.activity_ids.filtered(lambda a: a.activity_type_id == win_back))
        # time passes: the last orders are now 200 days old
        order.date_order -= timedelta(days=100)
        small_order.date_order -= timedelta(days=100)
        summary = self.recompute()
        self.assertEqual(key.logistics_stage, "dormant")
        self.assertEqual(small.logistics_stage, "dormant")
        activity = key.activity_ids.filtered(lambda a: a.activity_type_id == win_back)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_sales)
        self.assertIn("Key account turning dormant", activity.summary)
        self.assertFalse(small.activity_ids.filtered(lambda a: a.activity_type_id == win_back), "tier C: no win-back")
        self.assertGreaterEqual(summary["win_back"], 1)
        # still dormant the next day: no second activity
        self.recompute()
        self.assertEqual(len(key.activity_ids.filtered(lambda a: a.activity_type_id == win_back)), 1)
