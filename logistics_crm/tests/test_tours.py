"""Browser tours of the Logistics CRM main screens (headless Chromium through HttpCase).

The tours live in static/tests/tours/logistics_crm_tier_tour.js (bundle web.assets_tests).
The shared fixture (tests/common.py) cancels the demo orders, so the customers created
here rank deterministically whatever else the database holds.
"""

from odoo.tests import HttpCase, new_test_user, tagged

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestLogisticsCrmTours(HttpCase, LogisticsCrmCase):
    def setUp(self):
        super().setUp()
        Partner = self.env["res.partner"]
        self.steel_mill = Partner.create({"name": "Tour Steel Mill", "is_company": True})
        self.dormant = Partner.create({"name": "Tour Dormant Foundry", "is_company": True})
        # the steel mill makes 100 of 120 (tier A); the share before the foundry is 83 % (tier B)
        self._order(self.steel_mill, 60_000_000, days_ago=20)
        self._order(self.steel_mill, 40_000_000, days_ago=5)
        self._order(self.dormant, 20_000_000, days_ago=250)
        Partner.logistics_recompute_tiers()

        # the world the tours expect
        self.assertEqual(self.steel_mill.logistics_tier_id, self.tier_a)
        self.assertEqual(self.steel_mill.logistics_stage, "active")
        self.assertEqual(self.dormant.logistics_tier_id, self.tier_b)
        self.assertEqual(self.dormant.logistics_stage, "dormant")
        self.assertGreaterEqual(self.dormant.logistics_churn_risk, 50)
        self.assertFalse(self.steel_mill.logistics_business_scale)
        self.assertFalse(self.steel_mill.logistics_commodity_ids)

    def test_tier_tour_manager(self):
        """Admin: customer list and Logistics tab, edit the profile, tiers, recompute, customers at risk."""
        self.start_tour("/odoo", "logistics_crm_tier_tour", login="admin")

        self.steel_mill.invalidate_recordset()
        self.assertEqual(self.steel_mill.logistics_business_scale, "large")
        self.assertEqual(
            self.steel_mill.logistics_commodity_ids,
            self.env.ref("logistics_crm.commodity_steel"),
        )
        # editing the profile does not lock or change the computed tier
        self.assertEqual(self.steel_mill.logistics_tier_id, self.tier_a)
        self.assertFalse(self.steel_mill.logistics_tier_locked)
        # the recomputation started from the list kept both customers' tiers and stages
        self.dormant.invalidate_recordset()
        self.assertEqual(self.dormant.logistics_tier_id, self.tier_b)
        self.assertEqual(self.dormant.logistics_stage, "dormant")
        # the windows dialog stored the new active window
        params = self.env["ir.config_parameter"].sudo()
        self.assertEqual(params.get_param("logistics_crm.active_days"), "200")

    def test_tier_tour_user(self):
        """A plain Logistics CRM user opens Customers and the Logistics tab, without Configuration menu."""
        user = new_test_user(
            self.env,
            login="lcrm_tour_user",
            name="Tour Logistics User",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        self.assertTrue(user.has_group("logistics_crm.group_logistics_crm_user"))
        self.assertFalse(user.has_group("logistics_crm.group_logistics_crm_manager"))
        # the menu tree the web client gets: the app shows Customers and Reporting, no Configuration
        menus = self.env["ir.ui.menu"].with_user(user).load_menus(debug=False)
        app = menus[self.env.ref("logistics_crm.menu_logistics_crm_root").id]
        self.assertIn(self.env.ref("logistics_crm.menu_logistics_customers_root").id, app["children"])
        self.assertIn(self.env.ref("logistics_crm.menu_logistics_reporting").id, app["children"])
        self.assertNotIn(self.env.ref("logistics_crm.menu_logistics_config").id, app["children"])
        customers = menus[self.env.ref("logistics_crm.menu_logistics_customers_root").id]
        self.assertIn(self.env.ref("logistics_crm.menu_logistics_customers").id, customers["children"])

        self.start_tour("/odoo", "logistics_crm_user_tour", login=user.login)

        # the user only looked: nothing changed
        self.steel_mill.invalidate_recordset()
        self.assertEqual(self.steel_mill.logistics_tier_id, self.tier_a)
        self.assertFalse(self.steel_mill.logistics_business_scale)
