"""Pickup and delivery bookings (issue #14): the data a booking holds, every transition of its
workflow, the confirmation mail, bad input in the back office, the lifecycle stage and the
satisfaction survey after a booking done, automated actions and the dispatch figures."""

from datetime import time, timedelta

from freezegun import freeze_time
from psycopg2 import IntegrityError

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common_booking import WINDOW_END, WINDOW_START, BookingCase, tomorrow_at
from .common_satisfaction import SatisfactionCase

CONFIRMATION_TEMPLATE = "logistics_crm.mail_template_logistics_booking_confirmed"
SURVEY_TEMPLATE = "logistics_crm.mail_template_logistics_survey_invite"
SURVEY_LOGGER = "odoo.addons.logistics_crm.models.logistics_booking_survey"

# the messages of bad input, as the dispatcher and the customer read them
MSG_ORDER = "The window must end after it starts"
MSG_PAST = "The requested window lies in the past"
MSG_ADDRESS = "Please give the address"
MSG_GOODS = "Please describe the goods"
MSG_WEIGHT = "The weight must be more than 0 kg"
MSG_VOLUME = "The volume must be more than 0 m³"
MSG_PACKAGES = "The number of packages must be a whole number, at least 1"


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


@tagged("post_install", "-at_install", "logistics_crm")
class TestBookingConfirmationMail(BookingCase):
    """Confirming emails the person who booked (the shipped template, editable)."""

    def _confirm(self, booking):
        # queued, not sent at once (odoo-bin's test mode sends and deletes them right away)
        booking.with_user(self.dispatcher).with_context(mail_notify_force_send=False).action_confirm()
        return self._comments(booking)

    def _mail_to(self, message, partner):
        """The email queued for ``message`` to ``partner``."""
        mails = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        return mails.filtered(lambda mail: partner in mail.recipient_ids)

    def test_confirmation_to_the_contact(self):
        booking = self._booking(contact_id=self.contact_li.id)
        self.assertFalse(self._comments(booking))
        message = self._confirm(booking)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.message_type, "comment")
        self.assertFalse(message.is_internal, "the customer sees it in the portal thread")
        self.assertIn(booking.name, message.subject)
        self.assertIn(booking.name, message.body)
        self.assertIn("Qingdao", message.body)
        self.assertIn("12 pallets of ceramic tiles", message.body)
        self.assertEqual(message.partner_ids, self.contact_li)
        # the customer's copy (the dispatcher following the booking gets their own)
        mail = self._mail_to(message, self.contact_li)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.recipient_ids, self.contact_li)
        self.assertEqual(mail.recipient_ids.email, "li.na@sd-tiles.example.com")
        self.assertIn(booking.name, mail.body_html)
        self.assertIn("access_token", mail.body_html, "the email links to the booking's portal page")

    def test_confirmation_to_the_customer_without_contact(self):
        booking = self._booking()
        message = self._confirm(booking)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.partner_ids, self.shipper)
        mail = self._mail_to(message, self.shipper)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids.email, "logistics@sd-tiles.example.com")

    def test_confirmation_of_a_contact_without_email_goes_to_the_customer(self):
        """The person who booked has no email address: the confirmation goes to the typed on-site email,
        else to the customer company, never into the void."""
        booking = self._booking(contact_id=self.contact_wu.id, email=False)
        message = self._confirm(booking)
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(message.partner_ids, self.shipper)
        self.assertTrue(self._mail_to(message, self.shipper))
        typed = self._booking(contact_id=self.contact_wu.id, email="gate@sd-tiles.example.com")
        message = self._confirm(typed)
        mails = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        addresses = " ".join(filter(None, mails.mapped("email_to") + mails.recipient_ids.mapped("email")))
        self.assertIn("gate@sd-tiles.example.com", addresses)
        self.assertNotIn(self.shipper, message.partner_ids)

    def test_confirmation_tells_the_window_in_the_customers_time_zone(self):
        self.contact_li.tz = "Asia/Shanghai"
        booking = self._booking(contact_id=self.contact_li.id)
        self.assertEqual(booking.window_tz, "Asia/Shanghai")
        message = self._confirm(booking)
        # 09:00-12:00 UTC is 17:00-20:00 in Shanghai
        self.assertIn("Asia/Shanghai", message.body)
        self.assertRegex(message.body, r"5:00:00\s?PM")
        self.assertNotRegex(message.body, r"9:00:00\s?AM")
        self.contact_li.tz = False
        self.shipper.tz = False
        self.dispatcher.tz = "Europe/Brussels"
        booking.user_id = self.dispatcher
        booking.invalidate_recordset(["window_tz"])
        self.assertEqual(booking.window_tz, "Europe/Brussels", "else the dispatcher's")

    def test_confirmation_to_a_typed_email_without_contact(self):
        # booked by phone: the dispatcher types the on-site email and chooses no contact
        booking = self._booking(email="gate.keeper@sd-tiles.example.com", contact_name="Gate keeper")
        message = self._confirm(booking)
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(len(message), 1)
        self.assertIn(booking.name, message.body)
        mails = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        addresses = mails.mapped("email_to") + mails.recipient_ids.mapped("email")
        self.assertIn("gate.keeper@sd-tiles.example.com", " ".join(filter(None, addresses)), "to the typed address")

    def test_no_address_to_write_to_still_confirms(self):
        silent = self._customer("Silent Farms", street="3 Field Road", city="Linyi")
        booking = self._booking(partner_id=silent.id, address_id=silent.id)
        self.assertFalse(self._confirm(booking))
        self.assertEqual(booking.state, "confirmed")

    def test_template_is_shipped_and_editable(self):
        template = self.env.ref(CONFIRMATION_TEMPLATE)
        self.assertEqual(template.model_id.model, "logistics.booking")
        data = self.env["ir.model.data"].search(
            [("module", "=", "logistics_crm"), ("name", "=", "mail_template_logistics_booking_confirmed")]
        )
        self.assertTrue(data.noupdate, "an update of the module keeps the company's changes")
        template.write(
            {
                "subject": "Booked: {{ object.name }}",
                "body_html": '<p>Custom text for <t t-out="object.name"/> in <t t-out="object.city"/></p>',
            }
        )
        booking = self._booking(contact_id=self.contact_li.id)
        message = self._confirm(booking)
        self.assertEqual(message.subject, f"Booked: {booking.name}")
        self.assertIn(f"Custom text for {booking.name} in Qingdao", message.body)

    def test_confirmation_without_template_still_confirms(self):
        self.env.ref(CONFIRMATION_TEMPLATE).unlink()
        booking = self._booking(contact_id=self.contact_li.id)
        self.assertFalse(self._confirm(booking))
        self.assertEqual(booking.state, "confirmed")


