"""Pickup and delivery bookings (issue #14): the data a booking holds, every transition of its
workflow and bad input in the back office (the mail, lifecycle, survey and automation are in
test_booking_followup.py)."""

from datetime import time, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common_booking import MSG_PAST, WINDOW_END, WINDOW_START, BookingCase, tomorrow_at


@tagged("post_install", "-at_install", "logistics_crm")
class TestBookingData(BookingCase):
    """What a booking holds: its reference, its customer, contact, address and dispatcher."""

    def test_reference_from_the_sequence(self):
        first = self._booking()
        second = self._booking(booking_type="delivery")
        self.assertRegex(first.name, r"^BK\d{5}$")
        self.assertRegex(second.name, r"^BK\d{5}$")
        self.assertNotEqual(first.name, second.name)
        self.assertGreater(int(second.name[2:]), int(first.name[2:]), "the next number of the sequence")
        self.assertEqual(first.state, "requested")
        self.assertEqual(first.company_id, self.company)
        self.assertEqual(first.access_url, f"/my/bookings/{first.id}")
        self.assertIn(first.name, first.display_name)
        self.assertIn(self.shipper.name, first.display_name)

    @mute_logger("odoo.sql_db")
    def test_reference_is_unique_per_company(self):
        booking = self._booking()
        with self.assertRaises(IntegrityError), self.env.cr.savepoint():
            self._booking(name=booking.name)
            self.env.flush_all()
        self.assertEqual(self.Booking.search_count([("name", "=", booking.name)]), 1)
        # the other company may have a booking of the same number
        other = self._booking_b(name=booking.name)
        self.assertEqual(other.company_id, self.company_b)

    def test_copy_is_a_new_request(self):
        booking = self._in_state("confirmed")
        copy = booking.copy()
        self.assertRegex(copy.name, r"^BK\d{5}$")
        self.assertNotEqual(copy.name, booking.name)
        self.assertEqual(copy.state, "requested")
        self.assertFalse(copy.date_confirmed)
        self.assertEqual((copy.date_start, copy.date_end), (booking.date_start, booking.date_end))

    def test_copy_of_a_past_booking_moves_to_the_next_day_ahead(self):
        """A regular pickup booked anew from last week's: same times, first day it lies ahead again."""
        past = fields.Datetime.now() - timedelta(days=8, hours=1)
        done = self._booking(state="done", date_start=past, date_end=past + timedelta(hours=3), date_done=past)
        copy = done.copy()
        self.assertEqual(copy.state, "requested")
        self.assertFalse(copy.date_done)
        self.assertGreater(copy.date_end, fields.Datetime.now())
        self.assertLessEqual(copy.date_end - fields.Datetime.now(), timedelta(days=1), "the first day ahead")
        self.assertEqual(copy.date_end - copy.date_start, timedelta(hours=3))
        self.assertEqual(copy.date_start.time(), past.time())
        # a window of several days moves until its start is at most a day ago
        long_done = self._booking(state="done", date_start=past, date_end=past + timedelta(days=3), date_done=past)
        long_copy = long_done.copy()
        self.assertGreaterEqual(long_copy.date_start, fields.Datetime.now() - timedelta(days=1))
        self.assertEqual(long_copy.date_end - long_copy.date_start, timedelta(days=3))
        # an explicit window wins
        start = tomorrow_at(time(14, 0))
        other = done.copy({"date_start": start, "date_end": start + timedelta(hours=1)})
        self.assertEqual(other.date_start, start)

    def test_booked_by_a_contact_is_held_on_the_customer(self):
        booking = self._booking(partner_id=self.contact_li.id)
        self.assertEqual(booking.partner_id, self.shipper, "held on the commercial partner")
        self.assertEqual(booking.contact_id, self.contact_li)
        self.assertEqual(booking.contact_name, "Li Na")
        self.assertEqual(booking.phone, "+86 533 555 0101")
        self.assertEqual(booking.email, "li.na@sd-tiles.example.com")
        self.assertIn(self.contact_li, booking.message_partner_ids, "the person who booked follows it")
        # given as contact only, the customer is found as well
        by_contact = self._booking(partner_id=False, contact_id=self.contact_wu.id)
        self.assertEqual(by_contact.partner_id, self.shipper)
        self.assertEqual(by_contact.contact_name, "Wu Gang")
        self.assertFalse(by_contact.email)
        # the contact details typed in are kept
        typed = self._booking(contact_id=self.contact_li.id, contact_name="Gate keeper", phone="+86 1")
        self.assertEqual((typed.contact_name, typed.phone), ("Gate keeper", "+86 1"))
        self.assertEqual(typed.email, "li.na@sd-tiles.example.com")

    def test_customer_follows_a_booking_without_contact(self):
        booking = self._booking()
        self.assertFalse(booking.contact_id)
        self.assertIn(self.shipper, booking.message_partner_ids)

    def test_address_from_a_known_address(self):
        booking = self._booking()
        self.assertEqual(booking.address_id, self.dock)
        self.assertEqual(
            (booking.street, booking.city, booking.zip, booking.country_id),
            ("88 Xianggang Road", "Qingdao", "266071", self.china),
        )
        self.assertEqual(booking.address_display, "88 Xianggang Road, 266071 Qingdao, China")
        # another address chosen later replaces the address
        booking.address_id = self.shipper
        self.assertEqual((booking.street, booking.city, booking.zip), ("1 Factory Road", "Zibo", "255000"))

    def test_typed_address_is_kept(self):
        booking = self._booking(address_id=self.dock.id, street="Gate 3, 12 Binhai Road", city="Rizhao")
        self.assertEqual((booking.street, booking.city), ("Gate 3, 12 Binhai Road", "Rizhao"))
        typed_only = self._booking(address_id=False, street="7 Port Road", city="Yantai", zip="264000")
        self.assertFalse(typed_only.address_id)
        self.assertEqual(typed_only.address_display, "7 Port Road, 264000 Yantai")

    def test_address_of_another_customer_is_refused(self):
        other = self._customer("Other Customer", street="1 Other Street", city="Jinan")
        with self.assertRaisesRegex(ValidationError, "is not an address or a contact of"), self.env.cr.savepoint():
            self._booking(address_id=other.id)
        with self.assertRaisesRegex(ValidationError, "is not an address or a contact of"), self.env.cr.savepoint():
            self._booking(partner_id=self.shipper.id, contact_id=self.contact_b.id)

    def test_customer_of_another_company_is_refused(self):
        with self.assertRaisesRegex(ValidationError, "belongs to company"), self.env.cr.savepoint():
            self._booking(partner_id=self.customer_b.id, address_id=self.customer_b.id)

    def test_dispatcher_defaults_to_the_salesperson(self):
        self.assertEqual(self._booking().user_id, self.user_sales)
        self.assertEqual(self._booking(user_id=self.dispatcher.id).user_id, self.dispatcher)
        self.assertFalse(self._booking(user_id=False).user_id)
        unassigned = self._customer("No Salesperson Ltd", user_id=False, street="2 Road", city="Weifang")
        self.assertFalse(self._booking(partner_id=unassigned.id, address_id=unassigned.id).user_id)

    def test_order_of_another_customer_is_refused(self):
        other = self._customer("Other Shipper Ltd", street="5 Road", city="Rizhao")
        order = self._order(other, 1000)
        before = self.Booking.search_count([])
        with self.assertRaisesRegex(ValidationError, "is not an order of"), self.env.cr.savepoint():
            self._booking(sale_order_id=order.id)
        self.assertEqual(self.Booking.search_count([]), before)
        own = self._order(self.shipper, 500)
        self.assertEqual(self._booking(sale_order_id=own.id).sale_order_id, own)

    def test_window_of_a_done_booking_does_not_change(self):
        booking = self._in_state("done")
        start = booking.date_start
        with self.assertRaisesRegex(UserError, "cannot change"), self.env.cr.savepoint():
            booking.write({"date_start": start + timedelta(days=1), "date_end": booking.date_end + timedelta(days=1)})
        self.assertEqual(booking.date_start, start)
        # an open booking moves freely ahead
        open_booking = self._in_state("scheduled")
        open_booking.write({"date_end": open_booking.date_end + timedelta(hours=1)})

    def test_salesperson_of_another_company_is_no_default_dispatcher(self):
        """A customer shared by both companies: its salesperson works for company A only, so company B's
        booking waits for a dispatcher of B."""
        shared = self._customer("Shared Shipper Ltd", user_id=self.user_sales.id, street="3 Road", city="Yantai")
        shared.company_id = False
        self.assertNotIn(self.company_b, self.user_sales.company_ids)
        booking = self._booking_b(partner_id=shared.id, address_id=shared.id)
        self.assertFalse(booking.user_id)
        self.assertEqual(self._booking(partner_id=shared.id, address_id=shared.id).user_id, self.user_sales)

    def test_form_as_a_dispatcher_books_a_pickup(self):
        form = Form(self.Booking.with_user(self.dispatcher))
        form.partner_id = self.shipper
        self.assertEqual(form.address_id, self.dock, "the customer's delivery address")
        self.assertEqual((form.street, form.city), ("88 Xianggang Road", "Qingdao"))
        self.assertEqual(form.user_id, self.user_sales, "the customer's salesperson")
        form.contact_id = self.contact_li
        self.assertEqual((form.contact_name, form.email), ("Li Na", "li.na@sd-tiles.example.com"))
        form.date_start = tomorrow_at(WINDOW_START)
        form.date_end = tomorrow_at(WINDOW_END)
        form.goods_description = "3 crates of spare parts"
        form.packages = 3
        form.weight_kg = 250
        form.volume_m3 = 1.5
        booking = form.save()
        self.assertRegex(booking.name, r"^BK\d{5}$")
        self.assertEqual(booking.state, "requested")
        self.assertEqual((booking.partner_id, booking.contact_id), (self.shipper, self.contact_li))
        self.assertEqual(booking.phone, "+86 533 555 0101")
        self.assertEqual((booking.city, booking.country_id), ("Qingdao", self.china))
        self.assertEqual((booking.date_start, booking.date_end), (tomorrow_at(WINDOW_START), tomorrow_at(WINDOW_END)))

    def test_form_choosing_a_contact_first_finds_the_customer(self):
        form = Form(self.Booking.with_user(self.dispatcher))
        form.contact_id = self.contact_li
        self.assertEqual(form.partner_id, self.shipper)
        self.assertEqual(form.address_id, self.dock)
        other = self._customer("Other Shipper", street="2 Other Road", city="Jinan")
        form.partner_id = other
        self.assertFalse(form.contact_id, "a contact of another customer is cleared")
        self.assertEqual(form.address_id, other, "its own address, without a delivery address")
        self.assertEqual(form.city, "Jinan")


