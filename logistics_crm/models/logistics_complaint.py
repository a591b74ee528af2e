"""Customer complaints: the workflow, the SLA clock by tier and the email gateway.

The SLA rules themselves (deadlines, pauses, status, escalation ladder) are plain Python
in ``domain/sla.py``; this model feeds them the tier's hours and calendar and writes the
results through ``write()``, so that automated actions on ``sla_status`` or
``escalation_level`` fire.
"""

import logging
from collections import defaultdict

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL, email_normalize, html2plaintext
from odoo.tools.mail import email_split_tuples
from odoo.tools.misc import format_datetime

from ..domain import sla

_logger = logging.getLogger(__name__)

PRIORITIES = [("0", "Low"), ("1", "Normal"), ("2", "High"), ("3", "Urgent")]
CHANNELS = [
    ("phone", "Phone"),
    ("email", "Email"),
    ("portal", "Portal"),
    ("chat", "Chat"),
    ("visit", "Visit"),
]
SLA_STATUSES = [
    (sla.ON_TRACK, "On track"),
    (sla.AT_RISK, "At risk"),
    (sla.BREACHED, "Breached"),
    (sla.MET, "Met"),
]
ROOT_CAUSE_TYPES = [
    ("carrier", "Carrier or vessel"),
    ("warehouse", "Warehouse or terminal"),
    ("transport", "Road transport"),
    ("documentation", "Documentation"),
    ("communication", "Communication"),
    ("customer", "Customer side"),
    ("force_majeure", "Weather or force majeure"),
    ("system", "System or data"),
    ("other", "Other"),
]
# a change of these fields recomputes the SLA status at once
SLA_FIELDS = {"stage_id", "first_response_date", "response_deadline", "resolution_deadline", "date_closed"}
# headers of automatic replies (RFC 3834 and the usual vendor ones): never a new complaint
AUTO_REPLY_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Auto-Response")
AUTO_PRECEDENCE = ("auto_reply", "bulk", "junk", "list")
ESCALATION_LOCK_NAMESPACE = 51_812  # first key of the escalation run's advisory lock (second: 0)
SLA_REFRESH_KEY = "logistics_complaint_sla_refresh"


