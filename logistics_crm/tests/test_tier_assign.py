from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestTierAssignWizard(LogisticsCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.one = cls._customer("Wizard One")
        cls.two = cls._customer("Wizard Two")
        cls.contact = cls.env["res.partner"].create({"name": "Xu Li", "parent_id": cls.two.id})
        cls._order(cls.one, 5000, days_ago=4)
        cls._order(cls.two, 5000, days_ago=4)

    def _wizard(self, user, partners, **values):
        ctx = {"active_model": "res.partner", "active_ids": partners.ids}
        with Form(self.env["logistics.tier.assign"].with_user(user).with_context(**ctx)) as form:
            for name, value in values.items():
                setattr(form, name, value)
        return form.record

    def test_manager_sets_and_locks_tiers_in_bulk(self):
        self.recompute()
        # a contact selected in the list sets its company's tier
        wizard = self._wizard(
            self.user_manager,
            self.one | self.contact,
            tier_id=self.tier_c,
            reason="Payment delays: standard service until settled",
        )
        self.assertEqual(wizard.partner_ids, self.one | self.contact)
        wizard.action_apply()
        for partner in (self.one, self.two, self.contact):
            self.assertEqual(partner.logistics_tier_id, self.tier_c, partner.name)
        self.assertTrue(self.two.logistics_tier_locked)
        self.assertIn("Payment delays", self.two.message_ids[:1].body)
        self.recompute()
        self.assertEqual(self.one.logistics_tier_id, self.tier_c, "kept by the recomputation")
        # unlocking lets the Pareto rule decide again
        self._wizard(self.user_manager, self.one | self.two, tier_id=self.tier_c, lock=False).action_apply()
        self.recompute()
        self.assertEqual(self.one.logistics_tier_id, self.tier_a)

    def test_users_cannot_use_it(self):
        with self.assertRaises(AccessError):
            self._wizard(self.user_sales, self.one, tier_id=self.tier_a).action_apply()
        self.assertFalse(self.one.logistics_tier_locked)

    def test_nothing_selected(self):
        wizard = (
            self.env["logistics.tier.assign"]
            .with_user(self.user_manager)
            .create({"tier_id": self.tier_a.id, "partner_ids": [(6, 0, [])]})
        )
        with self.assertRaises(UserError):
            wizard.action_apply()