@tagged("post_install", "-at_install", "logistics_crm")
class TestBookingBadInput(BookingCase):
    """Bad input in the back office: a clear message, nothing saved."""

    def _form(self, **values):
        """The booking form as a dispatcher fills it in (valid unless ``values`` say otherwise)."""
        form = Form(self.Booking.with_user(self.dispatcher))
        form.partner_id = self.shipper
        form.contact_id = self.contact_li
        for fname, value in {
            "date_start": tomorrow_at(WINDOW_START),
            "date_end": tomorrow_at(WINDOW_END),
            "goods_description": "12 pallets of ceramic tiles",
            "packages": 12,
            "weight_kg": 4800,
            "volume_m3": 18,
            **values,
        }.items():
            setattr(form, fname, value)
        return form

    def _bad_values(self):
        now = fields.Datetime.now()
        return [
            ({"date_end": tomorrow_at(WINDOW_START) - timedelta(hours=1)}, MSG_ORDER),
            ({"date_end": tomorrow_at(WINDOW_START)}, MSG_ORDER),
            ({"date_start": now - timedelta(days=2), "date_end": now - timedelta(days=2, hours=-3)}, MSG_PAST),
            ({"date_start": now - timedelta(hours=3), "date_end": now - timedelta(minutes=1)}, MSG_PAST),
            ({"weight_kg": 0}, MSG_WEIGHT),
            ({"weight_kg": -10}, MSG_WEIGHT),
            ({"volume_m3": 0}, MSG_VOLUME),
            ({"volume_m3": -0.5}, MSG_VOLUME),
            ({"packages": 0}, MSG_PACKAGES),
            ({"packages": -2}, MSG_PACKAGES),
            ({"goods_description": "   \n "}, MSG_GOODS),
        ]

    def test_form_refuses_bad_input_and_saves_nothing(self):
        count = self.Booking.search_count([])
        no_address = self.env["res.partner"]
        for values, message in self._bad_values() + [
            ({"address_id": no_address, "street": False, "city": False}, MSG_ADDRESS),
            ({"address_id": no_address, "street": "  ", "city": "Qingdao"}, MSG_ADDRESS),
            ({"address_id": no_address, "street": "8 Harbour Road", "city": False}, MSG_ADDRESS),
        ]:
            with self.subTest(values=values):
                form = self._form(**values)
                with self.assertRaisesRegex(ValidationError, message), self.env.cr.savepoint():
                    form.save()
        self.assertEqual(self.Booking.search_count([]), count)

    @mute_logger("odoo.sql_db")
    def test_create_refuses_bad_input_and_saves_nothing(self):
        count = self.Booking.search_count([])
        for values, message in self._bad_values() + [
            ({"address_id": False}, MSG_ADDRESS),
            ({"address_id": False, "street": "8 Harbour Road"}, MSG_ADDRESS),
            ({"address_id": False, "city": "Qingdao"}, MSG_ADDRESS),
            ({"goods_description": ""}, MSG_GOODS),
        ]:
            with self.subTest(values=values):
                with self.assertRaisesRegex(ValidationError, message), self.env.cr.savepoint():
                    self.Booking.with_user(self.dispatcher).create(self._booking_vals(**values))
        self.assertEqual(self.Booking.search_count([]), count)

    @mute_logger("odoo.sql_db")
    def test_window_missing_is_refused(self):
        count = self.Booking.search_count([])
        for fname in ("date_start", "date_end"):
            with self.subTest(missing=fname):
                # the form does not save without both bounds (required fields)
                form = self._form(**{fname: False})
                with self.assertRaisesRegex(AssertionError, f"{fname} is a required field"):
                    form.save()
                # nor does the database (NOT NULL columns)
                with self.assertRaises(IntegrityError), self.env.cr.savepoint():
                    self.Booking.create(self._booking_vals(**{fname: False}))
        self.assertEqual(self.Booking.search_count([]), count)

    def test_window_under_way_is_accepted(self):
        now = fields.Datetime.now()
        booking = self._booking(date_start=now - timedelta(hours=2), date_end=now + timedelta(hours=1))
        self.assertEqual(booking.state, "requested", "a pickup this afternoon, booked at lunch")

    def test_window_begun_long_ago_is_refused(self):
        """A start typed a year too early, with an end ahead: not a window under way but a typo."""
        end = tomorrow_at(WINDOW_END)
        for start in (fields.Datetime.now() - timedelta(days=2), end.replace(year=end.year - 1)):
            with self.subTest(start=start):
                before = self.Booking.search_count([])
                with self.assertRaisesRegex(ValidationError, MSG_PAST), self.env.cr.savepoint():
                    self._booking(date_start=start, date_end=end)
                self.assertEqual(self.Booking.search_count([]), before)

    def test_history_import_of_a_done_booking_with_a_past_window(self):
        past = fields.Datetime.now() - timedelta(days=40)
        booking = self._booking(state="done", date_start=past, date_end=past + timedelta(hours=3), date_done=past)
        self.assertEqual(booking.state, "done")
        self.assertEqual(booking.date_start, past)
        cancelled = self._booking(state="cancelled", date_start=past, date_end=past + timedelta(hours=3))
        self.assertEqual(cancelled.state, "cancelled")
        # the window order is checked for history too
        with self.assertRaisesRegex(ValidationError, MSG_ORDER), self.env.cr.savepoint():
            self._booking(state="done", date_start=past, date_end=past - timedelta(hours=1))

    def test_moving_an_open_booking_into_the_past_is_refused(self):
        past = fields.Datetime.now() - timedelta(days=1)
        for state in ("requested", "confirmed", "scheduled"):
            booking = self._in_state(state).with_user(self.dispatcher)
            start, end = booking.date_start, booking.date_end
            with self.subTest(state=state):
                with self.assertRaisesRegex(ValidationError, MSG_PAST), self.env.cr.savepoint():
                    booking.write({"date_start": past, "date_end": past + timedelta(hours=3)})
                with self.assertRaisesRegex(ValidationError, MSG_ORDER), self.env.cr.savepoint():
                    booking.write({"date_end": start - timedelta(hours=1)})
                booking.invalidate_recordset()
                self.assertEqual((booking.date_start, booking.date_end), (start, end))
                # rescheduled into the future: fine
                later = start + timedelta(days=2)
                booking.write({"date_start": later, "date_end": later + timedelta(hours=4)})
                self.assertEqual(booking.date_end, later + timedelta(hours=4))

    def test_form_reschedules_into_the_future(self):
        booking = self._in_state("scheduled")
        with Form(booking.with_user(self.dispatcher)) as form:
            form.date_start = tomorrow_at(WINDOW_START) + timedelta(days=3)
            form.date_end = tomorrow_at(WINDOW_END) + timedelta(days=3)
        self.assertEqual(booking.date_start, tomorrow_at(WINDOW_START) + timedelta(days=3))
        form = Form(booking.with_user(self.dispatcher))
        form.date_end = fields.Datetime.now() - timedelta(hours=1)
        form.date_start = fields.Datetime.now() - timedelta(hours=4)
        with self.assertRaisesRegex(ValidationError, MSG_PAST), self.env.cr.savepoint():
            form.save()

    def test_clearing_the_address_or_measures_of_a_booking_is_refused(self):
        booking = self._booking()
        for values, message in (
            ({"street": False}, MSG_ADDRESS),
            ({"city": " "}, MSG_ADDRESS),
            ({"weight_kg": 0}, MSG_WEIGHT),
            ({"volume_m3": -1}, MSG_VOLUME),
            ({"packages": 0}, MSG_PACKAGES),
            ({"goods_description": " "}, MSG_GOODS),
        ):
            with self.subTest(values=values):
                with self.assertRaisesRegex(ValidationError, message), self.env.cr.savepoint():
                    booking.write(values)
        booking.invalidate_recordset()
        self.assertEqual((booking.street, booking.city, booking.weight_kg), ("88 Xianggang Road", "Qingdao", 4800.0))

    def test_problems_tell_the_field_at_fault(self):
        Booking = self.Booking
        now = fields.Datetime.now()
        valid = {
            "street": "88 Xianggang Road",
            "city": "Qingdao",
            "goods_description": "Tiles",
            "volume_m3": 1.0,
        }
        # a start typed a year early with an end ahead: the start is at fault
        problems = Booking._logistics_problems(
            {**valid, "weight_kg": 10.0, "date_start": now - timedelta(days=365), "date_end": now + timedelta(hours=2)}
        )
        self.assertEqual(set(problems), {"date_start"})
        self.assertIn(MSG_PAST, problems["date_start"])
        # the whole window gone: the end
        problems = Booking._logistics_problems(
            {**valid, "weight_kg": 10.0, "date_start": now - timedelta(hours=5), "date_end": now - timedelta(hours=2)}
        )
        self.assertEqual(set(problems), {"date_end"})
        # a weight that rounds to 0.00 kg as stored is no weight (nor a volume of 0.000 m³)
        start = tomorrow_at(WINDOW_START)
        window = {"date_start": start, "date_end": start + timedelta(hours=1)}
        problems = Booking._logistics_problems({**valid, **window, "weight_kg": 0.001, "volume_m3": 0.0004})
        self.assertEqual(set(problems), {"weight_kg", "volume_m3"})
        self.assertEqual(Booking._logistics_problems({**valid, **window, "weight_kg": 0.01, "volume_m3": 0.001}), {})
        with self.assertRaisesRegex(ValidationError, MSG_WEIGHT), self.env.cr.savepoint():
            self._booking(weight_kg=0.001)

    def test_problems_lists_every_field_at_once(self):
        Booking = self.Booking
        start = tomorrow_at(WINDOW_START)
        valid = {
            "date_start": start,
            "date_end": start + timedelta(hours=3),
            "street": "88 Xianggang Road",
            "city": "Qingdao",
            "goods_description": "Tiles",
            "weight_kg": 10.0,
            "volume_m3": 1.0,
            "packages": 1,
        }
        self.assertEqual(Booking._logistics_problems(valid), {})
        problems = Booking._logistics_problems(
            {
                "date_start": start,
                "date_end": start - timedelta(hours=1),
                "street": "",
                "city": "",
                "goods_description": "  ",
                "weight_kg": 0,
                "volume_m3": -1,
                "packages": 0,
            }
        )
        self.assertEqual(
            set(problems), {"date_end", "street", "goods_description", "weight_kg", "volume_m3", "packages"}
        )
        self.assertIn(MSG_ORDER, problems["date_end"])
        self.assertIn(MSG_ADDRESS, problems["street"])
        self.assertIn(MSG_GOODS, problems["goods_description"])
        self.assertIn(MSG_WEIGHT, problems["weight_kg"])
        self.assertIn(MSG_VOLUME, problems["volume_m3"])
        self.assertIn(MSG_PACKAGES, problems["packages"])
        # a street without a city: the city is what is missing
        self.assertEqual(set(Booking._logistics_problems({**valid, "city": " "})), {"city"})
        # the window: missing, past (for an open booking only), measured against the given now
        self.assertEqual(
            set(Booking._logistics_problems({**valid, "date_start": False, "date_end": False})), {"date_start"}
        )
        self.assertEqual(set(Booking._logistics_problems({**valid, "date_end": False})), {"date_end"})
        later = start + timedelta(days=1)
        self.assertIn(MSG_PAST, Booking._logistics_problems(valid, now=later)["date_end"])
        self.assertEqual(Booking._logistics_problems({**valid, "state": "done"}, now=later), {})
        # packages: a whole number; not given: not checked (the portal form may leave it out)
        self.assertEqual(set(Booking._logistics_problems({**valid, "packages": 1.5})), {"packages"})
        self.assertEqual(set(Booking._logistics_problems({**valid, "packages": "abc"})), {"packages"})
        without_packages = dict(valid)
        del without_packages["packages"]
        self.assertEqual(Booking._logistics_problems(without_packages), {})
        # numbers typed in the portal come as strings
        self.assertEqual(Booking._logistics_problems({**valid, "weight_kg": "12.5", "volume_m3": "0.2"}), {})
        self.assertEqual(
            set(Booking._logistics_problems({**valid, "weight_kg": "abc", "volume_m3": "nan"})),
            {"weight_kg", "volume_m3"},
        )


