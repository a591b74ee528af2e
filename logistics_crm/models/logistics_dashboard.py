from odoo import models


class LogisticsDashboard(models.AbstractModel):
    _name = "logistics.dashboard"
    _description = "Logistics CRM management dashboard"
