"""Demo set-up of the chartering figures: some of the engine's matches walked on.

Called by ``demo/logistics_dashboard_demo.xml``. Nothing else uses it.
"""

from odoo import api, models


class LogisticsMatchDemo(models.AbstractModel):
    _name = "logistics.match.demo"
    _description = "Matching demo set-up"

    @api.model
    def _logistics_demo_progress(self, steps):
        """``steps``: ``{cargo xml id: action}``; the best fitting proposal of each cargo (the highest
        score) gets the action (``action_offer``, ``action_accept``) through its public method."""
        for cargo_xmlid, action in steps.items():
            cargo = self.env.ref(cargo_xmlid, raise_if_not_found=False)
            if not cargo:
                continue
            best = self.env["logistics.match"].search(
                [("cargo_id", "=", cargo.id), ("fits", "=", True), ("state", "=", "proposed")],
                order="score desc, id",
                limit=1,
            )
            if best:
                getattr(best, action)()
