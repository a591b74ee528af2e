"""Odoo-free domain logic of logistics_crm.

Everything in this package is plain Python: it imports nothing from ``odoo`` so
that it can be read in one sitting and tested in milliseconds (see the top-level
``tests/`` folder). The Odoo models load their data with a few set-based
queries and hand it to these functions.
"""
