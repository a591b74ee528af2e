"""18.0.1.4.0: satisfaction surveys. Orders fulfilled before the update are history: they are
dated by their order date, so that the survey invitation job never mails about them."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["sale.order"]._logistics_date_past_fulfilment()
