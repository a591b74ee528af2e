import re
from datetime import timedelta

from odoo import http
from odoo.tests import HttpCase, new_test_user, tagged

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestPortalMatching(HttpCase, LogisticsCrmCase):
    """Cargo owners offer cargo and answer proposals in the portal; carriers keep their positions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coal = cls.env.ref("logistics_crm.commodity_coal")
        cls.cntao = cls.env.ref("logistics_crm.port_cntao")
        cls.auntl = cls.env.ref("logistics_crm.port_auntl")
        cls.sgsin = cls.env.ref("logistics_crm.port_sgsin")
        cls.auglt = cls.env.ref("logistics_crm.port_auglt")

        # a cargo owner with a portal user, and a rival cargo owner
        cls.shipper = cls._customer("Portal Coal Shipper")
        shipper_contact = cls.env["res.partner"].create({"name": "Liu Yang", "parent_id": cls.shipper.id})
        cls.shipper_user = new_test_user(
            cls.env,
            login="lcrm_cargo_owner",
            password="lcrm_cargo_owner",
            groups="base.group_portal",
            partner_id=shipper_contact.id,
        )
        cls.rival = cls._customer("Rival Iron Trader")
        # a carrier with a portal user, and a rival carrier
        cls.carrier = cls._customer("Blue Ocean Shipping")
        carrier_contact = cls.env["res.partner"].create({"name": "Sun Hai", "parent_id": cls.carrier.id})
        cls.carrier_user = new_test_user(
            cls.env,
            login="lcrm_carrier",
            password="lcrm_carrier",
            groups="base.group_portal",
            partner_id=carrier_contact.id,
        )
        cls.rival_carrier = cls._customer("Rival Bulk Carriers")

        vessel_model = cls.env["logistics.vessel"]
        cls.vessel = vessel_model.create(
            {
                "name": "MV Portal Star",
                "imo": "9074729",
                "vessel_type": "bulk",
                "dwt": 80000,
                "owner_id": cls.carrier.id,
            }
        )
        cls.rival_vessel = vessel_model.create(
            {
                "name": "MV Rival Spirit",
                "imo": "9123453",
                "vessel_type": "bulk",
                "dwt": 75000,
                "owner_id": cls.rival_carrier.id,
            }
        )
        position_model = cls.env["logistics.vessel.position"]
        cls.position = position_model.create(
            {"vessel_id": cls.vessel.id, "port_id": cls.auglt.id, "date_open": cls.today + timedelta(days=5)}
        )
        cls.rival_position = position_model.create(
            {"vessel_id": cls.rival_vessel.id, "port_id": cls.sgsin.id, "date_open": cls.today + timedelta(days=3)}
        )

        cargo_model = cls.env["logistics.cargo"]
        cls.cargo = cargo_model.create(cls._cargo_vals(cls.shipper, note="Grab discharge only"))
        cls.rival_cargo = cargo_model.create(cls._cargo_vals(cls.rival))
        (cls.cargo | cls.rival_cargo).action_find_matches()
        cls.match = cls._match(cls.cargo, cls.position)
        cls.match.action_offer()
        cls.proposed_match = cls._match(cls.cargo, cls.rival_position)
        cls.rival_match = cls._match(cls.rival_cargo, cls.rival_position)
        cls.rival_match.action_offer()

    @classmethod
    def _cargo_vals(cls, partner, **vals):
        return {
            "partner_id": partner.id,
            "commodity_id": cls.coal.id,
            "quantity": 50000,
            "load_port_id": cls.auntl.id,
            "discharge_port_id": cls.cntao.id,
            "laycan_start": cls.today + timedelta(days=14),
            "laycan_end": cls.today + timedelta(days=24),
            "freight_rate": 18.5,
            **vals,
        }

    @classmethod
    def _match(cls, cargo, position):
        match = cls.env["logistics.match"].search([("cargo_id", "=", cargo.id), ("position_id", "=", position.id)])
        assert match, f"{position.display_name} should match {cargo.display_name}"
        return match

    def _csrf(self):
        return http.Request.csrf_token(self)

    def _new_offer(self, **vals):
        data = {
            "csrf_token": self._csrf(),
            "commodity_id": str(self.coal.id),
            "quantity": "30000",
            "quantity_tolerance": "5",
            "load_port": "AUNTL",
            "discharge_port": "CNTAO",
            "laycan_start": str(self.today + timedelta(days=20)),
            "laycan_end": str(self.today + timedelta(days=30)),
            "freight_rate": "21.5",
            "currency_id": str(self.env.company.currency_id.id),
            "note": "",
        }
        data.update(vals)
        return self.url_open("/my/cargo/new", data=data)

    def _cargo_count(self):
        return self.env["logistics.cargo"].with_context(active_test=False).search_count([])

    # ------------------------------------------------------------------ cargo owners
    def test_home_page_entries_and_counters(self):
        self.authenticate("lcrm_cargo_owner", "lcrm_cargo_owner")
        home = self.url_open("/my/home")
        self.assertEqual(home.status_code, 200)
        self.assertIn('href="/my/cargo"', home.text)
        self.assertIn("logistics_cargo_count", home.text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["logistics_cargo_count", "logistics_position_count"]}
        )
        self.assertEqual(counters, {"logistics_cargo_count": 1, "logistics_position_count": 0})

        self.authenticate("lcrm_carrier", "lcrm_carrier")
        self.assertIn('href="/my/positions"', self.url_open("/my/home").text)
        counters = self.make_jsonrpc_request(
            "/my/counters", {"counters": ["logistics_cargo_count", "logistics_position_count"]}
        )
        self.assertEqual(counters, {"logistics_cargo_count": 0, "logistics_position_count": 1})

    def test_owner_sees_own_offers_and_offered_proposal_only(self):
        self.authenticate("lcrm_cargo_owner", "lcrm_cargo_owner")
        page = self.url_open("/my/cargo")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.cargo.name, page.text)
        self.assertIn("AUNTL → CNTAO", page.text)
        self.assertNotIn(self.rival_cargo.name, page.text)

        page = self.url_open(f"/my/cargo/{self.cargo.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.cargo.name, page.text)
        self.assertIn("Grab discharge only", page.text)
        # the offered proposal with its vessel, DWT, open port and answer buttons
        self.assertIn("MV Portal Star", page.text)
        self.assertIn("80,000", page.text)
        self.assertIn("Gladstone (AUGLT)", page.text)
        self.assertIn(f"/my/cargo/{self.cargo.id}/proposal/{self.match.id}/accept", page.text)
        self.assertIn(f"/my/cargo/{self.cargo.id}/proposal/{self.match.id}/decline", page.text)
        # a proposal not offered yet is not shown
        self.assertEqual(self.proposed_match.state, "proposed")
        self.assertNotIn("MV Rival Spirit", page.text)

    def test_owner_cannot_open_another_companys_offer(self):
        self.authenticate("lcrm_cargo_owner", "lcrm_cargo_owner")
        page = self.url_open(f"/my/cargo/{self.rival_cargo.id}", allow_redirects=False)
        self.assertIn(page.status_code, (302, 303))
        page = self.url_open(f"/my/cargo/{self.rival_cargo.id}")
        self.assertNotIn(self.rival_cargo.name, page.text)
        # a wrong token does not open it either
        self.rival_cargo._portal_ensure_token()
        self.env.flush_all()
        page = self.url_open(f"/my/cargo/{self.rival_cargo.id}?access_token=wrong-token")
        self.assertNotIn(self.rival_cargo.name, page.text)
        # the right token does, as for any Odoo document
        page = self.url_open(f"/my/cargo/{self.rival_cargo.id}?access_token={self.rival_cargo.access_token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.rival_cargo.name, page.text)

    def test_token_link_for_visitor(self):
        self.cargo._portal_ensure_token()
        self.env.flush_all()
        page = self.url_open(f"/my/cargo/{self.cargo.id}?access_token={self.cargo.access_token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.cargo.name, page.text)
        page = self.url_open(f"/my/cargo/{self.cargo.id}", allow_redirects=False)
        self.assertIn(page.status_code, (302, 303))
        self.assertNotIn(self.cargo.name, self.url_open(f"/my/cargo/{self.cargo.id}").text)

    def test_post_new_offer(self):
        self.authenticate("lcrm_cargo_owner", "lcrm_cargo_owner")
        form = self.url_open("/my/cargo/new")
        self.assertEqual(form.status_code, 200)
        self.assertIn("Coal", form.text)
        self.assertIn("Qingdao (CNTAO)", form.text)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        before = self._cargo_count()
        response = self._new_offer(csrf_token=csrf, note="Two grades, separate holds")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._cargo_count(), before + 1)
        cargo = self.env["logistics.cargo"].search([("note", "=", "Two grades, separate holds")])
        self.assertEqual(len(cargo), 1)
        self.assertEqual(cargo.partner_id, self.shipper_user.partner_id)
        self.assertEqual(cargo.commercial_partner_id, self.shipper)
        self.assertEqual(cargo.company_id, self.shipper_user.company_id)
        self.assertEqual(cargo.user_id, self.user_sales)
        self.assertEqual(cargo.route, "AUNTL → CNTAO")
        self.assertEqual((cargo.quantity, cargo.quantity_tolerance, cargo.freight_rate), (30000, 5, 21.5))
        self.assertEqual(cargo.laycan_start, self.today + timedelta(days=20))
        # redirected to the new offer's page
        self.assertIn(f"/my/cargo/{cargo.id}", response.url)
        self.assertIn(cargo.name, response.text)

    def test_new_offer_bad_input_saves_nothing(self):
        self.authenticate("lcrm_cargo_owner", "lcrm_cargo_owner")
        before = self._cargo_count()
        cases = [
            (
                {
                    "laycan_start": str(self.today + timedelta(days=20)),
                    "laycan_end": str(self.today + timedelta(days=15)),
                },
                "before it starts",
            ),
            ({"quantity": "0"}, "must be positive"),
            ({"quantity": "-500"}, "must be positive"),
            ({"quantity": "lots"}, "must be a number"),
            ({"quantity_tolerance": "80"}, "between 0 and 50"),
            ({"discharge_port": "AUNTL"}, "must differ"),
            ({"load_port": "XXZZZ"}, "Unknown port XXZZZ"),
            ({"laycan_start": "next week"}, "not a valid date"),
            ({"commodity_id": "999999"}, "choose a commodity"),
        ]
        for vals, error in cases:
            with self.subTest(vals=vals):
                response = self._new_offer(note="Rejected offer", **vals)
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_logistics_portal_error", response.text)
                self.assertIn(error, response.text)
                # the entered values come back in the form
                self.assertIn("Rejected offer", response.text)
                self.assertEqual(self._cargo_count(), before)

    def test_note_is_escaped(self):
        self.authenticate("lcrm_cargo_owner", "lcrm_cargo_owner")
        script = "<script>alert('lcrm')</script>"
        response = self._new_offer(note=script)
        self.assertEqual(response.status_code, 200)
        self.assertNotIn(script, response.text)
        self.assertIn("&lt;script&gt;", response.text)
        # also when the form comes back with an error
        response = self._new_offer(note=script, quantity="0")
        self.assertIn("must be positive", response.text)
        self.assertNotIn(script, response.text)
        self.assertIn("&lt;script&gt;", response.text)

    def test_post_without_csrf_is_refused(self):
        self.authenticate("lcrm_cargo_owner", "lcrm_cargo_owner")
        before = self._cargo_count()
        response = self._new_offer(csrf_token="")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self._cargo_count(), before)
        response = self.url_open(
            f"/my/cargo/{self.cargo.id}/proposal/{self.match.id}/accept", data={"csrf_token": "forged"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.match.state, "offered")

    def test_accept_offered_proposal(self):
        self.authenticate("lcrm_cargo_owner", "lcrm_cargo_owner")
        response = self.url_open(
            f"/my/cargo/{self.cargo.id}/proposal/{self.match.id}/accept", data={"csrf_token": self._csrf()}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("you accepted the proposal", response.text)
        self.env.invalidate_all()
        self.assertEqual(self.match.state, "accepted")
        self.assertEqual(self.cargo.state, "matched")
        note = self.cargo.message_ids.filtered(lambda m: "accepted the proposal of MV Portal Star" in (m.body or ""))
        self.assertTrue(note)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertIn(self.user_sales.partner_id, note.partner_ids)
        # once accepted, it cannot be declined any more
        self.url_open(f"/my/cargo/{self.cargo.id}/proposal/{self.match.id}/decline", data={"csrf_token": self._csrf()})
        self.env.invalidate_all()
        self.assertEqual(self.match.state, "accepted")

    def test_decline_offered_proposal(self):
        self.authenticate("lcrm_cargo_owner", "lcrm_cargo_owner")
        response = self.url_open(
            f"/my/cargo/{self.cargo.id}/proposal/{self.match.id}/decline", data={"csrf_token": self._csrf()}
        )
        self.assertIn("You declined the proposal", response.text)
        self.env.invalidate_all()
        self.assertEqual(self.match.state, "rejected")
        self.assertEqual(self.cargo.state, "open")

    def test_cannot_answer_others_or_unoffered_proposals(self):
        self.authenticate("lcrm_cargo_owner", "lcrm_cargo_owner")
        # another company's cargo and match
        response = self.url_open(
            f"/my/cargo/{self.rival_cargo.id}/proposal/{self.rival_match.id}/decline",
            data={"csrf_token": self._csrf()},
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))
        # another company's match through the user's own cargo
        self.url_open(
            f"/my/cargo/{self.cargo.id}/proposal/{self.rival_match.id}/decline", data={"csrf_token": self._csrf()}
        )
        # a proposal not offered yet
        response = self.url_open(
            f"/my/cargo/{self.cargo.id}/proposal/{self.proposed_match.id}/accept", data={"csrf_token": self._csrf()}
        )
        self.assertIn("can no longer be accepted or declined", response.text)
        self.env.invalidate_all()
        self.assertEqual(self.rival_match.state, "offered")
        self.assertEqual(self.proposed_match.state, "proposed")
        self.assertEqual(self.rival_cargo.state, "open")
        self.assertEqual(self.cargo.state, "open")

    # ------------------------------------------------------------------ carriers
    def test_carrier_sees_own_positions_only(self):
        self.authenticate("lcrm_carrier", "lcrm_carrier")
        page = self.url_open("/my/positions")
        self.assertEqual(page.status_code, 200)
        self.assertIn("MV Portal Star", page.text)
        self.assertNotIn("MV Rival Spirit", page.text)
        page = self.url_open(f"/my/positions/{self.position.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Gladstone (AUGLT)", page.text)
        self.assertIn(f"/my/positions/{self.position.id}/update", page.text)
        # messages shown come from the server only, never from the query string
        page = self.url_open(f"/my/positions/{self.position.id}?error=Injected+text&message=Injected+too")
        self.assertNotIn("Injected", page.text)
        page = self.url_open(f"/my/positions/{self.rival_position.id}")
        self.assertNotIn("MV Rival Spirit", page.text)
        # a carrier offers no cargo
        self.assertNotIn(self.cargo.name, self.url_open("/my/cargo").text)

    def test_carrier_updates_position(self):
        self.authenticate("lcrm_carrier", "lcrm_carrier")
        new_date = self.today + timedelta(days=8)
        response = self.url_open(
            f"/my/positions/{self.position.id}/update",
            data={"csrf_token": self._csrf(), "port": "sgsin", "date_open": str(new_date)},
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("The open position is updated", response.text)
        self.env.invalidate_all()
        self.assertEqual(self.position.port_id, self.sgsin)
        self.assertEqual(self.position.date_open, new_date)

    def test_carrier_cannot_update_another_carriers_position(self):
        self.authenticate("lcrm_carrier", "lcrm_carrier")
        response = self.url_open(
            f"/my/positions/{self.rival_position.id}/update",
            data={"csrf_token": self._csrf(), "port": "CNTAO", "date_open": str(self.today + timedelta(days=9))},
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))
        self.env.invalidate_all()
        self.assertEqual(self.rival_position.port_id, self.sgsin)
        self.assertEqual(self.rival_position.date_open, self.today + timedelta(days=3))

    def test_carrier_bad_update_is_refused(self):
        self.authenticate("lcrm_carrier", "lcrm_carrier")
        cases = [
            ({"port": "CNTAO", "date_open": "31/02/2030"}, "not a valid date"),
            ({"port": "CNTAO", "date_open": str(self.today - timedelta(days=2))}, "cannot be in the past"),
            ({"port": "ZZZZZ", "date_open": str(self.today + timedelta(days=9))}, "Unknown port ZZZZZ"),
            ({"port": "", "date_open": str(self.today + timedelta(days=9))}, "Please fill in"),
        ]
        for vals, error in cases:
            with self.subTest(vals=vals):
                response = self.url_open(
                    f"/my/positions/{self.position.id}/update", data={"csrf_token": self._csrf(), **vals}
                )
                self.assertEqual(response.status_code, 200)
                self.assertIn(error, response.text)
                self.env.invalidate_all()
                self.assertEqual(self.position.port_id, self.auglt)
                self.assertEqual(self.position.date_open, self.today + timedelta(days=5))
        # a position no longer open is not updated
        self.position.action_fix()
        self.env.flush_all()
        response = self.url_open(
            f"/my/positions/{self.position.id}/update",
            data={"csrf_token": self._csrf(), "port": "CNTAO", "date_open": str(self.today + timedelta(days=9))},
        )
        self.assertIn("Only an open position can be updated", response.text)
        self.env.invalidate_all()
        self.assertEqual(self.position.port_id, self.auglt)

    def test_carrier_records_new_position(self):
        self.authenticate("lcrm_carrier", "lcrm_carrier")
        form = self.url_open("/my/positions/new")
        self.assertIn("MV Portal Star", form.text)
        self.assertNotIn("MV Rival Spirit", form.text)
        position_model = self.env["logistics.vessel.position"]
        date_open = self.today + timedelta(days=30)
        domain = [("vessel_id", "in", (self.vessel | self.rival_vessel).ids), ("date_open", "=", date_open)]
        # not a vessel of theirs
        response = self.url_open(
            "/my/positions/new",
            data={
                "csrf_token": self._csrf(),
                "vessel_id": self.rival_vessel.id,
                "port": "CNTAO",
                "date_open": str(date_open),
            },
        )
        self.assertIn("choose one of your vessels", response.text)
        self.assertFalse(position_model.search(domain))
        response = self.url_open(
            "/my/positions/new",
            data={
                "csrf_token": self._csrf(),
                "vessel_id": self.vessel.id,
                "port": "CNTAO",
                "date_open": str(date_open),
            },
        )
        self.assertIn("The open position is recorded", response.text)
        position = position_model.search(domain)
        self.assertEqual(position.vessel_id, self.vessel)
        self.assertEqual(position.port_id, self.cntao)
        self.assertEqual(position.partner_id, self.carrier)
        self.assertEqual(position.user_id, self.user_sales)
        # the same position twice is refused with a clear message
        response = self.url_open(
            "/my/positions/new",
            data={
                "csrf_token": self._csrf(),
                "vessel_id": self.vessel.id,
                "port": "CNTAO",
                "date_open": str(date_open),
            },
        )
        self.assertIn("already recorded", response.text)
        self.assertEqual(len(position_model.search(domain)), 1)
