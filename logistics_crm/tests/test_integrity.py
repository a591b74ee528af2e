"""Integrity of the tier and figures: duplicate, re-parent, forged values, merge, last tier, settings.

Each case was reproduced against the addon before it was fixed (issue "Foundation step 2b").
"""

from contextlib import contextmanager, suppress

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import Form, tagged

from .common import LogisticsCrmCase

FIGURES = {
    "logistics_revenue_12m": 1e9,
    "logistics_order_count": 999,
    "logistics_stage": "lost",
    "logistics_churn_risk": 77,
    "logistics_churn_level": "high",
    "logistics_tier_date": "2020-01-01",
    "logistics_last_order_date": "2020-01-01",
    "logistics_next_contact_date": "2030-01-01",
    "logistics_satisfaction_score": 100.0,
    "logistics_nps": 100.0,
    "logistics_survey_answer_count": 50,
    "logistics_last_survey_date": "2030-01-01",
}


@contextmanager
def _refused(case, exception, pattern):
    # assertRaises (unlike assertRaisesRegex) runs the block in a savepoint it rolls back, like a request
    with case.assertRaises(exception) as caught:
        yield caught
    case.assertRegex(str(caught.exception), pattern)


class IntegrityCase(LogisticsCrmCase):
    def assertRefused(self, exception, pattern):
        return _refused(self, exception, pattern)

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.key = cls._customer("Key Steel Mill", email="buyer@keysteel.example.com")
        cls.key_contact = cls.env["res.partner"].create({"name": "Sun Li", "parent_id": cls.key.id})
        cls.small = cls._customer("Small Coal Trader")
        cls.prospect = cls._customer("Prospect Grain Co.")
        cls._order(cls.key, 90000)
        cls._order(cls.small, 10000)
        cls.env["res.partner"].logistics_recompute_tiers()

    def assertNoLogisticsValues(self, partner):
        for fname in (
            "logistics_tier_id",
            "logistics_tier_locked",
            "logistics_tier_date",
            "logistics_stage",
            "logistics_revenue_12m",
            "logistics_order_count",
            "logistics_last_order_date",
            "logistics_churn_risk",
            "logistics_churn_level",
            "logistics_next_contact_date",
        ):
            self.assertFalse(partner[fname], f"{partner.name}: {fname} should be empty")


@tagged("post_install", "-at_install", "logistics_crm")
class TestDuplicate(IntegrityCase):
    def test_every_internal_user_can_duplicate_a_tiered_customer_and_its_contact(self):
        self.assertEqual(self.key.logistics_tier_id, self.tier_a)
        for user in (self.user_plain, self.user_sales, self.user_manager):
            with self.subTest(user=user.login):
                copy = self.key.with_user(user).copy()
                self.assertEqual(copy.name, "Key Steel Mill (copy)")
                self.assertNoLogisticsValues(copy.sudo())
                contact_copy = self.key_contact.with_user(user).copy()
                # a copied contact belongs to the same company: it shows that company's tier
                self.assertEqual(contact_copy.sudo().logistics_tier_id, self.tier_a)

    def test_a_managers_copy_inherits_neither_tier_nor_lock_nor_figures(self):
        self.key.with_user(self.user_manager).write({"logistics_tier_id": self.tier_b.id})
        self.assertTrue(self.key.logistics_tier_locked)
        copy = self.key.with_user(self.user_manager).copy()
        self.assertNoLogisticsValues(copy)
        self.assertEqual(copy.logistics_commodity_ids, self.key.logistics_commodity_ids, "the profile is copied")
        self.env["res.partner"].logistics_recompute_tiers()
        self.assertFalse(copy.logistics_tier_id, "the copy has no sales of its own")


