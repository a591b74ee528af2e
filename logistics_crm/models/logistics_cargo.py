from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

# a change of these fields re-matches the cargo
MATCH_FIELDS = {
    "partner_id",
    "commodity_id",
    "quantity",
    "quantity_tolerance",
    "load_port_id",
    "discharge_port_id",
    "laycan_start",
    "laycan_end",
    "state",
    "company_id",
    "active",
}
MAX_TOLERANCE = 50.0


class LogisticsCargo(models.Model):
    _name = "logistics.cargo"
    _description = "Cargo offer"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "laycan_start, id"

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, default=lambda self: self.env._("New")
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Cargo owner",
        required=True,
        index=True,
        tracking=True,
        help="The shipper or charterer offering the cargo; the quotation goes to this partner.",
    )
    commercial_partner_id = fields.Many2one(related="partner_id.commercial_partner_id", store=True, index=True)
    commodity_id = fields.Many2one("logistics.commodity", required=True, tracking=True)
    quantity = fields.Float(string="Quantity (t)", digits=(12, 0), required=True, tracking=True)
    quantity_tolerance = fields.Float(
        string="Tolerance (%)",
        digits=(4, 1),
        default=10.0,
        tracking=True,
        help="More or less in owner's option (MOLOO): the vessel must lift at least the quantity less this share.",
    )
    quantity_min = fields.Float(compute="_compute_quantity_range", string="Minimum (t)", digits=(12, 0))
    quantity_max = fields.Float(compute="_compute_quantity_range", string="Maximum (t)", digits=(12, 0))
    load_port_id = fields.Many2one("logistics.port", string="Load port", required=True, index=True, tracking=True)
    discharge_port_id = fields.Many2one(
        "logistics.port", string="Discharge port", required=True, index=True, tracking=True
    )
    route = fields.Char(
        compute="_compute_route", store=True, index=True, help="Load and discharge ports, e.g. AUNTL → CNTAO."
    )
    laycan_start = fields.Date(
        required=True, index=True, tracking=True, help="First day the vessel may present itself for loading."
    )
    laycan_end = fields.Date(
        required=True, index=True, tracking=True, help="Last day: a vessel arriving later may be refused."
    )
    freight_rate = fields.Monetary(
        string="Freight rate (per t)",
        currency_field="currency_id",
        tracking=True,
        help="The freight idea per tonne; the quotation's unit price.",
    )
    currency_id = fields.Many2one("res.currency", required=True, default=lambda self: self.env.company.currency_id)
    user_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index=True,
        tracking=True,
        default=lambda self: self.env.user,
        help="Notified of new good matches; owns the quotation.",
    )
    state = fields.Selection(
        [("open", "Open"), ("matched", "Matched"), ("fixed", "Fixed"), ("cancelled", "Cancelled")],
        default="open",
        required=True,
        index=True,
        tracking=True,
        help="Open: looking for a vessel. Matched: a match is accepted or quoted. Fixed: the quotation is "
        "confirmed. Cancelled: no longer offered.",
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    note = fields.Text()
    match_ids = fields.One2many("logistics.match", "cargo_id", string="Matches")
    match_count = fields.Integer(compute="_compute_match_stats")
    best_score = fields.Float(compute="_compute_match_stats", string="Best score", digits=(5, 1))
    sale_order_ids = fields.One2many("sale.order", "logistics_cargo_id", string="Quotations")
    sale_order_count = fields.Integer(compute="_compute_sale_order_count")
    active = fields.Boolean(default=True)
    match_dirty = fields.Boolean(
        readonly=True, copy=False, help="Waiting for the matching cron (set when many records changed at once)."
    )

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "Cargo references are unique per company."),
    ]

    @api.depends("quantity", "quantity_tolerance")
    def _compute_quantity_range(self):
        for cargo in self:
            share = cargo.quantity * (cargo.quantity_tolerance or 0.0) / 100.0
            cargo.quantity_min = cargo.quantity - share
            cargo.quantity_max = cargo.quantity + share

    @api.depends("load_port_id.code", "discharge_port_id.code")
    def _compute_route(self):
        for cargo in self:
            cargo.route = (
                f"{cargo.load_port_id.code} → {cargo.discharge_port_id.code}"
                if cargo.load_port_id and cargo.discharge_port_id
                else False
            )

    @api.depends("match_ids.score")
    def _compute_match_stats(self):
        for cargo in self:
            scores = cargo.match_ids.mapped("score")
            cargo.match_count = len(scores)
            cargo.best_score = max(scores, default=0.0)

    @api.depends("sale_order_ids")
    def _compute_sale_order_count(self):
        for cargo in self:
            cargo.sale_order_count = len(cargo.sale_order_ids)

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for cargo in self:
            cargo.access_url = f"/my/cargo/{cargo.id}"
        return result

    @api.depends("name", "commodity_id", "quantity", "route")
    def _compute_display_name(self):
        for cargo in self:
            cargo.display_name = (
                f"{cargo.name} {cargo.commodity_id.name or ''} {cargo.quantity:,.0f} t {cargo.route or ''}".strip()
            )

    # ------------------------------------------------------------------ validation
    @api.constrains("quantity", "quantity_tolerance")
    def _check_quantity(self):
        for cargo in self:
            if cargo.quantity <= 0:
                raise ValidationError(self.env._("The quantity of a cargo offer must be positive."))
            if not 0.0 <= cargo.quantity_tolerance <= MAX_TOLERANCE:
                raise ValidationError(self.env._("The tolerance (MOLOO) must be between 0 and 50 %."))

    @api.constrains("laycan_start", "laycan_end")
    def _check_laycan(self):
        for cargo in self:
            if cargo.laycan_end < cargo.laycan_start:
                raise ValidationError(
                    self.env._(
                        "The laycan of %(cargo)s ends (%(end)s) before it starts (%(start)s).",
                        cargo=cargo.name,
                        end=cargo.laycan_end,
                        start=cargo.laycan_start,
                    )
                )

    @api.constrains("load_port_id", "discharge_port_id")
    def _check_ports(self):
        for cargo in self:
            if cargo.load_port_id == cargo.discharge_port_id:
                raise ValidationError(self.env._("The load port and the discharge port must differ."))

    @api.constrains("freight_rate")
    def _check_freight_rate(self):
        for cargo in self:
            if cargo.freight_rate < 0:
                raise ValidationError(self.env._("The freight rate cannot be negative."))

    # ------------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", self.env._("New")) == self.env._("New"):
                company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                    "logistics.cargo"
                ) or self.env._("New")
            if not vals.get("user_id") and vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["user_id"] = (
                    partner.commercial_partner_id.user_id.id
                    or partner.user_id.id
                    or (not self.env.user.share and self.env.uid)
                )
        cargoes = super().create(vals_list)
        self.env["logistics.match.engine"]._logistics_rematch(cargoes=cargoes)
        return cargoes

    def write(self, vals):
        result = super().write(vals)
        if MATCH_FIELDS & set(vals):
            self.env["logistics.match.engine"]._logistics_rematch(cargoes=self)
        return result

    # ------------------------------------------------------------------ actions
    def action_find_matches(self):
        """Rank the open positions fitting these cargoes now (works on any recordset)."""
        if self.filtered(lambda c: c.state not in ("open", "matched")):
            raise UserError(self.env._("Only open or matched cargo offers are matched."))
        self.env["logistics.match.engine"]._logistics_rematch(cargoes=self, now=True)
        return self.action_view_matches() if len(self) == 1 else True

    def action_view_matches(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("logistics_crm.action_logistics_match")
        action["domain"] = [("cargo_id", "in", self.ids)]
        return action

    def action_view_quotations(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("sale.action_quotations_with_onboarding")
        action["domain"] = [("logistics_cargo_id", "in", self.ids)]
        action["context"] = {"create": False}
        return action

    def action_view_map(self):
        self.ensure_one()
        return {
            "type": "ir.actions.client",
            "tag": "logistics_crm.sea_map",
            "name": self.env._("Candidates of %(cargo)s", cargo=self.name),
            "params": {"cargo_id": self.id},
        }

    def action_cancel(self):
        self.write({"state": "cancelled"})

    def action_reopen(self):
        self.write({"state": "open"})

    # ------------------------------------------------------------------ map
    @api.model
    def logistics_map_data(self, cargo_id=False):
        """What the sea map draws: ports, open positions and open cargo offers the user may read, and with
        ``cargo_id`` that cargo's best candidates with their ballast routes and its laden route."""
        # every active port: a few hundred reference records, all drawn
        ports = self.env["logistics.port"].search([])  # pylint: disable=no-search-all
        positions = self.env["logistics.vessel.position"].search([("state", "=", "open")])
        cargoes = self.search([("state", "in", ("open", "matched"))])
        params = self.env["ir.config_parameter"].sudo()

        def where(port):
            return {"code": port.code, "name": port.name, "lat": port.latitude, "lon": port.longitude}

        # OpenStreetMap's tile servers by default; "off" draws no tiles (offline use, tests)
        tile_url = params.get_param("logistics_crm.map_tile_url") or "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
        data = {
            "tile_url": "" if tile_url.strip().lower() in ("off", "none") else tile_url,
            "attribution": '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors',
            "ports": [{"id": p.id, **where(p)} for p in ports],
            "positions": [
                {
                    "id": p.id,
                    "name": p.name,
                    "vessel": p.vessel_id.name,
                    "dwt": p.dwt,
                    "port_code": p.port_id.code,
                    "lat": p.port_id.latitude,
                    "lon": p.port_id.longitude,
                    "date_open": str(p.date_open),
                }
                for p in positions
            ],
            "cargoes": [
                {
                    "id": c.id,
                    "name": c.name,
                    "commodity": c.commodity_id.name,
                    "quantity": c.quantity,
                    "load": where(c.load_port_id),
                    "discharge": where(c.discharge_port_id),
                    "laycan": f"{c.laycan_start} – {c.laycan_end}",
                }
                for c in cargoes
            ],
            "focus": None,
        }
        cargo = self.browse(cargo_id).exists() if cargo_id else self.browse()
        if cargo:
            cargo.check_access("read")
            candidates = cargo.match_ids.filtered(lambda m: m.fits and m.state != "rejected")[:10]
            data["focus"] = {
                "cargo_id": cargo.id,
                "name": cargo.display_name,
                "laden_route": cargo.load_port_id.sea_route_to(cargo.discharge_port_id),
                "laden_nm": cargo.match_ids[:1].laden_distance
                or cargo.load_port_id.sea_distance_to(cargo.discharge_port_id),
                "candidates": [
                    {
                        "match_id": m.id,
                        "position_id": m.position_id.id,
                        "vessel": m.vessel_id.name,
                        "score": m.score,
                        "ballast_nm": m.ballast_distance,
                        "eta": str(m.eta or ""),
                        "route": m.open_port_id.sea_route_to(cargo.load_port_id),
                    }
                    for m in candidates
                ],
            }
        return data
