"""The tier engine: ranks each company's customers and writes what changed.

One service, used by the daily cron, "Recompute now", server and automated actions
and XML-RPC (through ``res.partner.logistics_recompute_tiers()``). Per company:

1. read (a handful of set-based queries): the customers' current values for the
   company, the company's confirmed sales in its own currency, open deals;
2. rank and classify in memory (``domain/tiering.py``);
3. write only the customers whose values changed, in batches, each batch in a
   savepoint: tier, stage and churn level through ``write()`` (so automated
   actions see them), the numeric figures with one ``UPDATE ... FROM unnest()``,
   then the tier history lines and win-back activities.

Runs of one company are serialised by a PostgreSQL advisory lock shared with the
care planner (``_logistics_run_lock``).
"""

import logging
from collections import defaultdict
from datetime import timedelta

from psycopg2.errors import LockNotAvailable, SerializationFailure

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import SQL

from ..domain import tiering
from .logistics_customer_values import ENGINE_WRITE, INTERNAL_WRITE_KEY, update_company_figures

_logger = logging.getLogger(__name__)

# the Logistics CRM user group (one home: the partner fields and the care planner import it)
USER_GROUP = "logistics_crm.group_logistics_crm_user"
# first key of the two-key advisory locks taken by logistics_crm runs (second key: company id)
RUN_LOCK_NAMESPACE = 0x10C5C4
CHURN_MEDIUM_FROM = 35
CHURN_HIGH_FROM = 70
# numeric figures and dates derived from them, written set-based (jsonb per company); tier, stage and
# churn level (ORM_KEYS) go through write(): automated actions may be triggered on them
FIGURE_COLUMNS = {
    "tier_date": ("logistics_tier_date", "date"),
    "revenue": ("logistics_revenue_12m", "numeric"),
    "orders": ("logistics_order_count", "int"),
    "last_order": ("logistics_last_order_date", "date"),
    "risk": ("logistics_churn_risk", "int"),
    "next_contact": ("logistics_next_contact_date", "date"),
}
ORM_KEYS = {"tier_id": "logistics_tier_id", "stage": "logistics_stage", "level": "logistics_churn_level"}
# the values the engine computes for a customer, in the order of the tuples it compares
VALUE_KEYS = ("tier_id", "tier_date", "stage", "revenue", "orders", "last_order", "risk", "level", "next_contact")


class LogisticsRunBusy(UserError):
    """Another run of the same company holds the run lock (or has just committed)."""


def churn_level(risk):
    if risk >= CHURN_HIGH_FROM:
        return "high"
    if risk >= CHURN_MEDIUM_FROM:
        return "medium"
    return "low"


