"""Odoo-free tests: they import the addon's plain-Python ``domain`` package directly.

``logistics_crm/__init__.py`` imports Odoo, so the tests put the addon folder itself on
``sys.path`` and import ``domain`` from there: no Odoo needed.
"""

import os
import sys

ADDON = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "logistics_crm")
if ADDON not in sys.path:
    sys.path.insert(0, ADDON)
