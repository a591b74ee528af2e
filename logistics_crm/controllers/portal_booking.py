"""The booking portal: customers book pickups and deliveries, follow them and cancel the ones not yet
confirmed."""

import math
import textwrap
from datetime import datetime

import pytz

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError, ValidationError
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..domain import booking as rules
from .portal import LogisticsCustomerPortal

# the only fields a customer may fill in (nothing else of the request is ever written)
BOOKING_FORM_FIELDS = (
    "booking_type",
    "address_id",
    "street",
    "street2",
    "zip",
    "city",
    "country_id",
    "date_start",
    "date_end",
    "goods_description",
    "packages",
    "weight_kg",
    "volume_m3",
    "contact_name",
    "phone",
    "notes",
)
# the optional texts written as typed (trimmed), when given
BOOKING_TEXT_FIELDS = ("contact_name", "phone", "notes")
# the colours of the state badges
BOOKING_BADGE_CLASSES = {
    rules.REQUESTED: "text-bg-warning",
    rules.CONFIRMED: "text-bg-info",
    rules.SCHEDULED: "text-bg-primary",
    rules.DONE: "text-bg-success",
    rules.CANCELLED: "text-bg-secondary",
}
# what an HTML datetime-local input sends (seconds only when the input's step asks for them)
DATETIME_LOCAL_FORMATS = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d %H:%M")
BOOKING_HISTORY_KEY = "my_logistics_booking_history"
GOODS_SHORT_WIDTH = 60
# the largest number of packages the (32-bit integer) column holds
MAX_PACKAGES = 2**31 - 1


