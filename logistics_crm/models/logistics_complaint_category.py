from odoo import fields, models


class LogisticsComplaintCategory(models.Model):
    _name = "logistics.complaint.category"
    _description = "Complaint category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True, help="Which complaints belong to this category.")
    active = fields.Boolean(default=True)
    complaint_count = fields.Integer(compute="_compute_complaint_count", string="Complaints")

    _sql_constraints = [("name_uniq", "unique(name)", "A complaint category with this name already exists.")]

    def _compute_complaint_count(self):
        counts = dict(
            self.env["logistics.complaint"]._read_group([("category_id", "in", self.ids)], ["category_id"], ["__count"])
        )
        for category in self:
            category.complaint_count = counts.get(category, 0)