class LogisticsTierEngine(models.AbstractModel):
    _name = "logistics.tier.engine"
    _description = "Logistics CRM tier engine"

    # ------------------------------------------------------------------ settings
    @api.model
    def _logistics_settings(self):
        """Tier window (months) and stage rules from the settings, validated (one home)."""
        get = self.env["ir.config_parameter"].sudo().get_param  # sudo: every user's recompute reads them
        values = {}
        for key, (default, _low, _high) in tiering.SETTINGS.items():
            raw = get(f"logistics_crm.{key}", default)
            try:
                values[key] = int(raw)
            except (TypeError, ValueError):
                values[key] = raw
        self._logistics_check_settings(values)
        return values["tier_window_months"], tiering.StageRules(values["active_days"], values["dormant_days"])

    @api.model
    def _logistics_check_settings(self, values):
        """Raise a ValidationError a user understands when ``values`` are not valid settings."""
        error = tiering.settings_error(values)
        if not error:
            return
        kind, key = error
        labels = {
            "tier_window_months": self.env._("The tier window (months)"),
            "active_days": self.env._("The active window (days)"),
            "dormant_days": self.env._("The dormant window (days)"),
        }
        if kind == "not_integer":
            raise ValidationError(self.env._("%(setting)s must be a whole number.", setting=labels[key]))
        if kind == "out_of_range":
            _default, low, high = tiering.SETTINGS[key]
            raise ValidationError(
                self.env._("%(setting)s must be between %(low)s and %(high)s.", setting=labels[key], low=low, high=high)
            )
        raise ValidationError(self.env._("The dormant window must be longer than the active window."))

    # ------------------------------------------------------------------ run lock
    @api.model
    def _logistics_run_lock(self, company):
        """Serialise the runs (cron batches, Recompute now, care planning) of ``company``.

        A try-lock, never a wait: Odoo's transactions are REPEATABLE READ, so a run
        that waited for another would work on a snapshot older than the other's
        writes and fail with a SerializationFailure. After the lock, the company's run
        marker is touched: if another run committed after this transaction's snapshot
        was taken, PostgreSQL refuses that update, and the run stops with a message
        instead of failing later on a customer row. The lock ends with the transaction.
        """
        cr = self.env.cr
        cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", RUN_LOCK_NAMESPACE, company.id))
        if not cr.fetchone()[0]:
            raise LogisticsRunBusy(
                self.env._(
                    "The customer tiers of %(company)s are being recomputed right now (daily job, "
                    "Recompute now or care planning). Try again in a few minutes.",
                    company=company.name,
                )
            )
        try:
            with cr.savepoint(flush=False):
                cr.execute(
                    SQL(
                        """UPDATE res_company SET logistics_tier_run_at = NOW() AT TIME ZONE 'UTC'
                        WHERE id = %s""",
                        company.id,
                    ),
                    log_exceptions=False,
                )
        except (SerializationFailure, LockNotAvailable) as error:
            raise LogisticsRunBusy(
                self.env._(
                    "Another run has just updated the customer tiers of %(company)s. Run it again to "
                    "start from its results.",
                    company=company.name,
                )
            ) from error
        company.invalidate_recordset(["logistics_tier_run_at"])

    # ------------------------------------------------------------------ public entry points
    @api.model
    def _logistics_check_user(self):
        if not (self.env.su or self.env.user.has_group(USER_GROUP)):
            raise AccessError(self.env._("Only Logistics CRM users can recompute customer tiers."))

    @api.model
    def _logistics_clean(self):
        """The engine ignores the caller's context (``active_test``, defaults, tracking flags...).

        Only the language and time zone are kept: they make the user's messages and "today".
        """
        clean = {"lang": self.env.lang, "tz": self.env.context.get("tz")}
        # a new context on purpose
        return self.sudo().with_context(clean)  # pylint: disable=context-overridden

    @api.model
    def _logistics_recompute(self, companies, batch_size=5000, max_batches=None, today=None):
        """Recompute every customer of ``companies``; return the summed summary."""
        summary = self._logistics_empty_summary()
        for company in companies:
            result = self._logistics_recompute_company(
                company, batch_size=batch_size, max_batches=max_batches, today=today
            )
            for key in summary:
                summary[key] += result[key]
        return summary

    @api.model
    def _logistics_recompute_company(self, company, batch_size=5000, max_batches=None, today=None, skip_ids=()):
        """Rank the customers of one company and write what changed, ``batch_size`` at a time.

        A batch that fails (an automated action raising, a constraint) is rolled back to
        its savepoint, logged and skipped; the other batches still run. Returns a summary.
        """
        engine = self._logistics_clean().with_company(company)
        engine._logistics_run_lock(company)
        plan = engine._logistics_plan(company, today=today or fields.Date.context_today(engine))
        skip_ids = set(skip_ids)
        changes = [change for change in plan["changes"] if change[0] not in skip_ids]
        summary = dict(
            engine._logistics_empty_summary(),
            customers=len(plan["current"]),
            changed=len(changes),
            skipped_orders=plan["skipped_orders"],
        )
        failed_ids = []
        batches = range(0, len(changes), batch_size)
        for start in batches[:max_batches] if max_batches else batches:
            batch = changes[start : start + batch_size]
            try:
                with self.env.cr.savepoint():
                    result = engine._logistics_write_batch(company, batch, plan["tiers"], plan["rules"])
            except Exception:
                _logger.exception(
                    "logistics_recompute_tiers: %s: a batch of %s customers failed and was skipped (first id %s)",
                    company.name,
                    len(batch),
                    batch[0][0],
                )
                summary["failed_batches"] += 1
                failed_ids.extend(pid for pid, _old, _new in batch)
                self.env.invalidate_all()
                continue
            summary["written"] += len(batch)
            summary["tier_changes"] += result["tier_changes"]
            summary["win_back"] += result["win_back"]
            # keep memory flat: drop the batch's records, messages and activities from the cache
            self.env.invalidate_all()
        summary["failed_ids"] = failed_ids
        _logger.info(
            "logistics_recompute_tiers: %s: %s",
            company.name,
            {key: value for key, value in summary.items() if key != "failed_ids"},
        )
        return summary

    @api.model
    def _logistics_cron(self, batch_size):
        """The daily job: every company, then the care plan.

        Run by the cron runner (``cron_id`` in the context), each call writes at most one
        batch and reports the rest through ``ir.cron._notify_progress``: the runner commits
        and calls again (up to 10 times a run, then it re-queues itself), so a crash loses
        at most one batch. The runner locks the job row, so batches run one after another,
        on whichever cron worker takes the job. Customers of a batch that failed are kept
        aside until the next day, so the remaining batches still run. Run manually (or
        called directly), it does every batch at once.
        """
        companies = self.env["res.company"].sudo().search([], order="id")  # pylint: disable=no-search-all
        care_plan = self.env["logistics.care.plan"].sudo()
        if not self.env.context.get("cron_id"):
            summary = self._logistics_recompute(companies, batch_size=batch_size)
            summary.pop("failed_ids", None)
            summary["care_activities"] = care_plan._logistics_schedule(companies)
            return summary
        Cron = self.env["ir.cron"]
        today = fields.Date.context_today(self)
        for index, company in enumerate(companies):
            skip_ids = company._logistics_tier_skipped(today)
            try:
                summary = self._logistics_recompute_company(
                    company, batch_size=batch_size, max_batches=1, skip_ids=skip_ids
                )
            except LogisticsRunBusy as error:
                # another run holds the company: try again in a few minutes rather than fail
                _logger.info("logistics_recompute_tiers: %s: %s", company.name, error)
                self.env.ref("logistics_crm.ir_cron_logistics_recompute_tiers")._trigger(
                    fields.Datetime.now() + timedelta(minutes=5)
                )
                Cron._notify_progress(done=0, remaining=0)
                return {"busy": company.name}
            failed_ids = summary.pop("failed_ids")
            if failed_ids:
                company._logistics_tier_skip(today, skip_ids + failed_ids)
            processed = summary["written"] + len(failed_ids)
            if processed:
                remaining = summary["changed"] - processed + len(companies) - index - 1
                if not remaining:
                    summary["care_activities"] = care_plan._logistics_schedule(companies)
                Cron._notify_progress(done=processed, remaining=remaining)
                return summary
        summary = {"care_activities": care_plan._logistics_schedule(companies)}
        Cron._notify_progress(done=0, remaining=0)
        return summary

    @api.model
    def _logistics_empty_summary(self):
        return {
            "customers": 0,
            "changed": 0,
            "written": 0,
            "tier_changes": 0,
            "win_back": 0,
            "skipped_orders": 0,
            "failed_batches": 0,
        }

    # ------------------------------------------------------------------ what changes
    @api.model
    def _logistics_plan(self, company, today):
        """Current values, new values and the list of changes for ``company`` (read-only)."""
        months, rules = self._logistics_settings()
        tiers = self.env["logistics.customer.tier"]._logistics_active_tiers()
        tier_pairs = [(tier.id, tier.revenue_share_cutoff) for tier in tiers]
        if tiering.validate_cutoffs([cutoff for _id, cutoff in tier_pairs]):
            raise ValidationError(self.env._("The tier cut-offs are not valid: fix them before recomputing."))

        self.env.flush_all()
        reader = self.env["logistics.tier.reader"]
        current = reader._logistics_fetch_current(company)
        sales, skipped_orders = reader._logistics_fetch_sales(company, today, months, rules, current)
        open_deals = reader._logistics_fetch_open_deals(company)
        signals = self._logistics_churn_signals(company, list(current))
        activity = self._logistics_activity_dates(company, list(current))

        pareto = tiering.assign_tiers({pid: sales[pid][0] for pid in current if pid in sales}, tier_pairs)
        care_days = {tier.id: tier.care_interval_days for tier in tiers}
        no_sales = (0.0, 0, None, 0, 0)
        lifecycle_stage, churn_risk, next_contact_date = (
            tiering.lifecycle_stage,
            tiering.churn_risk,
            tiering.next_contact_date,
        )
        changes = []
        # tuples, compared whole: 100,000 customers a run, dicts only for the few that changed
        for pid, (old, locked, last_contact) in current.items():
            revenue, orders, last_order, recent, prior = sales.get(pid, no_sales)
            # the last sign of life: the last order, or a later one (a pickup or delivery done)
            last_seen = tiering.last_sign_of_life(last_order, activity.get(pid))
            old_tier, old_tier_date = old[0], old[1]
            tier_id = old_tier if locked else pareto.get(pid)
            tier_date = old_tier_date if tier_id == old_tier and old_tier_date else (today if tier_id else None)
            signal = signals.get(pid) if signals else None
            risk = (
                churn_risk(last_seen, recent, prior, today, rules, **signal)
                if signal
                else churn_risk(last_seen, recent, prior, today, rules)
            )
            new = (
                tier_id,
                tier_date,
                lifecycle_stage(last_seen, pid in open_deals, today, rules),
                round(revenue, 2),
                orders,
                last_order,
                risk,
                churn_level(risk),
                next_contact_date(last_contact, care_days.get(tier_id), tier_date),
            )
            if new != old:
                changes.append((pid, dict(zip(VALUE_KEYS, old, strict=True)), dict(zip(VALUE_KEYS, new, strict=True))))
        return {
            "current": current,
            "changes": changes,
            "tiers": tiers,
            "rules": rules,
            "skipped_orders": skipped_orders,
        }

    @api.model
    def _logistics_activity_dates(self, company, partner_ids):
        """Other signs of life than orders, per customer: ``{partner_id: date}`` of the latest.

        A hook for the capabilities that see customers at work (bookings done): a customer with a
        recent sign of life is active, and its churn risk counts from it as from an order.
        Set-based, one query.
        """
        return {}

    @api.model
    def _logistics_churn_signals(self, company, partner_ids):
        """Extra churn signals per customer: ``{partner_id: {"open_complaints": n, "satisfaction": x}}``.

        A hook for the complaint and survey capabilities: override, call ``super()`` and
        add your keys (the arguments of ``tiering.churn_risk``). Set-based, one query.
        """
        return {}

    # ------------------------------------------------------------------ writing a batch
    @api.model
    def _logistics_write_batch(self, company, batch, tiers, rules):
        """Write one batch of ``(partner_id, old, new)`` changes of ``company``."""
        Partner = (
            self.env["res.partner"]
            .with_company(company)
            .with_context(
                # tracking: the history lines below; children: the batch writes the contacts itself
                tracking_disable=True,
                **{INTERNAL_WRITE_KEY: ENGINE_WRITE},
            )
        )
        ids = [pid for pid, _old, _new in batch]
        contacts = defaultdict(list)
        for contact in Partner.search_fetch(
            [("commercial_partner_id", "in", ids), ("id", "not in", ids)], ["commercial_partner_id"]
        ):
            contacts[contact.commercial_partner_id.id].append(contact.id)

        # 1. tier, stage and churn level through write(), one call per distinct set of new values:
        #    automated actions on these fields fire for exactly the customers that changed
        groups = defaultdict(list)
        for pid, old, new in batch:
            vals = tuple((ORM_KEYS[key], new[key]) for key in ORM_KEYS if new[key] != old[key])
            if vals:
                groups[vals].append(pid)
        for vals, pids in groups.items():
            records = Partner.browse(pids + [cid for pid in pids for cid in contacts[pid]])
            records.write({fname: value if value is not None else False for fname, value in vals})

        # 2. numeric figures, set-based: one UPDATE for the batch's companies and contacts
        update_company_figures(
            self.env,
            company.id,
            list(FIGURE_COLUMNS.values()),
            [(pid, *(new[name] for name in FIGURE_COLUMNS)) for pid, _old, new in batch],
        )
        Partner.invalidate_model([column for column, _type in FIGURE_COLUMNS.values()])

        # 3. history and win-back
        tier_changes = sum(1 for _pid, old, new in batch if old["tier_id"] != new["tier_id"])
        self._logistics_history_batch(company, batch)
        win_back = self._logistics_win_back_batch(company, batch, tiers, rules)
        return {"tier_changes": tier_changes, "win_back": win_back}

    @api.model
    def _logistics_history_batch(self, company, batch):
        """One tier history line per customer of the batch whose tier or stage changed.

        Lines belong to ``company`` (a record rule keeps them to its staff), unlike chatter
        messages, which every company's staff reads on a shared customer. The lines are a
        report of the values the batch has just written through ``write()`` (where automated
        actions see the change), so they are inserted set-based, like the figures: one
        ``INSERT ... SELECT FROM unnest()`` a batch (3,000 lines: 0.02 s; 0.4 s through
        ``create()``). A tier set by hand is logged through the ORM (res.partner.write).
        """
        rows = [
            (
                pid,
                old["tier_id"],
                new["tier_id"],
                old["stage"],
                new["stage"],
                new["revenue"],
                old["tier_id"] != new["tier_id"],
            )
            for pid, old, new in batch
            if old["tier_id"] != new["tier_id"] or old["stage"] != new["stage"]
        ]
        if not rows:
            return 0
        columns = list(zip(*rows, strict=True))
        self.env.cr.execute(
            SQL(
                """INSERT INTO logistics_tier_history
                      (company_id, date, user_id, origin, partner_id, old_tier_id, new_tier_id, old_stage,
                       new_stage, revenue, tier_changed, create_uid, create_date, write_uid, write_date)
               SELECT %(company)s, %(today)s, %(uid)s, 'recompute', v.*, %(uid)s, %(now)s, %(uid)s, %(now)s
                 FROM unnest(%(partners)s::int[], %(old_tiers)s::int[], %(new_tiers)s::int[],
                             %(old_stages)s::varchar[], %(new_stages)s::varchar[], %(revenues)s::numeric[],
                             %(changed)s::bool[]) AS v""",
                company=company.id,
                today=fields.Date.context_today(self),
                uid=self.env.uid,
                now=self.env.cr.now(),
                partners=list(columns[0]),
                old_tiers=list(columns[1]),
                new_tiers=list(columns[2]),
                old_stages=list(columns[3]),
                new_stages=list(columns[4]),
                revenues=list(columns[5]),
                changed=list(columns[6]),
            )
        )
        self.env["logistics.tier.history"].invalidate_model()
        self.env["res.partner"].invalidate_model(["logistics_tier_history_ids"])
        return len(rows)

    @api.model
    def _logistics_win_back_batch(self, company, batch, tiers, rules):
        """Win-back activity for the salesperson of valuable customers that just turned dormant."""
        win_back_tiers = set(tiers.filtered("win_back_when_dormant").ids)
        # only a customer seen active or target before "turns" dormant: the first computation
        # (no stage yet) must not flood salespeople with tasks for long-dormant customers
        turned = [
            pid
            for pid, old, new in batch
            if new["stage"] == tiering.STAGE_DORMANT
            and old["stage"] in (tiering.STAGE_ACTIVE, tiering.STAGE_TARGET)
            and new["tier_id"] in win_back_tiers
        ]
        if not turned:
            return 0
        partners = self.env["res.partner"].with_company(company).browse(turned)
        return len(
            self.env["logistics.care.plan"]._logistics_plan_activities(
                partners,
                "logistics_crm.mail_activity_type_logistics_win_back",
                lambda partner: self.env._("Win back %(customer)s", customer=partner.name),
                lambda partner: self.env._(
                    "%(customer)s (tier %(tier)s) has not ordered for more than %(days)s days.",
                    customer=partner.name,
                    tier=partner.logistics_tier_id.code,
                    days=rules.active_days,
                ),
            )
        )
