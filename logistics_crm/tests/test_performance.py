from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestPerformance(LogisticsCrmCase):
    """The recomputation is set-based: its query count does not grow with the number of customers."""

    def _world(self, count):
        partners = self.env["res.partner"]
        for index in range(count):
            partner = self._customer(f"Perf customer {count}-{index}")
            self._order(partner, 1000 * (index + 1), days_ago=index + 1)
            partners |= partner
        return partners

    def test_query_count_does_not_grow_with_customers(self):
        self._world(5)
        self.recompute()  # first run: everyone changes (writes, tracking messages)
        self.env.invalidate_all()
        # steady state: no change, a fixed handful of queries: 12 for the tiers, the complaints'
        # churn signals (one grouped query over the company's complaints, then, when some complaint
        # breached its SLA, the first tier and the current tier of those customers: key accounts) and
        # the satisfaction signal (one grouped query over the company's survey answers) and the bookings
        # done (one grouped query: the customers' last sign of life)
        with self.assertQueryCount(__system__=17):
            summary = self.recompute()
        self.assertEqual(summary["changed"], 0)

    def test_query_count_does_not_grow_with_complaints(self):
        customers = self._world(5)
        self.recompute()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=17):
            self.recompute()
        complaints = self.env["logistics.complaint"].create(
            [{"partner_id": customer.id, "description": "Late again."} for customer in customers for _i in range(3)]
        )
        complaints.with_context(logistics_complaint_sla_refresh=True).write({"sla_status": "breached"})
        self.recompute()  # the new signals change the churn risk once
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=17):
            summary = self.recompute()
        self.assertEqual(summary["changed"], 0)

    def test_query_count_does_not_grow_with_bookings(self):
        customers = self._world(5)
        self.recompute()
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=17):
            self.recompute()
        now = fields.Datetime.now()
        bookings = self.env["logistics.booking"].create(
            [
                {
                    "partner_id": customer.id,
                    "street": "1 Quay Road",
                    "city": "Qingdao",
                    "date_start": now + timedelta(days=1),
                    "date_end": now + timedelta(days=1, hours=3),
                    "goods_description": "Pallets",
                    "weight_kg": 500.0,
                    "volume_m3": 2.0,
                }
                for customer in customers
                for _i in range(3)
            ]
        )
        bookings.action_confirm()
        bookings.action_done()
        self.recompute()  # the signs of life change the churn risk once
        self.env.invalidate_all()
        with self.assertQueryCount(__system__=17):
            summary = self.recompute()
        self.assertEqual(summary["changed"], 0)

    def test_first_run_is_batched(self):
        self._world(4)
        self.env.flush_all()
        counter = self.env.cr.sql_log_count
        self.recompute()
        small = self.env.cr.sql_log_count - counter
        self._world(40)
        self.env.flush_all()
        counter = self.env.cr.sql_log_count
        self.recompute()
        large = self.env.cr.sql_log_count - counter
        # ten times the changed customers, nowhere near ten times the queries
        self.assertLess(large, small * 2, f"{small} queries for 4 new customers, {large} for 40")
