"""Ports (UN/LOCODE) and the sea distances between them.

Distances come from ``searoute`` (real sea lanes, nautical miles). Every pair ever computed is
cached in ``logistics.port.distance``; the pairs of the shipped ports are computed once, by
``scripts/precompute_sea_routes.py``, into ``data/sea_routes.json.gz``, loaded at install. Matching
reads the cache with one query and computes only the pairs a new port adds, in one go.
"""

import gzip
import json
import logging
import math

from odoo import api, fields, models, tools
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..domain import shipping

_logger = logging.getLogger(__name__)

ROUTES_FILE = "logistics_crm/data/sea_routes.json.gz"


def _searoute(env):
    try:
        import searoute  # noqa: PLC0415 (an external dependency of the manifest, loaded on demand)
    except ImportError as exc:  # pragma: no cover - the manifest's external_dependencies ensure it
        raise UserError(env._("The Python package 'searoute' is needed to compute sea distances.")) from exc
    return searoute


def simplify(points, tolerance=0.2):
    """Douglas-Peucker simplification of a list of [lat, lon] points (keeps the ends)."""
    if len(points) < 3:
        return [list(p) for p in points]
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (ay, ax), (by, bx) = points[first], points[last]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy)
        worst, index = 0.0, None
        for i in range(first + 1, last):
            py, px = points[i]
            dist = abs(dy * (px - ax) - dx * (py - ay)) / norm if norm else math.hypot(px - ax, py - ay)
            if dist > worst:
                worst, index = dist, i
        if index is not None and worst > tolerance:
            keep[index] = True
            stack += [(first, index), (index, last)]
    return [[round(p[0], 2), round(p[1], 2)] for p, k in zip(points, keep, strict=True) if k]


def unwrap(points):
    """Longitudes made continuous (no jump over 180°) so that Leaflet draws across the antimeridian."""
    result, shift, previous = [], 0.0, None
    for lat, lon in points:
        if previous is not None:
            delta = lon + shift - previous
            if delta > 180:
                shift -= 360
            elif delta < -180:
                shift += 360
        previous = lon + shift
        result.append([lat, previous])
    return result


