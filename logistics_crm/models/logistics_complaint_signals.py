"""Complaints as churn signals of the tier engine (the foundation's churn-signal hook)."""

from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models

# closed complaints whose SLA was breached count as a churn signal for this long
BREACH_MEMORY_DAYS = 365


class LogisticsTierEngine(models.AbstractModel):
    _inherit = "logistics.tier.engine"

    @api.model
    def _logistics_churn_signals(self, company, partner_ids):
        """Open complaints and breached complaints of the last year, per customer of ``company``.

        A breached complaint of a key account (the first tier) weighs twice: see
        ``tiering.churn_risk``. One grouped query over the company's complaints.
        """
        signals = super()._logistics_churn_signals(company, partner_ids)
        since = fields.Datetime.now() - timedelta(days=BREACH_MEMORY_DAYS)
        # sudo: the engine runs for the whole company, whatever the caller may read
        rows = (
            self.env["logistics.complaint"]
            .sudo()
            .with_context(active_test=False)
            ._read_group(
                [
                    ("company_id", "=", company.id),
                    ("partner_id", "!=", False),
                    "|",
                    ("is_closed", "=", False),
                    "&",
                    ("sla_status", "=", "breached"),
                    ("date_closed", ">=", since),
                ],
                ["partner_id", "is_closed", "sla_status"],
                ["__count"],
            )
        )
        if not rows:
            return signals
        wanted = set(partner_ids)
        counts = defaultdict(lambda: {"open_complaints": 0, "breached_complaints": 0})
        for partner, is_closed, status, count in rows:
            if partner.id not in wanted:
                continue
            if not is_closed:
                counts[partner.id]["open_complaints"] += count
            if status == "breached":
                counts[partner.id]["breached_complaints"] += count
        top_tier = self.env["logistics.customer.tier"]._logistics_active_tiers()[:1]
        breached = [pid for pid, signal in counts.items() if signal["breached_complaints"]]
        key_accounts = (
            set(
                self.env["res.partner"]
                .sudo()
                .with_company(company)
                .browse(breached)
                .filtered(lambda p: p.logistics_tier_id == top_tier)
                .ids
            )
            if top_tier and breached
            else set()
        )
        for pid, signal in counts.items():
            merged = dict(signals.get(pid) or {})
            merged.update(signal, key_account=pid in key_accounts)
            signals[pid] = merged
        return signals
