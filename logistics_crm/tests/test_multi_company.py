from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestMultiCompany(LogisticsCrmCase):
    """Each company ranks its own customers on its own confirmed sales, in its own currency."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Currency = cls.env["res.currency"].with_context(active_test=False)
        others = Currency.search([("id", "!=", cls.company.currency_id.id)], limit=2)
        cls.currency_b, cls.currency_rateless = others
        (cls.currency_b | cls.currency_rateless).active = True
        cls.currency_rateless.rate_ids = [Command.clear()]
        cls.company_b = cls.env["res.company"].create(
            {"name": "Qingdao Warehousing Co.", "currency_id": cls.currency_b.id}
        )
        cls.env.user.company_ids |= cls.company_b
        cls.pricelist_b = cls.env["product.pricelist"].create(
            {"name": "Company B", "currency_id": cls.currency_b.id, "company_id": cls.company_b.id}
        )
        cls.user_a = new_test_user(
            cls.env,
            login="lcrm_user_a",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
            company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)],
        )
        cls.user_b = new_test_user(
            cls.env,
            login="lcrm_user_b",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )

        # company A: the big one 90 000, the shared customer 10 000 -> shared is B in A (90 % before it)
        cls.big_a = cls._customer("Big Customer of A")
        cls.shared = cls._customer("Shared Customer Appliances")
        cls._order(cls.big_a, 90000, days_ago=3)
        cls._order(cls.shared, 10000, days_ago=3)
        # company B: the shared customer 50 000 (B's currency), a customer reserved to B 5 000
        cls.reserved = cls._customer("Reserved to company B", company_id=cls.company_b.id)
        cls._order(cls.shared, 50000, days_ago=3, company_id=cls.company_b.id, pricelist_id=cls.pricelist_b.id)
        cls._order(cls.reserved, 5000, days_ago=40, company_id=cls.company_b.id, pricelist_id=cls.pricelist_b.id)

    def in_company(self, record, company):
        return record.with_company(company)

    def test_each_company_ranks_its_own_sales_in_its_own_currency(self):
        self.env["res.partner"].with_context(
            allowed_company_ids=[self.company.id, self.company_b.id]
        ).logistics_recompute_tiers()
        shared_a = self.in_company(self.shared, self.company)
        shared_b = self.in_company(self.shared, self.company_b)
        self.assertEqual((shared_a.logistics_revenue_12m, shared_a.logistics_tier_id), (10000, self.tier_b))
        self.assertEqual(shared_a.logistics_currency_id, self.company.currency_id)
        # B's figures are B's sales in B's currency, not converted into anyone's
        self.assertEqual((shared_b.logistics_revenue_12m, shared_b.logistics_tier_id), (50000, self.tier_a))
        self.assertEqual(shared_b.logistics_currency_id, self.currency_b)
        self.assertEqual(self.in_company(self.reserved, self.company_b).logistics_tier_id, self.tier_b)
        # the customer reserved to B is not one of A's customers at all
        reserved_a = self.in_company(self.reserved, self.company)
        self.assertFalse(reserved_a.logistics_tier_id)
        self.assertFalse(reserved_a.logistics_stage)
        self.assertEqual(self.in_company(self.big_a, self.company).logistics_tier_id, self.tier_a)
        self.assertFalse(self.in_company(self.big_a, self.company_b).logistics_tier_id, "no sales in B")
        self.assertEqual(self.in_company(self.big_a, self.company_b).logistics_stage, "potential")
        self.assertFalse(self.company_b.partner_id.is_logistics_customer)

    def test_a_user_of_company_b_sees_nothing_made_of_company_a_sales(self):
        self.env["res.partner"].with_context(
            allowed_company_ids=[self.company.id, self.company_b.id]
        ).logistics_recompute_tiers()
        shared = self.shared.with_user(self.user_b)
        values = shared.read(
            [
                "logistics_tier_id",
                "logistics_revenue_12m",
                "logistics_order_count",
                "logistics_stage",
                "logistics_last_order_date",
            ]
        )[0]
        self.assertEqual(values["logistics_revenue_12m"], 50000)
        self.assertEqual(values["logistics_order_count"], 1)
        self.assertEqual(values["logistics_tier_id"][0], self.tier_a.id)
        # grouped figures (the tier analysis) are B's alone
        groups = (
            self.env["res.partner"]
            .with_user(self.user_b)
            ._read_group([("is_logistics_customer", "=", True)], ["logistics_tier_id"], ["logistics_revenue_12m:sum"])
        )
        self.assertEqual(sum(total for _tier, total in groups), 55000)
        # and company A's figures cannot be asked for
        with self.assertRaises(AccessError):
            shared.with_company(self.company).read(["logistics_revenue_12m"])
        # a user of A sees A's figures of the same customer
        self.assertEqual(self.shared.with_user(self.user_a).logistics_revenue_12m, 10000)

    def test_a_run_by_one_company_leaves_the_other_alone(self):
        Partner = self.env["res.partner"]
        summary_b = Partner.with_user(self.user_b).logistics_recompute_tiers()
        self.assertEqual(
            summary_b["customers"],
            len(
                Partner.search([("is_logistics_customer", "=", True), ("company_id", "in", [False, self.company_b.id])])
            ),
        )
        self.assertFalse(self.in_company(self.shared, self.company).logistics_tier_id, "A not computed yet")
        Partner.with_user(self.user_a).logistics_recompute_tiers()
        # A's run neither converts nor flips B's values
        self.assertEqual(self.in_company(self.shared, self.company_b).logistics_tier_id, self.tier_a)
        self.assertEqual(self.in_company(self.shared, self.company_b).logistics_revenue_12m, 50000)
        again = Partner.with_user(self.user_b).logistics_recompute_tiers()
        self.assertEqual(again["changed"], 0, "runs of different companies do not undo each other")

    def test_the_cron_computes_every_company(self):
        self.env.ref("logistics_crm.ir_cron_logistics_recompute_tiers").method_direct_trigger()
        self.assertEqual(self.in_company(self.shared, self.company).logistics_tier_id, self.tier_b)
        self.assertEqual(self.in_company(self.shared, self.company_b).logistics_tier_id, self.tier_a)

    def test_an_amount_without_rate_is_skipped_and_reported(self):
        pricelist = self.env["product.pricelist"].create(
            {"name": "No rate", "currency_id": self.currency_rateless.id, "company_id": self.company.id}
        )
        # 10 000 000 that Odoo would count 1:1 without a rate: it would make this customer A
        self._order(self.shared, 10000000, days_ago=2, pricelist_id=pricelist.id)
        with self.assertLogs("odoo.addons.logistics_crm.models.logistics_tier_reader", "WARNING") as logs:
            summary = self.env["res.partner"].with_company(self.company).logistics_recompute_tiers()
        self.assertEqual(summary["skipped_orders"], 1)
        self.assertIn(self.currency_rateless.name, "\n".join(logs.output))
        shared = self.in_company(self.shared, self.company)
        self.assertEqual(shared.logistics_revenue_12m, 10000, "the rateless order is left out")
        self.assertEqual(shared.logistics_tier_id, self.tier_b)
        # the user is told too
        result = self.env["res.partner"].with_company(self.company).action_logistics_recompute_tiers()
        self.assertEqual(result["params"]["type"], "warning")
        self.assertIn("without any exchange rate", result["params"]["message"])
