"""The demo world: a customer's portal login and care activities spread over the coming weeks."""

from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "logistics_crm")
class TestDemo(HttpCase):
    def setUp(self):
        super().setUp()
        if not self.env.ref("logistics_crm.user_portal_wang_wei", raise_if_not_found=False):
            self.skipTest("installed without demo data")

    def test_the_demo_customer_sees_its_tier_in_the_portal(self):
        company = self.env.ref("logistics_crm.partner_baosteel_trading")
        self.assertTrue(company.logistics_tier_id, "the demo customer has a tier")
        self.authenticate("wangwei", "wangwei")
        page = self.url_open("/my/logistics")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Huadong Steel Trading", page.text)
        self.assertIn(company.logistics_tier_id.name, page.text)

    def test_care_activities_are_spread_over_the_coming_weeks(self):
        care = self.env.ref("logistics_crm.mail_activity_type_logistics_care")
        deadlines = self.env["mail.activity"].search([("activity_type_id", "=", care.id)]).mapped("date_deadline")
        self.assertGreaterEqual(len(deadlines), 5, "the demo plans several care contacts")
        today = fields.Date.context_today(self.env.user)
        # the activities were planned at install time: measure from their own first day
        first = min(deadlines)
        self.assertGreaterEqual(len(set(deadlines)), 4, "not all due on one day")
        self.assertGreaterEqual((max(deadlines) - first).days, 14, "spread over weeks")
        self.assertLessEqual(max(deadlines), max(first, today) + timedelta(days=29))

    def test_chartering_demo(self):
        """Realistic vessels with valid IMO numbers, open positions and cargo offers on real routes, with
        ranked matches; the cargo owner and the carrier have portal logins."""
        from ..domain.shipping import imo_is_valid  # noqa: PLC0415

        vessels = self.env["logistics.vessel"].search([("owner_id", "!=", False)])
        self.assertGreaterEqual(len(vessels), 10)
        self.assertTrue(all(imo_is_valid(v.imo) for v in vessels))
        coal = self.env.ref("logistics_crm.cargo_coal_newcastle_qingdao")
        self.assertEqual(coal.route, "AUNTL → CNTAO")
        if coal.laycan_end >= fields.Date.context_today(self.env.user):
            self.assertTrue(coal.match_ids, "the demo coal cargo has candidates")
            self.assertEqual(coal.match_ids, coal.match_ids.sorted(lambda m: -m.score))
        self.authenticate("carrier", "carrier")
        page = self.url_open("/my/positions")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Ocean Pioneer", page.text)
        self.assertNotIn("Jinhai Star", page.text, "another carrier's vessel")
        self.authenticate("wangwei", "wangwei")
        page = self.url_open("/my/cargo")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.env.ref("logistics_crm.cargo_iron_ore_hedland_qingdao").name, page.text)
        self.assertNotIn(coal.name, page.text, "another customer's cargo")

    def test_complaint_demo(self):
        """Complaints in every stage and SLA status, with every category and channel; one escalated, one
        from an unknown email sender waiting for triage."""
        data = self.env["ir.model.data"].search(
            [("module", "=", "logistics_crm"), ("model", "=", "logistics.complaint")]
        )
        complaints = self.env["logistics.complaint"].browse(data.mapped("res_id")).exists()
        self.assertGreaterEqual(len(complaints), 12)
        for stage in ("new", "investigating", "solution", "waiting", "resolved", "closed", "refused"):
            self.assertIn(self.env.ref(f"logistics_crm.complaint_stage_{stage}"), complaints.stage_id, stage)
        for category in ("delay", "damage", "loss", "documentation", "billing", "service", "other"):
            self.assertIn(self.env.ref(f"logistics_crm.complaint_category_{category}"), complaints.category_id)
        self.assertEqual(set(complaints.mapped("channel")), {"phone", "email", "portal", "chat", "visit"})
        # the SLA as the demo set it up: open complaints' statuses move on with the clock (the SLA watch),
        # so they are read at the moment the demo was loaded; closed ones keep theirs for good
        loaded = max(data.mapped("create_date"))
        statuses = {complaint._logistics_sla_status(loaded) for complaint in complaints}
        self.assertEqual(statuses, {"on_track", "at_risk", "breached", "met"})
        open_statuses = {c._logistics_sla_status(loaded) for c in complaints.filtered(lambda c: not c.is_closed)}
        self.assertEqual(open_statuses, {"on_track", "at_risk", "breached"})
        closed = complaints.filtered("is_closed")
        self.assertEqual(set(closed.mapped("sla_status")), {"met", "breached"})
        self.assertTrue(all(closed.mapped("resolution")), "a closed complaint has its resolution")
        self.assertTrue(all(closed.mapped("date_closed")))
        self.assertTrue(complaints.filtered(lambda c: c.stage_id.sla_pause and c.sla_paused_since))
        # escalated: a deadline missed, the managers are asked to act
        escalated = complaints.filtered(lambda c: c.escalation_level >= 1)
        self.assertTrue(escalated)
        activity_type = self.env.ref("logistics_crm.mail_activity_type_complaint_escalation")
        self.assertTrue(escalated.activity_ids.filtered(lambda a: a.activity_type_id == activity_type))
        # an email from an unknown sender, waiting to be linked to a customer
        unknown = complaints.filtered("needs_triage")
        self.assertTrue(unknown)
        self.assertFalse(unknown[0].partner_id)
        self.assertEqual(unknown[0].channel, "email")
        self.assertTrue(unknown[0].email_from)
        # the clocks started in the past: received before the demo was loaded
        self.assertTrue(all(c.create_date < loaded for c in complaints))
        self.assertTrue(any(c.root_cause_type and c.root_cause and c.corrective_action for c in complaints))
        self.assertTrue(complaints.filtered("compensation_amount"))
        self.assertTrue(complaints.filtered("sale_order_id"))

    def test_satisfaction_demo(self):
        """Completed satisfaction answers over three quarters, credited to several salespersons, after orders,
        closed complaints, periodically and by hand, promoters, passives and detractors; a few invitations
        pending; the customers' scores and NPS refreshed."""
        data = self.env["ir.model.data"].search([("module", "=", "logistics_crm"), ("model", "=", "survey.user_input")])
        answers = self.env["survey.user_input"].browse(data.mapped("res_id")).exists()
        done = answers.filtered(lambda a: a.state == "done")
        self.assertGreaterEqual(len(done), 15)
        self.assertTrue(all(done.mapped("logistics_scored")))
        self.assertEqual(done.logistics_company_id, self.env.ref("base.main_company"), "the demo company's")
        self.assertEqual(set(done.mapped("logistics_nps_category")), {"promoter", "passive", "detractor"})
        self.assertEqual(set(done.mapped("logistics_source")), {"order", "complaint", "periodic", "manual"})
        self.assertTrue(done.logistics_sale_order_id, "some answers are about demo orders")
        self.assertTrue(done.logistics_complaint_id)
        self.assertTrue(all(done.logistics_complaint_id.mapped("is_closed")), "asked after the complaint was closed")
        self.assertGreaterEqual(len(answers - done), 2, "a few invitations still pending")
        # answered back in time: spread over at least three quarters, each invited before it was answered
        quarters = {(a.end_datetime.year, (a.end_datetime.month - 1) // 3) for a in done}
        self.assertGreaterEqual(len(quarters), 3)
        self.assertTrue(all(a.create_date < a.start_datetime < a.end_datetime for a in done))

        # the KPI report: several salespersons, each with responses, a satisfaction index and an NPS
        rows = self.env["logistics.satisfaction.report"]._read_group(
            [("kind", "=", "answer"), ("answer_id", "in", done.ids)],
            ["user_id"],
            ["response_count:sum", "satisfaction_score:avg", "nps:avg"],
        )
        self.assertGreaterEqual(len(rows), 3, "credited to several salespersons")
        self.assertEqual(sum(count for _user, count, _score, _nps in rows), len(done))
        self.assertTrue(all(user and score > 0 for user, _count, score, _nps in rows))
        self.assertGreater(len({nps for _user, _count, _score, nps in rows}), 1, "the salespersons' NPS differ")

        # the customers' figures: a customer who answered twice as a promoter
        company = self.env.ref("base.main_company")
        customer = self.env.ref("logistics_crm.partner_baosteel_trading").with_company(company)
        theirs = done.filtered(lambda a: a.logistics_partner_id == customer)
        self.assertEqual(customer.logistics_survey_answer_count, len(theirs))
        self.assertGreaterEqual(len(theirs), 2)
        self.assertAlmostEqual(
            customer.logistics_satisfaction_score,
            sum(theirs.mapped("logistics_satisfaction_score")) / len(theirs),
            delta=0.1,
        )
        self.assertGreater(customer.logistics_satisfaction_score, 0)
        self.assertEqual(customer.logistics_nps, 100.0, "both answers recommend 9-10")
        self.assertEqual(customer.logistics_last_survey_date, max(theirs.mapped("end_datetime")).date())
        self.assertEqual(customer.child_ids[:1].logistics_nps, 100.0, "the figures are on its contacts too")
        detractors = done.filtered(lambda a: a.logistics_nps_category == "detractor").logistics_partner_id
        self.assertTrue(any(p.with_company(company).logistics_nps < 0 for p in detractors), "and a negative NPS")

    def test_booking_demo(self):
        """Bookings in every state, of both types: today's dispatch in several cities, the coming days'
        requests, bookings done in the past weeks (dated back, the window before its completion) and a
        cancelled one; Wang Wei's own requested pickup, which he can still cancel in the portal."""
        data = self.env["ir.model.data"].search([("module", "=", "logistics_crm"), ("model", "=", "logistics.booking")])
        bookings = self.env["logistics.booking"].browse(data.mapped("res_id")).exists()
        self.assertGreaterEqual(len(bookings), 10)
        self.assertEqual(set(bookings.mapped("state")), {"requested", "confirmed", "scheduled", "done", "cancelled"})
        self.assertEqual(set(bookings.mapped("booking_type")), {"pickup", "delivery"})
        now = fields.Datetime.now()
        done = bookings.filtered(lambda b: b.state == "done")
        self.assertTrue(all(b.date_start < b.date_done <= b.date_end < now for b in done), "done in the past")
        self.assertTrue(all(b.date_confirmed < b.date_start for b in done))
        still_open = bookings.filtered(lambda b: b.state in ("requested", "confirmed", "scheduled"))
        self.assertTrue(all(b.date_end > b.create_date for b in still_open))
        scheduled = bookings.filtered(lambda b: b.state == "scheduled")
        self.assertTrue(all(b.user_id and b.vehicle and b.driver_name for b in scheduled), "a truck and a driver")
        planned = bookings.filtered(lambda b: b.state in ("confirmed", "scheduled"))
        self.assertTrue(all(planned.mapped("date_confirmed")))
        # the dispatch of the installation day spans several cities: the windows opening within the
        # hour after they were booked (at installation)
        today = bookings.filtered(
            lambda b: b.state in ("confirmed", "scheduled") and b.date_start - b.create_date < timedelta(hours=1)
        )
        self.assertGreaterEqual(len(set(today.mapped("city"))), 3)
        # every confirmed booking mailed its confirmation to the person who booked
        comment = self.env.ref("mail.mt_comment")
        for booking in bookings.filtered(lambda b: b.date_confirmed):
            mails = booking.message_ids.filtered(lambda m, c=comment: m.subtype_id == c)
            self.assertTrue(mails, f"{booking.name} confirmed without its mail")
            self.assertIn(booking.contact_id, mails.partner_ids)
        wang_wei = self.env.ref("logistics_crm.user_portal_wang_wei")
        own = bookings.filtered(lambda b: b.partner_id == wang_wei.commercial_partner_id and b.state == "requested")
        self.assertEqual(len(own), 1)
        self.assertEqual(own.contact_id, wang_wei.partner_id)
        # he follows his company's bookings in the portal and may still cancel the requested one
        self.authenticate("wangwei", "wangwei")
        page = self.url_open("/my/bookings")
        self.assertEqual(page.status_code, 200)
        theirs = bookings.filtered(lambda b: b.partner_id == wang_wei.commercial_partner_id)
        self.assertGreaterEqual(len(theirs), 3)
        for booking in theirs:
            self.assertIn(booking.name, page.text)
        self.assertNotIn(bookings.filtered(lambda b: b.partner_id != wang_wei.commercial_partner_id)[0].name, page.text)
        detail = self.url_open(own.access_url)
        self.assertIn("Cancel this booking", detail.text)

    def test_dashboard_demo(self):
        """The demo manager (admin) opens the management dashboard of the demo company: every figure has
        something to show (asked over JSON-RPC, as the dashboard asks)."""
        self.authenticate("admin", "admin")
        data = self.make_jsonrpc_request(
            "/web/dataset/call_kw/logistics.dashboard/logistics_dashboard_data",
            {"model": "logistics.dashboard", "method": "logistics_dashboard_data", "args": [], "kwargs": {}},
        )
        self.assertEqual(data["company"]["id"], self.env.ref("base.main_company").id)
        self.assertTrue(data["is_manager"])
        self.assertTrue(all(row["customers"] and row["revenue"] for row in data["tiers"]["rows"]), "every tier")
        pareto = data["pareto"]
        self.assertGreaterEqual(pareto["customers"], 10)
        self.assertTrue(all(cut["last_rank"] for cut in pareto["cutoffs"]), "every tier ends somewhere on the curve")
        self.assertEqual(pareto["points"][-1]["cumulative"], 100.0)
        self.assertTrue(all(row["customers"] for row in data["stages"]["rows"]), "every lifecycle stage")
        self.assertTrue(data["at_risk"]["top"])
        self.assertTrue(data["at_risk"]["count"], "customers with a churn risk of 50 or more")
        self.assertTrue(data["complaints"]["totals"]["open"])
        self.assertTrue(data["nps"]["quarters"])
        self.assertIsNotNone(data["nps"]["latest"])
        self.assertEqual(data["nps"]["scope"], "all")
        cargo = data["cargo"]
        self.assertTrue(cargo["open"]["count"])
        self.assertTrue(sum(match["count"] for match in cargo["matches"]))
        self.assertTrue(cargo["matched"]["count"], "an accepted match made a cargo offer matched")
        self.assertTrue(next(m["count"] for m in cargo["matches"] if m["key"] == "offered"))
        self.assertTrue(sum(week["count"] for week in data["bookings"]["weeks"]))
