"""The matching engine: loads open cargoes and positions with a few queries, scores them in memory
(``domain/matching.py``), and persists the best pairs set-based.

* ``cargo.action_find_matches()`` / ``position.action_find_matches()`` and every create or write of
  a field that matters re-match the records touched; sets larger than ``BACKGROUND_SIZE`` (and
  writes made while another run of the company holds its lock) are flagged ``match_dirty`` and
  left to the cron, which works in batches and commits after each.
* A match's identity is the (cargo, position) pair: re-matching updates its figures in place, so
  offered, accepted and quoted matches keep their history. Proposed matches that no longer pass,
  or that fall out of both the cargo's and the position's best ``limit``, are deleted; matches in
  another state are kept, with ``fits`` telling whether they still pass.
* The figures (score, its parts, legs and ETA) are written in SQL: they are figures, like the tier
  engine's; the state, which users and automated actions act on, changes only through ``write()``.
"""

import logging
from datetime import date, timedelta

import numpy as np

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from ..domain import matching

_logger = logging.getLogger(__name__)

BACKGROUND_SIZE = 50  # more records than this are re-matched by the cron
MATCH_LOCK_NAMESPACE = 51_811  # first key of the matching advisory lock (second: company id)
# Pairs attribute: decimals stored (as the fields' digits); the score in full, so that the database ranks
# pairs exactly as the matching core did
DIGITS = {
    "score": None,
    "size_score": 1,
    "arrival_score": 1,
    "ballast_score": 1,
    "tier_score": 1,
    "ballast_nm": 0,
    "laden_nm": 0,
}


class LogisticsMatchBusy(UserError):
    """Another matching run of the same company holds its lock."""


