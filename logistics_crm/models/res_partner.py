import logging
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, ValidationError
from odoo.tools import SQL
from odoo.tools.mail import generate_tracking_message_id

from ..domain import tiering

_logger = logging.getLogger(__name__)

STAGE_SELECTION = [
    (tiering.STAGE_POTENTIAL, "Potential"),
    (tiering.STAGE_TARGET, "Target"),
    (tiering.STAGE_ACTIVE, "Active"),
    (tiering.STAGE_DORMANT, "Dormant"),
    (tiering.STAGE_LOST, "Lost"),
]
CHURN_LEVEL_SELECTION = [("low", "Low"), ("medium", "Medium"), ("high", "High")]
CHURN_MEDIUM_FROM = 35
CHURN_HIGH_FROM = 70

# Fields held on the commercial partner and copied to its contacts
# (Odoo's commercial-field mechanism, like ``vat``).
LOGISTICS_COMMERCIAL_FIELDS = [
    "logistics_tier_id",
    "logistics_tier_locked",
    "logistics_tier_date",
    "logistics_stage",
    "logistics_revenue_12m",
    "logistics_order_count",
    "logistics_last_order_date",
    "logistics_churn_risk",
    "logistics_churn_level",
    "logistics_commodity_ids",
    "logistics_service_ids",
    "logistics_business_scale",
    "logistics_annual_shipping_volume",
    "logistics_annual_storage_volume",
    "logistics_last_contact_date",
]
# Fields written by the recomputation (columns of the bulk UPDATE).
RECOMPUTED_FIELDS = [
    "logistics_tier_id",
    "logistics_tier_date",
    "logistics_stage",
    "logistics_revenue_12m",
    "logistics_order_count",
    "logistics_last_order_date",
    "logistics_churn_risk",
    "logistics_churn_level",
    "logistics_next_contact_date",
]
CRON_BATCH_SIZE = 10000
USER_GROUP = "logistics_crm.group_logistics_crm_user"
MANAGER_GROUP = "logistics_crm.group_logistics_crm_manager"


def churn_level(risk):
    if risk >= CHURN_HIGH_FROM:
        return "high"
    if risk >= CHURN_MEDIUM_FROM:
        return "medium"
    return "low"


