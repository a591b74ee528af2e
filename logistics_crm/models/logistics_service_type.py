from odoo import fields, models


class LogisticsServiceType(models.Model):
    _name = "logistics.service.type"
    _description = "Logistics Service"
    _order = "sequence, name"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Technical key, e.g. sea_freight, road, warehousing.")
    sequence = fields.Integer(default=10)
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "A service code must be unique."),
    ]
