from odoo.tests import tagged

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestPerformance(LogisticsCrmCase):
    """The recomputation is set-based: its query count does not grow with the number of customers."""

    def _world(self, count):
        for index in range(count):
            partner = self._customer(f"Perf customer {count}-{index}")
            self._order(partner, 1000 * (index + 1), days_ago=index + 1)

    def test_query_count_does_not_grow_with_customers(self):
        self._world(5)
        self.recompute()  # first run: everyone changes (writes, tracking messages)
        self.env.invalidate_all()
        # steady state: no change, a fixed handful of queries
        with self.assertQueryCount(__system__=12):
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
