from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import SQL

from ..domain import tiering


class LogisticsCustomerTier(models.Model):
    _name = "logistics.customer.tier"
    _description = "Customer Tier"
    _order = "sequence, id"

    # ------------------------------------------------------------------ identity
    name = fields.Char(required=True, translate=True, help="e.g. A - Key account")
    code = fields.Char(required=True, size=8, help="Short label shown as a badge, e.g. A, B, C.")
    sequence = fields.Integer(
        default=10,
        help="Tiers are applied in this order: the first tier takes the top customers.",
    )
    active = fields.Boolean(default=True)
    color = fields.Integer(help="Color of the tier badge on lists and kanban cards.")
    description = fields.Text(translate=True, help="How the company treats customers of this tier.")

    # ------------------------------------------------------------------ Pareto rule
    revenue_share_cutoff = fields.Float(
        string="Revenue share cut-off (%)",
        required=True,
        digits=(5, 2),
        help="Cumulative share of revenue, in percent, up to which customers fall into this tier. "
        "A customer belongs to the first tier whose cut-off is above the share of the customers "
        "ranked before it: with A at 80%, tier A is the smallest set of top customers that "
        "together make at least 80% of revenue. Cut-offs increase from tier to tier, the last being 100%.",
    )

    # ------------------------------------------------------------------ service levels
    win_back_when_dormant = fields.Boolean(
        string="Win back when dormant",
        help="When a customer of this tier turns dormant, plan a win-back activity for its salesperson.",
    )
    care_interval_days = fields.Integer(
        string="Care interval (days)",
        default=90,
        help="Days between two planned care contacts with a customer of this tier. 0 disables the care plan.",
    )
    complaint_response_hours = fields.Integer(
        string="Complaint response (hours)",
        default=24,
        help="Hours within which a complaint of a customer of this tier must get a first response.",
    )
    complaint_resolution_hours = fields.Integer(
        string="Complaint resolution (hours)",
        default=120,
        help="Hours within which a complaint of a customer of this tier must be resolved.",
    )
    complaint_calendar_id = fields.Many2one(
        "resource.calendar",
        string="Complaint working hours",
        help="Count the complaint hours in the working time of this calendar (public holidays included). "
        "Empty: round-the-clock hours, the deadline is the creation time plus the hours.",
    )
    survey_frequency_days = fields.Integer(
        string="Survey every (days)",
        default=365,
        help="How often customers of this tier are invited to the satisfaction survey. 0 disables it.",
    )

    # ------------------------------------------------------------------ statistics
    partner_count = fields.Integer(string="Customers", compute="_compute_partner_count")

    _sql_constraints = [
        ("code_uniq", "unique(code)", "The tier code must be unique."),
        (
            "service_levels_positive",
            "CHECK(care_interval_days >= 0 AND complaint_response_hours >= 0 "
            "AND complaint_resolution_hours >= 0 AND survey_frequency_days >= 0)",
            "Care interval, complaint hours and survey frequency cannot be negative.",
        ),
    ]

    def write(self, vals):
        result = super().write(vals)
        if "care_interval_days" in vals:
            # move the next planned contact of the tier's customers, in every company
            for company in self.env["res.company"].sudo().search([]):  # pylint: disable=no-search-all
                partners = (
                    self.env["res.partner"].sudo().with_company(company).search([("logistics_tier_id", "in", self.ids)])
                )
                self.env["logistics.care.plan"].with_company(company)._logistics_refresh_next_contact(partners)
        return result

    def _compute_partner_count(self):
        counts = dict(
            self.env["res.partner"]._read_group(
                [("logistics_tier_id", "in", self.ids), ("is_logistics_customer", "=", True)],
                ["logistics_tier_id"],
                ["__count"],
            )
        )
        for tier in self:
            tier.partner_count = counts.get(tier, 0)

    @api.constrains("revenue_share_cutoff", "sequence", "active")
    def _check_revenue_share_cutoff(self):
        self._logistics_check_tiers(self._logistics_active_tiers())

    @api.model
    def _logistics_active_tiers(self, domain=()):
        """The active tiers in tier order, whatever the caller's ``active_test`` (a handful)."""
        return self.with_context(active_test=True).search(list(domain))

    @api.model
    def _logistics_check_tiers(self, tiers):
        """Refuse a set of active tiers that would rank customers wrongly or leave them without a tier."""
        error = tiering.validate_cutoffs(tiers.mapped("revenue_share_cutoff"))
        if error == "cutoff_range":
            raise ValidationError(self.env._("A tier's revenue share cut-off must be above 0% and at most 100%."))
        if error == "cutoff_order":
            raise ValidationError(
                self.env._(
                    "Revenue share cut-offs must increase from tier to tier (in sequence order), "
                    "e.g. A 80%%, B 95%%, C 100%%. Current order: %(tiers)s",
                    tiers=", ".join(f"{t.code} {t.revenue_share_cutoff:g}%" for t in tiers),
                )
            )
        if error == "cutoff_last":
            raise ValidationError(
                self.env._(
                    "The last active tier (%(tier)s) must have a cut-off of 100%%: otherwise the customers "
                    "ranked after it would have revenue and no tier.",
                    tier=tiers[-1].display_name,
                )
            )
        if not tiers and self._logistics_customers_with_revenue():
            raise ValidationError(
                self.env._("At least one tier must stay active: customers with revenue would otherwise have no tier.")
            )

    @api.model
    def _logistics_customers_with_revenue(self):
        """Whether any customer has revenue in the tier window, in any company (figures only)."""
        self.env["res.partner"].flush_model(["logistics_revenue_12m"])
        self.env.cr.execute(
            SQL(
                """SELECT 1 FROM res_partner p, jsonb_each_text(p.logistics_revenue_12m) AS r(company, amount)
                WHERE p.logistics_revenue_12m IS NOT NULL AND r.amount::numeric > 0 LIMIT 1"""
            )
        )
        return bool(self.env.cr.fetchone())

    @api.ondelete(at_uninstall=False)
    def _unlink_except_in_use(self):
        Partner = self.env["res.partner"]
        Partner.flush_model(["logistics_tier_id"])
        # a company-dependent many-to-one has no foreign key: look into every company's value
        self.env.cr.execute(
            SQL(
                """SELECT DISTINCT (r.tier)::int
                     FROM res_partner p, jsonb_each_text(p.logistics_tier_id) AS r(company, tier)
                WHERE p.logistics_tier_id IS NOT NULL AND r.tier::int = ANY(%s)""",
                self.ids,
            )
        )
        used = self.browse(row[0] for row in self.env.cr.fetchall())
        if used:
            raise UserError(
                self.env._(
                    "%(tiers)s: customers hold these tiers. Archive them instead (the next recompute moves "
                    "their customers to the remaining tiers), or move the customers first.",
                    tiers=", ".join(used.mapped("display_name")),
                )
            )
        self._logistics_check_tiers(self._logistics_active_tiers([("id", "not in", self.ids)]))

    @api.constrains("complaint_response_hours", "complaint_resolution_hours")
    def _check_complaint_hours(self):
        for tier in self:
            if tier.complaint_resolution_hours and tier.complaint_response_hours > tier.complaint_resolution_hours:
                raise ValidationError(
                    self.env._(
                        "Tier %(tier)s: the complaint response time cannot be longer than the resolution time.",
                        tier=tier.display_name,
                    )
                )

    @api.depends("code", "name")
    def _compute_display_name(self):
        for tier in self:
            tier.display_name = (
                f"{tier.code} - {tier.name}"
                if tier.code and tier.name and tier.code != tier.name
                else (tier.name or tier.code or "")
            )

    def action_view_partners(self):
        self.ensure_one()
        action = self.env["ir.actions.actions"]._for_xml_id("logistics_crm.action_logistics_customers")
        action["domain"] = [("logistics_tier_id", "=", self.id), ("is_logistics_customer", "=", True)]
        return action
