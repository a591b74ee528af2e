"""Customers: tier, lifecycle, churn and care fields on the partner, and thin entry points.

The figures are company-dependent (one value per company, jsonb columns): each company
ranks its own customers on its own sales. The engine that computes them is
``logistics.tier.engine``; the care planner is ``logistics.care.plan``.
"""

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessError
from odoo.tools import SQL

from ..domain import tiering
from .logistics_customer_values import (
    CARE_MAIL_FIELDS,
    COPY_WRITE,
    CUSTOMER_VALUE_FIELDS,
    INTERNAL_WRITE_KEY,
    MERGE_KEY,
    RESET_WRITE,
    InternalWrite,
    MergeDestination,
)
from .logistics_partner_satisfaction import SATISFACTION_COLUMNS
from .logistics_tier_engine import USER_GROUP

STAGE_SELECTION = [
    (tiering.STAGE_POTENTIAL, "Potential"),
    (tiering.STAGE_TARGET, "Target"),
    (tiering.STAGE_ACTIVE, "Active"),
    (tiering.STAGE_DORMANT, "Dormant"),
    (tiering.STAGE_LOST, "Lost"),
]
CHURN_LEVEL_SELECTION = [("low", "Low"), ("medium", "Medium"), ("high", "High")]

# Fields held on the commercial partner and copied to its contacts
# (Odoo's commercial-field mechanism, like ``vat``).
LOGISTICS_COMMERCIAL_FIELDS = [
    *sorted(CUSTOMER_VALUE_FIELDS),  # tier, lock and figures (one value per company)
    "logistics_commodity_ids",
    "logistics_service_ids",
    "logistics_business_scale",
    "logistics_annual_shipping_volume",
    "logistics_annual_storage_volume",
]
# Computed by the tier engine (and the care planner, the care mailings): nobody sets them by hand,
# not even a manager.
COMPUTED_FIELDS = (
    (CUSTOMER_VALUE_FIELDS - {"logistics_tier_id", "logistics_tier_locked", "logistics_last_contact_date"})
    | frozenset(SATISFACTION_COLUMNS)
    | CARE_MAIL_FIELDS
)
# Changing these moves the next planned contact.
CARE_FIELDS = {"logistics_tier_id", "logistics_tier_date", "logistics_last_contact_date"}
CRON_BATCH_SIZE = 10000
# above this many customers, "Recompute now" queues the cron instead of running in the request
SYNC_RECOMPUTE_LIMIT = 20000
MANAGER_GROUP = "logistics_crm.group_logistics_crm_manager"


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "logistics.partner.satisfaction", "logistics.partner.booking", "logistics.partner.care"]

    # ------------------------------------------------------------------ who is a customer
    is_logistics_customer = fields.Boolean(
        string="Logistics customer",
        compute="_compute_is_logistics_customer",
        store=True,
        index=True,
        help="Commercial entity (company or individual without parent) that is neither one of our "
        "companies nor an internal user: it takes part in tiering and lifecycle.",
    )

    # ------------------------------------------------------------------ tier
    logistics_tier_id = fields.Many2one(
        "logistics.customer.tier",
        company_dependent=True,
        copy=False,
        string="Customer tier",
        tracking=True,
        ondelete="restrict",
        help="Pareto (ABC) tier by confirmed sales over the trailing window, recomputed daily. "
        "Managers can set it by hand: it is then locked.",
    )
    logistics_tier_code = fields.Char(related="logistics_tier_id.code", string="Tier code")
    logistics_tier_color = fields.Integer(related="logistics_tier_id.color", string="Tier color")
    logistics_tier_locked = fields.Boolean(
        company_dependent=True,
        copy=False,
        string="Tier locked",
        tracking=True,
        groups=USER_GROUP,
        help="Manual override: the recomputation keeps the tier of a locked customer.",
    )
    logistics_tier_date = fields.Date(
        company_dependent=True,
        copy=False,
        string="Tier since",
        groups=USER_GROUP,
        help="Date the customer entered its current tier.",
    )

    # ------------------------------------------------------------------ lifecycle
    logistics_stage = fields.Selection(
        STAGE_SELECTION,
        company_dependent=True,
        copy=False,
        string="Lifecycle stage",
        tracking=True,
        groups=USER_GROUP,
        help="Potential: no deal yet. Target: open opportunity or quotation. Active: confirmed order "
        "within the active window. Dormant: last order older than the active window but within the "
        "dormant window. Lost: ordered before, nothing since the dormant window.",
    )
    # company-dependent fields cannot be Monetary: a Float shown with the company's currency
    logistics_revenue_12m = fields.Float(
        company_dependent=True,
        copy=False,
        string="Revenue (window)",
        digits=(16, 2),
        groups=USER_GROUP,
        help="Confirmed sales of the current company, untaxed, in its currency, over the trailing "
        "tier window (12 months by default).",
    )
    logistics_currency_id = fields.Many2one(
        "res.currency", compute="_compute_logistics_currency_id", string="Logistics currency"
    )
    logistics_order_count = fields.Integer(
        company_dependent=True,
        copy=False,
        string="Orders (window)",
        groups=USER_GROUP,
        help="Number of confirmed sales orders in the trailing tier window.",
    )
    logistics_last_order_date = fields.Date(
        company_dependent=True,
        copy=False,
        string="Last order",
        groups=USER_GROUP,
        help="Date of the last confirmed sales order, any time.",
    )
    logistics_churn_risk = fields.Integer(
        company_dependent=True,
        copy=False,
        string="Churn risk",
        aggregator="avg",
        groups=USER_GROUP,
        help="0-100: rises with the days since the last order and with a falling order frequency. "
        "Customers who ordered within the active window score 0-49, dormant ones 50-89, lost ones 100.",
    )
    logistics_churn_level = fields.Selection(
        CHURN_LEVEL_SELECTION,
        company_dependent=True,
        copy=False,
        string="Churn level",
        groups=USER_GROUP,
        help="Low below 35, medium from 35, high from 70.",
    )

    # ------------------------------------------------------------------ logistics profile
    logistics_commodity_ids = fields.Many2many(
        "logistics.commodity",
        string="Main commodities",
        help="What the customer ships or stores (coal, steel coils, appliances, auto parts, ...).",
    )
    logistics_service_ids = fields.Many2many(
        "logistics.service.type",
        string="Services used",
        help="Logistics services the customer buys from us or from others.",
    )
    logistics_business_scale = fields.Selection(
        [
            ("micro", "Micro (< 10 staff)"),
            ("small", "Small (10-49 staff)"),
            ("medium", "Medium (50-249 staff)"),
            ("large", "Large (250+ staff)"),
        ],
        string="Business scale",
    )
    logistics_annual_shipping_volume = fields.Float(
        string="Shipping volume (t/year)",
        digits=(16, 1),
        help="Metric tonnes the customer ships per year, all carriers.",
    )
    logistics_annual_storage_volume = fields.Float(
        string="Storage volume (t/year)",
        digits=(16, 1),
        help="Metric tonnes the customer stores per year in warehouses, all providers.",
    )

    # ------------------------------------------------------------------ care plan
    logistics_last_contact_date = fields.Date(
        company_dependent=True,
        copy=False,
        string="Last care contact",
        groups=USER_GROUP,
        help="Date the last activity with this customer (call, meeting, care contact) was marked done.",
    )
    logistics_next_contact_date = fields.Date(
        company_dependent=True,
        copy=False,
        string="Next planned contact",
        groups=USER_GROUP,
        help="Last care contact (or the day the customer entered its tier) plus the tier's care interval.",
    )
    # here, not in the care mixin (logistics_partner_care.py): Odoo also registers a company-dependent
    # many2one of an abstract model, and deleting a rule would then update a table that does not exist
    logistics_last_care_rule_id = fields.Many2one(
        "logistics.care.rule",
        company_dependent=True,
        copy=False,
        string="Last care rule",
        groups=USER_GROUP,
        help="The care mailing rule that last mailed the customer.",
    )

    logistics_tier_history_ids = fields.One2many(
        "logistics.tier.history",
        "partner_id",
        string="Tier history",
        groups=USER_GROUP,
        copy=False,
        help="The customer's tier and stage changes in the companies you work in.",
    )

    _sql_constraints = [
        (
            "logistics_volumes_positive",
            "CHECK(COALESCE(logistics_annual_shipping_volume, 0) >= 0 "
            "AND COALESCE(logistics_annual_storage_volume, 0) >= 0)",
            "Shipping and storage volumes cannot be negative.",
        ),
    ]

    # ------------------------------------------------------------------ computes
    @api.depends("parent_id", "partner_share", "is_company")
    def _compute_is_logistics_customer(self):
        # sudo: company partners must be known whatever companies the user may read
        companies = self.env["res.company"].sudo().with_context(active_test=False)
        # a few companies
        company_partners = companies.search([]).partner_id  # pylint: disable=no-search-all
        for partner in self:
            partner.is_logistics_customer = (
                not partner.parent_id and partner.partner_share and partner not in company_partners
            )

    @api.depends_context("company")
    def _compute_logistics_currency_id(self):
        currency = self.env.company.currency_id
        for partner in self:
            partner.logistics_currency_id = currency

    @api.model
    def _commercial_fields(self):
        if self.env.context.get("logistics_own_sync"):
            # _commercial_sync_from_company copies the tier and figures itself, in every company
            return super()._commercial_fields() + [
                f for f in LOGISTICS_COMMERCIAL_FIELDS if f not in CUSTOMER_VALUE_FIELDS
            ]
        return super()._commercial_fields() + LOGISTICS_COMMERCIAL_FIELDS

    def _children_sync(self, values):
        token = self._logistics_internal_write_token(values)
        if token and not token.sync_children:
            return None  # the tier engine writes a customer's contacts together with it
        return super()._children_sync(values)

    def _logistics_internal_write_token(self, vals):
        """The addon's own write of ``vals`` (engine, care planner, reset), or None."""
        token = self.env.context.get(INTERNAL_WRITE_KEY)
        return token if isinstance(token, InternalWrite) and token.allows(vals) else None

    # ------------------------------------------------------------------ manual override, forged figures
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            forged = COMPUTED_FIELDS & {key for vals in vals_list for key, value in vals.items() if value}
            if forged:
                self._logistics_refuse_computed(forged)
        if any(vals.get("logistics_tier_id") or vals.get("logistics_tier_locked") for vals in vals_list):
            self._logistics_check_tier_override()
            for vals in vals_list:
                if vals.get("logistics_tier_id"):
                    vals.setdefault("logistics_tier_locked", True)
                    vals.setdefault("logistics_tier_date", fields.Date.context_today(self))
        partners = super().create(vals_list)
        if any(CARE_FIELDS & vals.keys() for vals in vals_list):
            self.env["logistics.care.plan"]._logistics_refresh_next_contact(partners.filtered("is_logistics_customer"))
        return partners

    def write(self, vals):
        if self._logistics_internal_write_token(vals):
            return super().write(vals)  # the engine and the care planner compute every value themselves
        merge = self.env.context.get(MERGE_KEY)
        if isinstance(merge, MergeDestination) and merge.takes(self, vals):
            merge.done = True
            vals = {key: value for key, value in vals.items() if key not in CUSTOMER_VALUE_FIELDS}
        if not self.env.su:
            forged = self._logistics_changed_fields(vals, COMPUTED_FIELDS)
            if forged:
                self._logistics_refuse_computed(forged)
            # unchanged values (forms and imports send them) are not written: nothing to do, and a
            # personal default shown in their place must not reach the contacts through the sync
            tier_keys = {"logistics_tier_id", "logistics_tier_locked"}
            unchanged = (COMPUTED_FIELDS | tier_keys) - self._logistics_changed_fields(vals, tier_keys)
            vals = {key: value for key, value in vals.items() if key not in unchanged}
        old_tiers = {}
        if self._logistics_changed_fields(vals, {"logistics_tier_id", "logistics_tier_locked"}):
            self._logistics_check_tier_override()
            if "logistics_tier_id" in vals:
                # a tier set by hand is kept by the recomputation
                if vals["logistics_tier_id"] and "logistics_tier_locked" not in vals:
                    vals["logistics_tier_locked"] = True
                # sudo: the stored values, whatever fields the caller may read
                old_tiers = {
                    partner: (partner.logistics_tier_id, partner.logistics_stage)
                    for partner in self.sudo().filtered("is_logistics_customer")
                }
                if any(tier.id != vals["logistics_tier_id"] for tier, _stage in old_tiers.values()):
                    vals.setdefault("logistics_tier_date", fields.Date.context_today(self))
        # a contact that leaves its company (or becomes one) starts as a customer of its own
        was_contact = (
            self.filtered(lambda p: p.commercial_partner_id != p)
            if {"parent_id", "is_company"} & vals.keys()
            else self.browse()
        )
        result = super().write(vals)
        if old_tiers:
            self._logistics_log_manual_tier(old_tiers)
        if CARE_FIELDS & vals.keys():
            self.env["logistics.care.plan"]._logistics_refresh_next_contact(self.filtered("is_logistics_customer"))
        detached = was_contact.filtered(lambda p: p.commercial_partner_id == p)
        if detached:
            detached._logistics_forget_company_values()
        return result

    def _logistics_forget_company_values(self):
        """Clear, in every company, the tier, lock and figures a former contact got from its company.

        They were the company's, not its own: the next recompute ranks it on its own sales.
        """
        # sudo: every company's values go, including those of companies the user does not work in;
        # these are computed values the user may not write (the reset is the addon's own write)
        partners = self.sudo().with_context(**{INTERNAL_WRITE_KEY: RESET_WRITE})
        for company in self._logistics_all_companies():
            in_company = partners.with_company(company)
            values = {fname: False for fname in CUSTOMER_VALUE_FIELDS if any(in_company.mapped(fname))}
            if values:
                in_company.write(values)

    @api.model
    def _logistics_all_companies(self):
        """Every company, archived ones included (they keep their customers' values)."""
        # sudo: values of companies the user does not work in; a few companies
        companies = self.env["res.company"].sudo().with_context(active_test=False)
        return companies.search([], order="id")  # pylint: disable=no-search-all

    def _commercial_sync_from_company(self):
        """A contact shows its company's tier and figures in every company, not only the current one."""
        result = super(ResPartner, self.with_context(logistics_own_sync=True))._commercial_sync_from_company()
        commercial = self.commercial_partner_id
        if commercial != self:
            self._logistics_copy_company_values(commercial)
        return result

    def _logistics_copy_company_values(self, source):
        """Copy ``source``'s tier, lock and figures to ``self`` and its contacts, in every company
        (Odoo's commercial sync copies the current company's values only)."""
        # the superuser: the values of every company, whatever the user may read or write
        root = self.with_user(SUPERUSER_ID).with_context(**{INTERNAL_WRITE_KEY: COPY_WRITE})
        targets = root.search([("id", "child_of", self.ids), ("is_company", "=", False)]) | root
        for company in self._logistics_all_companies():
            values = source._logistics_stored_values(company)[source.id]
            in_company = targets.with_company(company)
            if in_company._logistics_changed_fields(values, CUSTOMER_VALUE_FIELDS):
                in_company.write(values)

    def _logistics_stored_values(self, company):
        """{partner id: write() values} of the tier, lock and figures stored for ``company``.

        Read in SQL: where nothing is stored, a read through the ORM shows the default of the
        field, which may be the reading user's own (``ir.default``) and is cached for everyone.
        """
        self.flush_model(CUSTOMER_VALUE_FIELDS)
        columns = sorted(CUSTOMER_VALUE_FIELDS)
        self.env.cr.execute(
            SQL(
                "SELECT id, %s FROM res_partner WHERE id = ANY(%s)",
                SQL(", ").join(SQL("%s->%s", SQL.identifier(fname), str(company.id)) for fname in columns),
                self.ids,
            )
        )
        result = {}
        for row in self.env.cr.fetchall():
            values = {}
            for fname, value in zip(columns, row[1:], strict=True):
                field = self._fields[fname]
                if value is None:
                    values[fname] = False if field.type not in ("integer", "float") else 0
                else:
                    values[fname] = value
            result[row[0]] = values
        return result

    def unlink(self):
        """The contacts of a deleted company lose their parent without a write (ON DELETE SET NULL):
        like a detached contact, they forget the company's tier, lock and figures."""
        # sudo: the contacts whatever the user may read
        orphans = self.sudo().child_ids.filtered(lambda child: child not in self and not child.is_company)
        result = super().unlink()
        orphans = orphans.exists()
        if orphans:
            orphans.invalidate_recordset(["parent_id"])
            for fname in ("commercial_partner_id", "is_logistics_customer"):
                self.env.add_to_compute(orphans._fields[fname], orphans)
            orphans._logistics_forget_company_values()
        return result

    def _logistics_changed_fields(self, vals, fnames):
        """The fields of ``fnames`` whose value in ``vals`` differs from a stored one
        (forms and imports also send unchanged values)."""
        changed = set()
        for fname in fnames & vals.keys():
            field = self._fields[fname]
            # sudo: compare with the stored values, whatever fields the caller may read
            for partner in self.sudo():
                new = field.convert_to_record(field.convert_to_cache(vals[fname], partner), partner)
                if new != partner[fname]:
                    changed.add(fname)
                    break
        return changed

    def _logistics_refuse_computed(self, fnames):
        labels = ", ".join(sorted(self._fields[fname]._description_string(self.env) for fname in fnames))
        raise AccessError(
            self.env._(
                "%(fields)s: Logistics CRM computes these from confirmed sales, care contacts and surveys; "
                "they cannot be set by hand.",
                fields=labels,
            )
        )

    def _logistics_log_manual_tier(self, old_tiers):
        """Tier history lines for a tier set by hand (current company)."""
        self.env["logistics.tier.history"].sudo().create(
            [  # sudo: history is written by the system only
                {
                    "company_id": self.env.company.id,
                    "partner_id": partner.id,
                    "old_tier_id": tier.id,
                    "new_tier_id": partner.logistics_tier_id.id,
                    "old_stage": stage,
                    "new_stage": stage,
                    "tier_changed": True,
                    "revenue": partner.logistics_revenue_12m,
                    "origin": "manual",
                    "user_id": self.env.user.id,
                }
                for partner, (tier, stage) in old_tiers.items()
                if partner.logistics_tier_id != tier
            ]
        )

    def _logistics_check_tier_override(self):
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        raise AccessError(self.env._("Only Logistics CRM managers can set or lock a customer's tier by hand."))

    # ------------------------------------------------------------------ actions
    def action_logistics_lock_tier(self):
        self.commercial_partner_id.write({"logistics_tier_locked": True})

    def action_logistics_unlock_tier(self):
        self.commercial_partner_id.write({"logistics_tier_locked": False})

    def action_logistics_view_orders(self):
        self.ensure_one()
        months, _rules = self.env["logistics.tier.engine"]._logistics_settings()
        since = tiering.window_start(fields.Date.context_today(self), months)
        action = self.env["ir.actions.actions"]._for_xml_id("sale.action_orders")
        # the orders behind the button's count: confirmed, of the current company, within the tier window
        action["domain"] = [
            ("partner_id", "child_of", self.commercial_partner_id.id),
            ("company_id", "=", self.env.company.id),
            ("state", "=", "sale"),
            ("date_order", ">=", fields.Datetime.to_datetime(since)),
        ]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------ recomputation (thin entry points)
    @api.model
    def logistics_recompute_tiers(self, batch_size=5000):
        """Recompute tier, lifecycle stage, churn risk and sales figures of every customer.

        Public entry point for server actions, automated actions and XML-RPC. Each of the
        caller's companies (``env.companies``) ranks its own customers on its own confirmed
        sales (see ``logistics.tier.engine``); only what changed is written, ``batch_size``
        customers at a time. Safe to re-run: a second run writes nothing. Returns a summary
        dict summed over the companies.
        """
        engine = self.env["logistics.tier.engine"]
        engine._logistics_check_user()
        summary = engine._logistics_recompute(self.env.companies, batch_size=batch_size)
        summary.pop("failed_ids", None)
        return summary

    @api.model
    def action_logistics_recompute_tiers(self):
        """Recompute now (menu, tier list, settings) and tell the user what happened.

        A large base is never recomputed inside one HTTP request: above
        ``SYNC_RECOMPUTE_LIMIT`` customers the daily job is queued to run at once.
        """
        self.env["logistics.tier.engine"]._logistics_check_user()
        customers = self.sudo().search_count([("is_logistics_customer", "=", True)])  # sudo: a count only
        if customers > SYNC_RECOMPUTE_LIMIT:
            self.env.ref("logistics_crm.ir_cron_logistics_recompute_tiers").sudo()._trigger()
            return self._logistics_notification(
                "info",
                self.env._("Recompute queued"),
                self.env._(
                    "%(customers)s customers are too many to recompute while you wait: the daily job has been "
                    "started in the background and updates them in batches within minutes.",
                    customers=customers,
                ),
            )
        summary = self.logistics_recompute_tiers()
        message = self.env._(
            "%(customers)s customers checked, %(changed)s updated, %(tier_changes)s tier changes.", **summary
        )
        if summary["skipped_orders"]:
            message += " " + self.env._(
                "%(orders)s orders in a currency without any exchange rate were left out: add the rates and recompute.",
                orders=summary["skipped_orders"],
            )
        if summary["failed_batches"]:
            message += " " + self.env._(
                "%(batches)s batches failed and were skipped (see the server log).", batches=summary["failed_batches"]
            )
        kind = "warning" if summary["skipped_orders"] or summary["failed_batches"] else "success"
        return self._logistics_notification(kind, self.env._("Tiers recomputed"), message)

    @api.model
    def _logistics_notification(self, kind, title, message):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"type": kind, "title": title, "message": message},
        }

    @api.model
    def _cron_logistics_recompute_tiers(self, batch_size=CRON_BATCH_SIZE):
        """Daily scheduled action: every company, in batches through Odoo's cron progress API."""
        return self.env["logistics.tier.engine"]._logistics_cron(batch_size=batch_size)

    # ------------------------------------------------------------------ care plan (thin entry points)
    @api.model
    def logistics_schedule_care_activities(self, limit=None):
        """Plan a care contact for every customer whose next planned contact is due.

        Public entry point (cron, server and automated actions, XML-RPC), for each of the
        caller's companies. Skips customers without an internal salesperson and those
        that already have an open care activity. Returns the number of activities created.
        """
        return self.env["logistics.care.plan"]._logistics_schedule(self.env.companies, limit=limit)

    def _logistics_register_contact(self, contact_date=None):
        """Record a care contact on the commercial partners of ``self`` (moves the next planned contact)."""
        self.env["logistics.care.plan"]._logistics_register_contact(self, contact_date)

    # ------------------------------------------------------------------ complaints
    logistics_complaint_ids = fields.One2many(
        "logistics.complaint", "partner_id", string="Complaints", groups="logistics_crm.group_logistics_crm_user"
    )
    logistics_complaint_open_count = fields.Integer(
        string="Open complaints",
        compute="_compute_logistics_complaint_open_count",
        groups="logistics_crm.group_logistics_crm_user",
    )

    def _compute_logistics_complaint_open_count(self):
        commercial = self.commercial_partner_id
        counts = dict(
            self.env["logistics.complaint"]._read_group(
                [("partner_id", "in", commercial.ids), ("is_closed", "=", False)], ["partner_id"], ["__count"]
            )
        )
        for partner in self:
            partner.logistics_complaint_open_count = counts.get(partner.commercial_partner_id, 0)

    def action_logistics_view_complaints(self):
        """The complaints of the customer (its commercial partner)."""
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("logistics_crm.action_logistics_partner_complaints")
        commercial = self.commercial_partner_id
        action["domain"] = [("partner_id", "=", commercial.id)]
        action["context"] = {"default_partner_id": commercial.id, "default_user_id": self.env.uid}
        return action
