from odoo import fields, models


class LogisticsCommodity(models.Model):
    _name = "logistics.commodity"
    _description = "Commodity"
    _order = "category, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(help="Short code used in reports and imports, e.g. COAL, IRON-ORE.")
    category = fields.Selection(
        [
            ("dry_bulk", "Dry bulk"),
            ("liquid_bulk", "Liquid bulk"),
            ("container", "Containerized"),
            ("breakbulk", "Break-bulk / project cargo"),
            ("general", "General cargo"),
        ],
        required=True,
        default="general",
        help="Kind of cargo; later used to check vessel and cargo compatibility.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "A commodity code must be unique."),
    ]

    vessel_type_ids = fields.Many2many(
        "logistics.vessel.type",
        "logistics_commodity_vessel_type_rel",
        "commodity_id",
        "type_id",
        string="Carried by",
        help="Vessel types that may carry this commodity. Empty: any type.",
    )
