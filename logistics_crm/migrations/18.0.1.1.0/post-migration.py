"""18.0.1.1.0: the last active tier's cut-off must be 100 % (every customer with revenue gets a tier).

Databases made before this rule may end on a lower cut-off: the recompute would then refuse to run.
The last active tier is raised to 100 % (logged), which only gives a tier to customers that had none.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    tiers = env["logistics.customer.tier"]._logistics_active_tiers()
    if tiers and tiers[-1].revenue_share_cutoff != 100.0:
        _logger.warning(
            "logistics_crm: the last active tier %s had a cut-off of %s %%, raised to 100 %%",
            tiers[-1].display_name,
            tiers[-1].revenue_share_cutoff,
        )
        tiers[-1].revenue_share_cutoff = 100.0
