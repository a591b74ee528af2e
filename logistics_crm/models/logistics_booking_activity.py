"""Bookings done as signs of life of the tier engine (the foundation's hook)."""

from odoo import api, models


class LogisticsTierEngine(models.AbstractModel):
    _inherit = "logistics.tier.engine"

    @api.model
    def _logistics_activity_dates(self, company, partner_ids):
        """The date of each customer's last booking done for ``company`` (one grouped query), merged
        with the other signs of life: the later date wins."""
        dates = dict(super()._logistics_activity_dates(company, partner_ids))
        # sudo: the engine runs for the whole company, whatever the caller may read
        rows = (
            self.env["logistics.booking"]
            .sudo()
            ._read_group(
                [("company_id", "=", company.id), ("state", "=", "done"), ("date_done", "!=", False)],
                ["partner_id"],
                ["date_done:max"],
            )
        )
        wanted = set(partner_ids)
        for partner, last_done in rows:
            if partner.id in wanted:
                day = last_done.date()
                dates[partner.id] = max(day, dates[partner.id]) if dates.get(partner.id) else day
        return dates
