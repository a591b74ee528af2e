"""Demo set-up of the complaints: put the demo complaints into their SLA situation.

Called by ``demo/logistics_complaint_demo.xml`` right after it created the complaints (at
"now"). Nothing else uses it.
"""

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL

from ..domain import sla

_logger = logging.getLogger(__name__)

# a complaint whose SLA clock started longer ago than this is not "just created": the demo
# leaves it alone (it was set up by an earlier run, or is somebody's real complaint)
JUST_CREATED = timedelta(minutes=30)


class LogisticsComplaint(models.Model):
    _inherit = "logistics.complaint"

    @api.model
    def _logistics_demo_backdate(self, situations):
        """Move the demo complaints back in time, then run the SLA watch once.

        ``situations`` maps the xml id of a demo complaint (``logistics_crm.`` may be left out)
        to its situation, in shares of the complaint's own SLA clocks (its tier's hours), so that
        the demo tells the same story whatever tier the customer has today:

        - ``age``: the time since the complaint came in, as a share of the resolution clock
          (0.5: half of the resolution time is used; 1.5: half of it overdue), or
          ``response_age``: the same as a share of the response clock;
        - ``response``: when the customer got a first answer, as a share of the response clock
          (missing: not answered yet; closing counts as the answer);
        - ``paused``: when the clock paused (stage *Waiting for customer*), as a share of the
          resolution clock;
        - ``closed``: when the complaint was closed or refused, as a share of the resolution clock;
        - ``order``: link the customer's latest confirmed order;
        - ``sla``: the status this situation should give (checked: a warning in the log if not).

        Only complaints created moments ago are moved, so a module update that runs this again
        changes nothing. Returns the complaints moved.
        """
        now = fields.Datetime.now()
        moved = self.browse()
        expected = {}
        for xmlid, situation in situations.items():
            complaint = self.env.ref(xmlid if "." in xmlid else f"logistics_crm.{xmlid}", raise_if_not_found=False)
            if not complaint or not complaint.sla_start or complaint.sla_start < now - JUST_CREATED:
                continue
            complaint._logistics_demo_set_situation(now, situation)
            moved |= complaint
            if situation.get("sla"):
                expected[complaint] = situation["sla"]
        if not moved:
            return moved
        moved.logistics_refresh_sla()
        self.logistics_escalate_overdue()
        for complaint, status in expected.items():
            if complaint.sla_status != status:
                _logger.warning(
                    "Demo complaint %s: SLA %s instead of %s (tier %s)",
                    complaint.name,
                    complaint.sla_status,
                    status,
                    complaint.tier_id.code,
                )
        return moved

    def _logistics_demo_set_situation(self, now, situation):
        self.ensure_one()
        tier = self.tier_id or self._logistics_sla_tier(self.partner_id, self.company_id)
        response_hours = tier.complaint_response_hours or 0
        resolution_hours = tier.complaint_resolution_hours or 0
        if "response_age" in situation:
            age = situation["response_age"] * response_hours
        else:
            age = situation.get("age", 0.0) * resolution_hours
        start = now - timedelta(hours=age)
        deadlines = self._logistics_deadline_values(self.partner_id, self.company_id, start)
        vals = {key: deadlines[key] for key in ("response_deadline", "resolution_deadline")}
        vals["sla_start"] = start
        closed = start + timedelta(hours=situation["closed"] * resolution_hours) if "closed" in situation else False
        if "response" in situation:
            vals["first_response_date"] = start + timedelta(hours=situation["response"] * response_hours)
        else:
            vals["first_response_date"] = closed
        if self.date_closed:
            closed = closed or now
            vals.update(date_closed=closed, hours_to_close=round(sla.wall_hours(start, closed), 1))
        if self.sla_paused_since:
            vals["sla_paused_since"] = start + timedelta(hours=situation.get("paused", 0.0) * resolution_hours)
        if situation.get("order") and self.partner_id and not self.sale_order_id:
            order = self.env["sale.order"].search(
                [("partner_id", "child_of", self.partner_id.id), ("state", "=", "sale")],
                order="date_order desc, id desc",
                limit=1,
            )
            vals["sale_order_id"] = order.id or False
        # the clock's own fields, set as they would be had the complaint come in at ``start``:
        # no tracking message for this demo set-up
        self.with_context(mail_notrack=True).write(vals)
        # demo set-up only: the complaint is shown as received when its clock started
        self.env.cr.execute(SQL("UPDATE logistics_complaint SET create_date = %s WHERE id = %s", start, self.id))
        self.invalidate_recordset(["create_date"])
