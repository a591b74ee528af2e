"""The booking portal (controllers/portal_booking.py): customers list their company's pickups and deliveries,
follow them (also by token) and cancel them while requested; never another customer's, by id or by token.
The new-booking form is tested in test_portal_booking_form.py."""

import html
import re
from datetime import datetime, time, timedelta

from odoo import fields
from odoo.tests import tagged

from .common_portal_booking import CANCEL_NOTE, PortalBookingCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestPortalBooking(PortalBookingCase):
    def test_home_entry_and_counter(self):
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        home = self.url_open("/my/home")
        self.assertEqual(home.status_code, 200)
        self.assertIn('href="/my/bookings"', home.text)
        self.assertIn("Pickups and deliveries", home.text)
        self.assertIn("logistics_booking_count", home.text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["logistics_booking_count"]})
        self.assertEqual(counters, {"logistics_booking_count": 1})

        self.booking.copy().action_cancel()
        self.env.flush_all()
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["logistics_booking_count"]})
        self.assertEqual(counters, {"logistics_booking_count": 2})

        self.authenticate("lcrm_bk_rival", "lcrm_bk_rival")
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["logistics_booking_count"]})
        self.assertEqual(counters, {"logistics_booking_count": 1})

    def test_list_shows_own_bookings_only(self):
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        page = self.url_open("/my/bookings")
        self.assertEqual(page.status_code, 200)
        self.assertIn(f'href="/my/bookings/{self.booking.id}"', page.text)
        self.assertIn(f">{self.booking.name}</a>", page.text)
        self.assertIn("Yantai", page.text)
        self.assertIn("Forty crates of floor tiles", page.text)
        self.assertIn("Delivery", page.text)
        # the window in the user's time zone (UTC)
        self.assertIn("09:00", page.text)
        self.assertRegex(page.text, r'<span class="badge text-bg-warning o_logistics_booking_state"[^>]*>\s*Requested')
        self.assertIn('href="/my/bookings/new"', page.text)
        # nothing of the other customer
        self.assertNotIn(f"/my/bookings/{self.rival_booking.id}", page.text)
        self.assertNotIn(self.rival_booking.name, page.text)
        self.assertNotIn("Secret rival glass panes", page.text)

        self.authenticate("lcrm_bk_rival", "lcrm_bk_rival")
        page = self.url_open("/my/bookings")
        self.assertIn(self.rival_booking.name, page.text)
        self.assertNotIn(self.booking.name, page.text)

    def test_list_filters_sortings_and_pager(self):
        cancelled = self.booking.copy({"goods_description": "Cancelled marble slabs"})
        cancelled.action_cancel()
        self.env.flush_all()
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        cases = {
            "all": (True, True),
            "open": (True, False),
            "cancelled": (False, True),
            "done": (False, False),
            "unknown": (True, True),
        }
        for filterby, (shows_open, shows_cancelled) in cases.items():
            with self.subTest(filterby=filterby):
                page = self.url_open(f"/my/bookings?filterby={filterby}")
                self.assertEqual(page.status_code, 200)
                self.assertEqual(f">{self.booking.name}</a>" in page.text, shows_open)
                self.assertEqual(f">{cancelled.name}</a>" in page.text, shows_cancelled)
                self.assertNotIn(self.rival_booking.name, page.text)
        self.assertRegex(
            self.url_open("/my/bookings?filterby=cancelled").text,
            r'<span class="badge text-bg-secondary o_logistics_booking_state"[^>]*>\s*Cancelled',
        )
        first, second = sorted((self.booking.name, cancelled.name), reverse=True)
        for sortby in ("name", "state", "date", "partner_id"):
            with self.subTest(sortby=sortby):
                page = self.url_open(f"/my/bookings?sortby={sortby}")
                self.assertEqual(page.status_code, 200)
                if sortby == "name":
                    self.assertLess(page.text.index(f">{first}</a>"), page.text.index(f">{second}</a>"))
                if sortby == "state":
                    # cancelled < requested
                    self.assertLess(
                        page.text.index(f">{cancelled.name}</a>"), page.text.index(f">{self.booking.name}</a>")
                    )
        page = self.url_open("/my/bookings/page/2?filterby=open&sortby=name")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.booking.name, page.text)
        self.assertNotIn(self.rival_booking.name, page.text)

    def test_anonymous_visitor_is_sent_to_login(self):
        for url in ("/my/bookings", "/my/bookings/new"):
            with self.subTest(url=url):
                page = self.url_open(url, allow_redirects=False)
                self.assertIn(page.status_code, (302, 303))
                self.assertIn("/web/login", page.headers["Location"])

    # ------------------------------------------------------------------ detail
    def test_detail_of_own_booking(self):
        order = self.env["sale.order"].create({"partner_id": self.customer.id, "company_id": self.company_a.id})
        self.booking.write(
            {
                "notes": "Ring at gate 2",
                "vehicle": "LU-B 12345",
                "driver_name": "Driver Zhou",
                "sale_order_id": order.id,
            }
        )
        self.env.flush_all()
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        page = self.url_open(f"/my/bookings/{self.booking.id}")
        self.assertEqual(page.status_code, 200)
        self.assertRegex(page.text, rf'o_logistics_booking_order"[^>]*>{re.escape(order.name)}</dd>')
        for text in (
            self.booking.name,
            "Delivery",
            "3 Harbour Road, Yantai, China",
            "Ma Li",
            "+86 531 8888 0001",
            "ma.li@tiles.example.com",
            "Forty crates of floor tiles",
            "9,000.00",
            "30.000",
            "Ring at gate 2",
            "Requested",
        ):
            self.assertIn(text, page.text)
        self.assertRegex(page.text, r'o_logistics_booking_packages"[^>]*>40</dd>')
        # the vehicle and driver only once scheduled
        self.assertNotIn("LU-B 12345", page.text)
        self.assertNotIn("Driver Zhou", page.text)
        # the portal chatter of this booking, and the cancel form while requested
        self.assertIn('data-res_model="logistics.booking"', page.text)
        self.assertIn(f'data-res_id="{self.booking.id}"', page.text)
        self.assertIn(f'action="/my/bookings/{self.booking.id}/cancel"', page.text)
        self.assertIn("Cancel this booking", page.text)
        self.assertRegex(
            page.text, r'<form[^>]*o_logistics_booking_cancel_form[^>]*>\s*<input type="hidden" name="csrf_token"'
        )
        # no message from the query string
        self.assertNotIn("o_logistics_booking_message", page.text)
        page = self.url_open(f"/my/bookings/{self.booking.id}?message=Injected+text&error=Injected+error")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("Injected", page.text)

    def test_detail_once_scheduled(self):
        self.booking.write({"vehicle": "LU-B 12345", "driver_name": "Driver Zhou", "driver_phone": "+86 139 0000"})
        self.booking.action_schedule()
        self.env.flush_all()
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        page = self.url_open(f"/my/bookings/{self.booking.id}")
        self.assertEqual(page.status_code, 200)
        for text in ("LU-B 12345", "Driver Zhou", "+86 139 0000", "Scheduled"):
            self.assertIn(text, page.text)
        self.assertRegex(page.text, r'<span class="badge text-bg-primary o_logistics_booking_state"[^>]*>\s*Scheduled')
        self.assertNotIn("Cancel this booking", page.text)

    def test_window_is_shown_in_the_users_timezone(self):
        self.portal_user.tz = "Asia/Shanghai"
        self.env.flush_all()
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        page = self.url_open(f"/my/bookings/{self.booking.id}")
        window = re.search(r'o_logistics_booking_window">(.*?)</dd>', page.text, re.S).group(1)
        # 09:00-12:00 UTC is 17:00-20:00 in Shanghai
        self.assertIn("17:00", window)
        self.assertIn("20:00", window)
        self.assertNotIn("09:00", window)
        self.assertIn("Asia/Shanghai", window)

    def test_another_customers_booking_is_not_shown(self):
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        for url in (f"/my/bookings/{self.rival_booking.id}", "/my/bookings/999999999"):
            with self.subTest(url=url):
                page = self.url_open(url, allow_redirects=False)
                self.assertIn(page.status_code, (302, 303))
                self.assertTrue(page.headers["Location"].endswith("/my"))
        page = self.url_open(f"/my/bookings/{self.rival_booking.id}")
        self.assertNotIn(self.rival_booking.name, page.text)
        self.assertNotIn("Secret rival glass panes", page.text)

    def test_token_access(self):
        self.booking._portal_ensure_token()
        self.rival_booking._portal_ensure_token()
        self.env.flush_all()
        token = self.booking.access_token
        guessed = (
            "wrong-token",
            token[:-1] + ("0" if token[-1] != "0" else "1"),
            self.rival_booking.access_token,
            "",
        )
        # a logged-in customer of another company, and a visitor without login
        for login in ("lcrm_bk_rival", None):
            self.authenticate(login, login)
            for wrong in guessed:
                with self.subTest(login=login, token=wrong):
                    page = self.url_open(f"/my/bookings/{self.booking.id}?access_token={wrong}", allow_redirects=False)
                    self.assertIn(page.status_code, (302, 303))
                    page = self.url_open(f"/my/bookings/{self.booking.id}?access_token={wrong}")
                    self.assertNotIn(self.booking.name, page.text)
                    self.assertNotIn("Forty crates of floor tiles", page.text)
        # the right token opens the booking, logged out
        self.authenticate(None, None)
        page = self.url_open(f"/my/bookings/{self.booking.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.booking.name, page.text)
        self.assertIn("Forty crates of floor tiles", page.text)
        self.assertIn(f'data-token="{token}"', page.text)
        # the cancel form carries the token
        self.assertIn(f'name="access_token" value="{token}"', page.text)
        # another booking with this token: no
        page = self.url_open(f"/my/bookings/{self.rival_booking.id}?access_token={token}", allow_redirects=False)
        self.assertIn(page.status_code, (302, 303))

    # ------------------------------------------------------------------ new booking
    def test_owner_cancels_a_requested_booking(self):
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        response = self._cancel(self.booking)
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"/my/bookings/{self.booking.id}?message=cancelled", response.url)
        self.assertIn(f"Your booking {self.booking.name} is cancelled.", response.text)
        self.assertNotIn("Cancel this booking", response.text)
        self.assertEqual(self.booking.state, "cancelled")
        note = self._notes(self.booking, CANCEL_NOTE)
        self.assertEqual(len(note), 1)
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        self.assertEqual(note.author_id, self.contact)
        # cancelling again: refused with a message
        response = self._cancel(self.booking)
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_logistics_portal_error", response.text)
        self.assertEqual(self.booking.state, "cancelled")
        self.assertEqual(len(self._notes(self.booking, CANCEL_NOTE)), 1)

    def test_a_confirmed_booking_cannot_be_cancelled(self):
        self.booking.action_confirm()
        self.env.flush_all()
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        page = self.url_open(f"/my/bookings/{self.booking.id}")
        self.assertNotIn("Cancel this booking", page.text)
        self.assertIn("Confirmed", page.text)
        response = self._cancel(self.booking)
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_logistics_portal_error", response.text)
        self.assertIn(
            html.escape(f"Booking {self.booking.name} is already confirmed: please call or write to us to cancel it."),
            response.text,
        )
        self.assertIn(self.booking.name, response.text)
        self.assertEqual(self.booking.state, "confirmed")
        self.assertFalse(self._notes(self.booking, CANCEL_NOTE))

    def test_another_customers_booking_cannot_be_cancelled(self):
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        response = self.url_open(
            f"/my/bookings/{self.rival_booking.id}/cancel",
            data={"csrf_token": self._csrf()},
            allow_redirects=False,
        )
        self.assertIn(response.status_code, (302, 303))
        self.assertTrue(response.headers["Location"].endswith("/my"))
        # nor with a guessed token
        self.rival_booking._portal_ensure_token()
        self.env.flush_all()
        response = self._cancel(self.rival_booking, access_token="guessed-token")
        self.assertNotIn(self.rival_booking.name, response.text)
        self.assertEqual(self.rival_booking.state, "requested")
        self.assertFalse(self._notes(self.rival_booking, CANCEL_NOTE))

    def test_cancel_without_csrf_is_refused(self):
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        for token in ("", "forged-token"):
            with self.subTest(token=token):
                response = self.url_open(f"/my/bookings/{self.booking.id}/cancel", data={"csrf_token": token})
                self.assertIn(response.status_code, (400, 403))
                self.assertEqual(self.booking.state, "requested")
        # a GET does not cancel either
        response = self.url_open(f"/my/bookings/{self.booking.id}/cancel")
        self.assertEqual(response.status_code, 405)
        self.assertEqual(self.booking.state, "requested")
        self.assertFalse(self._notes(self.booking, CANCEL_NOTE))

    def test_token_holder_cancels(self):
        self.booking._portal_ensure_token()
        self.env.flush_all()
        token = self.booking.access_token
        self.authenticate(None, None)
        response = self._cancel(self.booking, access_token="wrong-token")
        self.assertEqual(self.booking.state, "requested")
        response = self._cancel(self.booking, access_token=token)
        self.assertEqual(response.status_code, 200)
        self.assertIn(f"/my/bookings/{self.booking.id}?message=cancelled&access_token={token}", response.url)
        self.assertIn(f"Your booking {self.booking.name} is cancelled.", response.text)
        self.assertEqual(self.booking.state, "cancelled")
        self.assertEqual(len(self._notes(self.booking, CANCEL_NOTE)), 1)

    # ------------------------------------------------------------------ tour
    def test_booking_portal_tour(self):
        """A customer books a pickup in the portal: refused once with the window ending before it starts
        (message next to the field, values kept), then booked (static/tests/tours/...booking_portal_tour.js)."""
        before = fields.Datetime.now().date()
        self.start_tour("/my", "logistics_crm_booking_portal_tour", login=self.portal_user.login)
        after = fields.Datetime.now().date()

        booking = self.env["logistics.booking"].search(
            [("partner_id", "=", self.customer.id), ("id", "!=", self.booking.id)]
        )
        self.assertEqual(len(booking), 1, "one booking, the refused attempt saved nothing")
        self.assertRecordValues(
            booking,
            [
                {
                    "contact_id": self.contact.id,
                    "company_id": self.company_a.id,
                    "state": "requested",
                    "booking_type": "pickup",
                    "street": "88 Xianggang Road",
                    "city": "Qingdao",
                    "goods_description": "12 pallets of ceramic tiles",
                    "packages": 12,
                    "weight_kg": 4800,
                    "volume_m3": 18,
                }
            ],
        )
        # tomorrow 09:00-12:00 in the user's time zone (UTC), whether the tour crossed midnight or not
        windows = {
            (
                datetime.combine(day + timedelta(days=1), time(9, 0)),
                datetime.combine(day + timedelta(days=1), time(12, 0)),
            )
            for day in (before, after)
        }
        self.assertIn((booking.date_start, booking.date_end), windows)
