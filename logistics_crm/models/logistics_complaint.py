"""Customer complaints: the workflow and the SLA clock by tier (the email gateway and the
escalation ladder are in logistics_complaint_mail.py and logistics_complaint_escalation.py).

The SLA rules themselves (deadlines, pauses, status, escalation ladder) are plain Python
in ``domain/sla.py``; this model feeds them the tier's hours and calendar and writes the
results through ``write()``, so that automated actions on ``sla_status`` or
``escalation_level`` fire.
"""

from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..domain import sla

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
SLA_REFRESH_KEY = "logistics_complaint_sla_refresh"


class LogisticsComplaint(models.Model):
    _name = "logistics.complaint"
    _description = "Customer complaint"
    # the mail gateway and chatter, and the escalation ladder, are parts of this model kept in their own
    # files (logistics_complaint_mail.py, logistics_complaint_escalation.py)
    _inherit = [
        "portal.mixin",
        "logistics.complaint.mail",
        "mail.activity.mixin",
        "logistics.complaint.escalation",
        "logistics.complaint.survey",
    ]
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
        # the card's left border: green on track, orange at risk, red breached; none once met
        colors = {sla.ON_TRACK: 10, sla.AT_RISK: 2, sla.BREACHED: 1}
        for complaint in self:
            complaint.kanban_color = colors.get(complaint.sla_status, 0)

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
            closing._logistics_send_closing_survey()
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
