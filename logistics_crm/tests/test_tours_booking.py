"""Browser tours of the bookings (headless Chromium through HttpCase): a dispatcher schedules a requested
pickup from the dispatch calendar; the booking views open
(static/tests/tours/logistics_crm_booking_dispatch_tour.js)."""

from datetime import datetime, time, timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "logistics_crm")
class TestBookingTours(HttpCase):
    def setUp(self):
        super().setUp()
        self.dispatcher = new_test_user(
            self.env,
            login="lcrm_booking_dispatcher",
            name="Tour Dispatcher",
            email="dispatcher@example.com",
            tz="UTC",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        self.customer = self.env["res.partner"].create(
            {"name": "Tour Dispatch Shipper", "is_company": True, "email": "ops@tour-dispatch.example.com"}
        )

    def _create_tour_booking(self, customer, **values):
        """A pickup requested by ``customer`` for tomorrow 09:00-12:00 UTC (datetimes are naive UTC)."""
        tomorrow = fields.Datetime.now().date() + timedelta(days=1)
        return self.env["logistics.booking"].create(
            {
                "booking_type": "pickup",
                "partner_id": customer.id,
                "street": "8 Tour Wharf Road",
                "city": "Tour City",
                "date_start": datetime.combine(tomorrow, time(9, 0)),
                "date_end": datetime.combine(tomorrow, time(12, 0)),
                "goods_description": "Stainless steel coils",
                "packages": 4,
                "weight_kg": 12000,
                "volume_m3": 9.5,
                "user_id": False,
                **values,
            }
        )

    def test_dispatch_tour(self):
        """Dispatch calendar, the booking's event, its form, Schedule: confirmed (the customer is
        emailed), then scheduled, with the dispatcher who scheduled it."""
        booking = self._create_tour_booking(self.customer)
        self.assertEqual(booking.state, "requested")
        self.assertFalse(booking.user_id)

        self.start_tour("/odoo", "logistics_crm_booking_dispatch_tour", login=self.dispatcher.login)

        booking.invalidate_recordset()
        self.assertEqual(booking.state, "scheduled")
        self.assertEqual(booking.user_id, self.dispatcher, "scheduling makes the dispatcher its dispatcher")
        self.assertTrue(booking.date_confirmed, "a requested booking is confirmed before it is scheduled")
        confirmations = self.env["mail.message"].search(
            [
                ("model", "=", "logistics.booking"),
                ("res_id", "=", booking.id),
                ("subtype_id", "=", self.env.ref("mail.mt_comment").id),
                ("message_type", "=", "comment"),
            ]
        )
        self.assertEqual(len(confirmations), 1, "one confirmation is posted to the customer")
        self.assertIn(booking.name, confirmations.subject)
        self.assertIn("is confirmed", confirmations.subject)
        self.assertIn(self.customer, confirmations.partner_ids, "the confirmation is emailed to the customer")

    def test_customer_books_in_the_portal_and_a_dispatcher_schedules_it(self):
        """The whole flow in Chromium: a customer's portal user books a pickup (refused once with the
        window ending before it starts), then a dispatcher finds it in the dispatch calendar and
        schedules it; the customer is emailed the confirmation and sees the booking scheduled."""
        contact = self.env["res.partner"].create(
            {"name": "Ma Li", "parent_id": self.customer.id, "email": "ma.li@tour-dispatch.example.com"}
        )
        portal_user = new_test_user(
            self.env,
            login="lcrm_booking_tour_customer",
            groups="base.group_portal",
            partner_id=contact.id,
            tz="UTC",
        )
        before = fields.Datetime.now().date()
        self.start_tour("/my", "logistics_crm_booking_portal_tour", login=portal_user.login)
        booking = self.env["logistics.booking"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(booking), 1, "the refused attempt saved nothing")
        self.assertRecordValues(
            booking,
            [{"state": "requested", "contact_id": contact.id, "city": "Qingdao", "weight_kg": 4800, "user_id": False}],
        )
        # tomorrow 09:00-12:00 UTC, as the dispatcher's calendar is searched (the portal user's tz is UTC)
        if booking.date_start.date() != before + timedelta(days=1):
            self.skipTest("the portal tour crossed midnight: the dispatcher would look at another day")

        self.start_tour("/odoo", "logistics_crm_booking_dispatch_tour", login=self.dispatcher.login)

        booking.invalidate_recordset()
        self.assertEqual(booking.state, "scheduled")
        self.assertEqual(booking.user_id, self.dispatcher)
        confirmation = booking.message_ids.filtered(lambda m: m.subtype_id == self.env.ref("mail.mt_comment"))
        self.assertEqual(len(confirmation), 1)
        self.assertIn(contact, confirmation.partner_ids, "the customer who booked is emailed")
        self.assertEqual(confirmation.author_id, self.dispatcher.partner_id, "from the dispatcher")
        # the customer sees it scheduled in the portal
        self.authenticate(portal_user.login, portal_user.login)
        page = self.url_open(booking.access_url)
        self.assertEqual(page.status_code, 200)
        self.assertIn("Scheduled", page.text)

    def test_booking_views_tour(self):
        """The kanban, list, calendar, pivot and graph of the bookings, Today's dispatch (grouped by city)
        and the Bookings per week report open and show the bookings."""
        self._create_tour_booking(self.customer)
        now = fields.Datetime.now()
        today = self._create_tour_booking(
            self.customer,
            date_start=now - timedelta(hours=1),
            date_end=now + timedelta(hours=3),
            booking_type="delivery",
        )
        today.with_user(self.dispatcher).action_schedule()
        self.assertEqual(today.state, "scheduled")

        self.start_tour("/odoo", "logistics_crm_booking_views_tour", login=self.dispatcher.login)
