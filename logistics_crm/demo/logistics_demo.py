import random
from datetime import datetime, time, timedelta

from odoo import api, fields, models

# (partner xml id suffix, order pattern, size 1-10): see demo/res_partner_demo.xml
DEMO_CUSTOMERS = [
    ("baosteel_trading", "regular", 10),
    ("shagang_coils", "regular", 8),
    ("tangshan_iron", "fading", 7),
    ("rizhao_steel", "regular", 6),
    ("shenhua_coal", "regular", 9),
    ("yitai_energy", "regular", 5),
    ("newcastle_coal", "dormant", 6),
    ("guangzhou_coal", "regular", 3),
    ("midea_export", "regular", 7),
    ("haier_logistics", "regular", 6),
    ("gree_parts", "regular", 3),
    ("hisense_south", "fading", 2),
    ("galanz_micro", "lost", 2),
    ("wanxiang_parts", "regular", 5),
    ("fuyao_glass", "regular", 4),
    ("yuchai_engines", "regular", 2),
    ("changchun_faw", "dormant", 3),
    ("ningbo_tuopu", "target", 2),
    ("cofco_grain", "regular", 6),
    ("jilin_corn", "regular", 1),
    ("sinochem_fert", "regular", 4),
    ("yuntianhua", "lost", 3),
    ("conch_cement", "regular", 5),
    ("huaxin_cement", "fading", 2),
    ("sany_heavy", "regular", 4),
    ("xugong_export", "target", 3),
    ("wanhua_chem", "regular", 3),
    ("yiwu_trading", "regular", 1),
    ("shenzhen_ecom", "regular", 1),
    ("xiamen_stone", "lost", 1),
    ("tianjin_port_trade", "target", 1),
    ("hebei_pipes", "potential", 1),
    ("anshan_refractory", "potential", 1),
    ("wuhan_optics", "dormant", 1),
]
LEAD_TOPICS = ["annual contract", "new trade lane", "warehouse tender", "spot cargo"]
PRODUCTS = [
    # (xml id, quantity range, price factor by customer size)
    ("product_sea_freight_bulk", (2000, 40000), 1.0),
    ("product_road_ftl", (2, 40), 1.0),
    ("product_warehousing", (50, 900), 1.0),
    ("product_customs", (1, 6), 1.0),
    ("product_distribution", (20, 300), 1.0),
]


class LogisticsDemo(models.AbstractModel):
    _name = "logistics.demo"
    _description = "Logistics CRM demo data generator"

    @api.model
    def _generate(self, seed=2024):
        """Orders over the last two years, open deals, one manual tier, then a recomputation.

        Called once by demo/logistics_crm_demo.xml. Deterministic (fixed seed), dates relative
        to today so the demo always shows active, dormant and lost customers.
        """
        rng = random.Random(seed)
        today = fields.Date.context_today(self)
        products = {xmlid: self.env.ref(f"logistics_crm.{xmlid}") for xmlid, _q, _f in PRODUCTS}
        order_vals, order_dates = [], []
        leads = []
        for suffix, pattern, size in DEMO_CUSTOMERS:
            partner = self.env.ref(f"logistics_crm.partner_{suffix}")
            for age in self._order_ages(rng, pattern, size):
                lines = []
                for xmlid, (low, high), _factor in rng.sample(PRODUCTS, k=rng.randint(1, 3)):
                    qty = round(rng.uniform(low, high) * (0.4 + size / 10.0))
                    lines.append(fields.Command.create({"product_id": products[xmlid].id, "product_uom_qty": qty}))
                order_vals.append({"partner_id": partner.id, "user_id": partner.user_id.id, "order_line": lines})
                order_dates.append(today - timedelta(days=age))
            if pattern in ("target", "regular") and (pattern == "target" or rng.random() < 0.3):
                leads.append(
                    {
                        "name": f"{partner.name}: {rng.choice(LEAD_TOPICS)}",
                        "type": "opportunity",
                        "partner_id": partner.id,
                        "user_id": partner.user_id.id,
                        "expected_revenue": size * rng.randint(20, 80) * 1000,
                        "probability": rng.choice([20, 40, 60]),
                    }
                )
        orders = self.env["sale.order"].create(order_vals)
        orders.action_confirm()
        for order, day in zip(orders, order_dates, strict=True):
            order.date_order = datetime.combine(day, time(9, 0))
        # an open quotation for one prospect, and opportunities
        prospect = self.env.ref("logistics_crm.partner_tianjin_port_trade")
        self.env["sale.order"].create(
            {
                "partner_id": prospect.id,
                "order_line": [
                    fields.Command.create({"product_id": products["product_customs"].id, "product_uom_qty": 12})
                ],
            }
        )
        self.env["crm.lead"].create(leads)
        # a strategic newcomer kept in tier B by the manager, whatever its revenue
        self.env.ref("logistics_crm.partner_yiwu_trading").write(
            {"logistics_tier_id": self.env.ref("logistics_crm.customer_tier_b").id}
        )
        # demo: one or two
        companies = self.env["res.company"].search([])  # pylint: disable=no-search-all
        self.env["logistics.tier.engine"]._logistics_recompute(companies)
        self._care_history(rng, today)
        # care contacts of the coming four weeks, each due on its own day
        self.env["logistics.care.plan"]._logistics_schedule(companies, horizon_days=28)

    @api.model
    def _care_history(self, rng, today):
        """Last care contacts some time within each tier's care interval: the next ones spread over weeks."""
        customers = self.env["res.partner"].search(
            [("is_logistics_customer", "=", True), ("logistics_tier_id", "!=", False)]
        )
        for partner in customers:
            interval = partner.logistics_tier_id.care_interval_days
            if interval:
                partner.logistics_last_contact_date = today - timedelta(days=rng.randint(interval // 4, interval + 7))

    @api.model
    def _order_ages(self, rng, pattern, size):
        """Ages in days of a customer's confirmed orders, by demo pattern."""
        count = 3 + size * 2
        if pattern == "regular":
            return sorted(rng.randint(0, 720) for _i in range(count - 1)) + [rng.randint(3, 40)]
        if pattern == "fading":
            # busy a year ago, thin now: still active but with a falling frequency
            return [rng.randint(200, 720) for _i in range(count)] + [rng.randint(90, 170)]
        if pattern == "dormant":
            return [rng.randint(200, 720) for _i in range(count)]
        if pattern == "lost":
            return [rng.randint(400, 720) for _i in range(max(2, count // 2))]
        return []
