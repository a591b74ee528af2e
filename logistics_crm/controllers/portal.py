import math

from markupsafe import Markup
from werkzeug.urls import url_encode

from odoo import fields, http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal
from odoo.addons.portal.controllers.portal import pager as portal_pager

# the match states the portal may see: keep in line with the record rule rule_logistics_match_portal
PORTAL_MATCH_STATES = ("offered", "accepted", "quoted")
# the only fields a cargo owner may fill in (nothing else of the request is ever written)
CARGO_FORM_FIELDS = (
    "commodity_id",
    "quantity",
    "quantity_tolerance",
    "load_port",
    "discharge_port",
    "laycan_start",
    "laycan_end",
    "freight_rate",
    "currency_id",
    "note",
)
# the only fields a carrier may fill in
POSITION_FORM_FIELDS = ("vessel_id", "port", "date_open")


class LogisticsCustomerPortal(CustomerPortal):
    @http.route("/my/logistics", type="http", auth="user", website=True)
    def portal_my_logistics(self, **kwargs):
        """The customer's own tier, service levels and logistics profile.

        Only the logged-in user's commercial partner is shown: there is no id in the URL
        to tamper with. Internal figures (revenue, stage, churn risk) are never shown.
        """
        company = request.env.user.partner_id.commercial_partner_id
        # sudo: portal users have no read access to tiers, commodities and services; we read
        # only the user's own company and only the fields rendered below.
        company_sudo = company.sudo()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "logistics_profile",
                "logistics_company": company_sudo,
                "logistics_tier": company_sudo.logistics_tier_id,
            }
        )
        return request.render("logistics_crm.portal_my_logistics", values)

    # ------------------------------------------------------------------ home page
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "logistics_cargo_count" in counters:
            cargo = request.env["logistics.cargo"]
            values["logistics_cargo_count"] = (
                cargo.search_count(self._logistics_cargo_domain()) if cargo.has_access("read") else 0
            )
        if "logistics_position_count" in counters:
            positions = request.env["logistics.vessel.position"]
            values["logistics_position_count"] = (
                positions.search_count(self._logistics_position_domain()) if positions.has_access("read") else 0
            )
        return values

    # ------------------------------------------------------------------ helpers
    def _logistics_cargo_domain(self):
        """The cargo offers of the user's company (the record rule says the same for portal users;
        internal users opening the portal see their own company's offers only, like a customer)."""
        return [("commercial_partner_id", "=", request.env.user.commercial_partner_id.id)]

    def _logistics_position_domain(self):
        carrier = request.env.user.commercial_partner_id
        return ["|", ("vessel_id.owner_id", "child_of", carrier.ids), ("partner_id", "child_of", carrier.ids)]

    def _logistics_vessel_domain(self):
        return [("owner_id", "child_of", request.env.user.commercial_partner_id.ids)]

    @staticmethod
    def _logistics_url(base, access_token=None, **params):
        query = {key: value for key, value in params.items() if value}
        if access_token:
            query["access_token"] = access_token
        return f"{base}?{url_encode(query)}" if query else base

    def _logistics_error_text(self, exc):
        """The message of an error to show in a form (already in the user's language)."""
        if isinstance(exc, UserError):
            return exc.args[0] if exc.args else request.env._("The values could not be saved.")
        return request.env._("The values could not be saved: please check them and try again.")

    def _logistics_required(self, form, key, label):
        if not form.get(key):
            raise UserError(request.env._("Please fill in: %(field)s.", field=label))
        return form[key]

    def _logistics_number(self, form, key, label, required=False, default=0.0):
        raw = self._logistics_required(form, key, label) if required else form.get(key)
        if not raw:
            return default
        try:
            number = float(raw)
        except ValueError:
            number = math.nan
        if not math.isfinite(number):
            raise UserError(request.env._("%(field)s must be a number.", field=label))
        return number

    def _logistics_date(self, form, key, label):
        raw = self._logistics_required(form, key, label)
        try:
            return fields.Date.to_date(raw)
        except ValueError:
            raise UserError(request.env._("%(field)s is not a valid date (YYYY-MM-DD).", field=label)) from None

    def _logistics_port(self, form, key, label):
        code = self._logistics_required(form, key, label).strip().upper()
        port = request.env["logistics.port"].search([("code", "=", code)], limit=1)
        if not port:
            raise UserError(
                request.env._(
                    "Unknown port %(code)s: choose a port of the list or give its UN/LOCODE, e.g. CNTAO.",
                    code=code,
                )
            )
        return port

    def _logistics_id(self, form, key, label):
        raw = self._logistics_required(form, key, label)
        try:
            return int(raw)
        except ValueError:
            raise UserError(request.env._("Please choose a valid %(field)s.", field=label)) from None

    def _logistics_ports(self):
        return request.env["logistics.port"].search([])

    def _logistics_check_not_past(self, day, label):
        if day < fields.Date.context_today(request.env.user):
            raise UserError(request.env._("%(field)s cannot be in the past.", field=label))

    # ------------------------------------------------------------------ cargo owners
    @http.route(["/my/cargo", "/my/cargo/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_cargoes(self, page=1, **kwargs):
        cargo_model = request.env["logistics.cargo"]
        domain = self._logistics_cargo_domain()
        pager = portal_pager(
            url="/my/cargo", total=cargo_model.search_count(domain), page=page, step=self._items_per_page
        )
        cargoes = cargo_model.search(
            domain, order="laycan_start, id", limit=self._items_per_page, offset=pager["offset"]
        )
        request.session["my_logistics_cargo_history"] = cargoes.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "logistics_cargo",
                "default_url": "/my/cargo",
                "pager": pager,
                # sudo: found with the user's rights above; the commodity and currency they show
                # are not readable by portal users
                "cargoes": cargoes.sudo(),
            }
        )
        return request.render("logistics_crm.portal_my_cargoes", values)

    @http.route("/my/cargo/<int:cargo_id>", type="http", auth="public", website=True)
    def portal_my_cargo(self, cargo_id, access_token=None, message=None, **kwargs):
        try:
            cargo_sudo = self._document_check_access("logistics.cargo", cargo_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        messages = {
            "accepted": request.env._("Thank you: you accepted the proposal. Your contact will send you a quotation."),
            "declined": request.env._("You declined the proposal."),
            "created": request.env._("Your cargo offer is recorded. We will propose vessels to you."),
            "unavailable": request.env._("This proposal can no longer be accepted or declined."),
        }
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "logistics_cargo",
                "logistics_cargo": cargo_sudo,
                "proposals": cargo_sudo.match_ids.filtered(lambda m: m.state in PORTAL_MATCH_STATES),
                "logistics_message": messages.get(message),
                "logistics_message_ok": message in ("accepted", "declined", "created"),
            }
        )
        values = self._get_page_view_values(cargo_sudo, access_token, values, "my_logistics_cargo_history", False)
        return request.render("logistics_crm.portal_my_cargo", values)

    @http.route(
        "/my/cargo/<int:cargo_id>/proposal/<int:match_id>/accept",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_my_cargo_proposal_accept(self, cargo_id, match_id, access_token=None, **kwargs):
        return self._logistics_cargo_decide(cargo_id, match_id, access_token, accept=True)

    @http.route(
        "/my/cargo/<int:cargo_id>/proposal/<int:match_id>/decline",
        type="http",
        auth="public",
        methods=["POST"],
        website=True,
    )
    def portal_my_cargo_proposal_decline(self, cargo_id, match_id, access_token=None, **kwargs):
        return self._logistics_cargo_decide(cargo_id, match_id, access_token, accept=False)

    def _logistics_cargo_decide(self, cargo_id, match_id, access_token, accept):
        try:
            cargo_sudo = self._document_check_access("logistics.cargo", cargo_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        url = cargo_sudo.access_url
        # sudo: portal users cannot write matches. The cargo was checked above (owner or token);
        # only an offered match of this very cargo is accepted or declined, through the model's
        # own workflow methods. The request env keeps the user as author of the tracking.
        match_sudo = request.env["logistics.match"].sudo().browse(match_id).exists()
        cargo_sudo = request.env["logistics.cargo"].sudo().browse(cargo_sudo.id)
        available = (
            match_sudo
            and match_sudo.cargo_id == cargo_sudo
            and match_sudo.state == "offered"
            and (not accept or (match_sudo.fits and cargo_sudo.active and cargo_sudo.state in ("open", "matched")))
        )
        if not available:
            return request.redirect(self._logistics_url(url, access_token, message="unavailable"))
        try:
            with request.env.cr.savepoint():
                if accept:
                    match_sudo.action_accept()
                else:
                    match_sudo.action_reject()
                self._logistics_cargo_note(cargo_sudo, match_sudo, accept)
        except UserError:
            return request.redirect(self._logistics_url(url, access_token, message="unavailable"))
        return request.redirect(self._logistics_url(url, access_token, message="accepted" if accept else "declined"))

    def _logistics_cargo_note(self, cargo_sudo, match_sudo, accept):
        """An internal note on the cargo for its salesperson, in the salesperson's language."""
        user = request.env.user
        author = cargo_sudo.partner_id if user._is_public() else user.partner_id
        salesperson = cargo_sudo.user_id
        env = request.env(context=dict(request.env.context, lang=salesperson.lang or request.env.lang))
        params = {
            "author": author.display_name,
            "vessel": match_sudo.vessel_id.display_name,
            "cargo": cargo_sudo.name,
        }
        text = (
            env._("%(author)s accepted the proposal of %(vessel)s for %(cargo)s in the portal.", **params)
            if accept
            else env._("%(author)s declined the proposal of %(vessel)s for %(cargo)s in the portal.", **params)
        )
        cargo_sudo.message_post(
            body=Markup("<p>%s</p>") % text,
            message_type="comment",
            subtype_xmlid="mail.mt_note",
            author_id=author.id,
            partner_ids=salesperson.partner_id.ids,
        )

    @http.route("/my/cargo/new", type="http", auth="user", methods=["GET", "POST"], website=True)
    def portal_my_cargo_new(self, **post):
        company = request.env.user.company_id
        form = {"currency_id": str(company.currency_id.id), "quantity_tolerance": "10"}
        error = None
        if request.httprequest.method == "POST":
            form = {key: (post.get(key) or "").strip() for key in CARGO_FORM_FIELDS}
            try:
                with request.env.cr.savepoint():
                    vals = self._logistics_cargo_values(form)
                    # sudo: portal users have no create access on cargo offers. Only the whitelisted,
                    # validated fields above come from the request; owner and company are the user's.
                    cargo = request.env["logistics.cargo"].sudo().create(vals)
            except (UserError, ValueError) as exc:
                error = self._logistics_error_text(exc)
            else:
                return request.redirect(self._logistics_url(cargo.access_url, message="created"))
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "logistics_cargo_new",
                "form": form,
                "error": error,
                # sudo: portal users cannot read commodities and currencies; only the active ones'
                # names are shown
                "commodities": request.env["logistics.commodity"].sudo().search([]),
                "currencies": request.env["res.currency"].sudo().search([]),
                "ports": self._logistics_ports(),
            }
        )
        return request.render("logistics_crm.portal_my_cargo_new", values)

    def _logistics_cargo_values(self, form):
        commodity_id = self._logistics_id(form, "commodity_id", request.env._("Commodity"))
        # sudo: portal users cannot read commodities; only an active one is accepted
        commodity = request.env["logistics.commodity"].sudo().search([("id", "=", commodity_id)])
        if not commodity:
            raise UserError(request.env._("Please choose a commodity of the list."))
        currency_id = self._logistics_id(form, "currency_id", request.env._("Currency"))
        currency = request.env["res.currency"].sudo().search([("id", "=", currency_id)])
        if not currency:
            raise UserError(request.env._("Please choose a currency of the list."))
        laycan_end = self._logistics_date(form, "laycan_end", request.env._("Laycan end"))
        vals = {
            "commodity_id": commodity.id,
            "quantity": self._logistics_number(form, "quantity", request.env._("Quantity"), required=True),
            "load_port_id": self._logistics_port(form, "load_port", request.env._("Load port")).id,
            "discharge_port_id": self._logistics_port(form, "discharge_port", request.env._("Discharge port")).id,
            "laycan_start": self._logistics_date(form, "laycan_start", request.env._("Laycan start")),
            "laycan_end": laycan_end,
            "freight_rate": self._logistics_number(form, "freight_rate", request.env._("Freight idea")),
            "currency_id": currency.id,
            "note": form.get("note") or False,
            "partner_id": request.env.user.partner_id.id,
            "company_id": request.env.user.company_id.id,
        }
        if form.get("quantity_tolerance"):
            vals["quantity_tolerance"] = self._logistics_number(form, "quantity_tolerance", request.env._("Tolerance"))
        self._logistics_check_not_past(laycan_end, request.env._("Laycan end"))
        return vals

    # ------------------------------------------------------------------ carriers
    @http.route(["/my/positions", "/my/positions/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_positions(self, page=1, **kwargs):
        position_model = request.env["logistics.vessel.position"]
        domain = self._logistics_position_domain()
        pager = portal_pager(
            url="/my/positions", total=position_model.search_count(domain), page=page, step=self._items_per_page
        )
        positions = position_model.search(
            domain, order="date_open desc, id desc", limit=self._items_per_page, offset=pager["offset"]
        )
        request.session["my_logistics_position_history"] = positions.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "logistics_position",
                "default_url": "/my/positions",
                "pager": pager,
                # sudo: found with the user's rights above; rendered with their vessel and port
                "positions": positions.sudo(),
                "can_add": bool(request.env["logistics.vessel"].search_count(self._logistics_vessel_domain())),
            }
        )
        return request.render("logistics_crm.portal_my_positions", values)

    @http.route("/my/positions/<int:position_id>", type="http", auth="public", website=True)
    def portal_my_position(self, position_id, access_token=None, message=None, **kwargs):
        try:
            position_sudo = self._document_check_access("logistics.vessel.position", position_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        return self._logistics_render_position(position_sudo, access_token, message=message)

    def _logistics_render_position(self, position_sudo, access_token, form=None, error=None, message=None):
        messages = {
            "updated": request.env._("The open position is updated."),
            "created": request.env._("The open position is recorded."),
        }
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "logistics_position",
                "logistics_position": position_sudo,
                "form": form
                or {"port": position_sudo.port_id.code or "", "date_open": str(position_sudo.date_open or "")},
                "error": error,
                "logistics_message": messages.get(message),
                "ports": self._logistics_ports(),
            }
        )
        values = self._get_page_view_values(position_sudo, access_token, values, "my_logistics_position_history", False)
        return request.render("logistics_crm.portal_my_position", values)

    @http.route("/my/positions/<int:position_id>/update", type="http", auth="public", methods=["POST"], website=True)
    def portal_my_position_update(self, position_id, access_token=None, **post):
        try:
            position_sudo = self._document_check_access("logistics.vessel.position", position_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        form = {key: (post.get(key) or "").strip() for key in ("port", "date_open")}
        if position_sudo.state != "open":
            error = request.env._("Only an open position can be updated.")
            return self._logistics_render_position(position_sudo, access_token, form=form, error=error)
        # sudo: portal users cannot write positions. The position was checked above (its carrier,
        # or its access token); only its open port and open date are written, validated first.
        # The request env keeps the user as author of the tracking.
        position_sudo = request.env["logistics.vessel.position"].sudo().browse(position_sudo.id)
        try:
            with request.env.cr.savepoint():
                vals = self._logistics_position_values(form, position_sudo.vessel_id, exclude=position_sudo)
                position_sudo.write(vals)
        except (UserError, ValueError) as exc:
            error = self._logistics_error_text(exc)
            return self._logistics_render_position(position_sudo, access_token, form=form, error=error)
        return request.redirect(self._logistics_url(position_sudo.access_url, access_token, message="updated"))

    def _logistics_position_values(self, form, vessel, exclude=None):
        port = self._logistics_port(form, "port", request.env._("Open port"))
        date_open = self._logistics_date(form, "date_open", request.env._("Open date"))
        self._logistics_check_not_past(date_open, request.env._("Open date"))
        # the model's unique (vessel, port, date) constraint, checked first for a clear message
        duplicate_domain = [("vessel_id", "=", vessel.id), ("port_id", "=", port.id), ("date_open", "=", date_open)]
        if exclude:
            duplicate_domain.append(("id", "not in", exclude.ids))
        # sudo: a duplicate may be archived or recorded by another company
        if (
            request.env["logistics.vessel.position"]
            .sudo()
            .with_context(active_test=False)
            .search_count(duplicate_domain)
        ):
            raise UserError(request.env._("This open position is already recorded."))
        return {"port_id": port.id, "date_open": date_open}

    @http.route("/my/positions/new", type="http", auth="user", methods=["GET", "POST"], website=True)
    def portal_my_position_new(self, **post):
        vessels = request.env["logistics.vessel"].search(self._logistics_vessel_domain())
        form = {"vessel_id": str(vessels[:1].id) if len(vessels) == 1 else ""}
        error = None
        if request.httprequest.method == "POST":
            form = {key: (post.get(key) or "").strip() for key in POSITION_FORM_FIELDS}
            try:
                with request.env.cr.savepoint():
                    vessel_id = self._logistics_id(form, "vessel_id", request.env._("Vessel"))
                    vessel = vessels.filtered(lambda v: v.id == vessel_id)
                    if not vessel:
                        raise UserError(request.env._("Please choose one of your vessels."))
                    vals = self._logistics_position_values(form, vessel)
                    carrier = request.env.user.commercial_partner_id
                    vals.update(
                        {
                            "vessel_id": vessel.id,
                            "company_id": (vessel.company_id or request.env.user.company_id).id,
                            # the carrier's account manager, not the portal user, is the chartering contact
                            "user_id": carrier.user_id.id,
                        }
                    )
                    # sudo: portal users have no create access on positions. The vessel is one the
                    # user may read (their own); only vessel, port and date come from the request.
                    position = request.env["logistics.vessel.position"].sudo().create(vals)
            except (UserError, ValueError) as exc:
                error = self._logistics_error_text(exc)
            else:
                return request.redirect(self._logistics_url(position.access_url, message="created"))
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "logistics_position_new",
                "form": form,
                "error": error,
                "vessels": vessels.sudo(),
                "ports": self._logistics_ports(),
            }
        )
        return request.render("logistics_crm.portal_my_position_new", values)
