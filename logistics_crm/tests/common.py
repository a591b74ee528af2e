from datetime import datetime, time, timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, new_test_user


class LogisticsCrmCase(TransactionCase):
    """The world of the logistics_crm tests.

    The Pareto ranking covers every customer of the database, so the demo orders
    (if demo data is installed) are cancelled first: the tests then rank only the
    customers they create. Dates are relative to today.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_create_nosubscribe=True))
        cls.env["sale.order"].search([("state", "in", ("sale", "draft", "sent"))]).write({"state": "cancel"})
        cls.env["crm.lead"].search([("type", "=", "opportunity")]).write({"active": False})
        params = cls.env["ir.config_parameter"].sudo()
        params.set_param("logistics_crm.tier_window_months", 12)
        params.set_param("logistics_crm.active_days", 180)
        params.set_param("logistics_crm.dormant_days", 365)

        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.company = cls.env.company
        cls.tier_a = cls.env.ref("logistics_crm.customer_tier_a")
        cls.tier_b = cls.env.ref("logistics_crm.customer_tier_b")
        cls.tier_c = cls.env.ref("logistics_crm.customer_tier_c")

        cls.user_sales = new_test_user(
            cls.env,
            login="lcrm_sales",
            name="Li Sales",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        cls.user_manager = new_test_user(
            cls.env,
            login="lcrm_manager",
            name="Wang Manager",
            groups="base.group_user,logistics_crm.group_logistics_crm_manager",
        )
        cls.user_plain = new_test_user(
            cls.env,
            login="lcrm_plain",
            name="Zhao Accountant",
            groups="base.group_user,base.group_partner_manager",
        )
        cls.product = cls.env["product.product"].create(
            {
                "name": "Test sea freight (per t)",
                "type": "service",
                "list_price": 1.0,
                "taxes_id": [Command.clear()],
            }
        )

    @classmethod
    def _customer(cls, name, **vals):
        return cls.env["res.partner"].create({"name": name, "is_company": True, "user_id": cls.user_sales.id, **vals})

    @classmethod
    def _order(cls, partner, amount, days_ago=10, confirm=True, **vals):
        """A sales order of ``amount`` untaxed, dated ``days_ago`` days back."""
        order = cls.env["sale.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_uom_qty": 1,
                            "price_unit": amount,
                            "tax_id": [Command.clear()],
                        }
                    )
                ],
                **vals,
            }
        )
        if confirm:
            order.action_confirm()
            order.date_order = datetime.combine(cls.today - timedelta(days=days_ago), time(10, 0))
        return order

    def recompute(self):
        return self.env["res.partner"].logistics_recompute_tiers()
