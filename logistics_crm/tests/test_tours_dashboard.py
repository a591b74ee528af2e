"""Browser tour of the management dashboard (headless Chromium through HttpCase), for a manager and for
a plain Logistics CRM user: the app opens on the dashboard, its charts are drawn, and the tier row, the
Customers card, a Pareto bar, the complaints card and the bookings card open the records behind them
(static/tests/tours/logistics_crm_dashboard_tour.js)."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestDashboardTours(HttpCase, LogisticsCrmCase):
    def setUp(self):
        super().setUp()
        # the steel customer makes 100 of 120: first in the ranking, tier A
        self.steel = self._customer("Tour Dashboard Steel")
        self.foundry = self._customer("Tour Dashboard Foundry")
        self._order(self.steel, 9_000_000_000, days_ago=10)
        self._order(self.foundry, 1_000_000_000, days_ago=200)
        self.recompute()
        self.assertEqual(self.steel.logistics_tier_id, self.tier_a)
        self.env["logistics.complaint"].create({"partner_id": self.steel.id, "description": "Two coils dented."})
        now = fields.Datetime.now()
        self.env["logistics.booking"].create(
            {
                "partner_id": self.steel.id,
                "street": "1 Quay Road",
                "city": "Qingdao",
                "date_start": now,
                "date_end": now + timedelta(hours=3),
                "goods_description": "Steel coils",
                "weight_kg": 24000.0,
                "volume_m3": 12.0,
            }
        )
        # the browser's figures are those of the UTC week the test computes
        self.env["res.users"].search([("login", "in", ("admin", self.user_sales.login))]).write({"tz": "UTC"})

    def test_dashboard_tour_manager(self):
        self.start_tour("/odoo", "logistics_crm_dashboard_tour", login="admin")

    def test_dashboard_tour_user(self):
        user = new_test_user(
            self.env,
            login="lcrm_dashboard_user",
            name="Tour Dashboard User",
            tz="UTC",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        self.assertFalse(user.has_group("logistics_crm.group_logistics_crm_manager"))
        self.start_tour("/odoo", "logistics_crm_dashboard_tour", login=user.login)