@tagged("post_install", "-at_install", "logistics_crm")
class TestBookingLifecycle(BookingCase):
    """A booking done is a sign of life: the customer's lifecycle stage counts from it."""

    def _stage(self, partner, company=None):
        return partner.with_company(company or self.company).logistics_stage

    def _old_customer(self, name, days_ago):
        customer = self._customer(name, street="9 Old Road", city="Tai'an")
        self._order(customer, 1000, days_ago=days_ago)
        return customer

    def _done(self, customer, company=None):
        booking = self.Booking.with_company(company or self.company).create(
            self._booking_vals(partner_id=customer.id, address_id=customer.id)
        )
        booking.action_confirm()
        booking.action_done()
        return booking

    def test_booking_done_makes_a_dormant_or_lost_customer_active(self):
        dormant = self._old_customer("Dormant Shipper", days_ago=250)
        lost = self._old_customer("Lost Shipper", days_ago=500)
        self.recompute()
        self.assertEqual(self._stage(dormant), "dormant")
        self.assertEqual(self._stage(lost), "lost")
        self._done(dormant)
        self._done(lost)
        self.recompute()
        self.assertEqual(self._stage(dormant), "active")
        self.assertEqual(self._stage(lost), "active")
        self.assertEqual(dormant.with_company(self.company).logistics_last_order_date, self.today - timedelta(days=250))

    def test_booking_done_counts_from_its_done_date(self):
        customer = self._old_customer("Moved long ago", days_ago=500)
        booking = self._done(customer)
        booking.date_done = fields.Datetime.now() - timedelta(days=200)
        self.recompute()
        self.assertEqual(self._stage(customer), "dormant", "its last sign of life: the booking 200 days ago")

    def test_open_or_cancelled_bookings_do_not_count(self):
        customer = self._old_customer("Cancelling Shipper", days_ago=250)
        for action in ("action_cancel", "action_confirm", "action_schedule", None):
            booking = self.Booking.create(self._booking_vals(partner_id=customer.id, address_id=customer.id))
            if action:
                getattr(booking, action)()
        self.recompute()
        self.assertEqual(self._stage(customer), "dormant")

    def test_booking_of_another_company_does_not_count_here(self):
        shared = self._old_customer("Shared Shipper", days_ago=250)
        self._done(shared, company=self.company_b)
        self.env["res.partner"].with_context(
            allowed_company_ids=[self.company.id, self.company_b.id]
        ).logistics_recompute_tiers()
        self.assertEqual(self._stage(shared), "dormant", "company A saw no sign of life")
        self.assertEqual(self._stage(shared, self.company_b), "active", "company B moved its goods")


