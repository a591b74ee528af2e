"""The care planner: next planned contacts and the activities that remind salespeople.

Also the one helper every capability uses to plan activities for the salesperson of a
customer (care contacts, win-back calls; complaints, surveys and bookings later).
"""

from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..domain import tiering
from .logistics_customer_values import CARE_WRITE, INTERNAL_WRITE_KEY
from .logistics_tier_engine import USER_GROUP


class LogisticsCarePlan(models.AbstractModel):
    _name = "logistics.care.plan"
    _description = "Logistics CRM care planner"

    # ------------------------------------------------------------------ activities (shared helper)
    @api.model
    def _logistics_plan_activities(self, partners, activity_type_xmlid, summary, note, deadline=None, skip_open=True):
        """Plan an activity of the given type for the salesperson of each of ``partners``.

        :param summary: callable ``partner -> str``; :param note: callable ``partner -> str``
        :param deadline: date, or callable ``partner -> date``; default today plus the activity type's delay
        :param skip_open: skip partners that already have an open activity of this type
        Partners without an internal salesperson are skipped. Returns the created activities.
        """
        activity_type = self.env.ref(activity_type_xmlid)
        partners = partners.filtered(lambda partner: partner.user_id and not partner.user_id.share)
        if skip_open and partners:
            # sudo: an open activity of another salesperson also counts
            open_ids = {
                res_id
                for [res_id] in self.env["mail.activity"]
                .sudo()
                ._read_group(
                    [
                        ("res_model", "=", "res.partner"),
                        ("res_id", "in", partners.ids),
                        ("activity_type_id", "=", activity_type.id),
                    ],
                    ["res_id"],
                )
            }
            partners = partners.filtered(lambda partner: partner.id not in open_ids)
        if not partners:
            return self.env["mail.activity"]
        if deadline is None:
            deadline = fields.Date.context_today(self) + timedelta(days=activity_type.delay_count or 0)
        model_id = self.env["ir.model"]._get_id("res.partner")
        # sudo: plans activities for every salesperson, not only for the caller's customers
        return (
            self.env["mail.activity"]
            .sudo()
            .with_context(mail_activity_quick_update=True)
            .create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": partner.id,
                        "activity_type_id": activity_type.id,
                        "user_id": partner.user_id.id,
                        "summary": summary(partner),
                        "note": note(partner),
                        "date_deadline": deadline(partner) if callable(deadline) else deadline,
                    }
                    for partner in partners
                ]
            )
        )

    # ------------------------------------------------------------------ care contacts
    @api.model
    def _logistics_schedule(self, companies, limit=None, horizon_days=0):
        """Plan a care contact for every customer of ``companies`` whose next planned contact is due
        (or falls within ``horizon_days``: the activity is then due on that day)."""
        if not (self.env.su or self.env.user.has_group(USER_GROUP)):
            raise AccessError(self.env._("Only Logistics CRM users can plan care contacts."))
        created = 0
        for company in companies:
            created += len(self._logistics_schedule_company(company, limit=limit, horizon_days=horizon_days))
        return created

    @api.model
    def _logistics_schedule_company(self, company, limit=None, horizon_days=0):
        # sudo: plans for every salesperson's customers; the run lock keeps two planners apart
        planner = self.sudo().with_company(company)
        planner.env["logistics.tier.engine"]._logistics_run_lock(company)
        today = fields.Date.context_today(planner)
        due = planner.env["res.partner"].search_fetch(
            [
                ("is_logistics_customer", "=", True),
                ("company_id", "in", [False, company.id]),
                ("logistics_next_contact_date", "<=", today + timedelta(days=horizon_days)),
                ("user_id.share", "=", False),
            ],
            ["name", "user_id", "logistics_tier_id", "logistics_next_contact_date"],
            limit=limit,
            order="id",
        )
        return planner._logistics_plan_activities(
            due,
            "logistics_crm.mail_activity_type_logistics_care",
            lambda partner: self.env._("Care contact with %(customer)s", customer=partner.name),
            lambda partner: self.env._(
                "Planned contact for a tier %(tier)s customer: call or visit, ask about upcoming "
                "shipments and any service issue.",
                tier=partner.logistics_tier_id.code,
            ),
            deadline=lambda partner: max(partner.logistics_next_contact_date, today),
        )

    @api.model
    def _logistics_register_contact(self, partners, contact_date=None):
        """Record a care contact with the commercial partners of ``partners`` (current company)."""
        commercial = partners.commercial_partner_id.filtered("is_logistics_customer")
        if commercial:
            # sudo: the salesperson marking an activity done may lack write access to the company record
            commercial.sudo().write({"logistics_last_contact_date": contact_date or fields.Date.context_today(self)})

    @api.model
    def _logistics_refresh_next_contact(self, partners):
        """Write the next planned contact of ``partners`` for the current company (grouped writes)."""
        groups = {}
        for partner in partners.sudo():  # sudo: derived from fields the caller may not read
            next_date = (
                tiering.next_contact_date(
                    partner.logistics_last_contact_date,
                    partner.logistics_tier_id.care_interval_days,
                    partner.logistics_tier_date,
                )
                or False
            )
            if next_date != partner.logistics_next_contact_date:
                groups.setdefault(next_date, []).append(partner.id)
        Partner = self.env["res.partner"].sudo().with_context(**{INTERNAL_WRITE_KEY: CARE_WRITE})
        for next_date, ids in groups.items():
            Partner.browse(ids).write({"logistics_next_contact_date": next_date})
