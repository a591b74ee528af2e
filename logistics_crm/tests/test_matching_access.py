from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_matching import MatchingCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestMatchingAccess(MatchingCase):
    """Rights of the Logistics groups on the chartering models, and each company on its own records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Second Shipping Co."})
        cls.user_b = new_test_user(
            cls.env,
            login="lcrm_sales_b",
            name="Company B Sales",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        cls.near = cls._position(cls._vessel("A's Kamsarmax", 80000), cls.gladstone, days=5)
        cls.market = cls._position(cls._vessel("Market Kamsarmax", 80000), cls.gladstone, days=5, company_id=False)
        cls.cargo_a = cls._cargo()

    def test_internal_user_without_logistics_group_sees_nothing(self):
        for model in ("logistics.cargo", "logistics.match", "logistics.vessel", "logistics.vessel.position"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.user_plain).search([])
        # reference data is readable by every employee
        self.assertTrue(self.env["logistics.port"].with_user(self.user_plain).search_count([]))

    def test_user_works_manager_deletes(self):
        cargo = self.cargo_a.with_user(self.user_sales)
        cargo.write({"quantity": 51000})
        match = cargo.match_ids[:1]
        match.action_offer()
        with self.assertRaises(AccessError):
            cargo.unlink()
        with self.assertRaises(AccessError):
            self.env["logistics.match"].with_user(self.user_sales).create(
                {"cargo_id": cargo.id, "position_id": self.near.id}
            )
        with self.assertRaises(AccessError):
            self.env["logistics.port"].with_user(self.user_sales).search([], limit=1).unlink()
        self.cargo_a.with_user(self.user_manager).copy().unlink()

    def test_company_never_matches_another_company_private_positions(self):
        cargo_b = self._cargo(company_id=self.company_b.id, user_id=self.user_b.id)
        self.assertEqual(cargo_b.match_ids.position_id, self.market, "only the market position")
        self.assertIn(self.near, self.cargo_a.match_ids.position_id)
        # B's staff see B's cargo and matches, and the market position; nothing of A's
        env_b = self.env(user=self.user_b, context={"allowed_company_ids": [self.company_b.id]})
        self.assertEqual(env_b["logistics.cargo"].search([]), cargo_b)
        self.assertEqual(env_b["logistics.match"].search([]), cargo_b.match_ids)
        self.assertNotIn(self.near, env_b["logistics.vessel.position"].search([]))
        with self.assertRaises(AccessError):
            self.cargo_a.with_env(env_b).read(["name"])
        with self.assertRaises(AccessError):
            self.cargo_a.match_ids[:1].with_env(env_b).read(["score"])
        # B's best score for the market position is computed from B's records only
        graphs = env_b["logistics.match"].read_group([], ["score:max"], [])
        self.assertEqual(graphs[0]["score"], max(cargo_b.match_ids.mapped("score")))

    def test_market_position_change_rematches_every_company(self):
        cargo_b = self._cargo(company_id=self.company_b.id, user_id=self.user_b.id)
        self.market.write({"date_open": self.today + timedelta(days=6)})
        self.assertIn(self.market, cargo_b.match_ids.position_id)
        self.assertIn(self.market, self.cargo_a.match_ids.position_id)
        self.market.write({"state": "fixed"})
        self.assertNotIn(self.market, cargo_b.match_ids.position_id)
        self.assertNotIn(self.market, self.cargo_a.match_ids.position_id)

    def test_portal_user_of_another_company_reads_nothing(self):
        stranger = self.env["res.partner"].create({"name": "Stranger Trading", "is_company": True})
        portal = new_test_user(
            self.env,
            login="lcrm_portal_stranger",
            groups="base.group_portal",
            partner_id=self.env["res.partner"].create({"name": "S. Stranger", "parent_id": stranger.id}).id,
        )
        self.cargo_a.match_ids[:1].action_offer()
        for model in ("logistics.cargo", "logistics.match", "logistics.vessel", "logistics.vessel.position"):
            self.assertFalse(self.env[model].with_user(portal).search([]), model)
        with self.assertRaises(AccessError):
            self.cargo_a.with_user(portal).read(["name"])
        with self.assertRaises(AccessError):
            self.cargo_a.with_user(portal).write({"quantity": 1})
