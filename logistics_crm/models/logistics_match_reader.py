"""Reading for the matching engine: open cargoes and positions as arrays, the sea distances from their load
ports, the owners' tier priorities and the scores already stored, each in one set-based query."""

import numpy as np

from odoo import api, fields, models
from odoo.tools import SQL

from ..domain import matching


class LogisticsMatchReader(models.AbstractModel):
    _name = "logistics.match.reader"
    _description = "Cargo/vessel matching: set-based reading"

    @api.model
    def _logistics_open_cargo_left(self, company, cargo_ids):
        """Whether ``company`` has open cargo offers (matched by a full run) outside ``cargo_ids``."""
        self.env.cr.execute(
            SQL(
                """SELECT EXISTS(SELECT 1 FROM logistics_cargo
                                  WHERE company_id = %s AND state IN ('open', 'matched') AND active
                                    AND laycan_end >= %s AND id != ALL(%s))""",
                company.id,
                fields.Date.context_today(self),
                list(cargo_ids),
            )
        )
        return self.env.cr.fetchone()[0]

    @api.model
    def _logistics_load(self, company, cargo_ids=None, position_ids=None):
        """Open cargoes and positions of ``company`` (all, or the given ids on one side) as arrays, with
        their sea distances and the commodity/vessel type compatibility (6 queries)."""
        cr = self.env.cr
        today = fields.Date.context_today(self)
        cr.execute(
            SQL(
                """SELECT c.id, c.quantity, COALESCE(c.quantity_tolerance, 0), c.load_port_id, c.discharge_port_id,
                          c.laycan_start, c.laycan_end, c.commodity_id, c.commercial_partner_id
                     FROM logistics_cargo c
                    WHERE c.company_id = %s AND c.state IN ('open', 'matched') AND c.active AND c.laycan_end >= %s
                      AND (%s OR c.id = ANY(%s))
                    ORDER BY c.id""",
                company.id,
                today,
                cargo_ids is None,
                list(cargo_ids or []),
            )
        )
        crows = cr.fetchall()
        cr.execute(
            SQL(
                """SELECT p.id, p.port_id, GREATEST(p.date_open, %s), v.dwt, COALESCE(v.draft, 0), v.vessel_type,
                          v.ballast_speed
                     FROM logistics_vessel_position p JOIN logistics_vessel v ON v.id = p.vessel_id
                    WHERE p.state = 'open' AND p.active AND v.active AND v.dwt > 0 AND v.ballast_speed > 0
                      AND (p.company_id = %s OR p.company_id IS NULL) AND (%s OR p.id = ANY(%s))
                    ORDER BY p.id""",
                today,
                company.id,
                position_ids is None,
                list(position_ids or []),
            )
        )
        prows = cr.fetchall()
        cr.execute(SQL("SELECT id, COALESCE(max_draft, 0) FROM logistics_port ORDER BY id"))
        ports = cr.fetchall()
        port_index = {pid: i for i, (pid, _draft) in enumerate(ports)}
        drafts = np.array([draft if draft and draft > 0 else np.inf for _pid, draft in ports] or [np.inf])
        # commodities x vessel types (a commodity with no type set travels on any type)
        types = [code for code, _label in self.env["logistics.vessel"]._fields["vessel_type"].selection]
        cr.execute(SQL("SELECT id FROM logistics_commodity ORDER BY id"))
        commodity_index = {cid: i for i, (cid,) in enumerate(cr.fetchall())}
        compatible = np.zeros((max(len(commodity_index), 1), len(types)), dtype=bool)
        cr.execute(
            SQL(
                """SELECT c.id, t.code FROM logistics_commodity c
                     LEFT JOIN logistics_commodity_vessel_type_rel r ON r.commodity_id = c.id
                     LEFT JOIN logistics_vessel_type t ON t.id = r.type_id"""
            )
        )
        for commodity_id, code in cr.fetchall():
            row = commodity_index[commodity_id]
            if code is None:
                compatible[row, :] = True
            else:
                compatible[row, types.index(code)] = True
        # distances from the load ports (ballast legs and laden legs), computed first where missing
        loads = sorted({r[3] for r in crows})
        distances = self._logistics_distances(port_index, loads)
        if crows and prows:
            load_idx = np.array([port_index[i] for i in loads])
            open_idx = np.array(sorted({port_index[r[1]] for r in prows}))
            unknown_i, unknown_j = np.nonzero(np.isnan(distances[np.ix_(load_idx, open_idx)]))
            missing = {
                (ports[load_idx[i]][0], ports[open_idx[j]][0])
                for i, j in zip(unknown_i.tolist(), unknown_j.tolist(), strict=True)
            }
            missing |= {(r[3], r[4]) for r in crows if np.isnan(distances[port_index[r[3]], port_index[r[4]]])}
            if missing and self.env["logistics.port.distance"]._logistics_ensure(missing):
                distances = self._logistics_distances(port_index, loads)
        priorities = self._logistics_tier_priorities(company, {r[8] for r in crows})

        def col(rows, i, dtype=float):
            return np.array([r[i] for r in rows], dtype=dtype)

        qty, tol = col(crows, 1), col(crows, 2)
        load = np.array([port_index[r[3]] for r in crows], dtype=int)
        discharge = np.array([port_index[r[4]] for r in crows], dtype=int)
        cargoes = matching.Cargoes(
            ids=col(crows, 0, int),
            qty_min=qty * (1 - tol / 100.0),
            qty_max=qty * (1 + tol / 100.0),
            load=load,
            discharge=discharge,
            laycan_start=np.array([r[5].toordinal() for r in crows], dtype=float),
            laycan_end=np.array([r[6].toordinal() for r in crows], dtype=float),
            commodity=np.array([commodity_index[r[7]] for r in crows], dtype=int),
            tier_priority=np.array([priorities.get(r[8], 0.0) for r in crows], dtype=float),
            max_draft=np.minimum(drafts[load], drafts[discharge]) if crows else np.zeros(0),
        )
        positions = matching.Positions(
            ids=col(prows, 0, int),
            port=np.array([port_index[r[1]] for r in prows], dtype=int),
            date_open=np.array([r[2].toordinal() for r in prows], dtype=float),
            dwt=col(prows, 3),
            draft=col(prows, 4),
            vessel_type=np.array([types.index(r[5]) for r in prows], dtype=int),
            ballast_speed=col(prows, 6),
        )
        return cargoes, positions, matching.Context(distances=distances, compatible=compatible)

    @api.model
    def _logistics_distances(self, port_index, loads):
        """[port, port] matrix of the cached distances from ``loads`` (nan: unknown; 0 on the diagonal)."""
        size = len(port_index) or 1
        distances = np.full((size, size), np.nan)
        np.fill_diagonal(distances, 0.0)
        if not loads:
            return distances
        self.env.cr.execute(
            SQL(
                """SELECT port_a_id, port_b_id, distance_nm FROM logistics_port_distance
                    WHERE port_a_id = ANY(%s) OR port_b_id = ANY(%s)""",
                list(loads),
                list(loads),
            )
        )
        rows = self.env.cr.fetchall()
        if rows:
            a = np.array([port_index.get(r[0], -1) for r in rows])
            b = np.array([port_index.get(r[1], -1) for r in rows])
            nm = np.array([r[2] for r in rows], dtype=float)
            known = (a >= 0) & (b >= 0)
            distances[a[known], b[known]] = nm[known]
            distances[b[known], a[known]] = nm[known]
        return distances

    @api.model
    def _logistics_tier_priorities(self, company, partner_ids):
        """{commercial partner id: 0-100} from the partners' tier in ``company`` (first tier 100)."""
        tiers = self.env["logistics.customer.tier"]._logistics_active_tiers()
        if not tiers or not partner_ids:
            return {}
        rank = {tier.id: 100.0 * (len(tiers) - i) / len(tiers) for i, tier in enumerate(tiers)}
        self.env.cr.execute(
            SQL(
                "SELECT id, (logistics_tier_id->>%s)::int FROM res_partner WHERE id = ANY(%s)",
                str(company.id),
                list(partner_ids),
            )
        )
        return {pid: rank.get(tier_id, 0.0) for pid, tier_id in self.env.cr.fetchall() if tier_id}

    @api.model
    def _logistics_thresholds(self, side, other, other_ids, side_ids, limit):
        """Per ``side`` record (in ``side_ids`` order): the ``limit``-th best stored score of its matches
        with records other than ``other_ids``; -inf when it has fewer."""
        result = np.full(len(side_ids), -np.inf)
        if not len(side_ids):
            return result
        self.env.cr.execute(
            SQL(
                """SELECT %(side)s, score FROM (
                       SELECT %(side)s, score,
                              row_number() OVER (PARTITION BY %(side)s ORDER BY score DESC, id) AS rank
                         FROM logistics_match
                        WHERE state != 'rejected' AND %(side)s = ANY(%(side_ids)s) AND %(other)s != ALL(%(other_ids)s)
                   ) ranked WHERE rank = %(limit)s""",
                side=SQL.identifier(side),
                other=SQL.identifier(other),
                side_ids=[int(i) for i in side_ids],
                other_ids=list(other_ids),
                limit=limit,
            )
        )
        index = {int(i): k for k, i in enumerate(side_ids)}
        for record_id, score in self.env.cr.fetchall():
            result[index[record_id]] = float(score)
        return result

    @api.model
    def _logistics_existing_scores(self, scope):
        self.env.cr.execute(SQL("SELECT m.cargo_id, m.position_id, m.score FROM logistics_match m WHERE %s", scope))
        return {(c, p): float(s or 0.0) for c, p, s in self.env.cr.fetchall()}
