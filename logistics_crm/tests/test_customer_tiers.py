from datetime import timedelta

from psycopg2.errors import CheckViolation

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestCustomerTiers(LogisticsCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # 100 000 of revenue: 50 + 30 + 10 + 6 + 4 (thousands)
        cls.steel = cls._customer("Huadong Steel")
        cls.coal = cls._customer("Qinhuangdao Coal")
        cls.grain = cls._customer("Dalian Grain")
        cls.parts = cls._customer("Wanxiang Auto Parts")
        cls.shop = cls._customer("Yiwu Shop")
        for partner, amount in (
            (cls.steel, 30000),
            (cls.steel, 20000),
            (cls.coal, 30000),
            (cls.grain, 10000),
            (cls.parts, 6000),
            (cls.shop, 4000),
        ):
            cls._order(partner, amount, days_ago=20)

    def test_pareto_tiers_and_sales_figures(self):
        summary = self.recompute()
        self.assertEqual(
            [p.logistics_tier_id for p in (self.steel, self.coal, self.grain, self.parts, self.shop)],
            [self.tier_a, self.tier_a, self.tier_b, self.tier_b, self.tier_c],
        )
        self.assertEqual(self.steel.logistics_revenue_12m, 50000)
        self.assertEqual(self.steel.logistics_order_count, 2)
        self.assertEqual(self.steel.logistics_last_order_date, self.today - timedelta(days=20))
        self.assertEqual(self.steel.logistics_tier_date, self.today)
        self.assertGreaterEqual(summary["customers"], 5)
        self.assertGreaterEqual(summary["tier_changes"], 5, "five customers entered a tier")
        self.assertEqual(self.tier_a.partner_count, 2)

    def test_orders_button_lists_the_counted_orders(self):
        self._order(self.steel, 70000, days_ago=500)  # outside the window: not counted, not listed
        self.recompute()
        action = self.steel.action_logistics_view_orders()
        orders = self.env["sale.order"].search(action["domain"])
        self.assertEqual(len(orders), self.steel.logistics_order_count)
        self.assertEqual(sum(orders.mapped("amount_untaxed")), self.steel.logistics_revenue_12m)

    def test_customer_crossing_the_cutoff(self):
        # one more order of 9 999 for the grain trader: ranked third with 19 999 of 109 999;
        # the share before it is 80 000 / 109 999 = 72.7 % < 80 %: it crosses into A
        self._order(self.grain, 9999, days_ago=5)
        self.recompute()
        self.assertEqual(self.grain.logistics_tier_id, self.tier_a)
        # the next one (parts, 6 000) starts at 99 999 / 109 999 = 90.9 %: B
        self.assertEqual(self.parts.logistics_tier_id, self.tier_b)

    def test_customer_exactly_at_the_cutoff_is_not_in_the_higher_tier(self):
        # before the grain trader: 50 000 + 30 000 = 80 000 of 100 000 = exactly 80 %: B, not A
        self.recompute()
        self.assertEqual(self.grain.logistics_tier_id, self.tier_b)

    def test_window_quotations_and_cancelled_orders_do_not_count(self):
        old = self._customer("Old Partner Cement")
        self._order(old, 90000, days_ago=400)
        draft = self._customer("Quotation Only Ltd")
        self._order(draft, 90000, confirm=False)
        cancelled = self._customer("Cancelled Ltd")
        self._order(cancelled, 90000, days_ago=3).write({"state": "cancel"})
        self.recompute()
        for partner in (old, draft, cancelled):
            self.assertFalse(partner.logistics_tier_id, partner.name)
            self.assertEqual(partner.logistics_revenue_12m, 0)
        self.assertEqual(self.steel.logistics_tier_id, self.tier_a)

    def test_contacts_share_their_company_tier(self):
        contact = self.env["res.partner"].create({"name": "Wang Wei", "parent_id": self.shop.id})
        # an order placed by the contact counts for its company: 4 000 + 46 000 = 50 000
        self._order(contact, 46000, days_ago=2)
        self.recompute()
        self.assertEqual(self.shop.logistics_tier_id, self.tier_a)
        self.assertEqual(self.shop.logistics_revenue_12m, 50000)
        contact.invalidate_recordset()
        self.assertEqual(contact.logistics_tier_id, self.tier_a)
        self.assertEqual(contact.logistics_stage, "active")
        self.assertEqual(contact.logistics_revenue_12m, 50000)
        self.assertFalse(contact.is_logistics_customer, "contacts are not ranked on their own")
        # a contact created later takes its company's values at once
        later = self.env["res.partner"].create({"name": "Li Na", "parent_id": self.shop.id})
        self.assertEqual(later.logistics_tier_id, self.tier_a)
        self.assertEqual(later.logistics_churn_risk, self.shop.logistics_churn_risk)

    def test_manual_tier_is_locked_and_kept(self):
        self.recompute()
        self.assertEqual(self.shop.logistics_tier_id, self.tier_c)
        self.shop.with_user(self.user_manager).write({"logistics_tier_id": self.tier_a.id})
        self.assertTrue(self.shop.logistics_tier_locked, "a tier set by hand locks it")
        self.recompute()
        self.assertEqual(self.shop.logistics_tier_id, self.tier_a, "the recomputation keeps a locked tier")
        # the locked customer still counts in the ranking: the others keep their tiers
        self.assertEqual(self.grain.logistics_tier_id, self.tier_b)
        self.shop.with_user(self.user_manager).action_logistics_unlock_tier()
        self.recompute()
        self.assertEqual(self.shop.logistics_tier_id, self.tier_c)

    def test_only_managers_set_a_tier_by_hand(self):
        self.recompute()
        with self.assertRaises(AccessError):
            self.shop.with_user(self.user_sales).write({"logistics_tier_id": self.tier_a.id})
        with self.assertRaises(AccessError):
            self.shop.with_user(self.user_sales).action_logistics_lock_tier()
        self.shop.invalidate_recordset()
        self.assertEqual(self.shop.logistics_tier_id, self.tier_c)
        self.assertFalse(self.shop.logistics_tier_locked)

    def test_tier_changes_are_kept_in_the_history_once(self):
        def history(partner):
            return self.env["logistics.tier.history"].search([("partner_id", "=", partner.id)])

        self.recompute()
        first = history(self.steel)
        self.assertEqual(len(first), 1, "the first computation starts the history")
        self.assertEqual((first.old_tier_id, first.new_tier_id), (self.tier_a.browse(), self.tier_a))
        self.assertEqual((first.old_stage, first.new_stage, first.origin), (False, "active", "recompute"))
        self.assertEqual((first.company_id, first.date, first.revenue), (self.company, self.today, 50000))
        self.assertEqual(self.steel.logistics_tier_history_ids, first)
        # safe to re-run: nothing changes, nothing is written, no new line
        summary = self.recompute()
        self.assertEqual(summary["changed"], 0)
        self.assertEqual(summary["written"], 0)
        self.assertEqual(history(self.steel), first)
        # a real change is kept once: steel grows to 250 000 of 300 000, so the share
        # before coal is 83 % and coal drops to B
        self._order(self.steel, 200000, days_ago=1)
        self.recompute()
        self.assertEqual(self.coal.logistics_tier_id, self.tier_b)
        moved = history(self.coal)[:1]
        self.assertEqual(len(history(self.coal)), 2)
        self.assertEqual((moved.old_tier_id, moved.new_tier_id, moved.tier_changed), (self.tier_a, self.tier_b, True))
        self.assertEqual((moved.old_stage, moved.new_stage), ("active", "active"))
        self.assertEqual(len(history(self.grain)), 1, "grain kept its tier and stage")
        # a stage change is kept too: a potential customer gets a quotation
        prospect = self._customer("Cangzhou Pipes")
        self.recompute()
        self._order(prospect, 1000, confirm=False)
        self.recompute()
        line = history(prospect)[:1]
        self.assertEqual((line.old_stage, line.new_stage, line.tier_changed), ("potential", "target", False))
        self.recompute()
        self.assertEqual(len(history(prospect)), 2)
        # a tier set by hand is kept too, with who set it
        self.shop.with_user(self.user_manager).write({"logistics_tier_id": self.tier_a.id})
        manual = history(self.shop)[:1]
        self.assertEqual(
            (manual.origin, manual.user_id, manual.new_tier_id), ("manual", self.user_manager, self.tier_a)
        )
        self.assertEqual(manual.old_tier_id, self.tier_c)
        # the chatter keeps Odoo's own tracking of the manual change (posted when the transaction commits)
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertTrue(
            self.shop.message_ids.tracking_value_ids.filtered(lambda v: v.field_id.name == "logistics_tier_id")
        )

    def test_foreign_currency_orders_count_in_company_currency(self):
        currency = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search([("id", "!=", self.company.currency_id.id)], limit=1)
        )
        currency.active = True
        currency.rate_ids = [
            Command.clear(),
            Command.create({"name": "2000-01-01", "rate": 4.0, "company_id": self.company.id}),
        ]
        pricelist = self.env["product.pricelist"].create({"name": "Foreign", "currency_id": currency.id})
        foreign = self._customer("Newcastle Coal Pty")
        # 400 000 in the foreign currency = 100 000 in company currency
        self._order(foreign, 400000, days_ago=3, pricelist_id=pricelist.id)
        self.recompute()
        self.assertAlmostEqual(foreign.logistics_revenue_12m, 100000, places=2)
        self.assertEqual(foreign.logistics_tier_id, self.tier_a)

    def test_tier_cutoffs_must_increase_and_stay_within_bounds(self):
        for value in (70, 0, -5, 120):
            with self.subTest(cutoff=value), self.assertRaises(ValidationError):
                self.tier_b.write({"revenue_share_cutoff": value})
        self.tier_b.invalidate_recordset()
        self.assertEqual(self.tier_b.revenue_share_cutoff, 95)
        with self.assertRaises(ValidationError):
            self.tier_a.write({"sequence": 25})  # A after B: 80 % after 95 %
        with self.assertRaises(ValidationError):
            self.env["logistics.customer.tier"].create(
                {"name": "D", "code": "D", "sequence": 40, "revenue_share_cutoff": 99}
            )
        # a valid change
        self.tier_b.revenue_share_cutoff = 90
        self.recompute()
        self.assertEqual(self.grain.logistics_tier_id, self.tier_b)  # 80 % before: < 90

    def test_a_new_last_tier_is_added_in_two_saves(self):
        """A new last tier starts at 100 % (empty while C is at 100 % too), then C is lowered."""
        tier_d = self.env["logistics.customer.tier"].create(
            {"name": "Occasional", "code": "D", "sequence": 40, "revenue_share_cutoff": 100}
        )
        self.recompute()
        self.assertEqual(self.shop.logistics_tier_id, self.tier_c, "D stays empty while C is at 100 % too")
        self.tier_c.revenue_share_cutoff = 95.5
        self.assertEqual(
            self.env["logistics.customer.tier"].search([]).mapped("revenue_share_cutoff"), [80, 95, 95.5, 100]
        )
        self.recompute()
        self.assertEqual(self.shop.logistics_tier_id, tier_d, "96 % of revenue ranked before it")

    def test_tier_form_and_service_levels(self):
        with Form(self.env["logistics.customer.tier"]) as form:
            form.name = "Platinum"
            form.code = "P"
            form.sequence = 1
            form.revenue_share_cutoff = 50
            form.care_interval_days = 14
        tier = form.record
        self.assertEqual(tier.display_name, "P - Platinum")
        self.recompute()
        self.assertEqual(self.steel.logistics_tier_id, tier, "top 50 %: the steel mill alone")
        self.assertEqual(self.coal.logistics_tier_id, self.tier_a)
        with self.assertRaises(ValidationError):
            tier.write({"complaint_response_hours": 200, "complaint_resolution_hours": 100})
        with self.assertRaises(CheckViolation), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            tier.write({"care_interval_days": -1})
            tier.flush_recordset()

    def test_customer_without_revenue_has_no_tier(self):
        prospect = self._customer("Cangzhou Pipes")
        self.recompute()
        self.assertFalse(prospect.logistics_tier_id)
        self.assertEqual(prospect.logistics_stage, "potential")
        self.assertTrue(prospect.is_logistics_customer)
        self.assertFalse(self.company.partner_id.is_logistics_customer)
        self.assertFalse(self.user_sales.partner_id.is_logistics_customer)
