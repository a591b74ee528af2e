import json

from odoo import api, fields, models
from odoo.tools import SQL


class ResCompany(models.Model):
    _inherit = "res.company"

    # Bookkeeping of the tier engine, written with SQL inside its runs (never by users).
    logistics_tier_run_at = fields.Datetime(
        string="Tiers last computed",
        readonly=True,
        copy=False,
        help="When a recompute of this company's customer tiers last started.",
    )
    logistics_tier_skip = fields.Json(
        string="Customers skipped today",
        readonly=True,
        copy=False,
        help="Customers of a batch that failed during today's daily job: they wait for tomorrow's run.",
    )

    def _logistics_tier_skipped(self, today):
        """Ids of the customers whose batch failed earlier in today's daily job."""
        self.ensure_one()
        skip = self.sudo().logistics_tier_skip or {}
        return list(skip.get("ids", [])) if skip.get("date") == str(today) else []

    def _logistics_tier_skip(self, today, partner_ids):
        self.ensure_one()
        self.env.cr.execute(
            SQL(
                "UPDATE res_company SET logistics_tier_skip = %s::jsonb WHERE id = %s",
                json.dumps({"date": str(today), "ids": sorted(set(partner_ids))}),
                self.id,
            )
        )
        self.invalidate_recordset(["logistics_tier_skip"])

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
