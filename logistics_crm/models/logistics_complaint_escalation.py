"""The escalation ladder of overdue complaints (a part of ``logistics.complaint``).

``logistics.complaint`` inherits this mixin: ``logistics_escalate_overdue()`` and
``logistics_notify_manager()`` are complaint methods, kept here with the helpers they use.
"""

import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.misc import format_datetime

from ..domain import sla

_logger = logging.getLogger(__name__)

ESCALATION_LOCK_NAMESPACE = 51_812  # first key of the escalation run's advisory lock (second: 0)


class LogisticsComplaintEscalation(models.AbstractModel):
    _name = "logistics.complaint.escalation"
    _description = "Complaint escalation (mixin of complaints)"

    @api.model
    def logistics_escalate_overdue(self, batch_size=1000):
        """Refresh the SLA of open complaints and escalate the overdue ones (the SLA watch cron).

        - open complaints turn at risk or breached as their clocks run (through ``write()``);
        - an overdue complaint gets the escalation level of the ladder (1 once a deadline is missed,
          one more per further escalation step of its company), an activity for the owner's manager
          (and the sales manager from level 2) and a note in the chatter.

        Idempotent: a complaint already at its level is left alone. A second run while one is under
        way does nothing. Returns the complaints escalated by this run.
        """
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", ESCALATION_LOCK_NAMESPACE, 0))
        if not self.env.cr.fetchone()[0]:
            _logger.info("Complaint SLA watch already running: skipped")
            return self.browse()
        # sudo: the cron watches the complaints of every company, whoever runs it
        complaints_model = self.sudo().with_context(active_test=False)
        open_ids = complaints_model.search([("is_closed", "=", False), ("sla_paused_since", "=", False)]).ids
        escalated = self.browse()
        for start in range(0, len(open_ids), batch_size):
            batch = complaints_model.browse(open_ids[start : start + batch_size])
            batch.logistics_refresh_sla()
            escalated |= batch._logistics_escalate()
        return self.browse(escalated.ids)

    def _logistics_escalate(self):
        now = fields.Datetime.now()
        by_level = defaultdict(list)
        for complaint in self:
            overdue = sla.overdue_hours(
                now,
                complaint.response_deadline or None,
                complaint.resolution_deadline or None,
                first_response=complaint.first_response_date or None,
                closed=complaint.date_closed or None,
            )
            level = sla.escalation_level(overdue, complaint.company_id.logistics_complaint_escalation_hours)
            if level > complaint.escalation_level:
                by_level[level].append(complaint.id)
        escalated = self.browse()
        for level, ids in sorted(by_level.items()):
            complaints = self.browse(ids)
            complaints.write({"escalation_level": level})
            for complaint in complaints:
                complaint._logistics_notify_escalation(level)
            escalated |= complaints
        return escalated

    def _logistics_escalation_users(self, level):
        """Who is asked to act at ``level``: the owner's manager, and the sales manager from level 2."""
        self.ensure_one()
        company = self.company_id
        team = self.team_id or self.user_id.sale_team_id
        manager = team.user_id if team.user_id and team.user_id != self.user_id else self.env["res.users"]
        sales_manager = company.logistics_complaint_manager_id
        if not sales_manager:
            # sudo: the escalation may run as a user who cannot read the group's members
            group = self.env.ref("sales_team.group_sale_manager").sudo()
            sales_manager = group.users.filtered(
                lambda u: not u.share and u.active and company in u.company_ids and not u._is_superuser()
            ).sorted("id")[:1]
        users = manager or sales_manager
        if level >= 2:
            users |= sales_manager
        return users.filtered(lambda u: u.active)

    def _logistics_notify_escalation(self, level):
        self.ensure_one()
        users = self._logistics_escalation_users(level)
        env = self.with_context(lang=(users[:1].lang or self.env.lang)).env
        summary = env._("Complaint %(complaint)s overdue: escalation level %(level)s", complaint=self.name, level=level)
        for user in users:
            # sudo: the cron plans activities for managers who may not be followers
            self.sudo().activity_schedule(
                "logistics_crm.mail_activity_type_complaint_escalation",
                user_id=user.id,
                summary=summary,
                note=env._(
                    "The SLA of this complaint is breached (deadline %(deadline)s). Owner: %(owner)s. "
                    "Check that the customer has an answer today.",
                    deadline=format_datetime(
                        env, self.resolution_deadline or self.response_deadline, tz=user.tz, dt_format="short"
                    ),
                    owner=self.user_id.name or env._("nobody"),
                ),
            )
        names = ", ".join(users.mapped("name")) or env._("no manager found")
        self.message_post(
            body=Markup("<p>%s</p>")
            % env._("SLA breached: escalated to level %(level)s (%(managers)s).", level=level, managers=names),
            message_type="notification",
            subtype_xmlid="mail.mt_note",
        )

    def logistics_notify_manager(self):
        """Ask the owner's manager (or the sales manager) to look at these complaints now.

        For automated actions, e.g. the shipped rule on urgent complaints. One activity per
        complaint and manager; none while such an activity is still open.
        """
        activity_type = self.env.ref("logistics_crm.mail_activity_type_complaint_escalation")
        for complaint in self:
            users = complaint._logistics_escalation_users(1)
            open_for = set(
                complaint.activity_ids.filtered(lambda a: a.activity_type_id == activity_type).mapped("user_id").ids
            )
            for user in users.filtered(lambda u, open_for=open_for: u.id not in open_for):
                complaint.sudo().activity_schedule(
                    activity_type_id=activity_type.id,
                    user_id=user.id,
                    summary=self.env._(
                        "Look at complaint %(complaint)s (priority %(priority)s)",
                        complaint=complaint.name,
                        priority=dict(self._fields["priority"]._description_selection(self.env)).get(
                            complaint.priority
                        ),
                    ),
                )
        return True
