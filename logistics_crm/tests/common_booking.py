"""The world of the pickup and delivery booking tests (issue #14).

A dispatcher and a dispatch manager; a customer company with an email address, two contacts (one
with an email address and a phone, one without) and a delivery address (its dock); a second company
with its own dispatcher and its own customer. ``_booking`` makes a valid requested booking for
tomorrow 09:00-12:00 UTC, whatever day the tests run.
"""

from datetime import datetime, time, timedelta

from odoo import Command, fields
from odoo.tests import new_test_user

from .common import LogisticsCrmCase

# the window of a valid booking: tomorrow, 09:00-12:00 UTC
WINDOW_START = time(9, 0)
WINDOW_END = time(12, 0)


# the messages of bad input, as the dispatcher and the customer read them
MSG_ORDER = "The window must end after it starts"
MSG_PAST = "The requested window lies in the past"
MSG_ADDRESS = "Please give the address"
MSG_GOODS = "Please describe the goods"
MSG_WEIGHT = "The weight must be more than 0 kg"
MSG_VOLUME = "The volume must be more than 0 m³"
MSG_PACKAGES = "The number of packages must be a whole number, at least 1"


def tomorrow_at(hour_minute):
    """Tomorrow (UTC, as the ORM's now()) at ``hour_minute``: a naive UTC datetime."""
    return datetime.combine(fields.Datetime.now().date() + timedelta(days=1), hour_minute)


class BookingCase(LogisticsCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Booking = cls.env["logistics.booking"]
        cls.china = cls.env.ref("base.cn")

        cls.dispatcher = new_test_user(
            cls.env,
            login="lcrm_dispatcher",
            name="Zhou Dispatcher",
            email="zhou.dispatch@example.com",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        cls.dispatch_manager = new_test_user(
            cls.env,
            login="lcrm_dispatch_manager",
            name="Qian Dispatch Manager",
            email="qian.manager@example.com",
            groups="base.group_user,logistics_crm.group_logistics_crm_manager",
        )

        # the customer (its salesperson: user_sales, see LogisticsCrmCase._customer)
        cls.shipper = cls._customer(
            "Shandong Ceramic Tiles Co.",
            email="logistics@sd-tiles.example.com",
            street="1 Factory Road",
            city="Zibo",
            zip="255000",
            country_id=cls.china.id,
        )
        cls.contact_li = cls.env["res.partner"].create(
            {
                "name": "Li Na",
                "parent_id": cls.shipper.id,
                "email": "li.na@sd-tiles.example.com",
                "phone": "+86 533 555 0101",
            }
        )
        cls.contact_wu = cls.env["res.partner"].create({"name": "Wu Gang", "parent_id": cls.shipper.id})
        cls.dock = cls.env["res.partner"].create(
            {
                "name": "Qingdao dock",
                "type": "delivery",
                "parent_id": cls.shipper.id,
                "street": "88 Xianggang Road",
                "city": "Qingdao",
                "zip": "266071",
                "country_id": cls.china.id,
            }
        )

        # a second company, its dispatcher and a customer of its own
        cls.company_b = cls.env["res.company"].create(
            {"name": "Xiamen Haulage B", "email": "desk@xiamen-b.example.com"}
        )
        # the test user (OdooBot) works in both companies, as in test_multi_company
        cls.env.user.company_ids |= cls.company_b
        cls.user_b = new_test_user(
            cls.env,
            login="lcrm_dispatcher_b",
            name="Huang Dispatcher B",
            email="huang.b@example.com",
            company_id=cls.company_b.id,
            company_ids=[Command.set(cls.company_b.ids)],
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        cls.customer_b = cls.env["res.partner"].create(
            {
                "name": "Fujian Tea Exporters",
                "is_company": True,
                "company_id": cls.company_b.id,
                "email": "ship@fujian-tea.example.com",
                "street": "5 Harbour Avenue",
                "city": "Xiamen",
                "country_id": cls.china.id,
            }
        )
        cls.contact_b = cls.env["res.partner"].create(
            {"name": "Lin Mei", "parent_id": cls.customer_b.id, "email": "lin.mei@fujian-tea.example.com"}
        )

    @classmethod
    def _booking_vals(cls, **vals):
        """The values of a valid requested pickup at the shipper's dock, tomorrow 09:00-12:00 UTC."""
        return {
            "booking_type": "pickup",
            "partner_id": cls.shipper.id,
            "address_id": cls.dock.id,
            "date_start": tomorrow_at(WINDOW_START),
            "date_end": tomorrow_at(WINDOW_END),
            "goods_description": "12 pallets of ceramic tiles",
            "packages": 12,
            "weight_kg": 4800.0,
            "volume_m3": 18.0,
            **vals,
        }

    @classmethod
    def _booking(cls, **vals):
        """A valid requested booking (see ``_booking_vals``), created by the test user."""
        return cls.env["logistics.booking"].create(cls._booking_vals(**vals))

    @classmethod
    def _booking_b(cls, **vals):
        """A valid requested booking of the second company, for its own customer."""
        vals = {"partner_id": cls.customer_b.id, "address_id": cls.customer_b.id, **vals}
        return cls.env["logistics.booking"].with_company(cls.company_b).create(cls._booking_vals(**vals))

    def _in_state(self, state, **vals):
        """A booking brought to ``state`` through the workflow buttons."""
        booking = self._booking(**vals)
        steps = {
            "requested": [],
            "confirmed": ["action_confirm"],
            "scheduled": ["action_schedule"],
            "done": ["action_confirm", "action_done"],
            "cancelled": ["action_cancel"],
        }[state]
        for step in steps:
            getattr(booking, step)()
        self.assertEqual(booking.state, state)
        return booking

    def _comments(self, booking):
        """The messages to the customer (subtype *Discussions*) in the booking's thread."""
        comment = self.env.ref("mail.mt_comment")
        return booking.message_ids.filtered(lambda m: m.subtype_id == comment)