class LogisticsComplaint(models.Model):
    _name = "logistics.complaint"
    _description = "Customer complaint"
    _inherit = ["portal.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "priority desc, id desc"
    _rec_names_search = ["name", "subject", "partner_id.name", "email_from"]
    _primary_email = "email_from"
    # a customer who may read the complaint (the portal rule, or the access token) may also reply
    _mail_post_access = "read"

    name = fields.Char(
        string="Reference", required=True, copy=False, readonly=True, default=lambda self: self.env._("New")
    )
    subject = fields.Char(help="A short title, e.g. the subject of the customer's email.", tracking=True)
    partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        index=True,
        tracking=True,
        domain="[('is_company', '=', True)]",
        help="The customer company (its commercial partner): every contact of it follows the complaint in "
        "the portal. Empty for an email from an unknown sender until it is linked.",
    )
    contact_id = fields.Many2one(
        "res.partner",
        index="btree_not_null",
        domain="[('commercial_partner_id', '=', partner_id)]",
        help="The person who complained; gets the answers by email.",
    )
    email_from = fields.Char(
        string="Email", help="The complainant's email address, kept for emails from unknown senders."
    )
    needs_triage = fields.Boolean(
        string="Unknown sender",
        copy=False,
        tracking=True,
        help="Came by email from an address no customer has: link it to a customer or create one.",
    )
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    stage_id = fields.Many2one(
        "logistics.complaint.stage",
        required=True,
        index=True,
        tracking=True,
        copy=False,
        ondelete="restrict",
        group_expand="_read_group_stage_ids",
        default=lambda self: self._default_stage(),
    )
    is_closed = fields.Boolean(related="stage_id.is_closed", store=True, index=True, string="Closed")
    category_id = fields.Many2one("logistics.complaint.category", index=True, tracking=True)
    priority = fields.Selection(PRIORITIES, default="1", required=True, index=True, tracking=True)
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
        help="Who handles the complaint. Defaults to the customer's salesperson.",
    )
    team_id = fields.Many2one(
        "crm.team",
        index=True,
        tracking=True,
        help="The owner's sales team: its leader is the first escalation level.",
    )
    description = fields.Text(required=True, help="What happened, in the customer's words.")
    root_cause = fields.Text(
        groups="logistics_crm.group_logistics_crm_user", help="Why it happened, found by the investigation."
    )
    root_cause_type = fields.Selection(
        ROOT_CAUSE_TYPES,
        groups="logistics_crm.group_logistics_crm_user",
        string="Root cause type",
        index=True,
        tracking=True,
        help="Where the cause lies, for the analysis of complaints by root cause.",
    )
    corrective_action = fields.Text(help="What was done to put this complaint right.")
    preventive_action = fields.Text(
        groups="logistics_crm.group_logistics_crm_user", help="What changes so that it does not happen again."
    )
    resolution = fields.Text(help="The answer given to the customer; required to close the complaint.")
    compensation_amount = fields.Monetary(
        string="Compensation",
        currency_field="currency_id",
        tracking=True,
        help="Amount granted to the customer, in company currency.",
    )
    sale_order_id = fields.Many2one(
        "sale.order",
        string="Order",
        index="btree_not_null",
        domain="[('partner_id', 'child_of', partner_id)]",
        help="The order the complaint is about.",
    )
    cargo_id = fields.Many2one(
        "logistics.cargo",
        string="Cargo offer",
        index="btree_not_null",
        domain="[('commercial_partner_id', '=', partner_id)]",
        help="The cargo offer the complaint is about.",
    )
    channel = fields.Selection(CHANNELS, default="phone", required=True, help="How the complaint reached us.")

    # ------------------------------------------------------------------ SLA
    tier_id = fields.Many2one(
        "logistics.customer.tier",
        string="SLA tier",
        readonly=True,
        copy=False,
        index=True,
        help="The customer's tier when the complaint was recorded: it sets the deadlines.",
    )
    sla_start = fields.Datetime(
        string="SLA start", readonly=True, copy=False, help="When the SLA clock started (the complaint's creation)."
    )
    response_deadline = fields.Datetime(
        readonly=True, copy=False, tracking=True, help="A first answer to the customer is due by then."
    )
    resolution_deadline = fields.Datetime(
        readonly=True, copy=False, tracking=True, index=True, help="The complaint must be closed by then."
    )
    first_response_date = fields.Datetime(
        string="First response",
        readonly=True,
        copy=False,
        help="When the customer first got an answer: a message sent from the complaint, or "
        "'Mark as answered' after a call.",
    )
    date_closed = fields.Datetime(string="Closed on", readonly=True, copy=False, index=True)
    sla_status = fields.Selection(
        SLA_STATUSES,
        string="SLA",
        default=sla.ON_TRACK,
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        help="On track; at risk once 80 % of the time is used; breached when a deadline is missed; met when "
        "closed in time. Refreshed by the SLA watch every 15 minutes.",
    )
    sla_paused_since = fields.Datetime(
        groups="logistics_crm.group_logistics_crm_user",
        readonly=True,
        copy=False,
        help="Set while the complaint is in a stage that pauses the clock.",
    )
    sla_paused_hours = fields.Float(
        groups="logistics_crm.group_logistics_crm_user",
        string="Paused (hours)",
        readonly=True,
        copy=False,
        digits=(10, 2),
        help="Total time the clock was paused.",
    )
    escalation_level = fields.Integer(
        groups="logistics_crm.group_logistics_crm_user",
        readonly=True,
        copy=False,
        tracking=True,
        help="0: not escalated. 1: a deadline was missed, the owner's manager is asked to act. 2 and more: "
        "still overdue a further escalation step, the sales manager is involved too.",
    )
    hours_to_close = fields.Float(
        groups="logistics_crm.group_logistics_crm_user",
        string="Hours to close",
        readonly=True,
        copy=False,
        digits=(10, 1),
        aggregator="avg",
        help="Wall-clock hours from creation to closing.",
    )
    kanban_color = fields.Integer(compute="_compute_kanban_color")

    _sql_constraints = [
        ("name_company_uniq", "unique(name, company_id)", "Complaint references are unique per company."),
        ("compensation_positive", "CHECK(compensation_amount >= 0)", "A compensation cannot be negative."),
        ("escalation_positive", "CHECK(escalation_level >= 0)", "The escalation level cannot be negative."),
    ]

    # ------------------------------------------------------------------ defaults and computes
    @api.model
    def _default_stage(self):
        return self.env["logistics.complaint.stage"].search([("is_closed", "=", False)], limit=1)

    @api.model
    def _read_group_stage_ids(self, stages, domain):
        # every active stage is a column of the board, even an empty one (a handful of records)
        return stages.search([], order=stages._order)  # pylint: disable=no-search-all

    @api.depends("sla_status", "is_closed")
    def _compute_kanban_color(self):
        colors = {sla.ON_TRACK: 10, sla.AT_RISK: 2, sla.BREACHED: 1, sla.MET: 10}
        for complaint in self:
            complaint.kanban_color = (
                0 if complaint.is_closed and complaint.sla_status == sla.MET else colors.get(complaint.sla_status, 0)
            )

    def _compute_access_url(self):
        result = super()._compute_access_url()
        for complaint in self:
            complaint.access_url = f"/my/complaints/{complaint.id}"
        return result

    @api.depends("name", "subject")
    def _compute_display_name(self):
        for complaint in self:
            complaint.display_name = (
                f"{complaint.name} · {complaint.subject}" if complaint.subject else (complaint.name or "")
            )

    def _get_report_base_filename(self):
        self.ensure_one()
        return f"{self._description} {self.name}"

    # ------------------------------------------------------------------ constraints
    @api.constrains("description")
    def _check_description(self):
        for complaint in self:
            if not (complaint.description or "").strip():
                raise ValidationError(self.env._("Please describe the complaint: the description cannot be empty."))

    @api.constrains("stage_id", "resolution")
    def _check_resolution(self):
        for complaint in self:
            if complaint.stage_id.is_closed and not (complaint.resolution or "").strip():
                raise ValidationError(
                    self.env._(
                        "Complaint %(complaint)s cannot be closed without a resolution: write what was done "
                        "or why it is refused.",
                        complaint=complaint.name,
                    )
                )

    @api.constrains("compensation_amount")
    def _check_compensation(self):
        for complaint in self:
            if complaint.compensation_amount < 0:
                raise ValidationError(self.env._("A compensation cannot be negative."))

    @api.constrains("partner_id", "company_id")
    def _check_partner_company(self):
        for complaint in self:
            partner_company = complaint.partner_id.company_id
            if partner_company and partner_company != complaint.company_id:
                raise ValidationError(
                    self.env._(
                        "Customer %(customer)s belongs to company %(company)s: record the complaint there.",
                        customer=complaint.partner_id.display_name,
                        company=partner_company.name,
                    )
                )

    # ------------------------------------------------------------------ onchanges
    @api.onchange("contact_id")
    def _onchange_contact_id(self):
        if self.contact_id:
            self.partner_id = self.contact_id.commercial_partner_id
            self.email_from = self.contact_id.email or self.email_from

    @api.onchange("partner_id")
    def _onchange_partner_id(self):
        if self.partner_id and self.contact_id.commercial_partner_id != self.partner_id:
            self.contact_id = False
        if self.partner_id.user_id and not self.partner_id.user_id.share and not self.user_id:
            self.user_id = self.partner_id.user_id

    @api.onchange("user_id")
    def _onchange_user_id(self):
        if self.user_id and self.user_id.sale_team_id:
            self.team_id = self.user_id.sale_team_id

    # ------------------------------------------------------------------ create / write
    @api.model
    def _logistics_normalize_partner(self, vals):
        """Hold the complaint on the commercial partner; the person who complained is the contact."""
        if vals.get("partner_id"):
            partner = self.env["res.partner"].browse(vals["partner_id"])
            if partner.commercial_partner_id != partner:
                vals.setdefault("contact_id", partner.id)
                vals["partner_id"] = partner.commercial_partner_id.id
        elif vals.get("contact_id"):
            vals["partner_id"] = self.env["res.partner"].browse(vals["contact_id"]).commercial_partner_id.id
        if vals.get("contact_id") and not vals.get("email_from"):
            vals["email_from"] = self.env["res.partner"].browse(vals["contact_id"]).email or False
        return vals

    @api.model_create_multi
    def create(self, vals_list):
        now = fields.Datetime.now()
        for vals in vals_list:
            self._logistics_normalize_partner(vals)
            company = self.env["res.company"].browse(vals.get("company_id")) or self.env.company
            if vals.get("name", self.env._("New")) == self.env._("New"):
                vals["name"] = self.env["ir.sequence"].with_company(company).next_by_code(
                    "logistics.complaint"
                ) or self.env._("New")
            partner = self.env["res.partner"].browse(vals.get("partner_id"))
            if not vals.get("user_id"):
                salesperson = partner.user_id
                if salesperson and not salesperson.share:
                    vals["user_id"] = salesperson.id
                elif not self.env.user.share and not self.env.su and not self.env.user._is_superuser():
                    vals["user_id"] = self.env.uid
            if not vals.get("team_id") and vals.get("user_id"):
                vals["team_id"] = self.env["res.users"].browse(vals["user_id"]).sale_team_id.id or False
            vals.setdefault("sla_start", now)
            # the stage explicitly among the created values: its email (acknowledgement) goes out
            if not vals.get("stage_id"):
                vals["stage_id"] = self._default_stage().id
            vals.update(self._logistics_deadline_values(partner, company, vals["sla_start"]))
        complaints = super().create(vals_list)
        for complaint in complaints:
            # the complainant follows the case: answers reach them by email
            follower = complaint.contact_id or complaint.partner_id
            if follower:
                complaint.message_subscribe(partner_ids=follower.ids)
        complaints._logistics_stage_effects(now)
        complaints.logistics_refresh_sla()
        return complaints

    def write(self, vals):
        if self.env.context.get(SLA_REFRESH_KEY):
            return super().write(vals)
        vals = self._logistics_normalize_partner(dict(vals)) if {"partner_id", "contact_id"} & set(vals) else vals
        now = fields.Datetime.now()
        # the stages the records leave, to settle their pause
        old_stages = {complaint.id: complaint.stage_id for complaint in self} if "stage_id" in vals else {}
        partner_changed = self.filtered(lambda c: c.partner_id.id != vals["partner_id"]) if "partner_id" in vals else ()
        result = super().write(vals)
        if "stage_id" in vals:
            self._logistics_stage_effects(now, old_stages)
        if partner_changed:
            partner_changed._logistics_reset_deadlines()
        if SLA_FIELDS & set(vals) or partner_changed:
            self.logistics_refresh_sla()
        return result

    # ------------------------------------------------------------------ the SLA clock
    @api.model
    def _logistics_sla_tier(self, partner, company):
        """The tier setting a complaint's SLA: the customer's, or the last (slowest) tier without one."""
        tier = partner.commercial_partner_id.with_company(company).sudo().logistics_tier_id if partner else None
        # sudo: the tier reads company-dependent values of a customer the user may not edit
        return tier or self.env["logistics.customer.tier"].sudo()._logistics_active_tiers()[-1:]

    @api.model
    def _logistics_clock(self, calendar):
        """``(worked, plan)`` of the SLA clock: wall-clock hours, or the calendar's working hours."""
        if not calendar:
            return sla.wall_hours, sla.wall_plan

        def worked(start, end):
            if end == start:
                return 0.0
            if end < start:
                return -calendar.get_work_hours_count(end, start, compute_leaves=True)
            return calendar.get_work_hours_count(start, end, compute_leaves=True)

        def plan(start, hours):
            # a calendar without any working time cannot plan: fall back on wall-clock hours
            return calendar.plan_hours(hours, start, compute_leaves=True) or sla.wall_plan(start, hours)

        return worked, plan

    @api.model
    def _logistics_deadline_values(self, partner, company, start):
        tier = self._logistics_sla_tier(partner, company)
        _worked, plan = self._logistics_clock(tier.complaint_calendar_id)
        return {
            "tier_id": tier.id or False,
            "response_deadline": sla.deadline(start, tier.complaint_response_hours, plan) or False,
            "resolution_deadline": sla.deadline(start, tier.complaint_resolution_hours, plan) or False,
        }

    def _logistics_reset_deadlines(self):
        """Deadlines from the (new) customer's tier, e.g. once an unknown sender is linked to a customer."""
        for complaint in self.filtered(lambda c: not c.is_closed):
            vals = self._logistics_deadline_values(
                complaint.partner_id, complaint.company_id, complaint.sla_start or complaint.create_date
            )
            for key in ("response_deadline", "resolution_deadline"):
                if vals[key] and complaint.sla_paused_hours:
                    vals[key] = sla.wall_plan(vals[key], complaint.sla_paused_hours)
            complaint.write(vals)

    def _logistics_stage_effects(self, now, old_stages=None):
        """Closing date, pause and resume of the clock after a change of stage."""
        old_stages = old_stages or {}
        closing = self.filtered(lambda c: c.stage_id.is_closed and not c.date_closed)
        reopening = self.filtered(lambda c: not c.stage_id.is_closed and c.date_closed)
        pausing = self.filtered(lambda c: c.stage_id.sla_pause and not c.stage_id.is_closed and not c.sla_paused_since)
        resuming = self.filtered(lambda c: c.sla_paused_since and (not c.stage_id.sla_pause or c.stage_id.is_closed))
        for complaint in resuming:
            worked, plan = self._logistics_clock(complaint.tier_id.complaint_calendar_id)
            paused_at = complaint.sla_paused_since
            vals = {
                "sla_paused_since": False,
                "sla_paused_hours": complaint.sla_paused_hours + max(0.0, sla.wall_hours(paused_at, now)),
            }
            if not complaint.first_response_date and complaint.response_deadline:
                vals["response_deadline"] = sla.resume(complaint.response_deadline, paused_at, now, worked, plan)
            if complaint.resolution_deadline:
                vals["resolution_deadline"] = sla.resume(complaint.resolution_deadline, paused_at, now, worked, plan)
            complaint.write(vals)
        if pausing:
            pausing.write({"sla_paused_since": now})
        if closing:
            closing.write({"date_closed": now})
            for complaint in closing:
                start = complaint.sla_start or complaint.create_date
                complaint.write(
                    {
                        "hours_to_close": round(max(0.0, sla.wall_hours(start, now)), 1),
                        "first_response_date": complaint.first_response_date or now,
                    }
                )
        if reopening:
            reopening.write({"date_closed": False, "hours_to_close": 0.0})

    def _logistics_sla_status(self, now):
        """The SLA status of one complaint at ``now`` (its pause moment while paused)."""
        self.ensure_one()
        tier = self.tier_id
        worked, _plan = self._logistics_clock(tier.complaint_calendar_id)
        return sla.status(
            self.sla_paused_since or now,
            self.response_deadline or None,
            self.resolution_deadline or None,
            tier.complaint_response_hours,
            tier.complaint_resolution_hours,
            first_response=self.first_response_date or None,
            closed=self.date_closed or None,
            worked=worked,
        )

    def logistics_refresh_sla(self):
        """Recompute the SLA status of these complaints now and write the ones that changed.

        One ``write()`` per new status, so automated actions on *SLA* fire for exactly the
        complaints whose status changed. Public: callable from automated actions and RPC.
        Returns the complaints whose status changed.
        """
        now = fields.Datetime.now()
        groups = defaultdict(list)
        for complaint in self:
            status = complaint._logistics_sla_status(now)
            if status != complaint.sla_status:
                groups[status].append(complaint.id)
        changed = self.browse()
        for status, ids in groups.items():
            records = self.browse(ids)
            records.with_context(**{SLA_REFRESH_KEY: True}).write({"sla_status": status})
            changed |= records
        return changed

    # ------------------------------------------------------------------ escalation
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

    # ------------------------------------------------------------------ the workflow (buttons)
    @api.model
    def _logistics_stage(self, xmlid, closed=False):
        stage = self.env.ref(f"logistics_crm.{xmlid}", raise_if_not_found=False)
        if stage and stage.active:
            return stage
        return self.env["logistics.complaint.stage"].search([("is_closed", "=", closed)], limit=1)

    def _logistics_move(self, xmlid, closed=False):
        stage = self._logistics_stage(xmlid, closed)
        if not stage:
            raise UserError(self.env._("No such complaint stage is configured."))
        self.write({"stage_id": stage.id})
        return True

    def action_investigate(self):
        """Start the investigation (stage *Investigating*)."""
        return self._logistics_move("complaint_stage_investigating")

    def action_propose_solution(self):
        """A solution is proposed to the customer (stage *Solution proposed*)."""
        return self._logistics_move("complaint_stage_solution")

    def action_wait_customer(self):
        """Wait for the customer (stage *Waiting for customer*, the SLA clock pauses)."""
        return self._logistics_move("complaint_stage_waiting")

    def action_resolve(self):
        """The solution is carried out (stage *Resolved*)."""
        return self._logistics_move("complaint_stage_resolved")

    def action_close(self):
        """Close the complaint (stage *Closed*): needs a resolution."""
        return self._logistics_move("complaint_stage_closed", closed=True)

    def action_refuse(self):
        """Refuse the complaint (stage *Refused*): needs a resolution saying why."""
        return self._logistics_move("complaint_stage_refused", closed=True)

    def action_reopen(self):
        """Reopen a closed or refused complaint (back to *Investigating*)."""
        return self._logistics_move("complaint_stage_investigating")

    def action_mark_responded(self):
        """Record the first response now (e.g. after answering the customer by phone)."""
        self.filtered(lambda c: not c.first_response_date).write({"first_response_date": fields.Datetime.now()})
        return True

    def action_assign_to_me(self):
        """Take ownership of the complaints."""
        self.write({"user_id": self.env.uid, "team_id": self.env.user.sale_team_id.id or False})
        return True

    # ------------------------------------------------------------------ triage of unknown senders
    def action_link_customer(self):
        """Link a complaint from an unknown sender to the customer who has its email address."""
        for complaint in self:
            email = email_normalize(complaint.email_from or "")
            contact = (
                self.env["res.partner"].search([("email_normalized", "=", email)], limit=1)
                if email
                else self.env["res.partner"]
            )
            if not contact:
                raise UserError(
                    self.env._(
                        "No customer has the address %(email)s: create the customer, or choose it in the Customer "
                        "field.",
                        email=complaint.email_from or "-",
                    )
                )
            complaint.write({"contact_id": contact.id, "partner_id": contact.commercial_partner_id.id})
        self.write({"needs_triage": False})
        return True

    def action_create_customer(self):
        """Create a customer contact from the sender of the complaint, link it and open it to complete it."""
        self.ensure_one()
        if not self.email_from:
            raise UserError(self.env._("This complaint has no sender address to create a customer from."))
        name, email = (email_split_tuples(self.email_from) or [("", self.email_from)])[0]
        contact = self.env["res.partner"].create(
            {
                "name": name or email,
                "email": email,
                "company_id": self.company_id.id,
                "user_id": self.user_id.id or False,
            }
        )
        self.write({"contact_id": contact.id, "partner_id": contact.id, "needs_triage": False})
        return {
            "type": "ir.actions.act_window",
            "res_model": "res.partner",
            "res_id": contact.id,
            "view_mode": "form",
            "target": "current",
        }

    # ------------------------------------------------------------------ mail gateway and chatter
    @api.model
    def _routing_check_route(self, message, message_dict, route, raise_exception=True):
        """An automatic reply never opens a new complaint (replies to a complaint still land on it)."""
        route = super()._routing_check_route(message, message_dict, route, raise_exception=raise_exception)
        if route and route[0] == self._name and not route[1] and self._logistics_is_auto_reply(message):
            _logger.info(
                "Automatic reply from %s (Message-Id %s): no complaint created",
                message_dict.get("email_from"),
                message_dict.get("message_id"),
            )
            return ()
        return route

    @api.model
    def _logistics_is_auto_reply(self, message):
        auto_submitted = (message.get("Auto-Submitted") or "").strip().lower()
        if auto_submitted and auto_submitted != "no":
            return True
        if any(message.get(header) for header in AUTO_REPLY_HEADERS):
            return True
        if (message.get("X-Auto-Response-Suppress") or "").strip().lower() in ("all", "oof"):
            return True
        return (message.get("Precedence") or "").strip().lower() in AUTO_PRECEDENCE

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        """A new email to the complaints alias: a complaint of the sender's customer company."""
        values = dict(custom_values or {})
        author = self.env["res.partner"].browse(msg_dict.get("author_id")).exists()
        if author and author.user_ids.filtered(lambda u: not u.share):
            author = self.env["res.partner"]  # a colleague forwarding: the customer is triaged by hand
        subject = (msg_dict.get("subject") or "").strip()
        text = html2plaintext(msg_dict.get("body") or "").strip()
        values.setdefault("subject", subject[:200] or False)
        values.setdefault("description", text or subject or self.env._("(empty email)"))
        values.setdefault("channel", "email")
        values.setdefault("email_from", msg_dict.get("email_from") or False)
        if author:
            values.setdefault("partner_id", author.commercial_partner_id.id)
            values.setdefault("contact_id", author.id)
        elif not values.get("partner_id"):
            values["needs_triage"] = True
        if values.get("partner_id") and "company_id" not in values:
            partner_company = self.env["res.partner"].browse(values["partner_id"]).company_id
            if partner_company:
                values["company_id"] = partner_company.id
        complaint = super().message_new(msg_dict, custom_values=values)
        template = complaint.stage_id.mail_template_id
        if complaint.needs_triage and complaint.email_from and template:
            # acknowledge an unknown sender by a plain email: posting the template would make a
            # contact of the address, and the customer is chosen at triage, not guessed
            template.send_mail(complaint.id)
        return complaint

    def _message_get_suggested_recipients(self):
        recipients = super()._message_get_suggested_recipients()
        for complaint in self:
            contact = complaint.contact_id or complaint.partner_id
            if contact and contact not in [r.get("partner_id") for r in recipients]:
                complaint._message_add_suggested_recipient(
                    recipients, partner=contact, reason=self.env._("Customer"), email=contact.email
                )
            elif not contact and complaint.email_from:
                complaint._message_add_suggested_recipient(
                    recipients, email=complaint.email_from, reason=self.env._("Customer email")
                )
        return recipients

    def message_post(self, **kwargs):
        message = super().message_post(**kwargs)
        # a public answer from staff is the first response of the SLA
        if (
            message
            and message.message_type in ("comment", "email")
            and message.subtype_id == self.env.ref("mail.mt_comment")
            and not self.env.user.share
            and not self.env.su
            and message.author_id == self.env.user.partner_id
        ):
            self.filtered(lambda c: not c.first_response_date).write({"first_response_date": fields.Datetime.now()})
        return message

    def _track_template(self, changes):
        res = super()._track_template(changes)
        complaint = self[0]
        recipient = complaint.contact_id or complaint.partner_id
        if "stage_id" in changes and complaint.stage_id.mail_template_id and recipient:
            res["stage_id"] = (
                complaint.stage_id.mail_template_id,
                {
                    "auto_delete_keep_log": False,
                    # a message to the customer, shown in their portal thread; as an automatic message
                    # (auto_comment) it is no first response
                    "subtype_id": self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_comment"),
                    "email_layout_xmlid": "mail.mail_notification_light",
                },
            )
        return res

    def _mail_get_partners(self, introspect_fields=False):
        # one customer per complaint, the person who complained first: answers and signed portal
        # links go to them, a token reply is signed by them (the portal expects a single partner)
        return {complaint.id: complaint.contact_id or complaint.partner_id for complaint in self}

    def _creation_subtype(self):
        return self.env.ref("logistics_crm.mt_complaint_new")

    def _track_subtype(self, init_values):
        self.ensure_one()
        if "stage_id" in init_values and self.stage_id.is_closed:
            return self.env.ref("logistics_crm.mt_complaint_closed")
        if "sla_status" in init_values and self.sla_status == sla.BREACHED:
            return self.env.ref("logistics_crm.mt_complaint_breached")
        return super()._track_subtype(init_values)