class LogisticsBookingPortal(LogisticsCustomerPortal):
    # ------------------------------------------------------------------ home page
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "logistics_booking_count" in counters:
            bookings = request.env["logistics.booking"]
            values["logistics_booking_count"] = (
                bookings.search_count(self._logistics_booking_domain()) if bookings.has_access("read") else 0
            )
        return values

    # ------------------------------------------------------------------ helpers
    def _logistics_booking_domain(self):
        """The bookings of the user's company: every contact of a customer follows all of them (the record
        rule rule_logistics_booking_portal says the same for portal users; internal users opening the
        portal see their own company's bookings only, like a customer)."""
        return [("partner_id", "=", request.env.user.commercial_partner_id.id)]

    def _logistics_booking_sortings(self):
        return {
            "date": {"label": request.env._("Window (newest)"), "order": "date_start desc, id desc"},
            "name": {"label": request.env._("Reference"), "order": "name desc, id desc"},
            "state": {"label": request.env._("Status"), "order": "state, date_start desc, id desc"},
        }

    def _logistics_booking_filters(self):
        return {
            "all": {"label": request.env._("All"), "domain": []},
            "open": {"label": request.env._("Open"), "domain": [("state", "in", rules.OPEN_STATES)]},
            "done": {"label": request.env._("Done"), "domain": [("state", "=", rules.DONE)]},
            "cancelled": {"label": request.env._("Cancelled"), "domain": [("state", "=", rules.CANCELLED)]},
        }

    def _logistics_booking_addresses(self):
        """The customer's own addresses a booking may use: the company itself and its delivery, invoice
        and other addresses that have a street or a city.

        sudo: portal users may not read every address of their company; only these addresses of the
        user's own commercial partner are listed (name and address), and only their ids are accepted.
        """
        customer = request.env.user.commercial_partner_id
        children = (
            request.env["res.partner"]
            .sudo()
            .search(
                [
                    ("commercial_partner_id", "=", customer.id),
                    ("id", "!=", customer.id),
                    ("type", "in", ("delivery", "other", "invoice")),
                    "|",
                    ("street", "!=", False),
                    ("city", "!=", False),
                ],
                order="type, name, id",
            )
        )
        return customer.sudo().filtered(lambda p: p.street or p.city) | children

    @staticmethod
    def _logistics_booking_tz(booking_sudo=None):
        """The time zone the windows are shown in: the logged-in user's; for a visitor holding the link of
        a booking, the booking's ``window_tz`` (as in the confirmation email)."""
        user = request.env.user
        tz = user.tz if not user._is_public() else booking_sudo.window_tz
        for name in (tz, request.env.context.get("tz")):
            if name in pytz.all_timezones_set:
                return name
        return "UTC"

    @staticmethod
    def _logistics_goods_short(text):
        return textwrap.shorten(text or "", width=GOODS_SHORT_WIDTH, placeholder=" …")

    # ------------------------------------------------------------------ list
    @http.route(["/my/bookings", "/my/bookings/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_bookings(self, page=1, sortby=None, filterby=None, **kwargs):
        booking_model = request.env["logistics.booking"]
        sortings = self._logistics_booking_sortings()
        if sortby not in sortings:
            sortby = "date"
        filters = self._logistics_booking_filters()
        if filterby not in filters:
            filterby = "all"
        domain = self._logistics_booking_domain() + filters[filterby]["domain"]
        pager = portal_pager(
            url="/my/bookings",
            total=booking_model.search_count(domain),
            page=page,
            step=self._items_per_page,
            url_args={"sortby": sortby, "filterby": filterby},
        )
        bookings = booking_model.search(
            domain, order=sortings[sortby]["order"], limit=self._items_per_page, offset=pager["offset"]
        )
        request.session[BOOKING_HISTORY_KEY] = bookings.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "logistics_booking",
                "default_url": "/my/bookings",
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "searchbar_filters": filters,
                "filterby": filterby,
                # sudo: found with the user's rights above; only the fields of the list are rendered
                "bookings": bookings.sudo(),
                "booking_badge_classes": BOOKING_BADGE_CLASSES,
                "goods_short": self._logistics_goods_short,
                "booking_tz": self._logistics_booking_tz(),
            }
        )
        return request.render("logistics_crm.portal_my_bookings", values)

    # ------------------------------------------------------------------ detail
    @http.route("/my/bookings/<int:booking_id>", type="http", auth="public", website=True)
    def portal_my_booking(self, booking_id, access_token=None, message=None, **kwargs):
        try:
            booking_sudo = self._document_check_access("logistics.booking", booking_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        # the signed link of a notification email (pid and hash) identifies the author in the chatter
        chatter_keys = {key: kwargs[key] for key in ("pid", "hash") if kwargs.get(key)}
        return self._logistics_render_booking(booking_sudo, access_token, message=message, chatter_keys=chatter_keys)

    def _logistics_render_booking(self, booking_sudo, access_token, message=None, error=None, chatter_keys=None):
        # messages shown come from the server only, never from the query string
        messages = {
            "created": request.env._(
                "Thank you: your booking is recorded under the reference %(reference)s. We will confirm it "
                "shortly; you can write to us below at any time.",
                reference=booking_sudo.name,
            ),
            "cancelled": request.env._("Your booking %(reference)s is cancelled.", reference=booking_sudo.name),
        }
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "logistics_booking",
                "logistics_booking": booking_sudo,
                "logistics_message": messages.get(message),
                "logistics_error": error,
                "booking_badge_classes": BOOKING_BADGE_CLASSES,
                "can_cancel": booking_sudo.state in rules.CUSTOMER_CANCEL_STATES,
                "show_transport": booking_sudo.state in (rules.SCHEDULED, rules.DONE),
                "booking_tz": self._logistics_booking_tz(booking_sudo),
            }
        )
        values = self._get_page_view_values(
            booking_sudo, access_token, values, BOOKING_HISTORY_KEY, False, **(chatter_keys or {})
        )
        return request.render("logistics_crm.portal_my_booking", values)

    # ------------------------------------------------------------------ cancel
    @http.route("/my/bookings/<int:booking_id>/cancel", type="http", auth="public", methods=["POST"], website=True)
    def portal_my_booking_cancel(self, booking_id, access_token=None, **kwargs):
        try:
            booking_sudo = self._document_check_access("logistics.booking", booking_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        # sudo: portal users cannot write bookings. The booking was checked above (its customer, or its
        # access token); only the model's customer cancellation runs, which refuses anything but a
        # requested booking. The request env keeps the user as author of the tracking and the note.
        booking_sudo = request.env["logistics.booking"].sudo().browse(booking_sudo.id)
        try:
            with request.env.cr.savepoint():
                # a visitor of the emailed link (no login) signs as the person who booked
                author = (booking_sudo.contact_id or booking_sudo.partner_id) if request.env.user._is_public() else None
                booking_sudo._logistics_customer_cancel(author=author)
        except UserError as exc:
            return self._logistics_render_booking(booking_sudo, access_token, error=self._logistics_error_text(exc))
        return request.redirect(self._logistics_url(booking_sudo.access_url, access_token, message="cancelled"))

    # ------------------------------------------------------------------ new booking
    @http.route("/my/bookings/new", type="http", auth="user", methods=["GET", "POST"], website=True)
    def portal_my_booking_new(self, **post):
        user = request.env.user
        addresses = self._logistics_booking_addresses()
        errors = {}
        error = None
        if request.httprequest.method == "POST":
            form = {key: (post.get(key) or "").strip() for key in BOOKING_FORM_FIELDS}
            vals, errors = self._logistics_booking_values(form, addresses)
            if not errors:
                try:
                    with request.env.cr.savepoint():
                        # sudo: portal users have no create access on bookings. Only the whitelisted,
                        # checked fields above come from the request; customer, contact, email and
                        # company are the user's own. The request env keeps the user as author.
                        booking = request.env["logistics.booking"].sudo().create(vals)
                except (UserError, ValidationError) as exc:
                    error = self._logistics_error_text(exc)
                else:
                    return request.redirect(self._logistics_url(booking.access_url, message="created"))
        else:
            customer = user.commercial_partner_id
            form = {
                "booking_type": "pickup",
                "packages": "1",
                "country_id": str(customer.country_id.id or ""),
                "contact_name": user.partner_id.name or "",
                "phone": user.partner_id.phone or user.partner_id.mobile or "",
            }
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "logistics_booking_new",
                "form": form,
                "errors": errors,
                "error": error,
                "addresses": addresses,
                "countries": request.env["res.country"].search([]),
                "timezone": user.tz or "UTC",
            }
        )
        return request.render("logistics_crm.portal_my_booking_new", values)

    def _logistics_booking_values(self, form, addresses):
        """``(vals, errors)``: the booking values of the typed ``form`` and ``{field: message}`` of what
        is wrong with it (the model's checks, ``_logistics_problems``, and what does not parse)."""
        env = request.env
        vals, errors = {}, {}
        if form["booking_type"] in ("pickup", "delivery"):
            vals["booking_type"] = form["booking_type"]
        else:
            errors["booking_type"] = env._("Please choose a pickup or a delivery.")
        address = self._logistics_booking_address(form, addresses, vals, errors)
        self._logistics_booking_window(form, vals, errors)
        vals["goods_description"] = form["goods_description"]
        self._logistics_booking_measures(form, vals, errors)

        problems = env["logistics.booking"]._logistics_problems(vals)
        if address:
            # the chosen address lacks its street or city: say so next to the address
            for fname in ("street", "city"):
                if fname in problems:
                    problems.setdefault("address_id", problems.pop(fname))
        # a value that does not parse is told as such, rather than as the check it then fails
        problems.update(errors)
        if problems:
            return vals, problems

        if "packages" in vals:
            vals["packages"] = int(vals["packages"])
        for fname in BOOKING_TEXT_FIELDS:
            if form[fname]:
                vals[fname] = form[fname]
        user = env.user
        customer = user.commercial_partner_id
        company = customer.company_id or user.company_id
        if company not in user.company_ids:
            # a booking the user could never follow (the company record rule): refused, not lost
            return vals, {
                "booking_type": env._(
                    "Your account cannot book for %(customer)s: please call or write to us.",
                    customer=customer.name,
                )
            }
        vals.update(
            {
                "partner_id": customer.id,
                "contact_id": user.partner_id.id,
                "email": user.email or False,
                "company_id": company.id,
            }
        )
        return vals, {}

    @staticmethod
    def _logistics_booking_int(raw):
        try:
            return int(raw)
        except ValueError:
            return 0

    def _logistics_booking_address(self, form, addresses, vals, errors):
        """Fill ``vals`` with the address: one of the customer's own ``addresses`` (the id is checked
        against them, never trusted), else the typed one. Returns the chosen address."""
        env = request.env
        address = env["res.partner"]
        if form["address_id"]:
            address_id = self._logistics_booking_int(form["address_id"])
            address = addresses.filtered(lambda a: a.id == address_id)
            if not address:
                errors["address_id"] = env._("Please choose one of your addresses of the list.")
                return address
            vals["address_id"] = address.id
            vals.update(env["logistics.booking"]._logistics_address_values(address))
            return address
        for fname in ("street", "street2", "zip", "city"):
            vals[fname] = form[fname] or False
        if form["country_id"]:
            country_id = self._logistics_booking_int(form["country_id"])
            country = env["res.country"].search([("id", "=", country_id)]) if country_id else None
            if country:
                vals["country_id"] = country.id
            else:
                errors["country_id"] = env._("Please choose a country of the list.")
        return address

    def _logistics_booking_window(self, form, vals, errors):
        """Fill ``vals`` with the window, typed in the user's time zone, stored in UTC."""
        timezone = self._logistics_booking_timezone()
        for fname in ("date_start", "date_end"):
            vals[fname] = self._logistics_booking_datetime(form[fname], timezone) if form[fname] else False
            if vals[fname] is None:
                errors[fname] = request.env._("Please give a date and a time, e.g. 2026-05-05 09:00.")

    def _logistics_booking_measures(self, form, vals, errors):
        """Fill ``vals`` with packages (left to the model's default of 1 when not given), weight and volume."""
        for fname in ("packages", "weight_kg", "volume_m3"):
            if fname == "packages" and not form[fname]:
                continue
            number = self._logistics_booking_float(form[fname])
            if number is None:
                errors[fname] = request.env._("Please give a number.")
            elif fname == "packages" and number > MAX_PACKAGES:
                errors[fname] = request.env._("Please give at most %(count)s packages.", count=MAX_PACKAGES)
            vals[fname] = number

    @staticmethod
    def _logistics_booking_timezone():
        try:
            return pytz.timezone(request.env.user.tz or "UTC")
        except pytz.UnknownTimeZoneError:
            return pytz.utc

    @staticmethod
    def _logistics_booking_datetime(raw, timezone):
        """The naive UTC datetime of the local date and time ``raw`` (an HTML datetime-local value) in
        ``timezone``, or None when it does not parse."""
        for fmt in DATETIME_LOCAL_FORMATS:
            try:
                local = datetime.strptime(raw, fmt)
            except ValueError:
                continue
            try:
                return timezone.localize(local).astimezone(pytz.utc).replace(tzinfo=None)
            except (OverflowError, ValueError):
                return None
        return None

    @staticmethod
    def _logistics_booking_float(raw):
        """The finite number ``raw``, None when it is not one (an empty value is 0: the model's check
        then asks for a positive number)."""
        if not raw:
            return 0.0
        try:
            number = float(raw)
        except ValueError:
            return None
        return number if math.isfinite(number) else None
