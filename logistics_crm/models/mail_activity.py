from odoo import models


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _action_done(self, feedback=False, attachment_ids=None):
        partner_activities = self.filtered(lambda activity: activity.res_model == "res.partner")
        partners = self.env["res.partner"].browse(partner_activities.mapped("res_id")).exists()
        result = super()._action_done(feedback=feedback, attachment_ids=attachment_ids)
        if partners:
            partners._logistics_register_contact()
        return result
