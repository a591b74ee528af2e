from odoo import api, fields, models
from odoo.exceptions import UserError

# a change of these fields re-matches the position
MATCH_FIELDS = {"vessel_id", "port_id", "date_open", "state", "company_id", "active"}


class LogisticsVesselPosition(models.Model):
    _name = "logistics.vessel.position"
    _description = "Vessel open position"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_open, id"

    name = fields.Char(compute="_compute_name", store=True)
    vessel_id = fields.Many2one("logistics.vessel", required=True, index=True, tracking=True, ondelete="cascade")
    port_id = fields.Many2one(
        "logistics.port",
        string="Open port",
        required=True,
        index=True,
        tracking=True,
        help="Where the vessel becomes free (discharges its current cargo).",
    )
    date_open = fields.Date(
        string="Open date",
        required=True,
        index=True,
        tracking=True,
        help="When the vessel is free at the open port. An open position whose date has passed expires.",
    )
    state = fields.Selection(
        [("open", "Open"), ("fixed", "Fixed"), ("expired", "Expired")],
        default="open",
        required=True,
        index=True,
        tracking=True,
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Offered by",
        index=True,
        tracking=True,
        help="The owner, operator or broker offering the vessel (defaults to the vessel's owner).",
    )
    company_id = fields.Many2one(
        "res.company",
        index=True,
        default=lambda self: self.env.company,
        help="The company that knows of this position. Empty: a market position every company may match.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Chartering contact",
        default=lambda self: not self.env.user.share and self.env.user,
        help="The company's contact for this position.",
    )
    vessel_type = fields.Selection(related="vessel_id.vessel_type", store=True)
    dwt = fields.Float(related="vessel_id.dwt", string="DWT (t)")
    size_class = fields.Selection(related="vessel_id.size_class", store=True)
    note = fields.Text(help="Anything the counterpart should know (e.g. last cargoes, restrictions).")
    match_ids = fields.One2many("logistics.match", "position_id", string="Matches")
    match_count = fields.Integer(compute="_compute_match_count")
    best_score = fields.Float(compute="_compute_match_count", string="Best score", digits=(5, 1))
    active = fields.Boolean(default=True)
    match_dirty = fields.Boolean(
        readonly=True, copy=False, help="Waiting for the matching cron (set when many records changed at once)."
    )

    _sql_constraints = [
        ("vessel_date_port_uniq", "unique(vessel_id, port_id, date_open)", "This open position is already recorded."),
    ]

    @api.depends("vessel_id.name", "port_id.code", "date_open")
    def _compute_name(self):
        for position in self:
            position.name = self.env._(
                "%(vessel)s open %(port)s %(date)s",
                vessel=position.vessel_id.name or "",
                port=position.port_id.code or "",
                date=position.date_open or "",
            )

    @api.depends("match_ids.score")
    def _compute_match_count(self):
        for position in self:
            scores = position.match_ids.mapped("score")
            position.match_count = len(scores)
            position.best_score = max(scores, default=0.0)

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for position in self:
            position.access_url = f"/my/positions/{position.id}"
        return result

    @api.model_create_multi
    def create(self, vals_list):
        vessels = self.env["logistics.vessel"].browse([v["vessel_id"] for v in vals_list if v.get("vessel_id")])
        owners = {v.id: v.owner_id.id for v in vessels}
        for vals in vals_list:
            if not vals.get("partner_id") and vals.get("vessel_id"):
                vals["partner_id"] = owners.get(vals["vessel_id"])
        positions = super().create(vals_list)
        self.env["logistics.match.engine"]._logistics_rematch(positions=positions)
        return positions

    def write(self, vals):
        result = super().write(vals)
        if MATCH_FIELDS & set(vals):
            self.env["logistics.match.engine"]._logistics_rematch(positions=self)
        return result

    def action_find_matches(self):
        """Rank the cargo offers this position fits (best ``limit`` per position and per cargo)."""
        if self.filtered(lambda p: p.state != "open"):
            raise UserError(self.env._("Only open positions are matched."))
        self.env["logistics.match.engine"]._logistics_rematch(positions=self, now=True)
        return self.action_view_matches() if len(self) == 1 else True

    def action_view_matches(self):
        action = self.env["ir.actions.act_window"]._for_xml_id("logistics_crm.action_logistics_match")
        action["domain"] = [("position_id", "in", self.ids)]
        return action

    def action_fix(self):
        self.write({"state": "fixed"})

    def action_reopen(self):
        self.write({"state": "open"})

    @api.model
    def _cron_logistics_expire_positions(self, batch_size=1000):
        """Expire the open positions whose open date has passed, in batches (through write())."""
        today = fields.Date.context_today(self)
        while True:
            positions = self.search([("state", "=", "open"), ("date_open", "<", today)], limit=batch_size)
            if not positions:
                return
            positions.write({"state": "expired"})
            if len(positions) < batch_size:
                return
