from datetime import timedelta
from unittest.mock import patch

from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common_matching import MatchingCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestMatchingData(MatchingCase):
    """Ports, vessels and cargo offers refuse bad input with a clear message and save nothing."""

    def test_shipped_ports_and_routes(self):
        ports = self.env["logistics.port"].search([])
        self.assertGreaterEqual(len(ports), 150)
        for code in ("CNTAO", "CNSHA", "SGSIN", "NLRTM", "AUNTL", "BRTUB", "ZARCB", "USHOU"):
            self.assertTrue(ports.filtered(lambda p, c=code: p.code == c), code)
        pairs = self.env["logistics.port.distance"].search_count([])
        self.assertEqual(pairs, len(ports) * (len(ports) - 1) // 2, "every pair of shipped ports is cached")
        self.assertAlmostEqual(self.qingdao.sea_distance_to(self.rotterdam), 10837, delta=110)
        self.assertAlmostEqual(self.newcastle.sea_distance_to(self.qingdao), 4809, delta=50)
        self.assertEqual(self.qingdao.sea_distance_to(self.qingdao), 0.0)
        route = self.newcastle.sea_route_to(self.qingdao)
        self.assertGreater(len(route), 2)
        self.assertAlmostEqual(route[0][0], self.newcastle.latitude, delta=1.5)
        self.assertAlmostEqual(route[-1][0], self.qingdao.latitude, delta=1.5)
        back = self.qingdao.sea_route_to(self.newcastle)
        self.assertEqual([p[0] for p in back], [p[0] for p in route[::-1]])
        self.assertAlmostEqual(back[0][1], self.qingdao.longitude, delta=1.5)

    def test_new_port_distance_computed_once_then_cached(self):
        port = self.env["logistics.port"].create(
            {
                "name": "Test Haven",
                "code": "CNZZZ",
                "country_id": self.env.ref("base.cn").id,
                "latitude": 31.0,
                "longitude": 122.5,
            }
        )
        import searoute  # noqa: PLC0415

        with patch.object(searoute, "searoute", wraps=searoute.searoute) as spy:
            first = port.sea_distance_to(self.qingdao)
            again = self.qingdao.sea_distance_to(port)
        self.assertEqual(spy.call_count, 1)
        self.assertGreater(first, 0)
        self.assertEqual(first, again)
        # moving the port forgets its routes
        port.latitude = 30.5
        self.assertFalse(self.env["logistics.port.distance"].search([("port_a_id", "=", port.id)]))

    @mute_logger("odoo.sql_db")
    def test_port_code_rules(self):
        cn = self.env.ref("base.cn").id
        for code, pattern in (("CNTAO", "already exists"), ("CN1AB", "not a UN/LOCODE"), ("AUABC", "does not start")):
            with self.assertRaisesRegex(Exception, pattern), self.env.cr.savepoint():
                self.env["logistics.port"].create(
                    {"name": "Bad", "code": code, "country_id": cn, "latitude": 1, "longitude": 1}
                )
        with self.assertRaisesRegex(ValidationError, "out of range"), self.env.cr.savepoint():
            self.env["logistics.port"].create(
                {"name": "Bad", "code": "CNQQQ", "country_id": cn, "latitude": 91, "longitude": 1}
            )
        port = self.env["logistics.port"].create(
            {"name": "Lower", "code": " cnqqq ", "country_id": cn, "latitude": 30, "longitude": 122}
        )
        self.assertEqual(port.code, "CNQQQ")
        self.assertEqual(port.display_name, "Lower (CNQQQ)")
        self.assertEqual(self.env["logistics.port"].name_search("CNTAO")[0][0], self.qingdao.id)

    @mute_logger("odoo.sql_db")
    def test_imo_check_digit(self):
        vessel = self._vessel("Good Ship")
        self.assertEqual(len(vessel.imo), 7)
        self.assertEqual(vessel.size_class, "kamsarmax")
        spaced = self.env["logistics.vessel"].create({"name": "Spaced", "imo": "IMO 9074729", "dwt": 30000})
        self.assertEqual(spaced.imo, "9074729")
        self.assertEqual(spaced.size_class, "handysize")
        count = self.env["logistics.vessel"].search_count([])
        for imo in ("9074728", "123", "ABCDEFG"):
            with self.assertRaisesRegex(ValidationError, "not a valid IMO number"), self.env.cr.savepoint():
                self.env["logistics.vessel"].create({"name": "Typo", "imo": imo, "dwt": 30000})
        with self.assertRaisesRegex(Exception, "already exists"), self.env.cr.savepoint():
            self.env["logistics.vessel"].create({"name": "Twin", "imo": "9074729", "dwt": 30000})
        self.assertEqual(self.env["logistics.vessel"].search_count([]), count)

    def test_vessel_figures_refused(self):
        for vals, pattern in (
            ({"dwt": 0}, "deadweight"),
            ({"dwt": -5}, "deadweight"),
            ({"ballast_speed": 0}, "speeds"),
            ({"draft": -1}, "cannot be negative"),
            ({"built_year": 1700}, "build year"),
        ):
            with self.assertRaisesRegex(ValidationError, pattern), self.env.cr.savepoint():
                self._vessel("Bad figures", **vals)

    def test_cargo_bad_input(self):
        count = self.env["logistics.cargo"].search_count([])
        for vals, pattern in (
            ({"quantity": 0}, "must be positive"),
            ({"quantity": -100}, "must be positive"),
            ({"quantity_tolerance": 60}, "between 0 and 50"),
            ({"quantity_tolerance": -1}, "between 0 and 50"),
            ({"start": 20, "end": 10}, "ends .* before it starts"),
            ({"discharge_port_id": self.newcastle.id}, "must differ"),
            ({"freight_rate": -1}, "cannot be negative"),
        ):
            with self.assertRaisesRegex(ValidationError, pattern), self.env.cr.savepoint():
                self._cargo(**vals)
        self.assertEqual(self.env["logistics.cargo"].search_count([]), count)

    @mute_logger("odoo.sql_db")
    def test_import_names_ports_by_code(self):
        fields_ = [
            "partner_id",
            "commodity_id/id",
            "quantity",
            "load_port_id",
            "discharge_port_id",
            "laycan_start",
            "laycan_end",
        ]
        owner_xmlid = self.owner.name
        start, end = str(self.today + timedelta(days=10)), str(self.today + timedelta(days=20))
        ok = self.env["logistics.cargo"].load(
            fields_, [[owner_xmlid, "logistics_crm.commodity_coal", "40000", "AUNTL", "CNTAO", start, end]]
        )
        self.assertFalse(ok["messages"], ok["messages"])
        cargo = self.env["logistics.cargo"].browse(ok["ids"])
        self.assertEqual((cargo.load_port_id, cargo.discharge_port_id), (self.newcastle, self.qingdao))
        count = self.env["logistics.cargo"].search_count([])
        bad = self.env["logistics.cargo"].load(
            fields_, [[owner_xmlid, "logistics_crm.commodity_coal", "40000", "XXZZZ", "CNTAO", start, end]]
        )
        self.assertFalse(bad["ids"])
        self.assertIn("XXZZZ", " ".join(m["message"] for m in bad["messages"]))
        self.assertEqual(self.env["logistics.cargo"].search_count([]), count)

    def test_cargo_form_computes_range_and_route(self):
        form = Form(self.env["logistics.cargo"].with_user(self.user_sales))
        form.partner_id = self.owner
        form.commodity_id = self.coal
        form.quantity = 50000
        form.quantity_tolerance = 10
        form.load_port_id = self.newcastle
        form.discharge_port_id = self.qingdao
        form.laycan_start = self.today + timedelta(days=10)
        form.laycan_end = self.today + timedelta(days=15)
        self.assertEqual((form.quantity_min, form.quantity_max), (45000, 55000))
        cargo = form.save()
        self.assertTrue(cargo.name.startswith("CG"))
        self.assertEqual(cargo.route, "AUNTL → CNTAO")
        self.assertEqual(cargo.user_id, self.user_sales)


@tagged("post_install", "-at_install", "logistics_crm")
class TestMatching(MatchingCase):
    """Find matches, keep their identity, remove what no longer fits, notify, quote."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.company.write({"logistics_match_limit": 10, "logistics_match_notify_score": 50})
        cls.near = cls._position(cls._vessel("Near Kamsarmax", 80000), cls.gladstone, days=5)
        cls.far = cls._position(cls._vessel("Far Kamsarmax", 80000), cls.singapore, days=3)
        cls.small = cls._position(cls._vessel("Too Small", 30000), cls.gladstone, days=5)
        cls.tanker = cls._position(cls._vessel("Tanker", 80000, vessel_type="tanker"), cls.gladstone, days=5)
        cls.late = cls._position(cls._vessel("Too Late", 80000), cls.rotterdam, days=10)

    def test_hard_filters_and_ranking(self):
        cargo = self._cargo()
        self.assertEqual(cargo.match_ids.position_id, self.near | self.far, "created cargo is matched at once")
        near, far = (cargo.match_ids.filtered(lambda m, p=p: m.position_id == p) for p in (self.near, self.far))
        self.assertGreater(near.score, far.score)
        self.assertEqual(cargo.match_ids[0], near, "ranked best first")
        self.assertLess(near.ballast_distance, far.ballast_distance)
        self.assertAlmostEqual(near.laden_distance, 4809, delta=50)
        self.assertTrue(near.eta and near.eta <= cargo.laycan_end)
        for part in ("size_score", "arrival_score", "ballast_score"):
            self.assertTrue(0 <= near[part] <= 100)
        self.assertAlmostEqual(
            near.score,
            0.35 * near.size_score + 0.25 * near.arrival_score + 0.30 * near.ballast_score + 0.10 * near.tier_score,
            delta=0.2,
        )
        self.assertAlmostEqual(cargo.best_score, near.score, delta=0.05)
        self.assertEqual(self.near.match_count, 1)

    def test_key_accounts_rank_first_among_equals(self):
        key = self._customer("Key Account Coal")
        self._order(key, 100000, days_ago=5)
        self._order(self.owner, 1000, days_ago=5)
        self.env["res.partner"].logistics_recompute_tiers()
        self.assertEqual(key.logistics_tier_id, self.tier_a)
        cargo_key = self._cargo(partner_id=key.id)
        cargo_small = self._cargo()
        self.env["logistics.cargo"].browse((cargo_key | cargo_small).ids).action_find_matches()
        m_key = cargo_key.match_ids.filtered(lambda m: m.position_id == self.near)
        m_small = cargo_small.match_ids.filtered(lambda m: m.position_id == self.near)
        self.assertEqual(m_key.tier_score, 100.0)
        self.assertLess(m_small.tier_score, 100.0)
        self.assertGreater(m_key.score, m_small.score)
        self.assertEqual(self.near.match_ids[0].cargo_id, cargo_key)

    def test_identity_survives_rematch_and_history_is_kept(self):
        cargo = self._cargo()
        near = cargo.match_ids.filtered(lambda m: m.position_id == self.near)
        near.action_offer()
        ids_before = set(cargo.match_ids.ids)
        cargo.action_find_matches()
        cargo.write({"quantity": 52000})
        self.assertEqual(set(cargo.match_ids.ids), ids_before, "updated in place, never recreated")
        self.assertEqual(near.state, "offered")
        self.assertTrue(near.message_ids, "the offer's history stays on the match")
        # the laycan moves so early that nothing can arrive: proposals go, the offer stays, flagged
        cargo.write({"laycan_start": self.today, "laycan_end": self.today + timedelta(days=1)})
        self.assertEqual(cargo.match_ids, near)
        self.assertFalse(near.fits)
        with self.assertRaisesRegex(UserError, "no longer fits"):
            near.action_create_quotation()
        cargo.write({"laycan_start": self.today + timedelta(days=14), "laycan_end": self.today + timedelta(days=24)})
        self.assertTrue(near.fits)
        self.assertIn(near, cargo.match_ids)

    def test_best_n_only(self):
        self.env.company.logistics_match_limit = 1
        cargoes = self._cargo() | self._cargo(quantity=60000) | self._cargo(quantity=70000)
        cargoes.action_find_matches()
        for cargo in cargoes:
            self.assertLessEqual(len(cargo.match_ids), 2)
        # near: best cargo only, unless it is also a cargo's best position
        for position in self.near | self.far:
            for match in position.match_ids:
                cargo_best = match.cargo_id.match_ids.sorted(lambda m: (-m.score, m.id))[0]
                position_best = position.match_ids.sorted(lambda m: (-m.score, m.id))[0]
                self.assertIn(match, cargo_best | position_best)

    def test_position_find_matches_and_positions_changes(self):
        cargo = self._cargo()
        fresh = self._position(self._vessel("Fresh Panamax", 75000), self.newcastle, days=13)
        self.assertIn(fresh, cargo.match_ids.position_id, "a new position is matched at once")
        action = fresh.action_find_matches()
        self.assertEqual(action["res_model"], "logistics.match")
        fresh.write({"state": "fixed"})
        self.assertNotIn(fresh, cargo.match_ids.position_id, "a fixed position's proposals go")
        fresh.write({"state": "open", "port_id": self.rotterdam.id})
        self.assertNotIn(fresh, cargo.match_ids.position_id)
        fresh.write({"state": "expired"})
        with self.assertRaisesRegex(UserError, "Only open positions"):
            fresh.action_find_matches()

    def test_vessel_change_rematches(self):
        cargo = self._cargo()
        self.assertIn(self.near, cargo.match_ids.position_id)
        self.near.vessel_id.dwt = 20000
        self.assertNotIn(self.near, cargo.match_ids.position_id)

    def test_large_sets_go_to_the_cron(self):
        cargoes = (
            self.env["logistics.cargo"]
            .with_context(logistics_no_rematch=True)
            .create([self._cargo_vals(i) for i in range(60)])
        )
        cargoes = cargoes.with_context(logistics_no_rematch=False)
        cargoes.write({"quantity_tolerance": 5})  # 60 > 50: flagged for the background job
        self.assertTrue(all(cargoes.mapped("match_dirty")))
        self.assertFalse(cargoes.match_ids)
        self.env["logistics.match.engine"]._cron_logistics_match()
        cargoes.invalidate_recordset()
        self.assertFalse(any(cargoes.mapped("match_dirty")))
        self.assertEqual(cargoes.match_ids.position_id, self.near | self.far)

    def _cargo_vals(self, i):
        return {
            "partner_id": self.owner.id,
            "commodity_id": self.coal.id,
            "quantity": 40000 + i * 100,
            "load_port_id": self.newcastle.id,
            "discharge_port_id": self.qingdao.id,
            "laycan_start": self.today + timedelta(days=14),
            "laycan_end": self.today + timedelta(days=24),
        }

    def test_busy_matching_is_refused_or_deferred(self):
        engine = self.env["logistics.match.engine"]
        cargo = self._cargo()
        with patch.object(type(engine), "_logistics_lock", side_effect=engine_busy(engine)):
            with self.assertRaisesRegex(UserError, "being matched right now"):
                cargo.action_find_matches()
            cargo.write({"quantity": 45000})
        self.assertTrue(cargo.match_dirty, "an automatic re-match waits for the cron")

    def test_salesperson_notified_once_for_good_matches(self):
        cargo = self._cargo()
        activities = cargo.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("logistics_crm.mail_activity_type_vessel_match")
        )
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.user_sales)
        self.assertIn("Near Kamsarmax", activities.summary)
        self._position(self._vessel("Another", 80000), self.gladstone, days=6)
        self.assertEqual(len(cargo.activity_ids), 1, "no second activity while one is open")
        self.env.company.logistics_match_notify_score = 0
        quiet = self._cargo(quantity=51000)
        self.assertFalse(quiet.activity_ids)

    def test_voyage_estimate(self):
        cargo = self._cargo()
        match = cargo.match_ids.filtered(lambda m: m.position_id == self.near)
        vessel = match.vessel_id
        company = self.env.company
        self.assertAlmostEqual(match.ballast_days, match.ballast_distance / (vessel.ballast_speed * 24), places=1)
        self.assertAlmostEqual(match.laden_days, match.laden_distance / (vessel.laden_speed * 24), places=1)
        self.assertEqual(match.port_days, company.logistics_port_days)
        lifted = min(cargo.quantity_max, vessel.dwt)
        self.assertAlmostEqual(match.freight_revenue, lifted * 16.5, places=0)
        self.assertAlmostEqual(match.port_cost, 2 * company.logistics_port_cost, places=0)
        self.assertAlmostEqual(
            match.voyage_result, match.freight_revenue - match.bunker_cost - match.port_cost, places=0
        )
        self.assertAlmostEqual(match.tce, match.voyage_result / match.total_days, delta=abs(match.tce) * 0.01)
        company.logistics_bunker_price = 1200
        match.invalidate_recordset()
        self.assertLess(match.voyage_result, match.freight_revenue - match.port_cost - match.bunker_tons * 600 + 1)

    def test_quotation_from_match(self):
        cargo = self._cargo()
        match = cargo.match_ids.filtered(lambda m: m.position_id == self.near)
        action = match.with_user(self.user_sales).action_create_quotation()
        order = self.env["sale.order"].browse(action["res_id"])
        self.assertEqual(match.state, "quoted")
        self.assertEqual(match.sale_order_id, order)
        self.assertEqual(cargo.state, "matched")
        self.assertEqual(order.partner_id, self.owner)
        self.assertEqual(order.logistics_cargo_id, cargo)
        self.assertEqual(order.user_id, self.user_sales)
        line = order.order_line
        self.assertEqual(line.product_id, self.env.ref("logistics_crm.product_sea_freight"))
        self.assertEqual(line.product_uom_qty, 50000)
        self.assertAlmostEqual(line.price_unit, 16.5, places=2)
        for text in ("AUNTL", "CNTAO", "Near Kamsarmax", str(cargo.laycan_start), "TCE", "Coal"):
            self.assertIn(text, line.name)
        self.assertEqual(cargo.sale_order_count, 1)
        with self.assertRaisesRegex(UserError, "not possible"):
            match.action_create_quotation()
        order.action_confirm()
        self.assertEqual(cargo.state, "fixed")
        self.assertEqual(self.near.state, "fixed")

    def test_offer_accept_reject_workflow(self):
        cargo = self._cargo()
        near, far = cargo.match_ids.sorted("score", reverse=True)[:2]
        near.action_offer()
        self.assertEqual(near.state, "offered")
        self.assertIn(self.owner, cargo.message_ids[0].partner_ids)
        self.assertIn(self.carrier, self.near.message_ids[0].partner_ids)
        near.action_accept()
        self.assertEqual((near.state, cargo.state), ("accepted", "matched"))
        far.action_reject()
        with self.assertRaisesRegex(UserError, "not possible"):
            far.action_accept()
        far.action_reset()
        self.assertEqual(far.state, "proposed")

    def test_expiry_cron(self):
        old = self._position(self._vessel("Old News", 80000), self.gladstone, days=0)
        old.with_context(logistics_no_rematch=True).date_open = self.today - timedelta(days=2)
        self.env["logistics.vessel.position"]._cron_logistics_expire_positions()
        self.assertEqual(old.state, "expired")
        self.assertEqual(self.near.state, "open")

    def test_cancelled_cargo_loses_proposals(self):
        cargo = self._cargo()
        self.assertTrue(cargo.match_ids)
        cargo.action_cancel()
        self.assertFalse(cargo.match_ids)
        with self.assertRaisesRegex(UserError, "Only open or matched"):
            cargo.action_find_matches()
        cargo.action_reopen()
        self.assertTrue(cargo.match_ids)

    def test_map_data(self):
        cargo = self._cargo()
        data = self.env["logistics.cargo"].logistics_map_data(cargo_id=cargo.id)
        self.assertIn("CNTAO", {p["code"] for p in data["ports"]})
        self.assertIn(cargo.id, {c["id"] for c in data["cargoes"]})
        self.assertIn(self.near.id, {p["id"] for p in data["positions"]})
        focus = data["focus"]
        self.assertEqual(focus["cargo_id"], cargo.id)
        self.assertGreater(len(focus["laden_route"]), 2)
        self.assertEqual(focus["candidates"][0]["position_id"], self.near.id)
        self.assertGreater(len(focus["candidates"][0]["route"]), 1)
        self.assertEqual(self.env["logistics.cargo"].logistics_map_data()["focus"], None)


def engine_busy(engine):
    from ..models.logistics_match_engine import LogisticsMatchBusy  # noqa: PLC0415

    def raise_busy(*args, **kwargs):
        raise LogisticsMatchBusy("Cargo and vessels of the company are being matched right now.")

    return raise_busy
