"""Complaints and satisfaction answers as churn signals of the tier engine, and bookings done as signs of
life (the foundation's hooks)."""

from collections import defaultdict
from datetime import datetime, time, timedelta

from odoo import api, fields, models

from ..domain import satisfaction

# closed complaints whose SLA was breached count as a churn signal for this long
BREACH_MEMORY_DAYS = 365


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

    @api.model
    def _logistics_churn_signals(self, company, partner_ids):
        """The complaint signals (below), then the customer's NPS as ``satisfaction`` (0-10).

        Detractors raise churn risk, promoters lower it (``satisfaction.churn_satisfaction``): the
        NPS of the customer's answers within the company's survey window. One grouped query.
        """
        signals = self._logistics_complaint_signals(
            company, partner_ids, super()._logistics_churn_signals(company, partner_ids)
        )
        since = datetime.combine(
            satisfaction.window_start(fields.Date.context_today(self), company.logistics_survey_window_days), time.min
        )
        # sudo: the engine runs for the whole company, whatever the caller may read
        rows = (
            self.env["survey.user_input"]
            .sudo()
            ._read_group(
                [
                    ("logistics_company_id", "=", company.id),
                    ("logistics_partner_id", "!=", False),
                    ("state", "=", "done"),
                    ("test_entry", "=", False),
                    ("logistics_nps_category", "!=", False),
                    ("end_datetime", ">=", since),
                ],
                ["logistics_partner_id", "logistics_nps_category"],
                ["__count"],
            )
        )
        wanted = set(partner_ids)
        categories = defaultdict(list)
        for partner, category, count in rows:
            if partner.id in wanted:
                categories[partner.id] += [category] * count
        for pid, answered in categories.items():
            merged = dict(signals.get(pid) or {})
            merged["satisfaction"] = satisfaction.churn_satisfaction(satisfaction.nps(answered))
            signals[pid] = merged
        return signals

    @api.model
    def _logistics_complaint_signals(self, company, partner_ids, signals):
        """Open complaints and breached complaints of the last year, per customer of ``company``.

        A breached complaint of a key account (the first tier) weighs twice: see
        ``tiering.churn_risk``. One grouped query over the company's complaints.
        """
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
