from odoo import fields, models

from .res_partner import STAGE_SELECTION


class LogisticsLifecycleStage(models.Model):
    """The lifecycle stages as records, so that a care rule can list the ones it applies to."""

    _name = "logistics.lifecycle.stage"
    _description = "Customer lifecycle stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Selection(STAGE_SELECTION, required=True, help="The stage's value on the customer.")
    sequence = fields.Integer(default=10)

    _sql_constraints = [("code_uniq", "unique(code)", "Each lifecycle stage exists once.")]
