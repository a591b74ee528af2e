"""The new-booking form of the portal (controllers/portal_booking.py): a CSRF-protected form that books for
the user's own customer, shows each problem next to its field and keeps what was typed."""

import re
from datetime import datetime, time, timedelta

from odoo import Command
from odoo.tests import tagged

from .common_portal_booking import CSRF_RE, PortalBookingCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestPortalBookingForm(PortalBookingCase):
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