class LogisticsPort(models.Model):
    _name = "logistics.port"
    _description = "Port"
    _order = "name"
    _rec_names_search = ["code", "name"]

    name = fields.Char(required=True, index="trigram")
    code = fields.Char(
        string="UN/LOCODE",
        required=True,
        size=5,
        index=True,
        help="United Nations code of the port: 2 letters of the country and 3 of the place, e.g. CNTAO "
        "for Qingdao. Imports may name ports by this code.",
    )
    country_id = fields.Many2one("res.country", required=True, index=True)
    latitude = fields.Float(digits=(9, 5), required=True, help="Decimal degrees, north positive.")
    longitude = fields.Float(digits=(9, 5), required=True, help="Decimal degrees, east positive.")
    max_draft = fields.Float(
        string="Max draft (m)",
        digits=(5, 1),
        help="Deepest draft the port accepts. Vessels drawing more are not matched with cargo "
        "loading or discharging here. Empty: no limit known.",
    )
    port_type = fields.Selection(
        [("bulk", "Dry bulk"), ("container", "Container"), ("multi", "Multipurpose")],
        default="multi",
        help="Main trade of the port.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_uniq", "unique(code)", "A port with this UN/LOCODE already exists."),
        ("max_draft_positive", "CHECK(max_draft IS NULL OR max_draft >= 0)", "A port's max draft cannot be negative."),
    ]

    @api.depends("name", "code")
    def _compute_display_name(self):
        for port in self:
            port.display_name = f"{port.name} ({port.code})" if port.code else port.name

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("code"):
                vals["code"] = vals["code"].strip().upper()
        return super().create(vals_list)

    def write(self, vals):
        if vals.get("code"):
            vals["code"] = vals["code"].strip().upper()
        moved = "latitude" in vals or "longitude" in vals
        result = super().write(vals)
        if moved:
            # a moved port's cached routes are wrong now: computed again when next needed
            self.env["logistics.port.distance"].sudo().search(
                ["|", ("port_a_id", "in", self.ids), ("port_b_id", "in", self.ids)]
            ).unlink()
        return result

    @api.constrains("code", "country_id")
    def _check_code(self):
        for port in self:
            if not shipping.is_locode(port.code):
                raise ValidationError(
                    self.env._(
                        "%(code)s is not a UN/LOCODE: 2 country letters then 3 letters or digits 2-9, e.g. CNTAO.",
                        code=port.code,
                    )
                )
            if port.country_id and port.country_id.code and port.code[:2] != port.country_id.code.upper():
                raise ValidationError(
                    self.env._(
                        "The UN/LOCODE %(code)s does not start with the code of %(country)s (%(country_code)s).",
                        code=port.code,
                        country=port.country_id.name,
                        country_code=port.country_id.code,
                    )
                )

    @api.constrains("latitude", "longitude")
    def _check_coordinates(self):
        for port in self:
            if not (-90 <= port.latitude <= 90 and -180 <= port.longitude <= 180):
                raise ValidationError(
                    self.env._(
                        "Coordinates of %(port)s are out of range: latitude -90 to 90, longitude -180 to 180.",
                        port=port.name,
                    )
                )

    # ------------------------------------------------------------------ distances
    def sea_distance_to(self, other_port):
        """Nautical miles from this port to ``other_port`` along real sea lanes (cached)."""
        self.ensure_one()
        other_port.ensure_one()
        if self == other_port:
            return 0.0
        key = (min(self.id, other_port.id), max(self.id, other_port.id))
        self.env["logistics.port.distance"]._logistics_ensure([key])
        return self.env["logistics.port.distance"]._logistics_lookup([key])[key][0]

    def sea_route_to(self, other_port):
        """The simplified sea route from this port to ``other_port``: a list of [lat, lon]."""
        self.ensure_one()
        if self == other_port:
            return [[self.latitude, self.longitude]]
        self.env["logistics.port.distance"]._logistics_ensure([(self.id, other_port.id)])
        key = (min(self.id, other_port.id), max(self.id, other_port.id))
        line = self.env["logistics.port.distance"]._logistics_lookup([key])[key][1] or []
        line = line if self.id == key[0] else list(reversed(line))
        if line:
            # the stored line is unwrapped from its first port: start it at this port's longitude
            shift = 360.0 * round((self.longitude - line[0][1]) / 360.0)
            line = [[lat, round(lon + shift, 2)] for lat, lon in line]
        return line

    @api.model
    def _logistics_load_shipped_routes(self):
        """Load the precomputed routes of the shipped ports (install and update; idempotent)."""
        with tools.file_open(ROUTES_FILE, "rb") as handle:
            data = json.loads(gzip.decompress(handle.read()))
        self.flush_model()
        self.env.cr.execute(SQL("SELECT code, id FROM logistics_port WHERE code = ANY(%s)", list(data["ports"])))
        ids = dict(self.env.cr.fetchall())
        rows = [
            (min(ids[a], ids[b]), max(ids[a], ids[b]), nm, json.dumps(line if ids[a] < ids[b] else line[::-1]))
            for a, b, nm, line in data["pairs"]
            if a in ids and b in ids
        ]
        self.env["logistics.port.distance"]._logistics_store(rows)
        _logger.info("Loaded %s shipped sea routes (%s)", len(rows), data.get("generator"))