@tagged("post_install", "-at_install", "logistics_crm")
class TestReparenting(IntegrityCase):
    def test_a_contact_that_leaves_a_locked_company_starts_on_its_own(self):
        self.key.with_user(self.user_manager).write(
            {"logistics_tier_id": self.tier_a.id, "logistics_tier_locked": True}
        )
        self.small.write({"is_company": False, "parent_id": self.key.id})
        self.assertEqual(self.small.logistics_tier_id, self.tier_a, "a contact shows its company's tier")
        self.assertTrue(self.small.logistics_tier_locked)
        self.small.parent_id = False
        self.assertFalse(self.small.logistics_tier_locked, "the company's lock is not the former contact's")
        self.assertNoLogisticsValues(self.small)
        self.env["res.partner"].logistics_recompute_tiers()
        self.assertEqual(self.small.logistics_tier_id, self.tier_b, "ranked again on its own sales")
        self.assertEqual(self.small.logistics_revenue_12m, 10000)
        self.assertEqual(self.key.logistics_tier_id, self.tier_a)
        self.assertTrue(self.key.logistics_tier_locked, "the company keeps its lock")

    def test_a_detached_contact_forgets_every_companys_values(self):
        other_company = self.env["res.company"].create({"name": "Logistics South Ltd"})
        self.key.with_company(other_company).sudo().write({"logistics_tier_id": self.tier_c.id})
        self.assertEqual(self.key_contact.with_company(other_company).logistics_tier_id, self.tier_c)
        other_company.active = False  # an archived company keeps its customers' values: they go too
        self.key_contact.parent_id = False
        self.assertFalse(self.key_contact.logistics_tier_id)
        self.assertFalse(self.key_contact.with_company(other_company).logistics_tier_id)
        self.assertFalse(self.key_contact.with_company(other_company).logistics_tier_locked)

    def test_contacts_show_their_companys_values_in_every_company(self):
        other_company = self.env["res.company"].create({"name": "Logistics East Ltd"})
        self.key.with_company(other_company).sudo().write({"logistics_tier_id": self.tier_c.id})
        self.small.with_company(other_company).sudo().write({"logistics_tier_id": self.tier_b.id})
        contact = self.env["res.partner"].create({"name": "Hu Min", "parent_id": self.key.id})
        self.assertEqual(contact.logistics_tier_id, self.tier_a)
        self.assertEqual(contact.with_company(other_company).logistics_tier_id, self.tier_c)
        contact.parent_id = self.small
        self.assertEqual(contact.logistics_tier_id, self.tier_b)
        self.assertEqual(contact.logistics_revenue_12m, 10000)
        self.assertEqual(contact.with_company(other_company).logistics_tier_id, self.tier_b)

    def test_contacts_of_a_deleted_company_forget_its_values(self):
        company = self._customer("Short-lived Trading")
        company.with_user(self.user_manager).write({"logistics_tier_id": self.tier_a.id})
        contact = self.env["res.partner"].create({"name": "Ma Jun", "parent_id": company.id})
        self.assertTrue(contact.logistics_tier_locked)
        company.unlink()
        self.assertFalse(contact.parent_id)
        self.assertEqual(contact.commercial_partner_id, contact)
        self.assertNoLogisticsValues(contact)

    def test_a_user_detaches_a_contact_and_automated_actions_see_the_tier_go(self):
        rule = self.env["base.automation"].create(
            {
                "name": "Tier changed",
                "model_id": self.env.ref("base.model_res_partner").id,
                "trigger": "on_create_or_write",
                "trigger_field_ids": [(6, 0, [self.env.ref("logistics_crm.field_res_partner__logistics_tier_id").id])],
            }
        )
        self.env["ir.actions.server"].create(
            {
                "name": "Mark",
                "model_id": self.env.ref("base.model_res_partner").id,
                "base_automation_id": rule.id,
                "state": "code",
                "code": "records.write({'comment': 'tier moved'})",
            }
        )
        self.key_contact.with_user(self.user_sales).write({"parent_id": False})
        self.assertFalse(self.key_contact.logistics_tier_id)
        self.assertIn("tier moved", self.key_contact.comment)