@tagged("post_install", "-at_install", "logistics_crm")
class TestBookingWorkflow(BookingCase):
    """Every transition, and every refused one."""

    def test_confirm(self):
        booking = self._booking()
        moment = fields.Datetime.now() + timedelta(minutes=5)
        with freeze_time(moment):
            self.assertIs(booking.with_user(self.dispatcher).action_confirm(), True)
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(booking.date_confirmed, moment)
        self.assertFalse(booking.date_done)

    def test_schedule_a_confirmed_booking(self):
        booking = self._in_state("confirmed")
        confirmed_on = booking.date_confirmed
        booking.with_user(self.dispatcher).action_schedule()
        self.assertEqual(booking.state, "scheduled")
        self.assertEqual(booking.date_confirmed, confirmed_on)
        self.assertEqual(booking.user_id, self.user_sales, "the dispatcher set stays")
        self.assertEqual(len(self._comments(booking)), 1, "confirmed once, mailed once")

    def test_schedule_a_requested_booking_confirms_it_first(self):
        booking = self._booking(contact_id=self.contact_li.id)
        booking.with_user(self.dispatcher).action_schedule()
        self.assertEqual(booking.state, "scheduled")
        self.assertTrue(booking.date_confirmed)
        confirmation = self._comments(booking)
        self.assertEqual(len(confirmation), 1, "the customer got the confirmation")
        self.assertEqual(confirmation.partner_ids, self.contact_li)

    def test_schedule_makes_you_the_dispatcher_when_none(self):
        booking = self._booking(user_id=False)
        booking.with_user(self.dispatcher).action_schedule()
        self.assertEqual(booking.user_id, self.dispatcher)
        other = self._booking(user_id=self.dispatch_manager.id)
        other.with_user(self.dispatcher).action_schedule()
        self.assertEqual(other.user_id, self.dispatch_manager, "someone else's booking stays theirs")

    def test_done_from_confirmed_and_from_scheduled(self):
        confirmed = self._in_state("confirmed")
        scheduled = self._in_state("scheduled")
        moment = fields.Datetime.now() + timedelta(minutes=5)
        with freeze_time(moment):
            (confirmed | scheduled).with_user(self.dispatcher).action_done()
        for booking in confirmed | scheduled:
            self.assertEqual(booking.state, "done")
            self.assertEqual(booking.date_done, moment)

    def test_cancel_from_each_open_state(self):
        for state in ("requested", "confirmed", "scheduled"):
            booking = self._in_state(state)
            booking.with_user(self.dispatcher).action_cancel()
            self.assertEqual(booking.state, "cancelled", state)
            self.assertFalse(booking.date_done)

    def test_reopen_a_cancelled_booking(self):
        booking = self._in_state("confirmed")
        booking.action_cancel()
        booking.with_user(self.dispatcher).action_reopen()
        self.assertEqual(booking.state, "requested")
        self.assertFalse(booking.date_confirmed, "to be confirmed again")
        booking.action_confirm()
        self.assertEqual(booking.state, "confirmed")

    def test_reopen_refused_once_the_window_has_passed(self):
        booking = self._in_state("cancelled")
        with freeze_time(tomorrow_at(WINDOW_END) + timedelta(hours=1)):
            with self.assertRaisesRegex(UserError, MSG_PAST), self.env.cr.savepoint():
                booking.with_user(self.dispatcher).action_reopen()
        self.assertEqual(booking.state, "cancelled")
        # a window moved to the past (an old booking cancelled long ago): the same
        old = self._in_state("cancelled")
        past = fields.Datetime.now() - timedelta(days=3)
        old.write({"date_start": past, "date_end": past + timedelta(hours=3)})
        with self.assertRaisesRegex(UserError, MSG_PAST), self.env.cr.savepoint():
            old.action_reopen()
        self.assertEqual(old.state, "cancelled")

    def test_refused_transitions_name_the_booking_and_change_nothing(self):
        refused = {
            "action_confirm": ("confirmed", "scheduled", "done", "cancelled"),
            "action_schedule": ("scheduled", "done", "cancelled"),
            "action_done": ("requested", "done", "cancelled"),
            "action_cancel": ("done", "cancelled"),
            "action_reopen": ("requested", "confirmed", "scheduled", "done"),
        }
        bookings = {
            state: self._in_state(state) for state in ("requested", "confirmed", "scheduled", "done", "cancelled")
        }
        for action, states in refused.items():
            for state in states:
                booking = bookings[state].with_user(self.dispatcher)
                before = booking.read(["state", "date_confirmed", "date_done", "user_id"])
                messages = len(booking.message_ids)
                with self.subTest(action=action, state=state):
                    with self.assertRaisesRegex(UserError, booking.name), self.env.cr.savepoint():
                        getattr(booking, action)()
                    booking.invalidate_recordset()
                    self.assertEqual(booking.read(["state", "date_confirmed", "date_done", "user_id"]), before)
                    self.assertEqual(len(booking.message_ids), messages)

    def test_one_refused_booking_stops_the_batch(self):
        requested = self._booking()
        confirmed = self._in_state("confirmed")
        with self.assertRaisesRegex(UserError, confirmed.name) as caught, self.env.cr.savepoint():
            (requested | confirmed).action_confirm()
        self.assertNotIn(requested.name, str(caught.exception), "only the refused booking is named")
        self.assertEqual(requested.state, "requested")
        self.assertFalse(requested.date_confirmed)
        self.assertFalse(self._comments(requested), "no confirmation sent")

    def test_customer_cancels_only_a_requested_booking(self):
        booking = self._booking(contact_id=self.contact_li.id)
        booking._logistics_customer_cancel()
        self.assertEqual(booking.state, "cancelled")
        note = booking.message_ids.filtered(lambda m: "Cancelled by the customer" in (m.body or ""))
        self.assertEqual(note.subtype_id, self.env.ref("mail.mt_note"))
        expected = {
            "confirmed": "is already confirmed: please call or write to us",
            "scheduled": "is already confirmed: please call or write to us",
            "done": "is already done",
            "cancelled": "is already cancelled",
        }
        for state, message in expected.items():
            booking = self._in_state(state)
            with self.subTest(state=state):
                with self.assertRaisesRegex(UserError, f"{booking.name} {message}"), self.env.cr.savepoint():
                    booking._logistics_customer_cancel()
                self.assertEqual(booking.state, state)

    def test_customer_cancel_signed_by_the_given_author(self):
        booking = self._booking(contact_id=self.contact_li.id)
        booking._logistics_customer_cancel(author=self.contact_li)
        note = booking.message_ids.filtered(lambda m: "Cancelled by the customer" in (m.body or ""))
        self.assertEqual(note.author_id, self.contact_li)

    def test_state_written_directly_keeps_its_dates(self):
        """An import or an automated action writing the state: the dates follow, as with the buttons."""
        booking = self._booking()
        booking.write({"state": "scheduled"})
        self.assertTrue(booking.date_confirmed)
        self.assertFalse(booking.date_done)
        booking.write({"state": "done"})
        self.assertTrue(booking.date_done)
        booking.write({"state": "requested"})
        self.assertFalse(booking.date_confirmed)
        self.assertFalse(booking.date_done)

    def test_state_changes_are_tracked(self):
        booking = self._booking()
        self.env.flush_all()
        self.env.cr.precommit.run()
        booking.action_confirm()
        self.env.flush_all()
        self.env.cr.precommit.run()
        booking.action_done()
        self.env.flush_all()
        self.env.cr.precommit.run()
        tracked = booking.message_ids.tracking_value_ids.filtered(lambda v: v.field_id.name == "state")
        self.assertEqual(tracked.mapped("new_value_char"), ["Done", "Confirmed"], "newest first")
        done_message = tracked[0].mail_message_id
        self.assertEqual(done_message.subtype_id, self.env.ref("logistics_crm.mt_booking_done"))