@tagged("post_install", "-at_install", "logistics_crm")
class TestBookingSurvey(BookingCase, SatisfactionCase):
    """A booking done invites the person who booked to the satisfaction survey, by tier frequency."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tier_a.survey_frequency_days = 90
        cls.tier_b.survey_frequency_days = 180
        cls.tier_c.survey_frequency_days = 365
        cls.company.logistics_survey_on_booking = True
        cls.shipper.with_company(cls.company).write({"logistics_tier_id": cls.tier_b.id})

    def _done(self, **vals):
        booking = self._booking(**vals)
        booking.action_confirm()
        booking.with_user(self.dispatcher).action_done()
        return booking

    def test_done_invites_the_contact(self):
        booking = self._done(contact_id=self.contact_li.id)
        answer = self.Answer.search([("logistics_booking_id", "=", booking.id)])
        self.assertEqual(len(answer), 1)
        self.assertEqual(booking.logistics_survey_input_ids, answer)
        self.assertEqual(booking.logistics_survey_count, 1)
        self.assertEqual(answer.survey_id, self.survey)
        self.assertEqual(answer.logistics_source, "booking")
        self.assertEqual(answer.logistics_company_id, self.company)
        self.assertEqual(answer.partner_id, self.contact_li)
        self.assertEqual(answer.logistics_partner_id, self.shipper)
        self.assertEqual(answer.logistics_tier_id, self.tier_b)
        self.assertEqual(answer.logistics_salesperson_id, self.user_sales, "the customer's salesperson")
        self.assertTrue(answer.access_token)
        mail = self._mails(answer)
        self.assertEqual(mail.recipient_ids, self.contact_li)
        self.assertIn(answer.get_start_url(), mail.body_html)
        self.assertEqual(len(self._notes(booking)), 1)
        self.assertIn(self.contact_li.name, self._notes(booking).body)

    def test_contact_without_email_the_customer_is_invited(self):
        booking = self._done(contact_id=self.contact_wu.id)
        self.assertEqual(booking.logistics_survey_input_ids.partner_id, self.shipper)

    def test_company_setting_off_invites_nobody(self):
        self.company.logistics_survey_on_booking = False
        booking = self._done(contact_id=self.contact_li.id)
        self.assertEqual(booking.state, "done")
        self.assertFalse(self.Answer.search([("logistics_booking_id", "=", booking.id)]))
        self.assertFalse(self._notes(booking))
        # by hand it can still be sent
        booking.action_send_satisfaction_survey()
        self.assertEqual(booking.logistics_survey_input_ids.logistics_source, "booking")

    def test_tier_without_frequency_invites_nobody(self):
        self.tier_b.survey_frequency_days = 0
        booking = self._done(contact_id=self.contact_li.id)
        self.assertFalse(self.Answer.search([("logistics_booking_id", "=", booking.id)]))

    def test_not_twice_for_one_booking(self):
        booking = self._done(contact_id=self.contact_li.id)
        answer = booking.logistics_survey_input_ids
        self.assertEqual(len(answer), 1)
        # long after (the frequency would allow a new invitation): the booking is surveyed already
        self._backdate_invitation(answer, 400)
        self.assertFalse(booking._logistics_send_done_survey())
        self.assertEqual(self.Answer.search([("logistics_booking_id", "=", booking.id)]), answer)
        self.assertEqual(len(self._notes(booking)), 1)

    def test_customer_invited_recently_is_not_invited_again(self):
        first = self._done(contact_id=self.contact_li.id)
        self.assertTrue(first.logistics_survey_input_ids)
        second = self._done(contact_id=self.contact_li.id)
        self.assertFalse(second.logistics_survey_input_ids, "tier B: once per 180 days")
        # two bookings done together: one invitation for the customer
        third, fourth = self._booking(), self._booking()
        (third | fourth).action_confirm()
        self._backdate_invitation(first.logistics_survey_input_ids, 200)
        (third | fourth).action_done()
        self.assertEqual(len((third | fourth).logistics_survey_input_ids), 1)

    def test_periodic_invitation_within_the_frequency_counts(self):
        invitation = self._start(self.contact_li, logistics_source="periodic")
        self._backdate_invitation(invitation, 30)
        booking = self._done(contact_id=self.contact_li.id)
        self.assertFalse(booking.logistics_survey_input_ids, "invited 30 days ago, tier B asks every 180 days")
        self._backdate_invitation(invitation, 181)
        other = self._done(contact_id=self.contact_li.id)
        self.assertEqual(other.logistics_survey_input_ids.partner_id, self.contact_li)

    def test_send_by_hand_refuses_an_open_or_surveyed_booking(self):
        for state in ("requested", "confirmed", "scheduled", "cancelled"):
            booking = self._in_state(state, contact_id=self.contact_li.id)
            with self.subTest(state=state):
                with self.assertRaisesRegex(UserError, "is not done yet"), self.env.cr.savepoint():
                    booking.action_send_satisfaction_survey()
                self.assertFalse(self.Answer.search([("logistics_booking_id", "=", booking.id)]))
        surveyed = self._done(contact_id=self.contact_li.id)
        answer = surveyed.logistics_survey_input_ids
        with self.assertRaisesRegex(UserError, "already sent a satisfaction survey"), self.env.cr.savepoint():
            surveyed.action_send_satisfaction_survey()
        self.assertEqual(self.Answer.search([("logistics_booking_id", "=", surveyed.id)]), answer)

    def test_send_by_hand_refuses_a_customer_without_email(self):
        silent = self._customer("Silent Orchards", street="4 Orchard Road", city="Yantai")
        booking = self._done(partner_id=silent.id, address_id=silent.id)
        self.assertEqual(booking.state, "done")
        self.assertFalse(booking.logistics_survey_input_ids)
        with self.assertRaisesRegex(UserError, "has no customer email address"), self.env.cr.savepoint():
            booking.action_send_satisfaction_survey()

    def test_archived_survey_never_blocks_done(self):
        self.survey.active = False
        booking = self._done(contact_id=self.contact_li.id)
        self.assertEqual(booking.state, "done")
        self.assertTrue(booking.date_done)
        self.assertFalse(self.Answer.search([("logistics_booking_id", "=", booking.id)]))

    @mute_logger("odoo.addons.mail.models.mail_render_mixin")
    def test_broken_template_never_blocks_done(self):
        self.env.ref(SURVEY_TEMPLATE).body_html = '<p><t t-out="object.logistics_no_such_field"/></p>'
        with self.assertLogs(SURVEY_LOGGER, "ERROR") as logged:
            booking = self._done(contact_id=self.contact_li.id)
        self.assertIn(booking.name, logged.output[0], "the failure is logged, naming the booking")
        self.assertEqual(booking.state, "done")
        self.assertTrue(booking.date_done)
        self.assertFalse(self.Answer.search([("logistics_booking_id", "=", booking.id)]), "the failed one is undone")
        self.assertFalse(self._notes(booking))


@tagged("post_install", "-at_install", "logistics_crm")
class TestBookingAutomation(BookingCase):
    """Automated actions on bookings, the dispatch figures and the customer's smart button."""

    def _rule(self, name, trigger, server_action_vals, **vals):
        self.addCleanup(self.env.registry.clear_all_caches)
        model_id = self.env["ir.model"]._get_id("logistics.booking")
        action = self.env["ir.actions.server"].create({"name": name, "model_id": model_id, **server_action_vals})
        return self.env["base.automation"].create(
            {
                "name": name,
                "model_id": model_id,
                "trigger": trigger,
                "action_server_ids": [Command.link(action.id)],
                **vals,
            }
        )

    def test_rule_on_state_set_to_done_plans_an_activity(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        done_value = self.env["ir.model.fields.selection"].search(
            [("field_id.model", "=", "logistics.booking"), ("field_id.name", "=", "state"), ("value", "=", "done")]
        )
        self.assertEqual(len(done_value), 1)
        self._rule(
            "Invoice the transport",
            "on_state_set",
            {
                "state": "next_activity",
                "activity_type_id": todo.id,
                "activity_summary": "Invoice the transport",
                "activity_user_type": "specific",
                "activity_user_id": self.dispatch_manager.id,
            },
            trg_selection_field_id=done_value.id,
        )
        booking = self._booking()
        booking.with_user(self.dispatcher).action_confirm()
        booking.with_user(self.dispatcher).action_schedule()
        self.assertFalse(booking.activity_ids, "not before it is done")
        booking.with_user(self.dispatcher).action_done()
        activity = booking.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.summary, "Invoice the transport")
        self.assertEqual(activity.user_id, self.dispatch_manager)
        self.assertEqual(activity.activity_type_id, todo)

    def test_rule_on_write_with_a_filter(self):
        self._rule(
            "Call back after a cancellation",
            "on_create_or_write",
            {"state": "code", "code": "record.message_post(body='Rule: call the customer back')"},
            trigger_field_ids=[Command.link(self.env["ir.model.fields"]._get("logistics.booking", "state").id)],
            filter_domain="[('state', '=', 'cancelled')]",
        )
        booking = self._booking()
        booking.action_confirm()

        def fired():
            return booking.message_ids.filtered(lambda m: "Rule: call the customer back" in (m.body or ""))

        self.assertFalse(fired())
        booking.with_user(self.dispatcher).action_cancel()
        self.assertEqual(len(fired()), 1)

    def test_server_action_calls_the_workflow_buttons(self):
        bookings = self._booking() | self._booking()
        action = self.env["ir.actions.server"].create(
            {
                "name": "Schedule the selected bookings",
                "model_id": self.env["ir.model"]._get_id("logistics.booking"),
                "state": "code",
                "code": "records.action_schedule()",
            }
        )
        action.with_user(self.dispatcher).with_context(active_model="logistics.booking", active_ids=bookings.ids).run()
        self.assertEqual(bookings.mapped("state"), ["scheduled", "scheduled"])

    def test_bookings_per_week_and_type(self):
        week_1 = {"date_start": tomorrow_at(WINDOW_START), "date_end": tomorrow_at(WINDOW_END)}
        week_2 = {key: value + timedelta(days=7) for key, value in week_1.items()}
        self._booking(weight_kg=1000, **week_1)
        self._booking(weight_kg=500, **week_1)
        self._booking(booking_type="delivery", weight_kg=200, **week_1)
        self._booking(weight_kg=50, **week_2)
        # the pivot and the graph read this (the whole base, with the demo bookings)
        everything = self.Booking._read_group([], ["date_start:week", "booking_type"], ["__count", "weight_kg:sum"])
        self.assertGreaterEqual(sum(count for _week, _type, count, _sum in everything), 4)
        rows = self.Booking._read_group(
            [("partner_id", "=", self.shipper.id)],
            ["date_start:week", "booking_type"],
            ["__count", "weight_kg:sum"],
            order="date_start:week, booking_type",
        )
        weeks = sorted({week for week, _type, _count, _sum in rows})
        self.assertEqual(len(weeks), 2)
        self.assertEqual(
            [(weeks.index(week), booking_type, count, total) for week, booking_type, count, total in rows],
            [(0, "delivery", 1, 200.0), (0, "pickup", 2, 1500.0), (1, "pickup", 1, 50.0)],
        )

    def test_dispatch_list_groups_by_city(self):
        self._booking()
        self._booking(address_id=self.shipper.id)
        rows = self.Booking._read_group([("partner_id", "=", self.shipper.id)], ["city"], ["__count"])
        self.assertEqual(dict(rows), {"Qingdao": 1, "Zibo": 1})

    def test_customer_smart_button(self):
        bookings = self._booking() | self._booking(contact_id=self.contact_li.id)
        self._booking_b()
        customer = self.shipper.with_user(self.user_sales)
        self.assertEqual(customer.logistics_booking_count, 2)
        self.assertEqual(
            self.contact_li.with_user(self.user_sales).logistics_booking_count, 2, "a contact: its company's"
        )
        self.assertEqual(self._customer("No Booking Yet").logistics_booking_count, 0)
        action = self.contact_li.with_user(self.user_sales).action_logistics_view_bookings()
        self.assertEqual(action["res_model"], "logistics.booking")
        self.assertEqual(action["domain"], [("partner_id", "=", self.shipper.id)])
        self.assertEqual(action["context"]["default_partner_id"], self.shipper.id)
        self.assertEqual(self.Booking.with_user(self.user_sales).search(action["domain"]), bookings)
