"""18.0.1.2.0: cargo/vessel matching. The shipped commodities (noupdate data, so not rewritten by
the update) learn which vessel types carry them, unless someone set types already."""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)

CARRIED_BY = {
    "commodity_coal": ("bulk", "general"),
    "commodity_iron_ore": ("bulk",),
    "commodity_grain": ("bulk", "general"),
    "commodity_fertilizer": ("bulk", "general"),
    "commodity_cement": ("bulk", "general"),
    "commodity_steel": ("general", "bulk"),
    "commodity_machinery": ("general",),
    "commodity_appliances": ("container", "general"),
    "commodity_auto_parts": ("container", "general"),
    "commodity_chemicals": ("tanker",),
    "commodity_general": ("general", "container"),
}


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    types = {t.code: t for t in env["logistics.vessel.type"].search([])}
    for xmlid, codes in CARRIED_BY.items():
        commodity = env.ref(f"logistics_crm.{xmlid}", raise_if_not_found=False)
        if commodity and not commodity.vessel_type_ids:
            commodity.vessel_type_ids = [(6, 0, [types[c].id for c in codes if c in types])]
            _logger.info("Commodity %s: carried by %s", commodity.name, ", ".join(codes))
