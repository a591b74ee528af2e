from odoo import fields, models


class LogisticsComplaintStage(models.Model):
    _name = "logistics.complaint.stage"
    _description = "Complaint stage"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    fold = fields.Boolean(string="Folded in kanban", help="Folded stages are shown collapsed on the complaint board.")
    is_closed = fields.Boolean(
        string="Closing stage",
        help="Complaints in this stage are finished (closed or refused): the SLA clock stops, a resolution "
        "is required and the closing date is recorded.",
    )
    sla_pause = fields.Boolean(
        string="Pauses the SLA clock",
        help="Time spent in this stage (e.g. waiting for the customer) does not count against the SLA "
        "deadlines: they move on by that time when the complaint leaves the stage.",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Email template",
        domain=[("model", "=", "logistics.complaint")],
        help="Sent to the customer when a complaint reaches this stage.",
    )
    description = fields.Text(translate=True, help="What happens in this stage; shown as a tooltip on the board.")
    active = fields.Boolean(default=True)