class ResPartner(models.Model):
    _inherit = "res.partner"

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
        string="Customer tier",
        index=True,
        tracking=True,
        ondelete="restrict",
        help="Pareto (ABC) tier by confirmed sales over the trailing window, recomputed daily. "
        "Managers can set it by hand: it is then locked.",
    )
    logistics_tier_code = fields.Char(related="logistics_tier_id.code", string="Tier code")
    logistics_tier_color = fields.Integer(related="logistics_tier_id.color", string="Tier color")
    logistics_tier_locked = fields.Boolean(
        string="Tier locked",
        tracking=True,
        groups=USER_GROUP,
        help="Manual override: the recomputation keeps the tier of a locked customer.",
    )
    logistics_tier_date = fields.Date(
        string="Tier since",
        groups=USER_GROUP,
        help="Date the customer entered its current tier.",
    )

    # ------------------------------------------------------------------ lifecycle
    logistics_stage = fields.Selection(
        STAGE_SELECTION,
        string="Lifecycle stage",
        index=True,
        tracking=True,
        groups=USER_GROUP,
        help="Potential: no deal yet. Target: open opportunity or quotation. Active: confirmed order "
        "within the active window. Dormant: last order older than the active window but within the "
        "dormant window. Lost: ordered before, nothing since the dormant window.",
    )
    logistics_revenue_12m = fields.Monetary(
        string="Revenue (window)",
        currency_field="logistics_currency_id",
        groups=USER_GROUP,
        help="Confirmed sales, untaxed, in company currency, over the trailing tier window "
        "(12 months by default).",
    )
    logistics_currency_id = fields.Many2one(
        "res.currency", compute="_compute_logistics_currency_id", string="Logistics currency"
    )
    logistics_order_count = fields.Integer(
        string="Orders (window)",
        groups=USER_GROUP,
        help="Number of confirmed sales orders in the trailing tier window.",
    )
    logistics_last_order_date = fields.Date(
        string="Last order",
        groups=USER_GROUP,
        help="Date of the last confirmed sales order, any time.",
    )
    logistics_churn_risk = fields.Integer(
        string="Churn risk",
        index=True,
        aggregator="avg",
        groups=USER_GROUP,
        help="0-100: rises with the days since the last order and with a falling order frequency. "
        "Customers who ordered within the active window score 0-49, dormant ones 50-89, lost ones 100.",
    )
    logistics_churn_level = fields.Selection(
        CHURN_LEVEL_SELECTION,
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
        string="Last care contact",
        groups=USER_GROUP,
        help="Date the last activity with this customer (call, meeting, care contact) was marked done.",
    )
    logistics_next_contact_date = fields.Date(
        string="Next planned contact",
        compute="_compute_logistics_next_contact_date",
        store=True,
        index=True,
        groups=USER_GROUP,
        help="Last care contact (or the day the customer entered its tier) plus the tier's care interval.",
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
        company_partners = self.env["res.company"].sudo().with_context(active_test=False).search([]).partner_id
        for partner in self:
            partner.is_logistics_customer = (
                not partner.parent_id and partner.partner_share and partner not in company_partners
            )

    def _compute_logistics_currency_id(self):
        currency = self.env.company.currency_id
        for partner in self:
            partner.logistics_currency_id = currency

    @api.depends("logistics_last_contact_date", "logistics_tier_date", "logistics_tier_id.care_interval_days")
    def _compute_logistics_next_contact_date(self):
        for partner in self:
            partner.logistics_next_contact_date = tiering.next_contact_date(
                partner.logistics_last_contact_date,
                partner.logistics_tier_id.care_interval_days,
                partner.logistics_tier_date,
            ) or False

    @api.model
    def _commercial_fields(self):
        return super()._commercial_fields() + LOGISTICS_COMMERCIAL_FIELDS

    # ------------------------------------------------------------------ manual override
    @api.model_create_multi
    def create(self, vals_list):
        if any(vals.get("logistics_tier_id") or vals.get("logistics_tier_locked") for vals in vals_list):
            self._logistics_check_tier_override()
            for vals in vals_list:
                if vals.get("logistics_tier_id"):
                    vals.setdefault("logistics_tier_locked", True)
                    vals.setdefault("logistics_tier_date", fields.Date.context_today(self))
        return super().create(vals_list)

    def write(self, vals):
        if self._logistics_tier_override_in(vals):
            self._logistics_check_tier_override()
            if "logistics_tier_id" in vals:
                # a tier set by hand is kept by the recomputation
                if vals["logistics_tier_id"] and "logistics_tier_locked" not in vals:
                    vals["logistics_tier_locked"] = True
                if any(partner.logistics_tier_id.id != vals["logistics_tier_id"] for partner in self):
                    vals.setdefault("logistics_tier_date", fields.Date.context_today(self))
        return super().write(vals)

    def _logistics_tier_override_in(self, vals):
        """Whether ``vals`` really changes the tier or its lock (forms also send unchanged values)."""
        if "logistics_tier_id" not in vals and "logistics_tier_locked" not in vals:
            return False
        # sudo: compare with the stored values, whatever fields the caller may read
        for partner in self.sudo():
            if "logistics_tier_id" in vals and partner.logistics_tier_id.id != (vals["logistics_tier_id"] or False):
                return True
            if "logistics_tier_locked" in vals and partner.logistics_tier_locked != bool(vals["logistics_tier_locked"]):
                return True
        return False

    def _logistics_check_tier_override(self):
        if self.env.su or self.env.user.has_group(MANAGER_GROUP):
            return
        raise AccessError(_("Only Logistics CRM managers can set or lock a customer's tier by hand."))

    # ------------------------------------------------------------------ actions
    def action_logistics_lock_tier(self):
        self.commercial_partner_id.write({"logistics_tier_locked": True})

    def action_logistics_unlock_tier(self):
        self.commercial_partner_id.write({"logistics_tier_locked": False})

    def action_logistics_view_orders(self):
        self.ensure_one()
        months, _rules = self._logistics_rules()
        since = tiering.window_start(fields.Date.context_today(self), months)
        action = self.env["ir.actions.actions"]._for_xml_id("sale.action_orders")
        # the orders behind the button's count: confirmed, within the tier window
        action["domain"] = [
            ("partner_id", "child_of", self.commercial_partner_id.id),
            ("state", "=", "sale"),
            ("date_order", ">=", fields.Datetime.to_datetime(since)),
        ]
        action["context"] = {"create": False}
        return action

    # ------------------------------------------------------------------ settings
    @api.model
    def _logistics_rules(self):
        """Tier window (months) and stage thresholds (days) from the settings, validated."""
        get = self.env["ir.config_parameter"].sudo().get_param  # sudo: settings are read by every user's recompute
        try:
            months = int(get("logistics_crm.tier_window_months", 12))
            rules = tiering.StageRules(
                active_days=int(get("logistics_crm.active_days", 180)),
                dormant_days=int(get("logistics_crm.dormant_days", 365)),
            )
        except ValueError as error:
            raise ValidationError(_("The Logistics CRM settings hold a value that is not a whole number.")) from error
        if months <= 0:
            raise ValidationError(_("The tier window must be at least one month."))
        error = rules.error()
        if error == "stage_positive":
            raise ValidationError(_("The active and dormant windows must be positive numbers of days."))
        if error == "stage_order":
            raise ValidationError(_("The dormant window must be longer than the active window."))
        return months, rules

    # ------------------------------------------------------------------ recomputation
    @api.model
    def logistics_recompute_tiers(self, batch_size=5000):
        """Recompute tier, lifecycle stage, churn risk and sales figures of every customer.

        Public entry point for the daily cron, server actions, automated actions and
        XML-RPC. Ranks customers by confirmed revenue in the trailing window (one
        aggregate query), applies the Pareto rule, then writes only the customers
        whose values changed, ``batch_size`` at a time; each batch (update, chatter
        tracking, win-back activities) is one unit. Safe to re-run: a second run
        writes nothing. Returns a summary dict.
        """
        if not (self.env.su or self.env.user.has_group(USER_GROUP)):
            raise AccessError(_("Only Logistics CRM users can recompute customer tiers."))
        # sudo: ranks every customer (the Pareto rule needs all revenue), whatever the caller may read
        return self.sudo()._logistics_recompute(batch_size=batch_size)

    @api.model
    def action_logistics_recompute_tiers(self):
        """Recompute now (menu, tier list button) and tell the user what changed."""
        summary = self.logistics_recompute_tiers()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "title": _("Tiers recomputed"),
                "message": _(
                    "%(customers)s customers checked, %(changed)s updated, %(tier_changes)s tier changes.",
                    **summary,
                ),
            },
        }

    @api.model
    def _cron_logistics_recompute_tiers(self, batch_size=CRON_BATCH_SIZE):
        """Daily scheduled action, in batches through Odoo's cron progress API.

        Each call recomputes the ranking (one aggregate query) and writes at most one
        batch of changed customers, then reports the rest with ``_notify_progress``: the
        cron runner commits and calls again until nothing is left, so a crash loses at
        most one batch and any cron worker can take the next one. Once every customer
        is up to date, the care plan is scheduled.
        """
        summary = self._logistics_recompute(batch_size=batch_size, max_batches=1)
        remaining = summary["changed"] - summary["written"]
        self.env["ir.cron"]._notify_progress(done=summary["written"], remaining=remaining)
        if not remaining:
            summary["care_activities"] = self.logistics_schedule_care_activities()
        return summary

    @api.model
    def _logistics_recompute(self, batch_size=5000, max_batches=None, today=None):
        months, rules = self._logistics_rules()
        today = today or fields.Date.context_today(self)
        tiers = self.env["logistics.customer.tier"].search([])
        tier_pairs = [(tier.id, tier.revenue_share_cutoff) for tier in tiers]
        if tiering.validate_cutoffs([cutoff for _id, cutoff in tier_pairs]):
            raise ValidationError(_("The tier cut-offs are not valid: fix them before recomputing."))

        self.env.flush_all()
        current = self._logistics_fetch_current()
        sales = self._logistics_fetch_sales(today, months, rules)
        open_deals = self._logistics_fetch_open_deals()

        revenues = {pid: sales[pid][0] for pid in current if pid in sales}
        pareto = tiering.assign_tiers(revenues, tier_pairs)
        care_days = {tier.id: tier.care_interval_days for tier in tiers}

        changes = []
        for pid, old in current.items():
            revenue, orders, last_order, recent, prior = sales.get(pid, (0.0, 0, None, 0, 0))
            tier_id = old["tier_id"] if old["locked"] else pareto.get(pid)
            tier_date = old["tier_date"] if tier_id == old["tier_id"] and old["tier_date"] else (today if tier_id else None)
            stage = tiering.lifecycle_stage(last_order, pid in open_deals, today, rules)
            risk = tiering.churn_risk(last_order, recent, prior, today, rules)
            new = {
                "tier_id": tier_id,
                "tier_date": tier_date,
                "stage": stage,
                "revenue": round(revenue or 0.0, 2),
                "orders": orders or 0,
                "last_order": last_order,
                "risk": risk,
                "level": churn_level(risk),
                "next_contact": tiering.next_contact_date(old["last_contact"], care_days.get(tier_id), tier_date),
            }
            if any(new[key] != old[key] for key in new):
                changes.append((pid, old, new))

        summary = {"customers": len(current), "changed": len(changes), "written": 0, "tier_changes": 0, "win_back": 0}
        batches = range(0, len(changes), batch_size)
        for start in batches[:max_batches] if max_batches else batches:
            batch = changes[start:start + batch_size]
            self._logistics_write_batch(batch)
            summary["tier_changes"] += self._logistics_track_batch(batch)
            summary["win_back"] += self._logistics_win_back_batch(batch, tiers)
            summary["written"] += len(batch)
            # keep memory flat: drop the batch's messages, trackings and activities from the cache
            self.env.invalidate_all()
        self.invalidate_model(RECOMPUTED_FIELDS)
        _logger.info("logistics_recompute_tiers: %s", summary)
        return summary

    @api.model
    def _logistics_fetch_current(self):
        """Current stored values of every customer, keyed by partner id (one query)."""
        self.env.cr.execute(SQL(
            """SELECT id, logistics_tier_id, logistics_tier_locked, logistics_tier_date, logistics_stage,
                      logistics_revenue_12m, logistics_order_count, logistics_last_order_date,
                      logistics_churn_risk, logistics_churn_level, logistics_next_contact_date,
                      logistics_last_contact_date
                 FROM res_partner
                WHERE is_logistics_customer AND active"""
        ))
        return {
            row[0]: {
                "tier_id": row[1], "locked": bool(row[2]), "tier_date": row[3], "stage": row[4],
                "revenue": round(row[5] or 0.0, 2), "orders": row[6] or 0, "last_order": row[7],
                "risk": row[8] or 0, "level": row[9], "next_contact": row[10], "last_contact": row[11],
            }
            for row in self.env.cr.fetchall()
        }

    @api.model
    def _logistics_company_factors(self):
        """Rate converting each company's currency into the current company's currency."""
        target = self.env.company.currency_id
        today = fields.Date.context_today(self)
        return [
            (company.id, company.currency_id._get_conversion_rate(company.currency_id, target, self.env.company, today))
            for company in self.env["res.company"].search([])
        ]

    @api.model
    def _logistics_fetch_sales(self, today, months, rules):
        """Confirmed sales per commercial partner, one aggregate query over the orders.

        SQL rather than ``_read_group``: several filtered aggregates (window revenue,
        window count, recency, two frequency periods) in one scan of ``sale_order``.
        Amounts are untaxed, in order currency divided by the order's currency rate
        (= company currency), then converted to the current company's currency.
        """
        window_start = tiering.window_start(today, months)
        recent_start = today - timedelta(days=rules.active_days)
        prior_start = recent_start - timedelta(days=rules.active_days)
        factors = SQL(", ").join(SQL("(%s, %s)", cid, factor) for cid, factor in self._logistics_company_factors())
        self.env.cr.execute(SQL(
            """SELECT p.commercial_partner_id,
                      SUM(so.amount_untaxed / COALESCE(NULLIF(so.currency_rate, 0), 1) * f.factor)
                          FILTER (WHERE so.date_order >= %(window)s),
                      COUNT(*) FILTER (WHERE so.date_order >= %(window)s),
                      MAX(so.date_order)::date,
                      COUNT(*) FILTER (WHERE so.date_order >= %(recent)s),
                      COUNT(*) FILTER (WHERE so.date_order >= %(prior)s AND so.date_order < %(recent)s)
                 FROM sale_order so
                 JOIN res_partner p ON p.id = so.partner_id
                 JOIN (VALUES %(factors)s) AS f(company_id, factor) ON f.company_id = so.company_id
                WHERE so.state = 'sale'
             GROUP BY p.commercial_partner_id""",
            window=window_start, recent=recent_start, prior=prior_start, factors=factors,
        ))
        return {row[0]: (row[1] or 0.0, row[2], row[3], row[4], row[5]) for row in self.env.cr.fetchall()}

    @api.model
    def _logistics_fetch_open_deals(self):
        """Commercial partners with an open opportunity or an open quotation."""
        self.env.cr.execute(SQL(
            """SELECT p.commercial_partner_id
                 FROM crm_lead l
                 JOIN res_partner p ON p.id = l.partner_id
            LEFT JOIN crm_stage s ON s.id = l.stage_id
                WHERE l.active AND l.type = 'opportunity' AND COALESCE(l.probability, 0) < 100
                  AND NOT COALESCE(s.is_won, FALSE)
                UNION
               SELECT p.commercial_partner_id
                 FROM sale_order so
                 JOIN res_partner p ON p.id = so.partner_id
                WHERE so.state IN ('draft', 'sent')"""
        ))
        return {row[0] for row in self.env.cr.fetchall()}

    @api.model
    def _logistics_write_batch(self, batch):
        """One UPDATE for the batch: the commercial partners and their contacts."""
        columns = list(zip(*[
            (pid, new["tier_id"], new["tier_date"], new["stage"], new["revenue"], new["orders"],
             new["last_order"], new["risk"], new["level"], new["next_contact"])
            for pid, _old, new in batch
        ]))
        self.env.cr.execute(SQL(
            """UPDATE res_partner p
                  SET logistics_tier_id = v.tier_id, logistics_tier_date = v.tier_date,
                      logistics_stage = v.stage, logistics_revenue_12m = v.revenue,
                      logistics_order_count = v.orders, logistics_last_order_date = v.last_order,
                      logistics_churn_risk = v.risk, logistics_churn_level = v.level,
                      logistics_next_contact_date = v.next_contact,
                      write_date = NOW() AT TIME ZONE 'UTC', write_uid = %(uid)s
                 FROM unnest(%(ids)s::int[], %(tiers)s::int[], %(tier_dates)s::date[], %(stages)s::varchar[],
                             %(revenues)s::numeric[], %(orders)s::int[], %(last_orders)s::date[],
                             %(risks)s::int[], %(levels)s::varchar[], %(next_contacts)s::date[])
                      AS v(id, tier_id, tier_date, stage, revenue, orders, last_order, risk, level, next_contact)
                WHERE p.commercial_partner_id = v.id""",
            uid=self.env.uid, ids=list(columns[0]), tiers=list(columns[1]), tier_dates=list(columns[2]),
            stages=list(columns[3]), revenues=list(columns[4]), orders=list(columns[5]),
            last_orders=list(columns[6]), risks=list(columns[7]), levels=list(columns[8]),
            next_contacts=list(columns[9]),
        ))

    @api.model
    def _logistics_track_batch(self, batch):
        """Chatter messages with tracking values for the tier and stage changes of a batch.

        The bulk UPDATE bypasses the ORM's tracking, so the messages are built here,
        created in one batched ``create``, only for customers whose tier or stage changed.
        """
        tracked = [(pid, old, new) for pid, old, new in batch
                   if old["tier_id"] != new["tier_id"] or old["stage"] != new["stage"]]
        if not tracked:
            return 0
        Tracking = self.env["mail.tracking.value"]
        tier_field = self.env["ir.model.fields"]._get("res.partner", "logistics_tier_id")
        stage_labels = dict(self._fields["logistics_stage"]._description_selection(self.env))
        stage_info = {"type": "selection", "string": self._fields["logistics_stage"].string}
        tier_names = dict(
            (tier.id, tier.display_name)
            for tier in self.env["logistics.customer.tier"].with_context(active_test=False).search([])
        )
        subtype_id = self.env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
        # Precompute what mail.message.create() otherwise looks up once per message (reply_to,
        # record_name, email_from, message_id), as mail.thread._message_log_batch does, and create
        # the tracking values in one batch: 3 queries per message become a handful per batch
        # (100,000 first assignments: 396 s -> 81 s, see README "Performance").
        Thread = self.env["mail.thread"]
        author_id, email_from = Thread._message_compute_author(self.env.ref("base.partner_root").id,
                                                               raise_on_email=False)
        common = {
            "model": "res.partner",
            "message_type": "notification",
            "subtype_id": subtype_id,
            "author_id": author_id,
            "email_from": email_from,
            "reply_to": Thread._notify_get_reply_to(default=email_from)[False],
            "record_name": False,
            "record_alias_domain_id": False,
            "record_company_id": False,
            "is_internal": True,
            "email_add_signature": False,
            "body": "",
        }
        messages = []
        trackings = []
        tier_changes = 0
        for pid, old, new in tracked:
            values = []
            if old["tier_id"] != new["tier_id"]:
                tier_changes += 1
                values.append({
                    "field_id": tier_field.id,
                    "old_value_integer": old["tier_id"] or 0,
                    "new_value_integer": new["tier_id"] or 0,
                    "old_value_char": tier_names.get(old["tier_id"], ""),
                    "new_value_char": tier_names.get(new["tier_id"], ""),
                })
            if old["stage"] != new["stage"]:
                values.append(Tracking._create_tracking_values(
                    stage_labels.get(old["stage"], ""), stage_labels.get(new["stage"], ""),
                    "logistics_stage", {**stage_info, "type": "char"}, self.browse(pid),
                ))
            messages.append({**common, "res_id": pid, "message_id": generate_tracking_message_id("message-notify")})
            trackings.append(values)
        records = self.env["mail.message"].create(messages)
        Tracking.sudo().create([
            dict(vals, mail_message_id=message_id)
            for message_id, values in zip(records.ids, trackings)
            for vals in values
        ])
        return tier_changes

    @api.model
    def _logistics_win_back_batch(self, batch, tiers):
        """Win-back activity for the salesperson of valuable customers that just turned dormant."""
        win_back_tiers = set(tiers.filtered("win_back_when_dormant").ids)
        # only a customer seen active or target before "turns" dormant: the first computation
        # (no stage yet) must not flood salespeople with tasks for long-dormant customers
        turned = [pid for pid, old, new in batch
                  if new["stage"] == tiering.STAGE_DORMANT
                  and old["stage"] in (tiering.STAGE_ACTIVE, tiering.STAGE_TARGET)
                  and new["tier_id"] in win_back_tiers]
        if not turned:
            return 0
        activity_type = self.env.ref("logistics_crm.mail_activity_type_logistics_win_back")
        partners = self.browse(turned)
        vals_list = []
        for partner in partners:
            user = partner.user_id
            if not user or user.share:
                continue
            vals_list.append({
                "res_model_id": self.env["ir.model"]._get_id("res.partner"),
                "res_id": partner.id,
                "activity_type_id": activity_type.id,
                "user_id": user.id,
                "summary": _("Win back %(customer)s", customer=partner.name),
                "note": _(
                    "%(customer)s (tier %(tier)s) has not ordered for more than %(days)s days.",
                    customer=partner.name, tier=partner.logistics_tier_id.code,
                    days=self._logistics_rules()[1].active_days,
                ),
                "date_deadline": fields.Date.context_today(self) + timedelta(days=activity_type.delay_count or 0),
            })
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(vals_list)
        return len(vals_list)

    # ------------------------------------------------------------------ care plan
    @api.model
    def logistics_schedule_care_activities(self, limit=None):
        """Plan a care contact for every tiered customer whose next planned contact is due.

        Public entry point (cron, server and automated actions, XML-RPC). Skips customers
        without an internal salesperson and those that already have an open care activity.
        Returns the number of activities created.
        """
        if not (self.env.su or self.env.user.has_group(USER_GROUP)):
            raise AccessError(_("Only Logistics CRM users can plan care contacts."))
        Partner = self.sudo()  # sudo: plans activities for every salesperson, not only the caller's customers
        today = fields.Date.context_today(self)
        due = Partner.search_fetch(
            [
                ("is_logistics_customer", "=", True),
                ("logistics_next_contact_date", "<=", today),
                ("user_id.share", "=", False),
            ],
            ["name", "user_id", "logistics_tier_id"],
            limit=limit,
            order="logistics_next_contact_date, id",
        )
        if not due:
            return 0
        activity_type = self.env.ref("logistics_crm.mail_activity_type_logistics_care")
        open_ids = {
            res_id for [res_id] in self.env["mail.activity"].sudo()._read_group(
                [("res_model", "=", "res.partner"), ("res_id", "in", due.ids),
                 ("activity_type_id", "=", activity_type.id)],
                ["res_id"],
            )
        }
        model_id = self.env["ir.model"]._get_id("res.partner")
        vals_list = [
            {
                "res_model_id": model_id,
                "res_id": partner.id,
                "activity_type_id": activity_type.id,
                "user_id": partner.user_id.id,
                "summary": self.env._("Care contact with %(customer)s", customer=partner.name),
                "note": self.env._(
                    "Planned contact for a tier %(tier)s customer: call or visit, ask about upcoming "
                    "shipments and any service issue.",
                    tier=partner.logistics_tier_id.code,
                ),
                "date_deadline": today,
            }
            for partner in due
            if partner.id not in open_ids
        ]
        self.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True).create(vals_list)
        return len(vals_list)

    def _logistics_register_contact(self, contact_date=None):
        """Record a care contact on the commercial partners of ``self`` (moves the next planned contact)."""
        commercial = self.commercial_partner_id.filtered("is_logistics_customer")
        if commercial:
            # sudo: the salesperson marking an activity done may lack write access to the company record
            commercial.sudo().write({"logistics_last_contact_date": contact_date or fields.Date.context_today(self)})
