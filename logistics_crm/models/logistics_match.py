from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..domain import shipping


def num(value, digits=0):
    """``value`` with thousands separators and ``digits`` decimals, for messages."""
    return f"{value:,.{digits}f}"


def money(currency, value):
    return f"{currency.symbol or currency.name} {value:,.0f}"


# the figures the matching engine writes (set-based SQL: they are figures, never a user's trigger)
FIGURE_FIELDS = (
    "score",
    "size_score",
    "arrival_score",
    "ballast_score",
    "tier_score",
    "ballast_distance",
    "laden_distance",
    "eta",
)


class LogisticsMatch(models.Model):
    _name = "logistics.match"
    _description = "Cargo/vessel match"
    _inherit = ["mail.thread"]
    _order = "score desc, id"

    cargo_id = fields.Many2one("logistics.cargo", required=True, index=True, ondelete="cascade", readonly=True)
    position_id = fields.Many2one(
        "logistics.vessel.position", required=True, index=True, ondelete="cascade", readonly=True
    )
    # not stored: each stored link would cost the engine a foreign-key check per written match
    vessel_id = fields.Many2one(related="position_id.vessel_id")
    partner_id = fields.Many2one(related="cargo_id.commercial_partner_id", string="Cargo owner")
    carrier_id = fields.Many2one(related="position_id.partner_id", string="Offered by")
    company_id = fields.Many2one(related="cargo_id.company_id", store=True, index=True)
    user_id = fields.Many2one(related="cargo_id.user_id", string="Salesperson")
    commodity_id = fields.Many2one(related="cargo_id.commodity_id")
    route = fields.Char(related="cargo_id.route")
    laycan_start = fields.Date(related="cargo_id.laycan_start")
    laycan_end = fields.Date(related="cargo_id.laycan_end")
    open_port_id = fields.Many2one(related="position_id.port_id", string="Open port")
    date_open = fields.Date(related="position_id.date_open")
    quantity = fields.Float(related="cargo_id.quantity", string="Quantity (t)")
    dwt = fields.Float(related="vessel_id.dwt", string="DWT (t)")

    score = fields.Float(
        aggregator="avg", readonly=True, copy=False, help="0-100: the weighted sum of the parts below."
    )
    size_score = fields.Float(
        string="Size fit",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="How full the cargo makes the vessel (100: the cargo fills its deadweight).",
    )
    arrival_score = fields.Float(
        string="Arrival",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="100 when the vessel arrives as the laycan opens; waiting days before it and arriving late in it cost.",
    )
    ballast_score = fields.Float(
        string="Ballast",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="Nearer vessels score higher: 100 at the load port, 0 at 8,000 nm or more.",
    )
    tier_score = fields.Float(
        string="Tier priority",
        readonly=True,
        copy=False,
        aggregator="avg",
        help="The cargo owner's tier: key accounts (A) 100, then lower tiers; no tier 0.",
    )
    ballast_distance = fields.Float(string="Ballast (nm)", readonly=True, copy=False)
    laden_distance = fields.Float(string="Laden (nm)", readonly=True, copy=False)
    eta = fields.Date(
        string="ETA load port", readonly=True, copy=False, help="Open date plus the ballast leg at ballast speed."
    )
    fits = fields.Boolean(
        default=True,
        readonly=True,
        copy=False,
        help="Unset when a match that was offered, accepted or quoted no longer passes the filters.",
    )
    state = fields.Selection(
        [
            ("proposed", "Proposed"),
            ("offered", "Offered"),
            ("accepted", "Accepted"),
            ("rejected", "Rejected"),
            ("quoted", "Quoted"),
        ],
        default="proposed",
        required=True,
        index=True,
        tracking=True,
        group_expand="_group_expand_states",
        help="Proposed by the engine; offered to the cargo owner; accepted or rejected; quoted once a "
        "quotation exists.",
    )
    sale_order_id = fields.Many2one("sale.order", string="Quotation", readonly=True, copy=False, index="btree_not_null")

    # voyage estimate (computed on read from the stored legs, the vessel and the company's prices)
    currency_id = fields.Many2one(related="company_id.currency_id")
    ballast_days = fields.Float(compute="_compute_estimate", digits=(6, 1))
    laden_days = fields.Float(compute="_compute_estimate", digits=(6, 1))
    port_days = fields.Float(compute="_compute_estimate", digits=(6, 1))
    total_days = fields.Float(compute="_compute_estimate", string="Voyage days", digits=(6, 1))
    bunker_tons = fields.Float(compute="_compute_estimate", string="Bunkers (t)", digits=(10, 0))
    bunker_cost = fields.Monetary(compute="_compute_estimate")
    freight_revenue = fields.Monetary(compute="_compute_estimate")
    port_cost = fields.Monetary(compute="_compute_estimate", string="Port costs")
    voyage_result = fields.Monetary(compute="_compute_estimate")
    tce = fields.Monetary(
        compute="_compute_estimate",
        string="TCE (per day)",
        help="Time-charter equivalent: the voyage result divided by the voyage's days.",
    )

    _sql_constraints = [
        ("cargo_position_uniq", "unique(cargo_id, position_id)", "A cargo and a position are matched once."),
    ]

    def _group_expand_states(self, states, domain):
        return [key for key, _label in self._fields["state"].selection]

    @api.depends("cargo_id.name", "vessel_id.name")
    def _compute_display_name(self):
        for match in self:
            match.display_name = f"{match.cargo_id.name} / {match.vessel_id.name}"

    @api.depends(
        "ballast_distance",
        "laden_distance",
        "cargo_id.quantity",
        "cargo_id.quantity_tolerance",
        "cargo_id.freight_rate",
        "cargo_id.currency_id",
        "vessel_id",
    )
    def _compute_estimate(self):
        for match in self:
            estimate = match._logistics_estimate()
            for fname in (
                "ballast_days",
                "laden_days",
                "port_days",
                "total_days",
                "bunker_tons",
                "bunker_cost",
                "freight_revenue",
                "port_cost",
                "voyage_result",
                "tce",
            ):
                match[fname] = getattr(estimate, fname) if estimate else 0.0

    def _logistics_estimate(self):
        """The voyage estimate of this match in the company's currency (None without a cargo or vessel)."""
        self.ensure_one()
        cargo, vessel, company = self.cargo_id, self.vessel_id, self.company_id
        if not cargo or not vessel or not company:
            return None
        rate = cargo.currency_id._convert(
            cargo.freight_rate, company.currency_id, company, fields.Date.context_today(self)
        )
        return shipping.voyage_estimate(
            ballast_nm=self.ballast_distance,
            laden_nm=self.laden_distance,
            ballast_speed=vessel.ballast_speed,
            laden_speed=vessel.laden_speed,
            ballast_consumption=vessel.consumption_ballast,
            laden_consumption=vessel.consumption_laden,
            quantity=min(cargo.quantity_max, vessel.dwt),
            freight_rate=rate,
            port_days=company.logistics_port_days,
            bunker_price=company.logistics_bunker_price,
            port_cost_per_call=company.logistics_port_cost,
        )

    # ------------------------------------------------------------------ workflow
    def _check_state(self, allowed, action):
        wrong = self.filtered(lambda m: m.state not in allowed)
        if wrong:
            raise UserError(
                self.env._(
                    "%(action)s is not possible for %(matches)s in this state.",
                    action=action,
                    matches=", ".join(wrong.mapped("display_name")),
                )
            )

    def action_offer(self):
        """Propose the vessel to the cargo owner and the cargo to the vessel's owner (mail to both)."""
        self._check_state(("proposed", "rejected"), self.env._("Offering"))
        self.write({"state": "offered"})
        for match in self:
            body = match._logistics_offer_body()
            match.cargo_id.message_post(
                body=body,
                partner_ids=match.cargo_id.partner_id.ids,
                subtype_xmlid="mail.mt_comment",
                message_type="comment",
            )
            if match.carrier_id:
                match.position_id.message_post(
                    body=body,
                    partner_ids=match.carrier_id.ids,
                    subtype_xmlid="mail.mt_comment",
                    message_type="comment",
                )
            match.message_post(
                body=self.env._(
                    "Offered to %(partners)s.",
                    partners=", ".join((match.cargo_id.partner_id | match.carrier_id).mapped("display_name")),
                ),
                subtype_xmlid="mail.mt_note",
            )
        return True

    def _logistics_offer_body(self):
        self.ensure_one()
        return Markup("<p>%s</p>") % self.env._(
            "Proposal: %(vessel)s (%(dwt)s t DWT), open %(port)s on %(date)s, ETA %(load)s %(eta)s, for "
            "%(cargo)s (laycan %(start)s - %(end)s).",
            vessel=self.vessel_id.display_name,
            dwt=num(self.dwt),
            port=self.open_port_id.display_name,
            date=self.date_open,
            load=self.cargo_id.load_port_id.code,
            eta=self.eta,
            cargo=self.cargo_id.display_name,
            start=self.laycan_start,
            end=self.laycan_end,
        )

    def action_accept(self):
        self._check_state(("proposed", "offered"), self.env._("Accepting"))
        self.write({"state": "accepted"})
        self.cargo_id.filtered(lambda c: c.state == "open").write({"state": "matched"})
        return True

    def action_reject(self):
        self._check_state(("proposed", "offered", "accepted"), self.env._("Rejecting"))
        self.write({"state": "rejected"})
        return True

    def action_reset(self):
        self._check_state(("rejected",), self.env._("Proposing again"))
        self.write({"state": "proposed"})
        return True

    def action_create_quotation(self):
        """A quotation for the cargo owner with the freight line; the match becomes quoted."""
        self._check_state(("proposed", "offered", "accepted"), self.env._("Quoting"))
        orders = self.env["sale.order"]
        for match in self:
            if not match.fits:
                raise UserError(
                    self.env._("%(match)s no longer fits the cargo: match again first.", match=match.display_name)
                )
            order = self.env["sale.order"].with_company(match.company_id).create(match._logistics_order_values())
            match.write({"state": "quoted", "sale_order_id": order.id})
            match.cargo_id.filtered(lambda c: c.state == "open").write({"state": "matched"})
            orders |= order
        if len(orders) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "sale.order",
                "res_id": orders.id,
                "views": [(False, "form")],
            }
        return True

    def _logistics_order_values(self):
        self.ensure_one()
        cargo = self.cargo_id
        product = self.env.ref("logistics_crm.product_sea_freight")
        order_currency = cargo.partner_id.property_product_pricelist.currency_id or self.company_id.currency_id
        price = cargo.currency_id._convert(
            cargo.freight_rate, order_currency, self.company_id, fields.Date.context_today(self)
        )
        return {
            "partner_id": cargo.partner_id.id,
            "company_id": self.company_id.id,
            "user_id": cargo.user_id.id,
            "logistics_cargo_id": cargo.id,
            "logistics_match_id": self.id,
            "origin": cargo.name,
            "order_line": [
                fields.Command.create(
                    {
                        "product_id": product.id,
                        "name": self._logistics_quotation_description(),
                        "product_uom_qty": cargo.quantity,
                        "product_uom": product.uom_id.id,
                        "price_unit": price,
                    }
                )
            ],
        }

    def _logistics_quotation_description(self):
        self.ensure_one()
        cargo, estimate = self.cargo_id, self._logistics_estimate()
        currency = self.company_id.currency_id
        lines = [
            self.env._(
                "Ocean freight: %(commodity)s, %(quantity)s t (%(tolerance)s %% MOLOO)",
                commodity=cargo.commodity_id.name,
                quantity=num(cargo.quantity),
                tolerance=num(cargo.quantity_tolerance, 1),
            ),
            self.env._(
                "Route: %(load)s → %(discharge)s, %(nm)s nm",
                load=cargo.load_port_id.display_name,
                discharge=cargo.discharge_port_id.display_name,
                nm=num(self.laden_distance),
            ),
            self.env._("Laycan: %(start)s - %(end)s", start=cargo.laycan_start, end=cargo.laycan_end),
            self.env._(
                "Vessel: %(vessel)s, %(dwt)s t DWT, open %(port)s %(date)s, ETA load port %(eta)s",
                vessel=self.vessel_id.display_name,
                dwt=num(self.dwt),
                port=self.open_port_id.code,
                date=self.date_open,
                eta=self.eta,
            ),
        ]
        if estimate:
            lines.append(
                self.env._(
                    "Voyage estimate: %(days)s days (ballast %(ballast)s, laden %(laden)s, port %(port)s), "
                    "bunkers %(bunkers)s t, result %(result)s, TCE %(tce)s per day",
                    days=num(estimate.total_days, 1),
                    ballast=num(estimate.ballast_days, 1),
                    laden=num(estimate.laden_days, 1),
                    port=num(estimate.port_days, 1),
                    bunkers=num(estimate.bunker_tons),
                    result=money(currency, estimate.voyage_result),
                    tce=money(currency, estimate.tce),
                )
            )
        return "\n".join(lines)