@tagged("post_install", "-at_install", "logistics_crm")
class TestForgedFigures(IntegrityCase):
    def test_nobody_sets_the_computed_figures_by_hand(self):
        for user in (self.user_plain, self.user_sales, self.user_manager):
            for fname, value in FIGURES.items():
                with self.subTest(user=user.login, field=fname):
                    with self.assertRaises(AccessError):
                        self.small.with_user(user).write({fname: value})
                    with self.assertRaises(AccessError):
                        self.env["res.partner"].with_user(user).create(
                            {"name": "Forged Ltd", "is_company": True, fname: value}
                        )
        self.assertEqual(self.small.logistics_revenue_12m, 10000)
        self.assertEqual(self.small.logistics_order_count, 1)
        self.assertFalse(self.env["res.partner"].search([("name", "=", "Forged Ltd")]))

    def test_the_message_names_the_fields(self):
        with self.assertRefused(AccessError, "Revenue \\(window\\)"):
            self.small.with_user(self.user_sales).write({"logistics_revenue_12m": 5})

    def test_tier_and_lock_are_for_managers_only(self):
        for user in (self.user_plain, self.user_sales):
            with self.subTest(user=user.login):
                with self.assertRaises(AccessError):
                    self.env["res.partner"].with_user(user).create(
                        {"name": "Self-made key account", "logistics_tier_id": self.tier_a.id}
                    )
                with self.assertRaises(AccessError):
                    self.small.with_user(user).write({"logistics_tier_id": self.tier_a.id})
        self.assertEqual(self.small.logistics_tier_id, self.tier_b)

    def test_a_personal_default_never_reaches_the_contacts(self):
        """A user's own default for a figure shows where no value is stored; writing it back changes
        nothing, and no contact gets it through Odoo's commercial sync."""
        newcomer = self._customer("Newcomer Without Figures")
        self.env["ir.default"].with_user(self.user_sales).set("res.partner", "logistics_revenue_12m", 1e9, user_id=True)
        contact = self.env["res.partner"].create({"name": "Qian Bo"})
        with suppress(AccessError):  # refused, or without effect: either way nothing is stored
            newcomer.with_user(self.user_sales).write({"logistics_revenue_12m": 1e9, "comment": "big"})
        contact.with_user(self.user_sales).write({"parent_id": newcomer.id, "function": "Buyer"})
        self.env["res.partner"].with_user(self.user_sales).create({"name": "Wu Fei", "parent_id": newcomer.id})
        self.assertEqual(len(newcomer.child_ids), 2)
        self.env.flush_all()
        self.env.cr.execute(
            "SELECT count(*) FROM res_partner WHERE id = ANY(%s) AND logistics_revenue_12m::text LIKE '%%1000000000%%'",
            [(newcomer | newcomer.child_ids).ids],
        )
        self.assertEqual(self.env.cr.fetchone()[0], 0, "the personal default is stored nowhere")

    def test_unchanged_values_and_the_last_care_contact_are_accepted(self):
        small = self.small.with_user(self.user_sales)
        small.write(
            {
                "logistics_revenue_12m": 10000,
                "logistics_order_count": 1,
                "logistics_tier_id": self.tier_b.id,
                "name": "Small Coal Trader Co.",
            }
        )
        self.assertEqual(self.small.name, "Small Coal Trader Co.")
        small.write({"logistics_last_contact_date": self.today})
        self.assertEqual(self.small.logistics_last_contact_date, self.today)
        self.assertTrue(self.small.logistics_next_contact_date, "the care plan follows the contact")