class LogisticsPortDistance(models.Model):
    """Cache of sea distances, one row per unordered pair of ports (``port_a_id`` < ``port_b_id``)."""

    _name = "logistics.port.distance"
    _description = "Sea distance between two ports"
    _log_access = False

    port_a_id = fields.Many2one("logistics.port", required=True, ondelete="cascade", index=True)
    port_b_id = fields.Many2one("logistics.port", required=True, ondelete="cascade")
    distance_nm = fields.Float(string="Distance (nm)", digits=(10, 1), required=True)
    route = fields.Json(help="Simplified sea route as a list of [latitude, longitude].")

    _sql_constraints = [
        ("pair_uniq", "unique(port_a_id, port_b_id)", "A pair of ports is cached once."),
        ("pair_ordered", "CHECK(port_a_id < port_b_id)", "A cached pair is stored smaller id first."),
    ]

    @api.model
    def _logistics_store(self, rows):
        """Insert (port_a, port_b, nm, route json) rows in one statement; existing pairs are refreshed."""
        if not rows:
            return
        a, b, nm, route = zip(*rows, strict=True)
        self.env.cr.execute(
            SQL(
                """INSERT INTO logistics_port_distance (port_a_id, port_b_id, distance_nm, route)
                   SELECT * FROM unnest(%s::int[], %s::int[], %s::float8[], %s::jsonb[])
                   ON CONFLICT (port_a_id, port_b_id)
                   DO UPDATE SET distance_nm = EXCLUDED.distance_nm, route = EXCLUDED.route""",
                list(a),
                list(b),
                list(nm),
                list(route),
            )
        )
        self.invalidate_model()

    @api.model
    def _logistics_lookup(self, keys):
        """{(a, b): (nm, route)} of cached ordered pairs ``keys``."""
        if not keys:
            return {}
        a, b = zip(*keys, strict=True)
        self.env.cr.execute(
            SQL(
                """SELECT d.port_a_id, d.port_b_id, d.distance_nm, d.route
                     FROM logistics_port_distance d
                     JOIN unnest(%s::int[], %s::int[]) AS k(a, b) ON d.port_a_id = k.a AND d.port_b_id = k.b""",
                list(a),
                list(b),
            )
        )
        return {(ra, rb): (nm, route) for ra, rb, nm, route in self.env.cr.fetchall()}

    @api.model
    def _logistics_ensure(self, pairs):
        """Compute with searoute, in one go, the pairs of port ids not cached yet; return how many."""
        keys = {(min(a, b), max(a, b)) for a, b in pairs if a and b and a != b}
        if not keys:
            return 0
        self.flush_model()
        a, b = zip(*keys, strict=True)
        self.env.cr.execute(
            SQL(
                """SELECT k.a, k.b FROM unnest(%s::int[], %s::int[]) AS k(a, b)
                    WHERE NOT EXISTS (SELECT 1 FROM logistics_port_distance d
                                       WHERE d.port_a_id = k.a AND d.port_b_id = k.b)""",
                list(a),
                list(b),
            )
        )
        missing = self.env.cr.fetchall()
        if not missing:
            return 0
        ports = self.env["logistics.port"].browse({i for pair in missing for i in pair}).with_context(active_test=False)
        coords = {p.id: (p.latitude, p.longitude, p.display_name) for p in ports}
        sr = _searoute(self.env)
        rows = []
        for pa, pb in missing:
            lat_a, lon_a, name_a = coords[pa]
            lat_b, lon_b, name_b = coords[pb]
            try:
                feature = sr.searoute([lon_a, lat_a], [lon_b, lat_b], units="naut")
            except Exception as exc:
                raise UserError(
                    self.env._(
                        "No sea route found between %(a)s and %(b)s: check their coordinates.", a=name_a, b=name_b
                    )
                ) from exc
            line = unwrap([[lat, lon] for lon, lat in feature["geometry"]["coordinates"]])
            rows.append((pa, pb, round(float(feature["properties"]["length"]), 1), json.dumps(simplify(line))))
        self._logistics_store(rows)
        _logger.info("Computed %s new sea routes with searoute", len(rows))
        return len(rows)

    @api.model
    def _logistics_matrix(self, port_ids):
        """Distances between ``port_ids`` as {(a, b): nm} for both orders, from the cache (one query)."""
        self.flush_model()
        self.env.cr.execute(
            SQL(
                """SELECT port_a_id, port_b_id, distance_nm FROM logistics_port_distance
                    WHERE port_a_id = ANY(%s) AND port_b_id = ANY(%s)""",
                list(port_ids),
                list(port_ids),
            )
        )
        return self.env.cr.fetchall()
