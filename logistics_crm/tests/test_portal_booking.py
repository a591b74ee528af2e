"""The booking portal (controllers/portal_booking.py): customers list their company's pickups and deliveries,
book new ones through a CSRF-protected form that shows each problem next to its field, follow them (also by
token) and cancel them while requested; never another customer's, by id or by token."""

import html
import re
from datetime import datetime, time, timedelta

from odoo import Command, fields, http
from odoo.tests import HttpCase, new_test_user, tagged

CSRF_RE = r'name="csrf_token" value="([^"]+)"'
CANCEL_NOTE = "Cancelled by the customer in the portal."


@tagged("post_install", "-at_install", "logistics_crm")
class TestPortalBooking(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Booking Portal Company B"})
        cls.china = cls.env.ref("base.cn")

        # a customer of each company, each with a portal user (in UTC) and a delivery address
        cls.customer = cls.env["res.partner"].create(
            {
                "name": "Portal Tile Importer",
                "is_company": True,
                "company_id": cls.company_a.id,
                "street": "1 Head Office Road",
                "city": "Jinan",
                "country_id": cls.china.id,
            }
        )
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Ma Li",
                "parent_id": cls.customer.id,
                "company_id": cls.company_a.id,
                "email": "ma.li@tiles.example.com",
                "phone": "+86 531 8888 0001",
                "street": "5 Private Lane",
                "city": "Jinan",
            }
        )
        cls.warehouse = cls.env["res.partner"].create(
            {
                "name": "Tile Warehouse",
                "type": "delivery",
                "parent_id": cls.customer.id,
                "company_id": cls.company_a.id,
                "street": "7 Warehouse Street",
                "zip": "266000",
                "city": "Qingdao",
                "country_id": cls.china.id,
            }
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="lcrm_bk_portal",
            password="lcrm_bk_portal",
            name="Ma Li",
            email="ma.li@tiles.example.com",
            groups="base.group_portal",
            partner_id=cls.contact.id,
            tz="UTC",
            company_id=cls.company_a.id,
            company_ids=[Command.set(cls.company_a.ids)],
        )
        cls.rival = cls.env["res.partner"].create(
            {"name": "Rival Glass Trader", "is_company": True, "company_id": cls.company_b.id}
        )
        cls.rival_contact = cls.env["res.partner"].create(
            {
                "name": "Hu Ren",
                "parent_id": cls.rival.id,
                "company_id": cls.company_b.id,
                "email": "hu.ren@glass.example.com",
            }
        )
        cls.rival_address = cls.env["res.partner"].create(
            {
                "name": "Rival Depot",
                "type": "delivery",
                "parent_id": cls.rival.id,
                "company_id": cls.company_b.id,
                "street": "9 Secret Depot Road",
                "city": "Tianjin",
            }
        )
        cls.rival_user = new_test_user(
            cls.env,
            login="lcrm_bk_rival",
            password="lcrm_bk_rival",
            name="Hu Ren",
            email="hu.ren@glass.example.com",
            groups="base.group_portal",
            partner_id=cls.rival_contact.id,
            tz="UTC",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
        )

        start = datetime.combine(fields.Date.today() + timedelta(days=3), time(9, 0))
        bookings = cls.env["logistics.booking"]
        cls.booking = bookings.create(
            {
                "partner_id": cls.customer.id,
                "contact_id": cls.contact.id,
                "company_id": cls.company_a.id,
                "booking_type": "delivery",
                "street": "3 Harbour Road",
                "city": "Yantai",
                "country_id": cls.china.id,
                "date_start": start,
                "date_end": start + timedelta(hours=3),
                "goods_description": "Forty crates of floor tiles",
                "packages": 40,
                "weight_kg": 9000,
                "volume_m3": 30,
            }
        )
        cls.rival_booking = bookings.create(
            {
                "partner_id": cls.rival.id,
                "contact_id": cls.rival_contact.id,
                "company_id": cls.company_b.id,
                "street": "9 Secret Depot Road",
                "city": "Tianjin",
                "date_start": start,
                "date_end": start + timedelta(hours=2),
                "goods_description": "Secret rival glass panes",
                "weight_kg": 500,
                "volume_m3": 4,
            }
        )

    # ------------------------------------------------------------------ helpers
    def _csrf(self):
        return http.Request.csrf_token(self)

    @staticmethod
    def _local(day, hour):
        """The value of an HTML datetime-local input."""
        return f"{day.isoformat()}T{hour:02d}:00"

    def _tomorrow(self):
        # the portal users are in UTC
        return fields.Datetime.now().date() + timedelta(days=1)

    def _form(self, **vals):
        tomorrow = self._tomorrow()
        data = {
            "csrf_token": self._csrf(),
            "booking_type": "pickup",
            "address_id": "",
            "street": "88 Xianggang Road",
            "street2": "Building 2",
            "zip": "266071",
            "city": "Qingdao",
            "country_id": str(self.china.id),
            "date_start": self._local(tomorrow, 9),
            "date_end": self._local(tomorrow, 12),
            "goods_description": "12 pallets of ceramic tiles",
            "packages": "12",
            "weight_kg": "4800",
            "volume_m3": "18",
            "contact_name": "Ma Li",
            "phone": "+86 532 1234 5678",
            "notes": "Dock 3, tail lift needed",
        }
        data.update(vals)
        return data

    def _post_new(self, **vals):
        return self.url_open("/my/bookings/new", data=self._form(**vals))

    def _count(self):
        return self.env["logistics.booking"].search_count([])

    def _field_error(self, page, fname):
        """The message shown next to the field ``fname`` (its invalid-feedback), None without one; the
        field's input is marked invalid when there is one."""
        match = re.search(rf'<div[^>]*id="{fname}_feedback"[^>]*>([^<]*)</div>', page)
        if not match:
            return None
        field = re.search(rf'<(?:input|select|textarea)[^>]*name="{fname}"[^>]*>', page)
        self.assertTrue(field and "is-invalid" in field.group(0), f"{fname} is not marked invalid")
        return html.unescape(match.group(1)).strip()

    def _assert_refused(self, response, fname, message, before):
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._count(), before, "nothing is saved")
        self.assertIn("o_logistics_booking_errors", response.text)
        self.assertEqual(self._field_error(response.text, fname), message)

    def _cancel(self, booking, csrf=True, **data):
        if csrf:
            data["csrf_token"] = self._csrf()
        return self.url_open(f"/my/bookings/{booking.id}/cancel", data=data or {"csrf_token": ""})

    def _notes(self, booking, text):
        self.env.invalidate_all()
        return booking.message_ids.filtered(lambda m: text in (m.body or ""))

    # ------------------------------------------------------------------ home and list
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
    def test_new_booking_form(self):
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        form = self.url_open("/my/bookings/new")
        self.assertEqual(form.status_code, 200)
        self.assertRegex(form.text, CSRF_RE)
        for fname in ("date_start", "date_end"):
            self.assertRegex(form.text, rf'<input type="datetime-local" name="{fname}"')
        for fname in ("packages", "weight_kg", "volume_m3"):
            self.assertRegex(form.text, rf'<input type="number" name="{fname}"')
        self.assertRegex(form.text, r'<input type="radio" name="booking_type"[^>]*value="pickup"[^>]*checked')
        # prefilled from the user
        self.assertRegex(form.text, r'name="contact_name"[^>]*value="Ma Li"')
        self.assertRegex(form.text, r'name="phone"[^>]*value="\+86 531 8888 0001"')
        self.assertRegex(form.text, rf'<option[^>]*value="{self.china.id}"[^>]*selected[^>]*>China</option>')
        # the customer's own addresses: the company and its delivery address, not a person's own
        # address, nothing of another customer
        select = re.search(r'<select name="address_id".*?</select>', form.text, re.S).group(0)
        options = dict(re.findall(r'<option value="(\d*)"[^>]*>\s*([^<]*?)\s*</option>', select))
        self.assertEqual(
            options,
            {
                "": "Another address (type it below)",
                str(self.customer.id): "Portal Tile Importer: 1 Head Office Road, Jinan, China",
                str(self.warehouse.id): "Tile Warehouse: 7 Warehouse Street, 266000 Qingdao, China",
            },
        )
        self.assertNotIn("5 Private Lane", form.text)
        self.assertNotIn("9 Secret Depot Road", form.text)
        self.assertNotIn("o_logistics_booking_errors", form.text)

    def test_post_valid_booking(self):
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        form = self.url_open("/my/bookings/new")
        csrf = re.search(CSRF_RE, form.text).group(1)
        before = self._count()
        response = self._post_new(csrf_token=csrf)
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._count(), before + 1)
        booking = self.env["logistics.booking"].search([("partner_id", "=", self.customer.id)], order="id desc")[0]
        self.assertNotEqual(booking, self.booking)
        tomorrow = self._tomorrow()
        self.assertRecordValues(
            booking,
            [
                {
                    "partner_id": self.customer.id,
                    "contact_id": self.contact.id,
                    "company_id": self.company_a.id,
                    "email": "ma.li@tiles.example.com",
                    "state": "requested",
                    "booking_type": "pickup",
                    "address_id": False,
                    "street": "88 Xianggang Road",
                    "street2": "Building 2",
                    "zip": "266071",
                    "city": "Qingdao",
                    "country_id": self.china.id,
                    "date_start": datetime.combine(tomorrow, time(9, 0)),
                    "date_end": datetime.combine(tomorrow, time(12, 0)),
                    "goods_description": "12 pallets of ceramic tiles",
                    "packages": 12,
                    "weight_kg": 4800,
                    "volume_m3": 18,
                    "contact_name": "Ma Li",
                    "phone": "+86 532 1234 5678",
                    "notes": "Dock 3, tail lift needed",
                }
            ],
        )
        self.assertTrue(booking.name.startswith("BK"))
        self.assertIn(self.contact, booking.message_partner_ids)
        # redirected to the new booking's page, with the thank-you message
        self.assertIn(f"/my/bookings/{booking.id}?message=created", response.url)
        self.assertIn(booking.name, response.text)
        self.assertIn("Thank you: your booking is recorded", response.text)

    def test_post_for_the_customer_of_another_company(self):
        self.authenticate("lcrm_bk_rival", "lcrm_bk_rival")
        response = self._post_new(goods_description="Glass for the rival")
        self.assertEqual(response.status_code, 200)
        booking = self.env["logistics.booking"].search([("goods_description", "=", "Glass for the rival")])
        self.assertEqual(len(booking), 1)
        self.assertEqual(booking.partner_id, self.rival)
        self.assertEqual(booking.contact_id, self.rival_contact)
        self.assertEqual(booking.company_id, self.company_b)
        self.assertIn(f"/my/bookings/{booking.id}?message=created", response.url)

    def test_post_for_a_customer_of_a_company_the_login_is_not_in(self):
        """The customer belongs to company B, the portal login to company A only: the booking would be
        company B's, which the user could never follow. Refused with a message, nothing saved."""
        company_a = self.company_a
        self.rival_user.sudo().write({"company_ids": [Command.set(company_a.ids)], "company_id": company_a.id})
        self.env.flush_all()
        before = self._count()
        self.authenticate("lcrm_bk_rival", "lcrm_bk_rival")
        response = self._post_new(goods_description="Glass nobody would see")
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._count(), before)
        self.assertIn("Your account cannot book for Rival Glass Trader", response.text)
        self.assertIn("Glass nobody would see", response.text, "what was typed is kept")

    def test_post_with_an_own_address(self):
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        # the typed address is ignored when an own address is chosen
        response = self._post_new(address_id=str(self.warehouse.id), goods_description="To the warehouse")
        self.assertEqual(response.status_code, 200)
        booking = self.env["logistics.booking"].search([("goods_description", "=", "To the warehouse")])
        self.assertEqual(len(booking), 1)
        self.assertRecordValues(
            booking,
            [
                {
                    "address_id": self.warehouse.id,
                    "street": "7 Warehouse Street",
                    "street2": False,
                    "zip": "266000",
                    "city": "Qingdao",
                    "country_id": self.china.id,
                }
            ],
        )

    def test_window_is_typed_in_the_users_timezone(self):
        self.portal_user.tz = "Asia/Shanghai"
        self.env.flush_all()
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        day = self._tomorrow() + timedelta(days=1)
        response = self._post_new(
            date_start=self._local(day, 9), date_end=self._local(day, 12), goods_description="Shanghai time"
        )
        self.assertEqual(response.status_code, 200)
        booking = self.env["logistics.booking"].search([("goods_description", "=", "Shanghai time")])
        # Asia/Shanghai is UTC+8 all year round
        self.assertEqual(booking.date_start, datetime.combine(day, time(1, 0)))
        self.assertEqual(booking.date_end, datetime.combine(day, time(4, 0)))

    def test_post_with_a_bad_window(self):
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        before = self._count()
        tomorrow = self._tomorrow()
        response = self._post_new(date_start=self._local(tomorrow, 9), date_end=self._local(tomorrow, 8))
        self._assert_refused(response, "date_end", "The window must end after it starts.", before)
        # everything typed comes back
        self.assertRegex(
            response.text, r'<textarea name="goods_description"[^>]*>12 pallets of ceramic tiles</textarea>'
        )
        self.assertRegex(response.text, r'name="street"[^>]*value="88 Xianggang Road"')
        self.assertRegex(response.text, rf'name="date_start"[^>]*value="{self._local(tomorrow, 9)}"')
        self.assertRegex(response.text, rf'name="date_end"[^>]*value="{self._local(tomorrow, 8)}"')
        self.assertRegex(response.text, r'name="weight_kg"[^>]*value="4800"')
        self.assertRegex(response.text, r'<textarea name="notes"[^>]*>Dock 3, tail lift needed</textarea>')
        self.assertRegex(response.text, CSRF_RE)
        # the other fields carry no message
        self.assertIsNone(self._field_error(response.text, "date_start"))
        self.assertIsNone(self._field_error(response.text, "goods_description"))
        # an empty window, or one of no length
        response = self._post_new(date_start=self._local(tomorrow, 9), date_end=self._local(tomorrow, 9))
        self._assert_refused(response, "date_end", "The window must end after it starts.", before)
        response = self._post_new(date_start="", date_end="")
        self._assert_refused(
            response, "date_start", "Please give the start and the end of the requested window.", before
        )

    def test_post_with_a_past_window(self):
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        before = self._count()
        yesterday = self._tomorrow() - timedelta(days=2)
        response = self._post_new(date_start=self._local(yesterday, 9), date_end=self._local(yesterday, 12))
        self._assert_refused(
            response,
            "date_end",
            "The requested window lies in the past: please choose a window that ends later than now and began "
            "at most a day ago.",
            before,
        )

    def test_post_with_an_unreadable_date(self):
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        before = self._count()
        for raw in ("tomorrow morning", "2026-13-45T09:00", "09:00"):
            with self.subTest(raw=raw):
                response = self._post_new(date_start=raw)
                self._assert_refused(
                    response, "date_start", "Please give a date and a time, e.g. 2026-05-05 09:00.", before
                )
                self.assertIn(f'value="{raw}"', response.text)

    def test_post_without_address(self):
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        before = self._count()
        message = (
            "Please give the address: choose one of the customer's addresses or type at least the street and the city."
        )
        response = self._post_new(street="", street2="", zip="", city="")
        self._assert_refused(response, "street", message, before)
        response = self._post_new(street="   ", city="Qingdao")
        self._assert_refused(response, "street", message, before)
        response = self._post_new(city="")
        self._assert_refused(response, "city", message, before)
        self.assertRegex(response.text, r'name="street"[^>]*value="88 Xianggang Road"')

    def test_post_with_bad_measures(self):
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        before = self._count()
        cases = [
            ({"weight_kg": "0"}, "weight_kg", "The weight must be more than 0 kg."),
            ({"weight_kg": ""}, "weight_kg", "The weight must be more than 0 kg."),
            ({"weight_kg": "-5"}, "weight_kg", "The weight must be more than 0 kg."),
            ({"weight_kg": "heavy"}, "weight_kg", "Please give a number."),
            ({"weight_kg": "inf"}, "weight_kg", "Please give a number."),
            ({"volume_m3": "-1"}, "volume_m3", "The volume must be more than 0 m³."),
            ({"volume_m3": "nan"}, "volume_m3", "Please give a number."),
            ({"packages": "0"}, "packages", "The number of packages must be a whole number, at least 1."),
            ({"packages": "2.5"}, "packages", "The number of packages must be a whole number, at least 1."),
            ({"packages": "twelve"}, "packages", "Please give a number."),
            ({"packages": "99999999999"}, "packages", "Please give at most 2147483647 packages."),
            ({"goods_description": "   "}, "goods_description", "Please describe the goods."),
            ({"booking_type": "teleport"}, "booking_type", "Please choose a pickup or a delivery."),
            ({"country_id": "999999999"}, "country_id", "Please choose a country of the list."),
            ({"country_id": "China"}, "country_id", "Please choose a country of the list."),
        ]
        for vals, fname, message in cases:
            with self.subTest(vals=vals):
                response = self._post_new(**vals)
                self._assert_refused(response, fname, message, before)
                for key, value in vals.items():
                    if value.strip() and key not in ("booking_type", "country_id", "goods_description"):
                        self.assertRegex(response.text, rf'name="{key}"[^>]*value="{re.escape(value)}"')
        # several problems at once, each next to its field
        response = self._post_new(weight_kg="0", volume_m3="-1", goods_description="")
        self.assertEqual(self._field_error(response.text, "weight_kg"), "The weight must be more than 0 kg.")
        self.assertEqual(self._field_error(response.text, "volume_m3"), "The volume must be more than 0 m³.")
        self.assertEqual(self._field_error(response.text, "goods_description"), "Please describe the goods.")
        self.assertEqual(self._count(), before)
        # no packages given: one
        response = self._post_new(packages="", goods_description="No package count")
        booking = self.env["logistics.booking"].search([("goods_description", "=", "No package count")])
        self.assertEqual(booking.packages, 1)

    def test_another_customers_address_is_refused(self):
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        before = self._count()
        for address in (self.rival_address, self.rival, self.contact):
            with self.subTest(address=address.name):
                response = self._post_new(address_id=str(address.id))
                self._assert_refused(response, "address_id", "Please choose one of your addresses of the list.", before)
        for raw in ("999999999", "warehouse"):
            with self.subTest(address=raw):
                response = self._post_new(address_id=raw)
                self._assert_refused(response, "address_id", "Please choose one of your addresses of the list.", before)
        self.assertFalse(self.env["logistics.booking"].search([("address_id", "=", self.rival_address.id)]))
        self.assertNotIn("9 Secret Depot Road", response.text)

    def test_post_without_csrf_is_refused(self):
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        before = self._count()
        for token in ("", "forged-token"):
            with self.subTest(token=token):
                response = self._post_new(csrf_token=token, goods_description="Posted from another site")
                self.assertIn(response.status_code, (400, 403))
                self.assertEqual(self._count(), before)
        data = self._form(goods_description="Posted from another site")
        del data["csrf_token"]
        response = self.url_open("/my/bookings/new", data=data)
        self.assertIn(response.status_code, (400, 403))
        self.assertEqual(self._count(), before)
        self.assertFalse(self.env["logistics.booking"].search([("goods_description", "=", "Posted from another site")]))

    def test_typed_html_is_escaped(self):
        self.authenticate("lcrm_bk_portal", "lcrm_bk_portal")
        script = "<script>alert(1)</script>"
        response = self._post_new(goods_description=script, notes="<b>bold</b>", contact_name="<i>Ma</i>")
        self.assertEqual(response.status_code, 200)
        booking = self.env["logistics.booking"].search([("goods_description", "=", script)])
        self.assertEqual(len(booking), 1, "stored as typed")
        self.assertIn(f"/my/bookings/{booking.id}", response.url)
        for raw, escaped in (
            (script, "&lt;script&gt;alert(1)&lt;/script&gt;"),
            ("<b>bold</b>", "&lt;b&gt;bold"),
            ("<i>Ma</i>", "&lt;i&gt;Ma"),
        ):
            self.assertNotIn(raw, response.text)
            self.assertIn(escaped, response.text)
        # also in the list, and when the form comes back with an error
        page = self.url_open("/my/bookings")
        self.assertNotIn(script, page.text)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", page.text)
        response = self._post_new(goods_description=script, weight_kg="0")
        self.assertEqual(self._field_error(response.text, "weight_kg"), "The weight must be more than 0 kg.")
        self.assertNotIn(script, response.text)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", response.text)

    # ------------------------------------------------------------------ cancel
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