@tagged("post_install", "-at_install", "logistics_crm")
class TestMerge(IntegrityCase):
    def _merge(self, user, partners, destination):
        wizard = self.env["base.partner.merge.automatic.wizard"].with_user(user)
        wizard._merge(partners.ids, destination.with_user(user))

    def test_admin_merges_a_tiered_customer_into_an_untiered_one(self):
        newcomer = self._customer("Key Steel Mill (new record)")
        self._merge(self.env.ref("base.user_admin"), self.key | newcomer, newcomer)
        self.assertFalse(self.key.exists())
        self.assertFalse(newcomer.logistics_tier_locked, "a merge never locks a tier by itself")
        # as for every company-dependent field, Odoo fills the destination's empty values from the source
        self.assertEqual(newcomer.logistics_tier_id, self.tier_a)
        self.env["res.partner"].logistics_recompute_tiers()
        self.assertEqual(newcomer.logistics_tier_id, self.tier_a, "the merged partner's orders count")
        self.assertEqual(newcomer.logistics_revenue_12m, 90000)

    def test_destination_keeps_its_own_unlocked_tier_and_figures(self):
        """Odoo fills the destination's empty fields one by one: the source's lock must not join
        the destination's own tier."""
        self.key.with_user(self.user_manager).action_logistics_lock_tier()
        self._merge(self.env.ref("base.user_admin"), self.key | self.small, self.small)
        self.assertEqual(self.small.logistics_tier_id, self.tier_b)
        self.assertFalse(self.small.logistics_tier_locked)
        self.assertEqual(self.small.logistics_revenue_12m, 10000)
        self.env["res.partner"].logistics_recompute_tiers()
        self.assertEqual(self.small.logistics_revenue_12m, 100000, "both partners' orders count")
        self.assertFalse(self.small.logistics_tier_locked)

    def test_an_untiered_destination_takes_one_partners_values_and_shows_them_on_its_contacts(self):
        self.prospect.with_user(self.user_manager)  # computed before: stage potential, revenue 0 stored
        self.assertEqual(self.prospect.logistics_stage, "potential")
        self._merge(self.env.ref("base.user_admin"), self.key | self.prospect, self.prospect)
        self.assertEqual(self.prospect.logistics_tier_id, self.tier_a)
        self.assertEqual(self.prospect.logistics_revenue_12m, 90000, "the figures of the same partner")
        self.assertEqual(self.prospect.logistics_stage, "active")
        self.assertEqual(self.key_contact.parent_id, self.prospect, "the source's contact moved")
        self.assertEqual(self.key_contact.logistics_tier_id, self.tier_a)
        self.assertEqual(self.key_contact.logistics_revenue_12m, 90000)

    def test_destination_keeps_its_own_lock(self):
        self.small.with_user(self.user_manager).write({"logistics_tier_id": self.tier_c.id})
        self._merge(self.env.ref("base.user_admin"), self.key | self.small, self.small)
        self.assertEqual(self.small.logistics_tier_id, self.tier_c)
        self.assertTrue(self.small.logistics_tier_locked)
        self.assertEqual(self.small.logistics_revenue_12m, 10000, "its own figures until the next recompute")

    def test_a_partner_manager_outside_the_logistics_groups_merges(self):
        newcomer = self._customer("Key Steel Mill Co.", email="buyer@keysteel.example.com")
        self.assertFalse(self.user_plain.has_group("logistics_crm.group_logistics_crm_user"))
        self._merge(self.user_plain, self.key | newcomer, newcomer)
        self.assertFalse(self.key.exists())
        self.assertFalse(newcomer.logistics_tier_locked)
        self.assertEqual(newcomer.sale_order_ids.amount_untaxed, 90000)


