from odoo import api, models


class ResCompany(models.Model):
    _inherit = "res.company"

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._logistics_refresh_customer_flag()
        return companies

    def write(self, vals):
        old_partners = self.partner_id if "partner_id" in vals else self.env["res.partner"]
        result = super().write(vals)
        if "partner_id" in vals:
            self._logistics_refresh_customer_flag(old_partners)
        return result

    def _logistics_refresh_customer_flag(self, extra_partners=None):
        """Our own companies are not customers: refresh the flag of their partners."""
        partners = self.partner_id | (extra_partners or self.env["res.partner"])
        self.env.add_to_compute(partners._fields["is_logistics_customer"], partners)
