"""The management dashboard's figures (issue #15): logistics.dashboard.logistics_dashboard_data().

Two new companies, so that the demo data (the main company's) adds nothing to the figures. Company A
has eight customers of its own, ranked 6000 / 2000 / 1000 / 600 / 400 (tiers A A B B C with the
shipped cut-offs 80 / 95 / 100 %), one lost, one target and one potential; complaints, survey answers,
cargo offers, matches and bookings. Company B has one record of each. The customers shared by all
companies (the demo's) are customers of A and B too, with no figures there: counted as such.
"""

from datetime import datetime, time, timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common_satisfaction import SatisfactionCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestDashboard(SatisfactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Dashboard = cls.env["logistics.dashboard"]
        cls.company_a = cls.env["res.company"].create({"name": "Dashboard Freight A"})
        cls.company_b = cls.env["res.company"].create({"name": "Dashboard Freight B"})
        cls.user_a = cls._user("lcrm_dash_user_a", cls.company_a, "logistics_crm.group_logistics_crm_user")
        cls.manager_a = cls._user("lcrm_dash_manager_a", cls.company_a, "logistics_crm.group_logistics_crm_manager")
        cls.user_b = cls._user("lcrm_dash_user_b", cls.company_b, "logistics_crm.group_logistics_crm_user")
        # the customers of A: reserved to it, ranked by revenue
        cls.steel = cls._customer_of(cls.company_a, "Dash Steel", [(6000, 10)])
        cls.cement = cls._customer_of(cls.company_a, "Dash Cement", [(2000, 20)])
        cls.coal = cls._customer_of(cls.company_a, "Dash Coal", [(1000, 250)])
        cls.grain = cls._customer_of(cls.company_a, "Dash Grain", [(600, 30)])
        cls.paper = cls._customer_of(cls.company_a, "Dash Paper", [(400, 300)])
        cls.lost = cls._customer_of(cls.company_a, "Dash Lost", [(900, 500)])
        cls.target = cls._customer_of(cls.company_a, "Dash Target", [])
        cls._sale(cls.target, cls.company_a, 300, confirm=False)  # an open quotation
        cls.potential = cls._customer_of(cls.company_a, "Dash Potential", [])
        cls.customer_b = cls._customer_of(cls.company_b, "Dash B Shipper", [(100, 5)], user=cls.user_b)
        for company in (cls.company_a, cls.company_b):
            cls.env["res.partner"].with_context(allowed_company_ids=[company.id]).logistics_recompute_tiers()
        # the customers every company shares (the demo's): customers of A and B too, without figures
        cls.shared = cls.env["res.partner"].search_count(
            [("is_logistics_customer", "=", True), ("company_id", "=", False)]
        )
        cls._complaints()
        cls._answers()
        cls._chartering()
        cls._bookings()

    # ------------------------------------------------------------------ the world
    @classmethod
    def _user(cls, login, company, group):
        return new_test_user(
            cls.env,
            login=login,
            groups=f"base.group_user,{group}",
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
            tz="UTC",
        )

    @classmethod
    def _sale(cls, partner, company, amount, days_ago=10, confirm=True):
        order = (
            cls.env["sale.order"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "order_line": [
                        Command.create(
                            {"product_id": cls.product.id, "price_unit": amount, "tax_id": [Command.clear()]}
                        )
                    ],
                }
            )
        )
        if confirm:
            order.action_confirm()
            order.date_order = datetime.combine(cls.today - timedelta(days=days_ago), time(10, 0))
        return order

    @classmethod
    def _customer_of(cls, company, name, orders, user=None):
        partner = cls.env["res.partner"].create(
            {"name": name, "is_company": True, "company_id": company.id, "user_id": (user or cls.user_a).id}
        )
        for amount, days_ago in orders:
            cls._sale(partner, company, amount, days_ago)
        return partner

    @classmethod
    def _complaint(cls, partner, company, status=None, close=False):
        complaint = cls.env["logistics.complaint"].create(
            {"partner_id": partner.id, "company_id": company.id, "description": "Late again."}
        )
        if close:
            complaint.write({"resolution": "Refunded."})
            complaint.action_close()
        if status:
            complaint.with_context(logistics_complaint_sla_refresh=True).write({"sla_status": status})
        return complaint

    @classmethod
    def _complaints(cls):
        a = cls.company_a
        cls._complaint(cls.steel, a)  # tier A, on track
        cls._complaint(cls.steel, a, "at_risk")  # tier A, at risk
        cls._complaint(cls.coal, a, "breached")  # tier B, breached
        cls._complaint(cls.grain, a, "breached", close=True)  # closed: not counted
        cls._complaint(cls.target, a)  # no tier: the last tier's SLA (C), on track
        cls._complaint(cls.customer_b, cls.company_b, "breached")

    @classmethod
    def _answers(cls):
        contact_a = cls._contact(cls.steel, "Ma Li", "ma.li@dash-steel.example.com")
        contact_b = cls._contact(cls.customer_b, "Bo Yu", "bo.yu@dash-b.example.com")
        # this quarter: two promoters and a detractor (NPS 33.3); 200 days ago: a passive and a detractor
        cls.recent = cls.Answer
        for loyalty in (10, 9, 3):
            cls.recent |= cls._recommend(contact_a, loyalty, company=cls.company_a)
        cls.older = cls.Answer
        for loyalty in (8, 2):
            cls.older |= cls._recommend(contact_a, loyalty, company=cls.company_a)
        cls.older.write({"end_datetime": fields.Datetime.now() - timedelta(days=200)})
        cls._recommend(contact_b, 10, company=cls.company_b)

    @classmethod
    def _chartering(cls):
        ref = cls.env.ref
        Cargo = cls.env["logistics.cargo"].with_context(logistics_no_rematch=True)
        vessel = cls.env["logistics.vessel"].create(
            {"name": "Dash Kamsarmax", "imo": "9400007", "dwt": 80000, "draft": 14.0, "vessel_type": "bulk"}
        )
        cargoes = {}
        for company, state, quantity in (
            (cls.company_a, "open", 50000),
            (cls.company_a, "open", 30000),
            (cls.company_a, "matched", 60000),
            (cls.company_a, "fixed", 70000),
            (cls.company_a, "cancelled", 10000),
            (cls.company_b, "open", 45000),
        ):
            owner = cls.steel if company == cls.company_a else cls.customer_b
            cargo = Cargo.with_company(company).create(
                {
                    "partner_id": owner.id,
                    "company_id": company.id,
                    "commodity_id": ref("logistics_crm.commodity_coal").id,
                    "quantity": quantity,
                    "load_port_id": ref("logistics_crm.port_auntl").id,
                    "discharge_port_id": ref("logistics_crm.port_cntao").id,
                    "laycan_start": cls.today + timedelta(days=14),
                    "laycan_end": cls.today + timedelta(days=24),
                    "freight_rate": 16.5,
                }
            )
            cargo.write({"state": state})
            cargoes.setdefault(company, []).append(cargo)
        position = (
            cls.env["logistics.vessel.position"]
            .with_context(logistics_no_rematch=True)
            .create({"vessel_id": vessel.id, "port_id": ref("logistics_crm.port_auglt").id, "date_open": cls.today})
        )
        Match = cls.env["logistics.match"].with_context(logistics_no_rematch=True)
        for cargo, state in zip(cargoes[cls.company_a], ("proposed", "proposed", "accepted", "quoted"), strict=False):
            Match.create({"cargo_id": cargo.id, "position_id": position.id, "state": state})
        Match.create({"cargo_id": cargoes[cls.company_b][0].id, "position_id": position.id})

    @classmethod
    def _booking(cls, partner, company, start, booking_type="pickup", weight=1000.0, **vals):
        return (
            cls.env["logistics.booking"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "company_id": company.id,
                    "booking_type": booking_type,
                    "street": "1 Quay Road",
                    "city": "Qingdao",
                    "date_start": start,
                    "date_end": start + timedelta(hours=3),
                    "goods_description": "Pallets",
                    "weight_kg": weight,
                    "volume_m3": 2.0,
                    **vals,
                }
            )
        )

    @classmethod
    def _bookings(cls):
        a = cls.company_a
        cls.now = fields.Datetime.now()
        cls._booking(cls.steel, a, cls.now, weight=1000.0)
        cls._booking(cls.cement, a, cls.now, weight=500.0)
        cls._booking(cls.steel, a, cls.now, booking_type="delivery", weight=200.0)
        cls._booking(cls.steel, a, cls.now, weight=9999.0).action_cancel()  # cancelled: left out
        cls._booking(cls.grain, a, cls.now - timedelta(days=14), weight=300.0, state="done")  # two weeks back
        cls._booking(cls.grain, a, cls.now - timedelta(days=70), state="done")  # ten weeks back: out
        cls._booking(cls.customer_b, cls.company_b, cls.now)

    def _data(self, user, company=None):
        dashboard = self.Dashboard.with_user(user).with_context(tz="UTC")
        if company:
            dashboard = dashboard.with_context(allowed_company_ids=[company.id])
        return dashboard.logistics_dashboard_data()

    # ------------------------------------------------------------------ customers
    def test_tiers_and_pareto(self):
        data = self._data(self.manager_a)
        self.assertEqual(data["company"]["name"], "Dashboard Freight A")
        self.assertEqual(data["currency"]["id"], self.company_a.currency_id.id)
        tiers = data["tiers"]
        self.assertEqual(
            [(r["code"], r["customers"], r["revenue"], r["share"], r["cutoff"]) for r in tiers["rows"]],
            [("A", 2, 8000.0, 80.0, 80.0), ("B", 2, 1600.0, 16.0, 95.0), ("C", 1, 400.0, 4.0, 100.0)],
        )
        # the lost, the target, the potential customer and the shared ones: no tier, no revenue
        self.assertEqual((tiers["no_tier"]["customers"], tiers["no_tier"]["revenue"]), (3 + self.shared, 0.0))
        self.assertEqual((tiers["customers"], tiers["revenue"]), (8 + self.shared, 10000.0))
        self.assertEqual(tiers["rows"][0]["action"]["xml_id"], "logistics_crm.action_logistics_customers")
        self.assertIn(("logistics_tier_id", "=", self.tier_a.id), tiers["rows"][0]["action"]["domain"])

        pareto = data["pareto"]
        self.assertEqual((pareto["customers"], pareto["total"], pareto["sampled"]), (5, 10000.0, False))
        self.assertEqual(
            [(p["partner_id"], p["name"], p["revenue"], p["cumulative"], p["tier"]) for p in pareto["points"]],
            [
                (self.steel.id, "Dash Steel", 6000.0, 60.0, "A"),
                (self.cement.id, "Dash Cement", 2000.0, 80.0, "A"),
                (self.coal.id, "Dash Coal", 1000.0, 90.0, "B"),  # starts exactly at 80 %: B
                (self.grain.id, "Dash Grain", 600.0, 96.0, "B"),
                (self.paper.id, "Dash Paper", 400.0, 100.0, "C"),
            ],
        )
        self.assertEqual(
            [(c["code"], c["cutoff"], c["first_rank"], c["last_rank"], c["cumulative"]) for c in pareto["cutoffs"]],
            [("A", 80.0, 1, 2, 80.0), ("B", 95.0, 3, 4, 96.0), ("C", 100.0, 5, 5, 100.0)],
        )
        # the rule drawn is the tier engine's: the ranks' tiers are the customers' tiers
        for point in pareto["points"]:
            partner = self.env["res.partner"].with_company(self.company_a).browse(point["partner_id"])
            self.assertEqual(partner.logistics_tier_id.code, point["tier"])

    def test_stages(self):
        stages = self._data(self.user_a)["stages"]
        self.assertEqual(
            [(r["key"], r["label"], r["customers"]) for r in stages["rows"]],
            [
                ("potential", "Potential", 1 + self.shared),
                ("target", "Target", 1),
                ("active", "Active", 3),
                ("dormant", "Dormant", 2),
                ("lost", "Lost", 1),
            ],
        )
        self.assertEqual(stages["no_stage"], 0)
        self.assertIn(("logistics_stage", "=", "dormant"), stages["rows"][3]["action"]["domain"])

    def test_customers_at_risk(self):
        at_risk = self._data(self.user_a)["at_risk"]
        ranked = self.steel | self.cement | self.coal | self.grain | self.paper
        partners = (ranked | self.target).with_company(self.company_a)
        expected = ranked.with_company(self.company_a).sorted(
            lambda p: (-p.logistics_churn_risk, -p.logistics_revenue_12m, p.id)
        )
        self.assertTrue(all(p.logistics_churn_risk > 0 for p in expected))
        self.assertEqual(partners[-1].logistics_churn_risk, 0, "the target never ordered: not at risk")
        # the lost customer (risk 100) has gone already: not in the list
        self.assertEqual(self.lost.with_company(self.company_a).logistics_churn_risk, 100)
        self.assertEqual([c["id"] for c in at_risk["top"]], expected.ids)
        first = at_risk["top"][0]
        self.assertEqual(first["name"], expected[0].name)
        self.assertEqual(first["stage_label"], "Dormant")
        self.assertEqual(first["tier_code"], expected[0].logistics_tier_id.code)
        self.assertEqual(first["last_order_date"], str(expected[0].logistics_last_order_date))
        self.assertEqual(first["salesperson"], self.user_a.name)
        # the two dormant customers are at risk (50 or more), as in "Customers at risk"
        self.assertEqual(at_risk["count"], 2)
        self.assertEqual(at_risk["action"]["xml_id"], "logistics_crm.action_logistics_customers_at_risk")
        levels = {level["key"]: level["customers"] for level in at_risk["levels"]}
        self.assertEqual(
            levels,
            {key: len(partners.filtered(lambda p, k=key: p.logistics_churn_level == k)) for key in levels},
        )
        self.assertEqual(sum(levels.values()), 6, "the active, target and dormant customers")

    # ------------------------------------------------------------------ complaints, satisfaction
    def test_complaints(self):
        complaints = self._data(self.user_a)["complaints"]
        rows = [(r["code"], r["open"], r["on_track"], r["at_risk"], r["breached"]) for r in complaints["rows"]]
        # the target customer has no tier: its complaint runs on the last tier's SLA (C)
        self.assertEqual(rows, [("A", 2, 1, 1, 0), ("B", 1, 0, 0, 1), ("C", 1, 1, 0, 0)])
        self.assertEqual(complaints["totals"], {"open": 4, "on_track": 2, "at_risk": 1, "breached": 1})
        breached = self.env["logistics.complaint"].search(complaints["actions"]["breached"]["domain"])
        self.assertEqual(breached.partner_id, self.coal, "the open breached complaint, not the closed one")

    def test_nps_per_quarter(self):
        nps = self._data(self.manager_a)["nps"]
        self.assertEqual(nps["scope"], "all")

        def quarter(answers):
            day = answers[0].end_datetime.date()
            return f"Q{(day.month - 1) // 3 + 1} {day.year}"

        self.assertEqual(
            [
                (q["label"], q["responses"], q["promoters"], q["passives"], q["detractors"], q["nps"])
                for q in nps["quarters"]
            ],
            [(quarter(self.older), 2, 0, 1, 1, -50.0), (quarter(self.recent), 3, 2, 0, 1, 33.3)],
        )
        self.assertEqual(nps["latest"]["nps"], 33.3)
        report = self.env["logistics.satisfaction.report"].search(nps["quarters"][0]["action"]["domain"])
        self.assertEqual(report.answer_id, self.older)
        # a Logistics CRM user sees the answers credited to them (the record rules), not a colleague's
        self.assertEqual(self._data(self.user_a)["nps"]["latest"]["responses"], 3)
        colleague = self._user("lcrm_dash_colleague", self.company_a, "logistics_crm.group_logistics_crm_user")
        data = self._data(colleague)["nps"]
        self.assertEqual((data["quarters"], data["latest"], data["scope"]), ([], None, "own"))

    # ------------------------------------------------------------------ chartering, bookings
    def test_cargo_and_matches(self):
        cargo = self._data(self.user_a)["cargo"]
        self.assertEqual(
            [(s["key"], s["count"], s["tonnage"]) for s in cargo["states"]],
            [("open", 2, 80000.0), ("matched", 1, 60000.0), ("fixed", 1, 70000.0), ("cancelled", 1, 10000.0)],
        )
        self.assertEqual((cargo["open"], cargo["matched"]["count"]), ({"count": 2, "tonnage": 80000.0}, 1))
        self.assertEqual(
            {m["key"]: m["count"] for m in cargo["matches"]},
            {"proposed": 2, "offered": 0, "accepted": 1, "rejected": 0, "quoted": 1},
        )

    def test_bookings_per_week(self):
        bookings = self._data(self.user_a)["bookings"]
        weeks = bookings["weeks"]
        self.assertEqual(len(weeks), 11, "eight weeks back, this one, two ahead")
        this_week = bookings["this_week"]
        self.assertTrue(this_week["current"])
        self.assertEqual(weeks.index(this_week), 8)
        monday = self.now.date() - timedelta(days=self.now.weekday())
        self.assertEqual(this_week["date_from"], str(monday))
        self.assertEqual(this_week["key"], "{}-W{:02d}".format(*monday.isocalendar()[:2]))
        self.assertEqual(
            (this_week["pickup"], this_week["delivery"], this_week["count"], this_week["weight_kg"]),
            (2, 1, 3, 1700.0),
        )
        self.assertEqual((weeks[6]["count"], weeks[6]["weight_kg"]), (1, 300.0))
        self.assertEqual(sum(week["count"] for week in weeks), 4, "not the cancelled one, not ten weeks back")
        listed = self.env["logistics.booking"].search(this_week["action"]["domain"])
        self.assertEqual(len(listed), 3)

    # ------------------------------------------------------------------ companies and access
    def test_company_b_sees_none_of_company_a(self):
        data = self._data(self.user_b)
        self.assertEqual(data["company"]["name"], "Dashboard Freight B")
        self.assertEqual((data["tiers"]["customers"], data["tiers"]["revenue"]), (1 + self.shared, 100.0))
        self.assertEqual([p["partner_id"] for p in data["pareto"]["points"]], [self.customer_b.id])
        self.assertEqual([c["id"] for c in data["at_risk"]["top"]], [self.customer_b.id])
        self.assertEqual(data["complaints"]["totals"], {"open": 1, "on_track": 0, "at_risk": 0, "breached": 1})
        self.assertEqual([q["responses"] for q in data["nps"]["quarters"]], [1])
        self.assertEqual((data["cargo"]["open"]["count"], data["cargo"]["matched"]["count"]), (1, 0))
        self.assertEqual(sum(m["count"] for m in data["cargo"]["matches"]), 1)
        self.assertEqual(data["bookings"]["this_week"]["count"], 1)
        # a manager of both companies working in B gets B's figures, and A's in A
        both = new_test_user(
            self.env,
            login="lcrm_dash_both",
            groups="base.group_user,logistics_crm.group_logistics_crm_manager",
            company_id=self.company_b.id,
            company_ids=[Command.set((self.company_a | self.company_b).ids)],
        )
        self.assertEqual(self._data(both, self.company_b)["tiers"]["revenue"], 100.0)
        self.assertEqual(self._data(both, self.company_a)["tiers"]["revenue"], 10000.0)

    def test_users_and_managers_get_the_figures(self):
        for user in (self.user_a, self.manager_a):
            data = self._data(user)
            self.assertEqual(data["pareto"]["customers"], 5, user.login)
            self.assertEqual(data["complaints"]["totals"]["open"], 4, user.login)
        self.assertFalse(self._data(self.user_a)["is_manager"])
        self.assertTrue(self._data(self.manager_a)["is_manager"])

    def test_portal_and_other_internal_users_are_refused(self):
        portal = new_test_user(self.env, login="lcrm_dash_portal", groups="base.group_portal")
        for user in (portal, self.user_plain):
            with self.assertRaisesRegex(AccessError, "Only Logistics CRM users"), self.env.cr.savepoint():
                self._data(user)

    def test_query_count_does_not_grow(self):
        def measure():
            dashboard = self.Dashboard.with_user(self.manager_a).with_context(tz="UTC")
            # nothing pending, the caches of groups, record rules and settings warm (a first call with
            # no record in the cache reads what the measured one reads), then no record in the cache
            self.env.flush_all()
            self.env.cr.flush()
            self.env.invalidate_all()
            dashboard.logistics_dashboard_data()
            self.env.invalidate_all()
            # the tiers (2), the company and its currency (2), the customers: tiers, Pareto, stages, the
            # top ten at risk with their salespersons, levels and count (8), complaints, NPS, cargo offers,
            # matches and bookings (5)
            with self.assertQueryCount(17):
                count = self.env.cr.sql_log_count
                dashboard.logistics_dashboard_data()
                return self.env.cr.sql_log_count - count

        small = measure()
        # thirty more customers with revenue, complaints and bookings: the same queries
        for index in range(30):
            customer = self._customer_of(self.company_a, f"Dash More {index}", [(100 + index, 40 + index)])
            self._complaint(customer, self.company_a)
            self._booking(customer, self.company_a, self.now)
        self.env["res.partner"].with_context(allowed_company_ids=[self.company_a.id]).logistics_recompute_tiers()
        self.assertEqual(self._data(self.manager_a)["pareto"]["customers"], 35)
        large = measure()
        self.assertEqual(small, large, f"{small} queries for 5 ranked customers, {large} for 35")