@tagged("post_install", "-at_install", "logistics_crm")
class TestLastTier(IntegrityCase):
    def test_the_last_active_tier_covers_every_customer(self):
        with self.assertRefused(ValidationError, "must have a cut-off of 100%"):
            self.tier_c.revenue_share_cutoff = 99
        with self.assertRefused(ValidationError, "must have a cut-off of 100%"):
            self.tier_c.active = False
        with self.assertRaises(ValidationError):
            (self.tier_a | self.tier_b | self.tier_c).write({"active": False})
        self.env.cr.execute("SELECT code, active, revenue_share_cutoff FROM logistics_customer_tier ORDER BY sequence")
        self.assertEqual(
            self.env.cr.fetchall(),
            [("A", True, 80.0), ("B", True, 95.0), ("C", True, 100.0)],
            "nothing changed in the database",
        )

    def test_the_callers_context_does_not_loosen_the_rule(self):
        with self.assertRaises(ValidationError):
            self.tier_c.with_user(self.user_manager).with_context(active_test=False).write({"active": False})
        self.env.cr.execute("SELECT active FROM logistics_customer_tier WHERE id = %s", [self.tier_c.id])
        self.assertTrue(self.env.cr.fetchone()[0])

    def test_a_tier_customers_hold_cannot_be_deleted(self):
        with self.assertRefused(UserError, "customers hold these tiers"):
            self.tier_b.unlink()
        self.assertTrue(self.tier_b.exists())

    def test_a_tier_held_in_another_company_only_cannot_be_deleted(self):
        other_company = self.env["res.company"].create({"name": "Logistics North Ltd"})
        spare = self.env["logistics.customer.tier"].create(
            {"name": "Platinum", "code": "P", "sequence": 1, "revenue_share_cutoff": 50}
        )
        self.small.with_company(other_company).write({"logistics_tier_id": spare.id})
        with self.assertRefused(UserError, "customers hold these tiers"):
            spare.unlink()

    def test_deleting_the_last_tier_is_refused_and_an_unused_one_goes(self):
        spare = self.env["logistics.customer.tier"].create(
            {"name": "Platinum", "code": "P", "sequence": 1, "revenue_share_cutoff": 50}
        )
        spare.unlink()
        self.assertFalse(spare.exists())
        self.env["res.partner"].search([]).with_context(tracking_disable=True).sudo().write(
            {"logistics_tier_id": False}
        )
        with self.assertRefused(ValidationError, "must have a cut-off of 100%"):
            self.tier_c.unlink()
        with self.assertRefused(ValidationError, "At least one tier must stay active"):
            (self.tier_a | self.tier_b | self.tier_c).unlink()


@tagged("post_install", "-at_install", "logistics_crm")
class TestSettingsCaps(LogisticsCrmCase):
    def assertRefused(self, exception, pattern):
        return _refused(self, exception, pattern)

    def _params(self):
        get = self.env["ir.config_parameter"].sudo().get_param
        return [get(f"logistics_crm.{key}") for key in ("tier_window_months", "active_days", "dormant_days")]

    def test_absurd_windows_are_refused_everywhere(self):
        before = self._params()
        for values in ({"tier_window_months": 36000}, {"active_days": 400000}, {"dormant_days": 400000}):
            with self.subTest(values=values):
                with self.assertRefused(ValidationError, "must be between"):
                    self.env["res.config.settings"].create(
                        {f"logistics_{key}": value for key, value in values.items()}
                    ).execute()
                with self.assertRefused(ValidationError, "must be between"):
                    self.env["logistics.tier.settings"].with_user(self.user_manager).create(values).action_save()
        self.assertEqual(self._params(), before)
        self.recompute()  # the recompute still runs

    def test_a_logistics_manager_without_admin_rights_saves_the_windows(self):
        self.assertFalse(self.user_manager.has_group("base.group_system"))
        with Form(self.env["logistics.tier.settings"].with_user(self.user_manager)) as form:
            self.assertEqual(form.active_days, 180, "the dialog opens on the current windows")
            form.tier_window_months = 24
            form.active_days = 90
            form.dormant_days = 400
        form.record.action_save()
        self.assertEqual(self._params(), ["24", "90", "400"])

    def test_users_cannot_change_the_windows(self):
        with self.assertRaises(AccessError):
            self.env["logistics.tier.settings"].with_user(self.user_sales).create({"active_days": 30})
        with self.assertRaises(AccessError):
            self.env["res.config.settings"].with_user(self.user_manager).create({"logistics_active_days": 30})
        self.assertEqual(self._params()[1], "180")
