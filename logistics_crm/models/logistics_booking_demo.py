"""Demo set-up of the bookings: pickups and deliveries of the demo customers in every state.

Called by ``demo/logistics_booking_demo.xml``. Nothing else uses it.
"""

from datetime import datetime, time, timedelta

from odoo import api, fields, models
from odoo.tools import SQL

# the order in which a demo booking walks the workflow to reach its state
STEPS = {
    "requested": (),
    "confirmed": ("action_confirm",),
    "scheduled": ("action_schedule",),
    "done": ("action_schedule", "action_done"),
    "cancelled": ("action_cancel",),
}


class LogisticsBookingDemo(models.AbstractModel):
    _name = "logistics.booking.demo"
    _description = "Booking demo set-up"

    @api.model
    def _logistics_demo_window(self, now, days, hour, hours):
        """A window ``days`` from today at ``hour`` (UTC) lasting ``hours``. "Today" windows (``days`` 0)
        start on the next quarter of an hour at least ten minutes from now, so that they are open
        whenever the demo is installed (past midnight UTC they run into the next day)."""
        if days == 0:
            soon = now + timedelta(minutes=10)
            start = soon.replace(second=0, microsecond=0) + timedelta(minutes=(15 - soon.minute % 15) % 15)
            return start, start + timedelta(hours=hours)
        start = datetime.combine(now.date() + timedelta(days=max(days, 1)), time(hour))
        return start, start + timedelta(hours=hours)

    @api.model
    def _logistics_demo_bookings(self, bookings):
        """Create the demo bookings and walk each to its state through the public actions (the chatter
        and the confirmation mails are real); bookings done in the past are then dated back.

        ``bookings`` maps the xml id to give each booking (``logistics_crm.`` may be left out) to its
        story: ``customer``/``contact``/``dispatcher`` xml ids, ``type``, ``state``, ``days`` (from
        today; negative: done that many days ago), ``hour``, ``hours``, the goods and measures, the
        address (``street``, ``city``) or ``address`` (an xml id), ``vehicle``/``driver``. A booking
        whose xml id exists is left alone: a module update changes nothing.
        """
        IrModelData = self.env["ir.model.data"]
        now = fields.Datetime.now()
        for xmlid, story in bookings.items():
            full = xmlid if "." in xmlid else f"logistics_crm.{xmlid}"
            if self.env.ref(full, raise_if_not_found=False):
                continue
            days = story.get("days", 1)
            past_days = -days if days < 0 else 0
            start, end = self._logistics_demo_window(now, max(days, 0), story.get("hour", 9), story.get("hours", 3))
            vals = {
                "booking_type": story.get("type", "pickup"),
                "partner_id": self.env.ref(f"logistics_crm.{story['customer']}").id,
                "date_start": start,
                "date_end": end,
                "goods_description": story["goods"],
                "packages": story.get("packages", 1),
                "weight_kg": story["weight"],
                "volume_m3": story["volume"],
                "notes": story.get("notes") or False,
                "vehicle": story.get("vehicle") or False,
                "driver_name": story.get("driver") or False,
                "driver_phone": story.get("driver_phone") or False,
            }
            if story.get("phone"):
                vals["phone"] = story["phone"]
            if story.get("contact"):
                vals["contact_id"] = self.env.ref(f"logistics_crm.{story['contact']}").id
            if story.get("address"):
                vals["address_id"] = self.env.ref(f"logistics_crm.{story['address']}").id
            else:
                country = self.env.ref("base.cn")
                vals.update({"street": story["street"], "city": story["city"], "country_id": country.id})
            if story.get("dispatcher"):
                vals["user_id"] = self.env.ref(story["dispatcher"]).id
            booking = self.env["logistics.booking"].create(vals)
            # noupdate: an update keeps it (and does not delete it as obsolete)
            IrModelData._update_xmlids([{"xml_id": full, "record": booking, "noupdate": True}])
            for step in STEPS[story["state"]]:
                getattr(booking, step)()
            if past_days:
                # done some days ago: the window is set on that day (it was walked through the workflow
                # on a window ahead), confirmed the day before it, done half an hour before its end
                target = datetime.combine(now.date() - timedelta(days=past_days), time(story.get("hour", 9)))
                target_end = target + timedelta(hours=story.get("hours", 3))
                self.env.flush_all()
                self.env.cr.execute(
                    SQL(
                        """UPDATE logistics_booking
                              SET date_start = %(start)s, date_end = %(end)s,
                                  date_confirmed = %(confirmed)s, date_done = %(done)s, create_date = %(created)s
                            WHERE id = %(id)s""",
                        start=target,
                        end=target_end,
                        confirmed=target - timedelta(days=1),
                        done=target_end - timedelta(minutes=30),
                        created=target - timedelta(days=2),
                        id=booking.id,
                    )
                )
                booking.invalidate_recordset()
