from datetime import date

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from ..domain import shipping

VESSEL_TYPES = [
    ("bulk", "Bulk carrier"),
    ("tanker", "Tanker"),
    ("container", "Container ship"),
    ("general", "General cargo / multipurpose"),
]
SIZE_CLASS_LABELS = [
    ("small", "Small (< 10,000 t)"),
    ("handysize", "Handysize"),
    ("handymax", "Handymax"),
    ("supramax", "Supramax / Ultramax"),
    ("panamax", "Panamax"),
    ("kamsarmax", "Kamsarmax / Post-Panamax"),
    ("capesize", "Capesize"),
    ("vloc", "VLOC (≥ 200,000 t)"),
]


class LogisticsVesselType(models.Model):
    """The vessel types a commodity may travel on (one record per key of ``logistics.vessel.vessel_type``)."""

    _name = "logistics.vessel.type"
    _description = "Vessel type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(VESSEL_TYPES, required=True)
    sequence = fields.Integer(default=10)

    _sql_constraints = [("code_uniq", "unique(code)", "There is one vessel type per kind of vessel.")]


class LogisticsVessel(models.Model):
    _name = "logistics.vessel"
    _description = "Vessel"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name"
    _rec_names_search = ["name", "imo"]

    name = fields.Char(required=True, tracking=True, index="trigram")
    imo = fields.Char(
        string="IMO number",
        required=True,
        size=7,
        index=True,
        tracking=True,
        help="The ship's 7-digit IMO number; its last digit is a check digit, so a typo is refused.",
    )
    vessel_type = fields.Selection(VESSEL_TYPES, required=True, default="bulk", tracking=True)
    dwt = fields.Float(
        string="DWT (t)",
        digits=(12, 0),
        required=True,
        tracking=True,
        help="Deadweight in tonnes: what the vessel can lift (cargo, bunkers and stores).",
    )
    size_class = fields.Selection(
        SIZE_CLASS_LABELS,
        compute="_compute_size_class",
        store=True,
        help="Derived from the deadweight: Handysize from 10,000 t, Handymax 40,000, Supramax 50,000, "
        "Panamax 65,000, Kamsarmax 80,000, Capesize 100,000, VLOC 200,000.",
    )
    draft = fields.Float(
        string="Draft (m)", digits=(5, 2), help="Summer draft laden. Ports with a smaller max draft are excluded."
    )
    gear = fields.Char(help="Cargo gear, e.g. '4 x 30 t cranes with grabs'. Empty: gearless.")
    ballast_speed = fields.Float(string="Ballast speed (kn)", digits=(5, 2), default=12.5, required=True)
    laden_speed = fields.Float(string="Laden speed (kn)", digits=(5, 2), default=12.0, required=True)
    consumption_ballast = fields.Float(
        string="Bunkers ballast (t/day)", digits=(6, 2), default=25.0, help="Fuel burnt per day at sea in ballast."
    )
    consumption_laden = fields.Float(
        string="Bunkers laden (t/day)", digits=(6, 2), default=28.0, help="Fuel burnt per day at sea laden."
    )
    built_year = fields.Integer(string="Built")
    flag_id = fields.Many2one("res.country", help="The flag state the vessel is registered in.")
    owner_id = fields.Many2one(
        "res.partner",
        string="Owner / operator",
        index=True,
        tracking=True,
        help="The carrier offering the vessel. Its portal users see and update the vessel's open positions.",
    )
    company_id = fields.Many2one(
        "res.company",
        index=True,
        help="Empty: a vessel of the shared register, seen by every company.",
    )
    position_ids = fields.One2many("logistics.vessel.position", "vessel_id", string="Open positions")
    active = fields.Boolean(default=True)

    _sql_constraints = [("imo_uniq", "unique(imo)", "A vessel with this IMO number already exists.")]

    @api.depends("dwt")
    def _compute_size_class(self):
        for vessel in self:
            vessel.size_class = shipping.size_class(vessel.dwt)

    @api.depends("name", "imo")
    def _compute_display_name(self):
        for vessel in self:
            vessel.display_name = f"{vessel.name} (IMO {vessel.imo})" if vessel.imo else vessel.name

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._normalize_imo(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._normalize_imo(vals)
        result = super().write(vals)
        if set(vals) & {"dwt", "draft", "vessel_type", "ballast_speed", "active"}:
            self.env["logistics.match.engine"]._logistics_rematch(
                positions=self.position_ids.filtered(lambda p: p.state == "open")
            )
        return result

    @api.model
    def _normalize_imo(self, vals):
        if vals.get("imo"):
            vals["imo"] = shipping.normalize_imo(str(vals["imo"])) or str(vals["imo"]).strip()

    @api.constrains("imo")
    def _check_imo(self):
        for vessel in self:
            if not shipping.imo_is_valid(vessel.imo):
                raise ValidationError(
                    self.env._(
                        "%(imo)s is not a valid IMO number: 7 digits whose last one is the check digit (e.g. 9074729).",
                        imo=vessel.imo,
                    )
                )

    @api.constrains("dwt", "draft", "ballast_speed", "laden_speed", "consumption_ballast", "consumption_laden")
    def _check_figures(self):
        for vessel in self:
            if vessel.dwt <= 0:
                raise ValidationError(self.env._("The deadweight of %(vessel)s must be positive.", vessel=vessel.name))
            if vessel.ballast_speed <= 0 or vessel.laden_speed <= 0:
                raise ValidationError(self.env._("The speeds of %(vessel)s must be positive.", vessel=vessel.name))
            if vessel.draft < 0 or vessel.consumption_ballast < 0 or vessel.consumption_laden < 0:
                raise ValidationError(
                    self.env._("Draft and bunker consumption of %(vessel)s cannot be negative.", vessel=vessel.name)
                )

    @api.constrains("built_year")
    def _check_built_year(self):
        latest = date.today().year + 3
        for vessel in self:
            if vessel.built_year and not 1900 <= vessel.built_year <= latest:
                raise ValidationError(
                    self.env._(
                        "The year %(year)s is not a possible build year (1900 to %(latest)s).",
                        year=vessel.built_year,
                        latest=latest,
                    )
                )
