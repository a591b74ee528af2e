"""Who may see and do what with bookings: groups, companies and portal customers (issue #14)."""

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common_booking import BookingCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestBookingAccess(BookingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.booking_a = cls._booking(contact_id=cls.contact_li.id)
        cls.booking_b = cls._booking_b(contact_id=cls.contact_b.id)
        # another customer of company A, and its booking
        cls.neighbour = cls._customer("Zibo Glassworks", street="6 Kiln Street", city="Zibo")
        cls.booking_neighbour = cls._booking(partner_id=cls.neighbour.id, address_id=cls.neighbour.id)

    def _portal_user(self, contact, login, company=None):
        # as the portal wizard makes them: in the company of the customer, else the current one
        company = company or self.company
        return new_test_user(
            self.env,
            login=login,
            groups="base.group_portal",
            partner_id=contact.id,
            company_id=company.id,
            company_ids=[Command.set(company.ids)],
        )

    # ------------------------------------------------------------------ staff, by company
    def test_user_reads_creates_and_writes_bookings_of_its_company(self):
        Booking = self.Booking.with_user(self.dispatcher)
        self.assertIn(self.booking_a, Booking.search([]))
        self.assertEqual(self.booking_a.with_user(self.dispatcher).read(["name"])[0]["name"], self.booking_a.name)
        booking = Booking.create(self._booking_vals(notes="Dock 4, ring the bell"))
        self.assertEqual(booking.company_id, self.company)
        booking.write({"vehicle": "Lu B-12345", "driver_name": "Sun Li"})
        booking.action_schedule()
        self.assertEqual((booking.state, booking.vehicle), ("scheduled", "Lu B-12345"))
        self.booking_a.with_user(self.dispatcher).write({"notes": "Forklift on site"})
        self.assertEqual(self.booking_a.notes, "Forklift on site")

    def test_user_never_sees_another_companys_bookings(self):
        Booking = self.Booking.with_user(self.dispatcher)
        self.assertNotIn(self.booking_b, Booking.search([]))
        self.assertFalse(Booking.search([("id", "=", self.booking_b.id)]))
        self.assertFalse(Booking.search([("partner_id", "=", self.customer_b.id)]))
        with self.assertRaises(AccessError):
            self.booking_b.with_user(self.dispatcher).read(["name"])
        with self.assertRaises(AccessError):
            self.booking_b.with_user(self.dispatcher).write({"notes": "Not mine"})
        with self.assertRaises(AccessError):
            self.booking_b.with_user(self.dispatcher).action_confirm()
        self.assertEqual(self.booking_b.state, "requested")
        # nor may it file a booking in the other company
        with self.assertRaises(AccessError):
            Booking.create(self._booking_vals(company_id=self.company_b.id))
        # and the other company's staff see theirs only
        self.assertEqual(
            self.Booking.with_user(self.user_b).search([("partner_id", "in", self.customer_b.ids)]), self.booking_b
        )
        self.assertNotIn(self.booking_a, self.Booking.with_user(self.user_b).search([]))
        with self.assertRaises(AccessError):
            self.booking_a.with_user(self.user_b).read(["name"])
        # the figures too: company A's grouped totals hold none of company B's bookings
        groups = Booking._read_group(
            [("partner_id", "in", (self.shipper | self.customer_b).ids)], ["partner_id"], ["__count"]
        )
        self.assertEqual(dict(groups), {self.shipper: 1})

    def test_user_with_both_companies_sees_both_when_both_are_allowed(self):
        both = new_test_user(
            self.env,
            login="lcrm_dispatcher_both",
            company_id=self.company.id,
            company_ids=[Command.set((self.company | self.company_b).ids)],
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        mine = self.booking_a | self.booking_b
        Booking = self.Booking.with_user(both)
        allowed_both = Booking.with_context(allowed_company_ids=[self.company.id, self.company_b.id])
        self.assertEqual(allowed_both.search([("id", "in", mine.ids)]), mine)
        self.assertEqual(allowed_both.browse(self.booking_b.id).read(["name"])[0]["name"], self.booking_b.name)
        only_a = Booking.with_context(allowed_company_ids=[self.company.id])
        self.assertEqual(only_a.search([("id", "in", mine.ids)]), self.booking_a)
        only_b = Booking.with_context(allowed_company_ids=[self.company_b.id])
        self.assertEqual(only_b.search([("id", "in", mine.ids)]), self.booking_b)

    def test_only_managers_delete(self):
        booking = self.Booking.with_user(self.dispatcher).create(self._booking_vals())
        with self.assertRaises(AccessError), mute_logger("odoo.models.unlink"):
            booking.unlink()
        self.assertTrue(booking.exists())
        booking.with_user(self.dispatch_manager).unlink()
        self.assertFalse(booking.exists())

    def test_internal_user_without_the_app_sees_no_booking(self):
        with self.assertRaises(AccessError):
            self.Booking.with_user(self.user_plain).search([])
        with self.assertRaises(AccessError):
            self.booking_a.with_user(self.user_plain).read(["name"])
        with self.assertRaises(AccessError):
            self.Booking.with_user(self.user_plain).create(self._booking_vals())

    # ------------------------------------------------------------------ portal customers
    def test_portal_customer_reads_its_companys_bookings(self):
        portal = self._portal_user(self.contact_li, "lcrm_portal_li")
        # a colleague (another contact of the same customer) booked this one
        colleague = self._booking(contact_id=self.contact_wu.id)
        Booking = self.Booking.with_user(portal)
        self.assertEqual(Booking.search([]), self.booking_a | colleague)
        values = colleague.with_user(portal).read(["name", "state", "city", "date_start"])[0]
        self.assertEqual((values["name"], values["state"], values["city"]), (colleague.name, "requested", "Qingdao"))
        self.assertEqual(self.booking_a.with_user(portal).read(["contact_id"])[0]["contact_id"][0], self.contact_li.id)

    def test_portal_customer_never_reads_another_customers_booking(self):
        portal = self._portal_user(self.contact_li, "lcrm_portal_li")
        Booking = self.Booking.with_user(portal)
        for other in (self.booking_neighbour, self.booking_b):
            with self.subTest(booking=other.name):
                self.assertFalse(Booking.search([("id", "=", other.id)]))
                with self.assertRaises(AccessError):
                    other.with_user(portal).read(["name"])
        # the other company's customer does not see company A's either
        portal_b = self._portal_user(self.contact_b, "lcrm_portal_lin", company=self.company_b)
        self.assertEqual(self.Booking.with_user(portal_b).search([]), self.booking_b)
        with self.assertRaises(AccessError):
            self.booking_a.with_user(portal_b).read(["name"])

    def test_portal_customer_cannot_change_bookings_directly(self):
        portal = self._portal_user(self.contact_li, "lcrm_portal_li")
        own = self.booking_a.with_user(portal)
        with self.assertRaises(AccessError):
            own.write({"notes": "Changed by the customer"})
        with self.assertRaises(AccessError):
            own.write({"state": "done"})
        with self.assertRaises(AccessError):
            self.Booking.with_user(portal).create(self._booking_vals(contact_id=self.contact_li.id))
        with self.assertRaises(AccessError), mute_logger("odoo.models.unlink"):
            own.unlink()
        self.assertTrue(self.booking_a.exists())
        self.assertEqual(self.booking_a.state, "requested")
        self.assertFalse(self.booking_a.notes)
