"""Bad input of pickup and delivery bookings (issue #14) in the back office, through `Form` and
`create()`: a clear message, nothing saved."""

from datetime import timedelta

from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common_booking import (
    MSG_ADDRESS,
    MSG_GOODS,
    MSG_ORDER,
    MSG_PACKAGES,
    MSG_PAST,
    MSG_VOLUME,
    MSG_WEIGHT,
    WINDOW_END,
    WINDOW_START,
    BookingCase,
    tomorrow_at,
)


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