class LogisticsMatchEngine(models.AbstractModel):
    _name = "logistics.match.engine"
    _description = "Cargo/vessel matching engine"

    # ------------------------------------------------------------------ entry points
    @api.model
    def _logistics_rematch(self, cargoes=None, positions=None, now=False):
        """Re-match ``cargoes`` or ``positions`` after a change: at once when few (or ``now``), else by the cron."""
        records = cargoes if cargoes is not None else positions
        if not records or self.env.context.get("logistics_no_rematch"):
            return
        if not now and len(records) > BACKGROUND_SIZE:
            self._logistics_mark_dirty(records)
            return
        for company in self._logistics_companies(records):
            try:
                with self.env.cr.savepoint(flush=False):
                    self._logistics_match_company(
                        company,
                        cargo_ids=cargoes.ids if cargoes is not None else None,
                        position_ids=positions.ids if positions is not None else None,
                    )
            except LogisticsMatchBusy:
                if now:
                    raise
                self._logistics_mark_dirty(records)

    @api.model
    def _logistics_companies(self, records):
        # sudo: a market position (no company) is matched for every company, whatever the user sees;
        # a database has a handful of companies
        if any(not record.company_id for record in records):
            return self.env["res.company"].sudo().search([])  # pylint: disable=no-search-all
        return records.company_id.sudo()

    @api.model
    def _logistics_mark_dirty(self, records):
        records.flush_recordset()
        self.env.cr.execute(
            SQL("UPDATE %s SET match_dirty = TRUE WHERE id = ANY(%s)", SQL.identifier(records._table), records.ids)
        )
        records.invalidate_recordset(["match_dirty"])
        self.env.ref("logistics_crm.ir_cron_logistics_match")._trigger()

    @api.model
    def _logistics_match_all(self):
        """Match every company's open cargoes and positions (no commit: demo data, tests, scripts)."""
        # sudo: every company's records, whoever asks
        return {
            company.id: self.sudo()._logistics_match_company(company)
            for company in self.env["res.company"].sudo().search([])
        }

    @api.model
    def _cron_logistics_match(self, batch_size=500, full=False):
        """Re-match the flagged cargoes and positions, ``batch_size`` at a time (``full``: everything).

        Run by the cron runner (``cron_id`` in the context), each call matches one batch and
        reports the rest through ``ir.cron._notify_progress``: the runner commits and calls again,
        so a crash loses one batch at most, and the runner's lock on the job row keeps two runs
        apart. Called directly (tests, scripts), it does every batch in the caller's transaction.
        """
        in_cron = bool(self.env.context.get("cron_id"))
        cron = self.env["ir.cron"]
        # sudo: the job matches every company's records
        engine = self.sudo()
        try:
            if full:
                engine._logistics_match_all()
                self.env.cr.execute(SQL("UPDATE logistics_cargo SET match_dirty = FALSE WHERE match_dirty"))
                self.env.cr.execute(SQL("UPDATE logistics_vessel_position SET match_dirty = FALSE WHERE match_dirty"))
                cron._notify_progress(done=1, remaining=0)
                return
            while True:
                done, remaining = engine._logistics_match_dirty_batch(batch_size)
                if in_cron or not remaining:
                    cron._notify_progress(done=done, remaining=remaining)
                    return
        except LogisticsMatchBusy as error:
            # a user's re-match holds a company: try again in a few minutes rather than fail
            _logger.info("logistics matching: %s", error)
            self.env.ref("logistics_crm.ir_cron_logistics_match")._trigger(fields.Datetime.now() + timedelta(minutes=5))
            cron._notify_progress(done=0, remaining=0)

    @api.model
    def _logistics_match_dirty_batch(self, batch_size):
        """Match one batch of flagged cargoes (else positions); return (done, remaining flagged)."""
        cr = self.env.cr
        for model in ("logistics.cargo", "logistics.vessel.position"):
            records = (
                self.env[model]
                .with_context(active_test=False)
                .search([("match_dirty", "=", True)], limit=batch_size, order="id")
            )
            if not records:
                continue
            key = "cargo_ids" if model == "logistics.cargo" else "position_ids"
            for company in self._logistics_companies(records):
                mine = records.filtered(lambda r, c=company: not r.company_id or r.company_id == c)
                if mine:
                    self._logistics_match_company(company, **{key: mine.ids})
            cr.execute(
                SQL("UPDATE %s SET match_dirty = FALSE WHERE id = ANY(%s)", SQL.identifier(records._table), records.ids)
            )
            records.invalidate_recordset(["match_dirty"])
            cr.execute(
                SQL(
                    "SELECT (SELECT count(*) FROM logistics_cargo WHERE match_dirty)"
                    " + (SELECT count(*) FROM logistics_vessel_position WHERE match_dirty)"
                )
            )
            return len(records), cr.fetchone()[0]
        return 0, 0

    # ------------------------------------------------------------------ one run
    @api.model
    def _logistics_lock(self, company):
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", MATCH_LOCK_NAMESPACE, company.id))
        if not self.env.cr.fetchone()[0]:
            raise LogisticsMatchBusy(
                self.env._(
                    "Cargo and vessels of %(company)s are being matched right now. Try again in a moment.",
                    company=company.name,
                )
            )

    @api.model
    def _logistics_match_company(self, company, cargo_ids=None, position_ids=None):
        """Match the open cargoes and positions of ``company``; all of them, or the given ones only.

        Returns a dict of counters (for logs and the benchmark).
        """
        self._logistics_lock(company)
        reader = self.env["logistics.match.reader"]
        for model in (
            "logistics.cargo",
            "logistics.vessel.position",
            "logistics.vessel",
            "logistics.match",
            "logistics.port",
            "logistics.commodity",
        ):
            self.env[model].flush_model()
        limit = max(1, company.logistics_match_limit or 10)
        if cargo_ids is not None and not reader._logistics_open_cargo_left(company, cargo_ids):
            cargo_ids = None  # every open cargo of the company: a full run, cheaper than a subset
        cargoes, positions, ctx = reader._logistics_load(company, cargo_ids, position_ids)
        c_index = {cid: i for i, cid in enumerate(cargoes.ids.tolist())}
        p_index = {pid: j for j, pid in enumerate(positions.ids.tolist())}
        if cargo_ids is None and position_ids is None:
            pairs = matching.match(cargoes, positions, ctx, limit)
            scope = SQL("m.company_id = %s", company.id)
        elif cargo_ids is not None:
            # the positions' other stored matches compete: only positions these cargoes reach matter
            reached = np.flatnonzero(np.isfinite(matching.score_matrix(cargoes, positions, ctx)).any(axis=0))
            thresholds = np.full(len(positions), -np.inf)
            thresholds[reached] = reader._logistics_thresholds(
                "position_id", "cargo_id", cargo_ids, positions.ids[reached], limit
            )
            pairs = matching.match(cargoes, positions, ctx, limit, position_thresholds=thresholds)
            scope = SQL("m.company_id = %s AND m.cargo_id = ANY(%s)", company.id, list(cargo_ids))
        else:
            reached = np.flatnonzero(np.isfinite(matching.score_matrix(cargoes, positions, ctx)).any(axis=1))
            thresholds = np.full(len(cargoes), -np.inf)
            thresholds[reached] = reader._logistics_thresholds(
                "cargo_id", "position_id", position_ids, cargoes.ids[reached], limit
            )
            pairs = matching.match(cargoes, positions, ctx, limit, cargo_thresholds=thresholds)
            scope = SQL("m.company_id = %s AND m.position_id = ANY(%s)", company.id, list(position_ids))
        kept = self._logistics_kept(scope, c_index, p_index, cargoes, positions, ctx)
        selected = {
            (int(c), int(p))
            for c, p in zip(
                cargoes.ids[pairs.cargo.astype(int)].tolist(),
                positions.ids[pairs.position.astype(int)].tolist(),
                strict=True,
            )
        }
        before = reader._logistics_existing_scores(scope)
        self._logistics_upsert(company, cargoes, positions, [pairs, kept])
        full = cargo_ids is None and position_ids is None
        removed = self._logistics_prune(company, scope, selected, limit, full)
        notified = self._logistics_notify(company, cargoes, positions, pairs, before)
        return {
            "cargoes": len(cargoes),
            "positions": len(positions),
            "pairs": len(pairs),
            "removed": removed,
            "notified": notified,
        }

    @api.model
    def _logistics_kept(self, scope, c_index, p_index, cargoes, positions, ctx):
        """Fresh figures of the matches in ``scope`` that are no longer only proposed (kept whatever their rank)."""
        self.env.cr.execute(
            SQL("SELECT m.cargo_id, m.position_id FROM logistics_match m WHERE %s AND m.state != 'proposed'", scope)
        )
        rows = [(c_index[c], p_index[p]) for c, p in self.env.cr.fetchall() if c in c_index and p in p_index]
        c, p = zip(*rows, strict=True) if rows else ((), ())
        return matching.pair_figures(cargoes, positions, ctx, list(c), list(p))

    @api.model
    def _logistics_upsert(self, company, cargoes, positions, pair_sets):
        """Insert new pairs and refresh the figures of existing ones, in one statement."""
        pair_sets = [p for p in pair_sets if len(p)]
        if not pair_sets:
            return

        # a kept (offered, accepted...) pair may also be selected again: once is enough
        rows = np.concatenate([p.cargo for p in pair_sets]).astype(np.int64)
        cols = np.concatenate([p.position for p in pair_sets]).astype(np.int64)
        _keys, first = np.unique(rows * (len(positions) + 1) + cols, return_index=True)

        def cat(name):
            return np.concatenate([getattr(p, name) for p in pair_sets])[first]

        cargo_ids = cargoes.ids[cat("cargo").astype(int)]
        position_ids = positions.ids[cat("position").astype(int)]
        values = {
            name: (np.nan_to_num(cat(name)) if digits is None else np.round(np.nan_to_num(cat(name)), digits)).tolist()
            for name, digits in DIGITS.items()
        }
        eta = np.floor(np.nan_to_num(cat("eta"), nan=date.today().toordinal())).astype(int).tolist()
        self.env.cr.execute(
            SQL(
                """INSERT INTO logistics_match
                       (cargo_id, position_id, company_id, state, fits,
                        score, size_score, arrival_score, ballast_score, tier_score, ballast_distance, laden_distance,
                        eta, create_uid, create_date, write_uid, write_date)
                   SELECT k.c, k.p, c.company_id, 'proposed',
                          k.fits, k.score, k.size, k.arrival, k.ballast, k.tier, k.ballast_nm, k.laden_nm,
                          DATE '0001-01-01' + (k.eta - 1), %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s,
                          NOW() AT TIME ZONE 'UTC'
                     FROM unnest(%(c)s::int[], %(p)s::int[], %(fits)s::bool[], %(score)s::float8[], %(size)s::float8[],
                                 %(arrival)s::float8[], %(ballast)s::float8[], %(tier)s::float8[],
                                 %(ballast_nm)s::float8[], %(laden_nm)s::float8[], %(eta)s::int[])
                          AS k(c, p, fits, score, size, arrival, ballast, tier, ballast_nm, laden_nm, eta)
                     JOIN logistics_cargo c ON c.id = k.c
                       ON CONFLICT (cargo_id, position_id) DO UPDATE
                      SET fits = EXCLUDED.fits, score = EXCLUDED.score, size_score = EXCLUDED.size_score,
                          arrival_score = EXCLUDED.arrival_score, ballast_score = EXCLUDED.ballast_score,
                          tier_score = EXCLUDED.tier_score, ballast_distance = EXCLUDED.ballast_distance,
                          laden_distance = EXCLUDED.laden_distance, eta = EXCLUDED.eta
                    WHERE (logistics_match.fits, logistics_match.score, logistics_match.size_score,
                           logistics_match.arrival_score, logistics_match.ballast_score, logistics_match.tier_score,
                           logistics_match.ballast_distance, logistics_match.laden_distance, logistics_match.eta)
                          IS DISTINCT FROM
                          (EXCLUDED.fits, EXCLUDED.score, EXCLUDED.size_score, EXCLUDED.arrival_score,
                           EXCLUDED.ballast_score, EXCLUDED.tier_score, EXCLUDED.ballast_distance,
                           EXCLUDED.laden_distance, EXCLUDED.eta)""",
                uid=self.env.uid,
                c=cargo_ids.tolist(),
                p=position_ids.tolist(),
                fits=cat("fits").astype(bool).tolist(),
                score=values["score"],
                size=values["size_score"],
                arrival=values["arrival_score"],
                ballast=values["ballast_score"],
                tier=values["tier_score"],
                ballast_nm=values["ballast_nm"],
                laden_nm=values["laden_nm"],
                eta=eta,
            )
        )
        self.env["logistics.match"].invalidate_model()

    @api.model
    def _logistics_prune(self, company, scope, selected, limit, full):
        """Delete (through unlink()) the proposed matches of ``scope`` not selected now, and the proposed
        matches ranked below ``limit`` on both their cargo's and their position's list: every one of
        the company after a full run, else those of the cargoes and positions this run touched."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT m.id, m.cargo_id, m.position_id FROM logistics_match m WHERE %s AND m.state = 'proposed'", scope
            )
        )
        stale = [mid for mid, c, p in cr.fetchall() if (c, p) not in selected]
        if full:
            cr.execute(
                SQL(
                    """SELECT id FROM (
                           SELECT id, state,
                                  row_number() OVER (PARTITION BY cargo_id ORDER BY score DESC, id) AS cargo_rank,
                                  row_number() OVER (PARTITION BY position_id ORDER BY score DESC, id) AS position_rank
                             FROM logistics_match WHERE company_id = %s AND state != 'rejected'
                       ) ranked WHERE state = 'proposed' AND cargo_rank > %s AND position_rank > %s""",
                    company.id,
                    limit,
                    limit,
                )
            )
        else:
            # the proposals of the positions and cargoes this run touched, ranked on both their lists
            cr.execute(
                SQL(
                    """SELECT id, cargo_id, position_id FROM logistics_match
                        WHERE company_id = %s AND state = 'proposed'
                          AND (position_id = ANY(%s) OR cargo_id = ANY(%s))""",
                    company.id,
                    sorted({p for _c, p in selected}),
                    sorted({c for c, _p in selected}),
                )
            )
            candidates = cr.fetchall()
            cr.execute(
                SQL(
                    """SELECT by_position.id FROM (
                           SELECT id, row_number() OVER (PARTITION BY position_id ORDER BY score DESC, id) AS rank
                             FROM logistics_match
                            WHERE company_id = %(company)s AND state != 'rejected' AND position_id = ANY(%(positions)s)
                       ) by_position JOIN (
                           SELECT id, row_number() OVER (PARTITION BY cargo_id ORDER BY score DESC, id) AS rank
                             FROM logistics_match
                            WHERE company_id = %(company)s AND state != 'rejected' AND cargo_id = ANY(%(cargoes)s)
                       ) by_cargo ON by_cargo.id = by_position.id
                      WHERE by_position.id = ANY(%(ids)s)
                        AND by_position.rank > %(limit)s AND by_cargo.rank > %(limit)s""",
                    company=company.id,
                    positions=sorted({row[2] for row in candidates}),
                    cargoes=sorted({row[1] for row in candidates}),
                    ids=[row[0] for row in candidates],
                    limit=limit,
                )
            )
        displaced = [row[0] for row in cr.fetchall()]
        doomed = self.env["logistics.match"].browse(set(stale) | set(displaced))
        # sudo: the engine removes its own proposals, whoever triggered the run
        doomed.sudo().unlink()
        return len(doomed)

    @api.model
    def _logistics_notify(self, company, cargoes, positions, pairs, before):
        """An activity for the salesperson of each cargo that gained a match at or above the company's threshold."""
        threshold = company.logistics_match_notify_score
        if not len(pairs) or threshold <= 0:
            return 0
        good = pairs.score >= threshold
        c_ids = cargoes.ids[pairs.cargo.astype(int)][good].tolist()
        p_ids = positions.ids[pairs.position.astype(int)][good].tolist()
        scores = pairs.score[good].tolist()
        gained = {}
        for c, p, score in zip(c_ids, p_ids, scores, strict=True):
            if before.get((c, p), -1.0) < threshold:
                gained.setdefault(c, []).append((score, p))
        if not gained:
            return 0
        activity_type = self.env.ref("logistics_crm.mail_activity_type_vessel_match")
        # sudo: the salesperson is notified whoever changed the cargo or position
        cargo_model = self.env["logistics.cargo"].sudo()
        targets = cargo_model.browse(list(gained)).filtered(
            lambda c: c.user_id and not c.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        )
        if not targets:
            return 0
        model_id = self.env["ir.model"]._get_id("logistics.cargo")
        vessels = {
            p.id: p.vessel_id.name
            for p in self.env["logistics.vessel.position"].sudo().browse({p for v in gained.values() for _s, p in v})
        }
        vals_list = []
        for cargo in targets:
            found = sorted(gained[cargo.id], reverse=True)
            vals_list.append(
                {
                    "res_model_id": model_id,
                    "res_id": cargo.id,
                    "activity_type_id": activity_type.id,
                    "user_id": cargo.user_id.id,
                    "summary": self.env._(
                        "%(count)s new vessel match(es), best %(vessel)s (%(score)s)",
                        count=len(found),
                        vessel=vessels.get(found[0][1], ""),
                        score=round(found[0][0]),
                    ),
                    "date_deadline": fields.Date.context_today(self),
                }
            )
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(vals_list)
        return len(vals_list)
