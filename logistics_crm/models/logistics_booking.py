"""Pickup and delivery bookings: customers book in the portal (or by phone), dispatchers plan them.

The workflow rules (which action applies in which state, what a valid window is) are plain
Python in ``domain/booking.py``. Every change of state goes through ``write()``, so that
automated actions on ``state`` fire; the public ``action_*`` methods are the entry points of
buttons, automated and server actions, XML-RPC and the portal.
"""

import math
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_round

from ..domain import booking as rules

BOOKING_TYPES = [("pickup", "Pickup"), ("delivery", "Delivery")]
STATES = [
    (rules.REQUESTED, "Requested"),
    (rules.CONFIRMED, "Confirmed"),
    (rules.SCHEDULED, "Scheduled"),
    (rules.DONE, "Done"),
    (rules.CANCELLED, "Cancelled"),
]
# the typed address; filled from ``address_id`` when one is chosen
ADDRESS_FIELDS = ("street", "street2", "zip", "city", "state_id", "country_id")
# the fields the checks of ``_logistics_problems`` read
CHECKED_FIELDS = ("date_start", "date_end", "street", "city", "goods_description", "weight_kg", "volume_m3", "packages")


class LogisticsBooking(models.Model):
    _name = "logistics.booking"
    _description = "Pickup or delivery booking"
    # the confirmation mail and the chatter, and the survey after a booking, are parts of this model kept in
    # their own files (logistics_booking_mail.py, logistics_booking_survey.py)
    _inherit = ["portal.mixin", "logistics.booking.mail", "mail.activity.mixin", "logistics.booking.survey"]
    _order = "date_start desc, id desc"
    _rec_names_search = ["name", "partner_id.name", "city", "goods_description"]
    _primary_email = "email"
    # a customer who may read the booking (the portal rule, or the access token) may also write in its thread
    _mail_post_access = "read"
    _check_company_auto = True

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, default=lambda self: self.env._("New")
    )
    booking_type = fields.Selection(
        BOOKING_TYPES,
        string="Type",
        required=True,
        default="pickup",
        index=True,
        tracking=True,
        help="Pickup: we collect the goods at the address. Delivery: we bring them there.",
    )
    state = fields.Selection(
        STATES,
        string="Status",
        required=True,
        default=rules.REQUESTED,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        group_expand="_read_group_state",
        help="Requested by the customer; confirmed to the customer (by email); scheduled by a dispatcher; "
        "done once the goods are picked up or delivered; or cancelled.",
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)

    # ------------------------------------------------------------------ who booked
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        required=True,
        index=True,
        check_company=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
        help="The customer company (its commercial partner): every contact of it follows the booking in the portal.",
    )
    contact_id = fields.Many2one(
        "res.partner",
        string="Booked by",
        index="btree_not_null",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id)]",
        help="The person who booked; gets the confirmation by email.",
    )
    contact_name = fields.Char(
        string="Contact person", help="Who to ask for on site; by default the person who booked."
    )
    phone = fields.Char(help="The on-site contact's phone number, for the driver.")
    email = fields.Char(help="The on-site contact's email address.")

    # ------------------------------------------------------------------ where
    address_id = fields.Many2one(
        "res.partner",
        index="btree_not_null",
        check_company=True,
        domain="[('commercial_partner_id', '=', partner_id)]",
        help="A known address of the customer (its company or one of its delivery addresses). Or type the "
        "address below.",
    )
    street = fields.Char()
    street2 = fields.Char()
    zip = fields.Char(change_default=True)
    city = fields.Char(index=True, help="The dispatch list is grouped by city.")
    state_id = fields.Many2one("res.country.state", ondelete="restrict", domain="[('country_id', '=?', country_id)]")
    country_id = fields.Many2one("res.country", ondelete="restrict")
    address_display = fields.Char(string="Full address", compute="_compute_address_display")

    # ------------------------------------------------------------------ when
    date_start = fields.Datetime(
        string="Window start",
        required=True,
        index=True,
        tracking=True,
        help="The requested window starts: the goods are ready (pickup) or the site is open (delivery).",
    )
    date_end = fields.Datetime(
        string="Window end",
        required=True,
        tracking=True,
        help="The requested window ends. It must end after it starts and, for an open booking, not lie in the past.",
    )
    window_tz = fields.Char(
        string="Customer's time zone",
        compute="_compute_window_tz",
        help="The time zone the window is written in to the customer (confirmation email, emailed portal link): "
        "that of the person who booked, else of the customer, else of the dispatcher.",
    )
    date_confirmed = fields.Datetime(string="Confirmed on", readonly=True, copy=False)
    date_done = fields.Datetime(
        string="Done on", readonly=True, copy=False, index=True, help="When the goods were picked up or delivered."
    )

    # ------------------------------------------------------------------ what
    goods_description = fields.Text(
        string="Goods", required=True, help="What is picked up or delivered, e.g. '12 pallets of ceramic tiles'."
    )
    packages = fields.Integer(default=1, help="Number of packages, pallets or pieces (at least one).")
    weight_kg = fields.Float(
        string="Weight (kg)", digits=(12, 2), required=True, help="Gross weight in kilograms; more than 0."
    )
    volume_m3 = fields.Float(
        string="Volume (m³)", digits=(12, 3), required=True, help="Volume in cubic metres; more than 0."
    )
    notes = fields.Text(help="Instructions for the driver: dock, opening hours, equipment needed (tail lift...).")

    # ------------------------------------------------------------------ planning
    user_id = fields.Many2one(
        "res.users",
        string="Dispatcher",
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
        help="Who plans the booking. Scheduling a booking without a dispatcher makes you its dispatcher.",
    )
    vehicle = fields.Char(tracking=True, help="Plate or name of the truck sent; shown to the customer once scheduled.")
    driver_name = fields.Char(string="Driver", tracking=True, help="Shown to the customer once scheduled.")
    driver_phone = fields.Char(help="Shown to the customer once scheduled.")
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Order",
        index="btree_not_null",
        check_company=True,
        domain="[('partner_id', 'child_of', partner_id)]",
        help="The order the booking belongs to, if any.",
    )
    color = fields.Integer(compute="_compute_color")

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "Booking references are unique per company."),
    ]

    # ------------------------------------------------------------------ computes
    @api.model
    def _read_group_state(self, states, domain):
        # every state is a column of the board, even an empty one
        return [key for key, _label in STATES]

    @api.depends("state", "booking_type")
    def _compute_color(self):
        # the card's left border: done green, cancelled grey, scheduled blue, pickups orange, deliveries purple
        for booking in self:
            if booking.state == rules.DONE:
                booking.color = 10
            elif booking.state == rules.CANCELLED:
                booking.color = 0
            elif booking.state == rules.SCHEDULED:
                booking.color = 4
            else:
                booking.color = 2 if booking.booking_type == "pickup" else 5

    @api.depends("contact_id.tz", "partner_id.tz", "user_id.tz")
    def _compute_window_tz(self):
        for booking in self:
            booking.window_tz = booking.contact_id.tz or booking.partner_id.tz or booking.user_id.tz or "UTC"

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for booking in self:
            booking.access_url = f"/my/bookings/{booking.id}"
        return result

    @api.depends("name", "booking_type", "partner_id")
    def _compute_display_name(self):
        labels = dict(self._fields["booking_type"]._description_selection(self.env))
        for booking in self:
            parts = [booking.name or "", labels.get(booking.booking_type, ""), booking.partner_id.name or ""]
            booking.display_name = " · ".join(part for part in parts if part)

    def _get_report_base_filename(self):
        self.ensure_one()
        return f"{self._description} {self.name}"

    @api.depends(*ADDRESS_FIELDS)
    def _compute_address_display(self):
        # the address on one line (portal, calendar pop-up, emails)
        for booking in self:
            parts = [
                booking.street,
                booking.street2,
                " ".join(filter(None, [booking.zip, booking.city])),
                booking.state_id.name,
                booking.country_id.name,
            ]
            booking.address_display = ", ".join(part for part in parts if part)

    # ------------------------------------------------------------------ constraints
    @api.model
    def _logistics_problems(self, vals, now=None):
        """``{field: message}``: what is wrong with the booking values ``vals`` (one home for the checks
        of the constraints below and of the portal form, which shows each message next to its field).

        ``vals`` holds plain values: ``date_start``/``date_end`` datetimes, numbers, the address strings,
        and ``state`` (an open booking unless given).
        """
        now = now or fields.Datetime.now()
        problems = {}
        window = rules.window_problem(
            vals.get("date_start"),
            vals.get("date_end"),
            now,
            open_booking=vals.get("state", rules.REQUESTED) in rules.OPEN_STATES,
        )
        if window:
            # next to the bound at fault: a missing start, a start long ago (the end lies ahead), else the end
            start_at_fault = not vals.get("date_start") if window == rules.WINDOW_MISSING else False
            if window == rules.WINDOW_PAST and vals.get("date_end") and vals["date_end"] > now:
                start_at_fault = True
            problems["date_start" if start_at_fault else "date_end"] = self._logistics_window_message(window)
        if not ((vals.get("street") or "").strip() and (vals.get("city") or "").strip()):
            problems["street" if not (vals.get("street") or "").strip() else "city"] = self.env._(
                "Please give the address: choose one of the customer's addresses or type at least the street "
                "and the city."
            )
        if not (vals.get("goods_description") or "").strip():
            problems["goods_description"] = self.env._("Please describe the goods.")
        # as stored: a weight that rounds to 0.00 kg is no weight
        if not rules.positive(self._logistics_rounded("weight_kg", vals.get("weight_kg"))):
            problems["weight_kg"] = self.env._("The weight must be more than 0 kg.")
        if not rules.positive(self._logistics_rounded("volume_m3", vals.get("volume_m3"))):
            problems["volume_m3"] = self.env._("The volume must be more than 0 m³.")
        packages = vals.get("packages")
        if packages is not None and not (rules.positive(packages) and float(packages) == int(float(packages))):
            problems["packages"] = self.env._("The number of packages must be a whole number, at least 1.")
        return problems

    @api.model
    def _logistics_rounded(self, fname, value):
        """``value`` rounded to the digits of the field ``fname``, or ``value`` itself when not a number."""
        try:
            number = float(value)
        except (TypeError, ValueError):
            return value
        if not math.isfinite(number):
            return number
        return float_round(number, precision_digits=self._fields[fname].get_digits(self.env)[1])

    def _logistics_window_message(self, problem):
        if problem == rules.WINDOW_MISSING:
            return self.env._("Please give the start and the end of the requested window.")
        if problem == rules.WINDOW_ORDER:
            return self.env._("The window must end after it starts.")
        return self.env._(
            "The requested window lies in the past: please choose a window that ends later than now and began "
            "at most a day ago."
        )

    def _logistics_check(self, fnames):
        """Raise the first problem of each booking among the fields ``fnames`` (see ``_logistics_problems``)."""
        now = fields.Datetime.now()
        for booking in self:
            vals = {fname: booking[fname] for fname in CHECKED_FIELDS}
            vals["state"] = booking.state
            problems = self._logistics_problems(vals, now)
            for fname in fnames:
                if fname in problems:
                    raise ValidationError(problems[fname])

    @api.constrains("date_start", "date_end")
    def _check_window(self):
        self._logistics_check(("date_start", "date_end"))

    @api.constrains("weight_kg", "volume_m3", "packages")
    def _check_measures(self):
        self._logistics_check(("weight_kg", "volume_m3", "packages"))

    @api.constrains("address_id", "street", "city")
    def _check_address(self):
        self._logistics_check(("street", "city"))

    @api.constrains("goods_description")
    def _check_goods(self):
        self._logistics_check(("goods_description",))

    @api.constrains("partner_id", "company_id", "address_id", "contact_id", "sale_order_id")
    def _check_partner(self):
        for booking in self:
            partner_company = booking.partner_id.company_id
            if partner_company and partner_company != booking.company_id:
                raise ValidationError(
                    self.env._(
                        "Customer %(customer)s belongs to company %(company)s: record the booking there.",
                        customer=booking.partner_id.display_name,
                        company=partner_company.name,
                    )
                )
            order_customer = booking.sale_order_id.partner_id.commercial_partner_id
            if booking.sale_order_id and order_customer != booking.partner_id:
                raise ValidationError(
                    self.env._(
                        "Order %(order)s is not an order of %(customer)s.",
                        order=booking.sale_order_id.name,
                        customer=booking.partner_id.display_name,
                    )
                )
            for partner in (booking.address_id, booking.contact_id):
                if partner and partner.commercial_partner_id != booking.partner_id:
                    raise ValidationError(
                        self.env._(
                            "%(partner)s is not an address or a contact of %(customer)s.",
                            partner=partner.display_name,
                            customer=booking.partner_id.display_name,
                        )
                    )

    # ------------------------------------------------------------------ onchanges
    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        customer = self.partner_id
        if not customer:
            return
        if self.contact_id.commercial_partner_id != customer:
            self.contact_id = False
        if self.address_id.commercial_partner_id != customer:
            self.address_id = customer.address_get(["delivery"])["delivery"]
        if not self.user_id and customer.user_id and not customer.user_id.share:
            self.user_id = customer.user_id

    @api.onchange("contact_id")
    def _onchange_contact_id(self):
        contact = self.contact_id
        if contact:
            self.partner_id = contact.commercial_partner_id
            self.contact_name = contact.name
            self.phone = contact.phone or contact.mobile or self.phone
            self.email = contact.email or self.email

    @api.onchange("address_id")
    def _onchange_address_id(self):
        if self.address_id:
            for fname, value in self._logistics_address_values(self.address_id).items():
                self[fname] = value

    # ------------------------------------------------------------------ create / write
    @api.model
    def _logistics_address_values(self, partner):
        return {
            "street": partner.street or False,
            "street2": partner.street2 or False,
            "zip": partner.zip or False,
            "city": partner.city or False,
            "state_id": partner.state_id.id or False,
            "country_id": partner.country_id.id or False,
        }

    @api.model
    def _logistics_normalize(self, vals):
        """Hold the booking on the commercial partner; fill the typed address from ``address_id`` and the
        contact details from the contact, unless given."""
        Partner = self.env["res.partner"]
        if vals.get("partner_id"):
            partner = Partner.browse(vals["partner_id"])
            if partner.commercial_partner_id != partner:
                vals.setdefault("contact_id", partner.id)
                vals["partner_id"] = partner.commercial_partner_id.id
        elif vals.get("contact_id"):
            vals["partner_id"] = Partner.browse(vals["contact_id"]).commercial_partner_id.id
        if vals.get("address_id") and not any(vals.get(fname) for fname in ("street", "city")):
            for fname, value in self._logistics_address_values(Partner.browse(vals["address_id"])).items():
                vals.setdefault(fname, value)
        if vals.get("contact_id"):
            contact = Partner.browse(vals["contact_id"])
            vals.setdefault("contact_name", contact.name)
            vals.setdefault("phone", contact.phone or contact.mobile or False)
            vals.setdefault("email", contact.email or False)
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        Partner = self.env["res.partner"]
        for vals in vals_list:
            self._logistics_normalize(vals)
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                    "logistics.booking"
                ) or self.env._("New")
            if "user_id" not in vals:
                # the customer's salesperson dispatches by default, when they work for the booking's company
                salesperson = Partner.browse(vals.get("partner_id")).user_id
                in_company = salesperson and not salesperson.share and company in salesperson.company_ids
                vals["user_id"] = salesperson.id if in_company else False
        bookings = super().create(vals_list)
        for booking in bookings:
            # the person who booked follows the booking: the confirmation and messages reach them
            follower = booking.contact_id or booking.partner_id
            if follower:
                booking.message_subscribe(partner_ids=follower.ids)
        return bookings

    def write(self, vals):
        if {"partner_id", "contact_id", "address_id"} & set(vals):
            vals = self._logistics_normalize(dict(vals))
        if {"date_start", "date_end"} & set(vals):
            done = self.filtered(lambda b: b.state == rules.DONE)
            if done:
                raise UserError(
                    self.env._(
                        "The window of a booking done is history: it cannot change (%(bookings)s).",
                        bookings=", ".join(done.mapped("name")),
                    )
                )
        # the dates follow the state, also when it is written directly (an import, an automated action)
        if vals.get("state") in (rules.REQUESTED, rules.CONFIRMED, rules.SCHEDULED, rules.DONE):
            now = fields.Datetime.now()
            vals = dict(vals)
            if vals["state"] == rules.REQUESTED:
                vals.setdefault("date_confirmed", False)
                vals.setdefault("date_done", False)
            else:
                undated = self.filtered(lambda b: not b.date_confirmed)
                if undated and "date_confirmed" not in vals:
                    undated.write({"date_confirmed": now})
                if vals["state"] == rules.DONE:
                    vals.setdefault("date_done", now)
        return super().write(vals)

    def copy_data(self, default=None):
        # a copied booking is a new request: a window that has passed moves on by whole days to the
        # first day it lies ahead again, at the same times (a regular pickup booked anew)
        default = dict(default or {})
        default.setdefault("state", rules.REQUESTED)
        vals_list = super().copy_data(default)
        now = fields.Datetime.now()
        for booking, vals in zip(self, vals_list, strict=True):
            if "date_start" in default or "date_end" in default or booking.date_end > now:
                continue
            # enough whole days for the end to lie ahead and the start to be at most a day ago
            days = max(
                (now - booking.date_end).days + 1,
                math.ceil((now - rules.MAX_BEGUN - booking.date_start) / timedelta(days=1)),
            )
            vals["date_start"] = booking.date_start + timedelta(days=days)
            vals["date_end"] = booking.date_end + timedelta(days=days)
        return vals_list

    # ------------------------------------------------------------------ the workflow (buttons)
    def _logistics_check_transition(self, action):
        """Raise a UserError naming the bookings ``action`` does not apply to; nothing is changed."""
        refused = self.filtered(lambda b: not rules.transition(action, b.state))
        if not refused:
            return
        labels = dict(self._fields["state"]._description_selection(self.env))
        messages = {
            "confirm": self.env._("Only requested bookings can be confirmed."),
            "schedule": self.env._("Only requested or confirmed bookings can be scheduled."),
            "done": self.env._("Only confirmed or scheduled bookings can be marked as done."),
            "cancel": self.env._("Done or cancelled bookings cannot be cancelled."),
            "reopen": self.env._("Only cancelled bookings can be requested again."),
        }
        details = ", ".join(f"{booking.name} ({labels.get(booking.state)})" for booking in refused)
        raise UserError(self.env._("%(problem)s\n%(bookings)s", problem=messages[action], bookings=details))

    def action_confirm(self):
        """Confirm the requested bookings and email the customer the confirmation (a shipped template,
        editable: *Booking: confirmed*)."""
        self._logistics_check_transition("confirm")
        self.write({"state": rules.CONFIRMED, "date_confirmed": fields.Datetime.now()})
        self._logistics_send_confirmation()
        return True

    def action_schedule(self):
        """Plan the bookings (state *Scheduled*); a requested one is confirmed first (the customer is
        emailed). Bookings without a dispatcher get the current user."""
        self._logistics_check_transition("schedule")
        # the dispatcher first: the confirmation mail of a requested booking comes from them
        without_dispatcher = self.filtered(lambda b: not b.user_id)
        if without_dispatcher and not self.env.user.share:
            without_dispatcher.write({"user_id": self.env.uid})
        self.filtered(lambda b: b.state == rules.REQUESTED).action_confirm()
        self.write({"state": rules.SCHEDULED})
        return True

    def action_done(self):
        """The goods are picked up or delivered: a sign of life of the customer (its lifecycle stage), and
        an occasion to invite it to the satisfaction survey (see ``logistics.booking.survey``)."""
        self._logistics_check_transition("done")
        self.write({"state": rules.DONE, "date_done": fields.Datetime.now()})
        self._logistics_send_done_survey()
        return True

    def action_cancel(self):
        """Cancel the bookings (any that is not done)."""
        self._logistics_check_transition("cancel")
        self.write({"state": rules.CANCELLED})
        return True

    def action_reopen(self):
        """Request a cancelled booking again; its window must still lie ahead."""
        self._logistics_check_transition("reopen")
        now = fields.Datetime.now()
        for booking in self:
            problem = rules.window_problem(booking.date_start, booking.date_end, now)
            if problem:
                raise UserError(booking._logistics_window_message(problem))
        self.write({"state": rules.REQUESTED, "date_confirmed": False})
        return True

    def _logistics_customer_cancel(self, author=None):
        """The customer cancels in the portal: only while nobody has confirmed the booking. ``author``:
        who signs the note (the person who booked, for a visitor of the emailed link)."""
        self.ensure_one()
        if self.state not in rules.CUSTOMER_CANCEL_STATES:
            messages = {
                rules.DONE: self.env._("Booking %(booking)s is already done.", booking=self.name),
                rules.CANCELLED: self.env._("Booking %(booking)s is already cancelled.", booking=self.name),
            }
            raise UserError(
                messages.get(self.state)
                or self.env._(
                    "Booking %(booking)s is already confirmed: please call or write to us to cancel it.",
                    booking=self.name,
                )
            )
        self.action_cancel()
        self.message_post(
            body=self.env._("Cancelled by the customer in the portal."),
            subtype_xmlid="mail.mt_note",
            author_id=author.id if author else None,
        )
