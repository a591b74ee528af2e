"""The demo world: a customer's portal login and care activities spread over the coming weeks."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "logistics_crm")
class TestDemo(HttpCase):
    def setUp(self):
        super().setUp()
        if not self.env.ref("logistics_crm.user_portal_wang_wei", raise_if_not_found=False):
            self.skipTest("installed without demo data")

    def test_the_demo_customer_sees_its_tier_in_the_portal(self):
        company = self.env.ref("logistics_crm.partner_baosteel_trading")
        self.assertTrue(company.logistics_tier_id, "the demo customer has a tier")
        self.authenticate("wangwei", "wangwei")
        page = self.url_open("/my/logistics")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Huadong Steel Trading", page.text)
        self.assertIn(company.logistics_tier_id.name, page.text)

    def test_care_activities_are_spread_over_the_coming_weeks(self):
        care = self.env.ref("logistics_crm.mail_activity_type_logistics_care")
        deadlines = self.env["mail.activity"].search([("activity_type_id", "=", care.id)]).mapped("date_deadline")
        self.assertGreaterEqual(len(deadlines), 5, "the demo plans several care contacts")
        today = fields.Date.context_today(self.env.user)
        # the activities were planned at install time: measure from their own first day
        first = min(deadlines)
        self.assertGreaterEqual(len(set(deadlines)), 4, "not all due on one day")
        self.assertGreaterEqual((max(deadlines) - first).days, 14, "spread over weeks")
        self.assertLessEqual(max(deadlines), max(first, today) + timedelta(days=29))

    def test_chartering_demo(self):
        """Realistic vessels with valid IMO numbers, open positions and cargo offers on real routes, with
        ranked matches; the cargo owner and the carrier have portal logins."""
        from ..domain.shipping import imo_is_valid  # noqa: PLC0415

        vessels = self.env["logistics.vessel"].search([("owner_id", "!=", False)])
        self.assertGreaterEqual(len(vessels), 10)
        self.assertTrue(all(imo_is_valid(v.imo) for v in vessels))
        coal = self.env.ref("logistics_crm.cargo_coal_newcastle_qingdao")
        self.assertEqual(coal.route, "AUNTL → CNTAO")
        if coal.laycan_end >= fields.Date.context_today(self.env.user):
            self.assertTrue(coal.match_ids, "the demo coal cargo has candidates")
            self.assertEqual(coal.match_ids, coal.match_ids.sorted(lambda m: -m.score))
        self.authenticate("carrier", "carrier")
        page = self.url_open("/my/positions")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Ocean Pioneer", page.text)
        self.assertNotIn("Jinhai Star", page.text, "another carrier's vessel")
        self.authenticate("wangwei", "wangwei")
        page = self.url_open("/my/cargo")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.env.ref("logistics_crm.cargo_iron_ore_hedland_qingdao").name, page.text)
        self.assertNotIn(coal.name, page.text, "another customer's cargo")
