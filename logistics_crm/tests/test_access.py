from psycopg2.errors import CheckViolation

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestAccess(LogisticsCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls._customer("Portal Customer Steel")
        cls.mine_contact = cls.env["res.partner"].create(
            {"name": "Chen Jing", "parent_id": cls.mine.id, "email": "chen@steel.example.com"}
        )
        cls.other = cls._customer("Competitor's Customer Coal")
        cls._order(cls.mine, 10000, days_ago=5)
        cls._order(cls.other, 90000, days_ago=5)
        cls.env["res.partner"].logistics_recompute_tiers()
        cls.portal_user = new_test_user(
            cls.env, login="lcrm_portal", groups="base.group_portal", partner_id=cls.mine_contact.id
        )

    def test_portal_user_cannot_read_another_company_tier(self):
        other = self.other.with_user(self.portal_user)
        with self.assertRaises(AccessError):
            other.read(["logistics_tier_id"])
        with self.assertRaises(AccessError):
            other.read(["name"])
        self.assertFalse(
            self.env["res.partner"]
            .with_user(self.portal_user)
            .search([("logistics_tier_id", "!=", False), ("id", "=", self.other.id)])
        )

    def test_portal_user_sees_own_tier_but_no_internal_figures(self):
        mine = self.mine.with_user(self.portal_user)
        self.assertEqual(mine.read(["logistics_tier_id"])[0]["logistics_tier_id"][0], self.tier_b.id)
        for field in ("logistics_churn_risk", "logistics_revenue_12m", "logistics_stage", "logistics_tier_locked"):
            with self.subTest(field=field), self.assertRaises(AccessError):
                mine.read([field])
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.portal_user).logistics_recompute_tiers()
        with self.assertRaises(AccessError):
            self.mine_contact.with_user(self.portal_user).write({"logistics_tier_id": self.tier_a.id})
        with self.assertRaises(AccessError):
            self.env["logistics.customer.tier"].with_user(self.portal_user).search([])

    def test_internal_user_without_logistics_rights(self):
        partner = self.mine.with_user(self.user_plain)
        # the tier (a service level) is for every internal user, the figures behind it are not (README)
        self.assertEqual(partner.read(["logistics_tier_id"])[0]["logistics_tier_id"][0], self.tier_b.id)
        for fname in (
            "logistics_churn_risk",
            "logistics_revenue_12m",
            "logistics_stage",
            "logistics_tier_locked",
            "logistics_tier_date",
            "logistics_order_count",
            "logistics_tier_history_ids",
        ):
            with self.subTest(field=fname), self.assertRaises(AccessError):
                partner.read([fname])
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.user_plain).logistics_recompute_tiers()
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.user_plain).logistics_schedule_care_activities()
        # ... but everyday partner work still runs, including the commercial-field sync to contacts
        partner.write({"vat": "CN91370200MA3C", "name": "Portal Customer Steel Co."})
        self.assertEqual(self.mine_contact.vat, "CN91370200MA3C")
        with Form(self.env["res.partner"].with_user(self.user_plain)) as form:
            form.name = "New contact"
            form.parent_id = self.mine
        self.assertEqual(form.record.sudo().logistics_tier_id, self.tier_b, "new contact takes its company's tier")

    def test_logistics_user(self):
        partner = self.mine.with_user(self.user_sales)
        self.assertEqual(partner.logistics_stage, "active")
        self.assertIsInstance(partner.logistics_churn_risk, int)
        summary = self.env["res.partner"].with_user(self.user_sales).logistics_recompute_tiers()
        self.assertEqual(summary["changed"], 0)
        with self.assertRaises(AccessError):
            self.tier_a.with_user(self.user_sales).write({"revenue_share_cutoff": 70})
        with self.assertRaises(AccessError):
            self.env["logistics.customer.tier"].with_user(self.user_sales).create(
                {"name": "X", "code": "X", "sequence": 99, "revenue_share_cutoff": 100}
            )
        # the profile is theirs to fill in
        partner.write(
            {
                "logistics_business_scale": "large",
                "logistics_commodity_ids": [Command.link(self.env.ref("logistics_crm.commodity_steel").id)],
                "logistics_annual_shipping_volume": 120000,
            }
        )
        self.assertEqual(self.mine_contact.logistics_business_scale, "large")
        with self.assertRaises(CheckViolation), mute_logger("odoo.sql_db"), self.env.cr.savepoint():
            partner.write({"logistics_annual_shipping_volume": -5})
            partner.flush_recordset()

    def test_logistics_user_creates_and_edits_customers_in_the_form(self):
        """The form sends the (unchanged) tier fields too: that is no manual override."""
        with Form(self.env["res.partner"].with_user(self.user_sales)) as form:
            form.name = "Form-made Forwarder"
            form.company_type = "company"
            form.logistics_business_scale = "small"
        self.assertTrue(form.record.is_logistics_customer)
        self.assertFalse(form.record.logistics_tier_id)
        self.mine.with_user(self.user_sales).write({"logistics_tier_id": self.tier_b.id, "name": "Renamed Steel"})
        self.assertFalse(self.mine.logistics_tier_locked, "writing the same tier back changes nothing")
        with self.assertRaises(AccessError):
            self.mine.with_user(self.user_sales).write({"logistics_tier_id": self.tier_a.id})

    def test_manager(self):
        tier = self.tier_a.with_user(self.user_manager)
        tier.care_interval_days = 21
        self.assertEqual(self.tier_a.care_interval_days, 21)
        self.mine.with_user(self.user_manager).write({"logistics_tier_id": self.tier_a.id})
        self.assertTrue(self.mine.logistics_tier_locked)
