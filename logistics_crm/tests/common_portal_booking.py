"""The world of the booking portal tests: two companies, a customer of each with a portal user, and the
helpers that post the portal's forms."""

import html
import re
from datetime import datetime, time, timedelta

from odoo import Command, fields, http
from odoo.tests import HttpCase, new_test_user

CSRF_RE = r'name="csrf_token" value="([^"]+)"'
CANCEL_NOTE = "Cancelled by the customer in the portal."


class PortalBookingCase(HttpCase):
    """Two companies, a customer of each with a portal user (in UTC) and a delivery address, a booking each."""

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
