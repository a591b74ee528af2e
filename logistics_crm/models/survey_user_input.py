"""Satisfaction answers: survey answers linked to a customer, an order, a complaint and a salesperson.

An answer of any survey whose scale questions are mapped to a satisfaction dimension
(``survey.question.logistics_dimension``) gets, once done, its six dimension scores (0-100), its
satisfaction index and its NPS category; the rules are plain Python in ``domain/satisfaction.py``.
Invitations (after an order, after a complaint, periodically by tier) are made here too.
"""

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL, plaintext2html

from ..domain import satisfaction

_logger = logging.getLogger(__name__)

SOURCES = [
    ("order", "After an order"),
    ("complaint", "After a complaint"),
    ("booking", "After a booking"),
    ("periodic", "Periodic (tier)"),
    ("manual", "Sent by hand"),
]
NPS_SELECTION = [
    (satisfaction.PROMOTER, "Promoter"),
    (satisfaction.PASSIVE, "Passive"),
    (satisfaction.DETRACTOR, "Detractor"),
]
SCORE_FIELDS = {dimension: f"logistics_score_{dimension}" for dimension in satisfaction.DIMENSIONS}
INVITATION_LOCK_NAMESPACE = 51_813  # first key of the invitation run's advisory lock (second: company id)
# orders fulfilled longer ago than the delay plus this many days are history: never surveyed by the cron
ORDER_LOOKBACK_DAYS = 30
# a detractor's answer completed longer ago than this gets no call-back (a recomputation of old answers)
CALL_BACK_DAYS = 14
MANAGER_GROUP = "logistics_crm.group_logistics_crm_manager"
# what the addon computes on an answer: nobody sets it by hand
COMPUTED_FIELDS = frozenset(
    {
        "logistics_partner_id",
        "logistics_scores",
        "logistics_scored",
        *SCORE_FIELDS.values(),
        "logistics_satisfaction_score",
        "logistics_recommend_value",
        "logistics_nps_category",
    }
)
# what the KPIs are made of, on an answer asked by one of our companies: only the addon (or a Logistics
# CRM manager) changes it, so that nobody moves, hides or rewrites the answers a bonus is paid on
PROTECTED_FIELDS = COMPUTED_FIELDS | {
    "logistics_company_id",
    "logistics_sale_order_id",
    "logistics_complaint_id",
    "logistics_booking_id",
    "logistics_salesperson_id",
    "logistics_tier_id",
    "logistics_source",
    "survey_id",
    "partner_id",
    "state",
    "test_entry",
    "end_datetime",
    "user_input_line_ids",
}


def _score_field(dimension, label):
    return fields.Float(
        string=label,
        digits=(5, 1),
        # a skipped dimension is stored as 0: never averaged here (the KPI report leaves it out)
        aggregator=None,
        readonly=True,
        copy=False,
        compute="_compute_logistics_scores",
        store=True,
        help=f"{label}: 0 (scale minimum) to 100 (scale maximum), mean of the questions of this dimension. "
        "0 until the answer is completed or when the customer skipped it: the satisfaction KPI report "
        "averages the answered ones only.",
    )


class SurveyUserInput(models.Model):
    _inherit = "survey.user_input"

    logistics_partner_id = fields.Many2one(
        "res.partner",
        string="Customer",
        compute="_compute_logistics_partner_id",
        store=True,
        index="btree_not_null",
        help="The commercial partner (company) of the contact who answered: its scores add up there.",
    )
    logistics_company_id = fields.Many2one(
        "res.company",
        string="Company",
        index="btree_not_null",
        readonly=True,
        help="Our company that asked: only its staff see the answer and its scores.",
    )
    logistics_sale_order_id = fields.Many2one(
        "sale.order",
        string="Sales order",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
        help="The order the customer was asked about.",
    )
    logistics_complaint_id = fields.Many2one(
        "logistics.complaint",
        string="Complaint",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
        help="The closed complaint the customer was asked about.",
    )
    logistics_booking_id = fields.Many2one(
        "logistics.booking",
        string="Booking",
        index="btree_not_null",
        readonly=True,
        ondelete="set null",
        help="The pickup or delivery the customer was asked about.",
    )
    logistics_salesperson_id = fields.Many2one(
        "res.users",
        string="Salesperson",
        index="btree_not_null",
        readonly=True,
        help="The staff member this answer is credited to in the KPI report: the complaint's owner, "
        "the order's salesperson or the customer's salesperson.",
    )
    logistics_tier_id = fields.Many2one(
        "logistics.customer.tier",
        string="Tier",
        readonly=True,
        index="btree_not_null",
        help="The customer's tier when it was invited.",
    )
    logistics_source = fields.Selection(
        SOURCES,
        string="Invitation",
        readonly=True,
        index="btree_not_null",
        help="Why the customer was invited.",
    )
    logistics_scores = fields.Json(
        string="Dimension scores",
        compute="_compute_logistics_scores",
        store=True,
        copy=False,
        readonly=True,
        help="The answered dimensions and their 0-100 scores (skipped ones are absent).",
    )
    logistics_scored = fields.Boolean(
        string="Scored",
        compute="_compute_logistics_scores",
        store=True,
        copy=False,
        index=True,
        help="Completed, with at least one satisfaction dimension answered.",
    )
    logistics_score_expectation = _score_field(satisfaction.EXPECTATION, "Expected quality")
    logistics_score_quality = _score_field(satisfaction.QUALITY, "Experienced quality")
    logistics_score_value = _score_field(satisfaction.VALUE, "Perceived value")
    logistics_score_satisfaction = _score_field(satisfaction.SATISFACTION, "Overall satisfaction")
    logistics_score_complaint = _score_field(satisfaction.COMPLAINT, "Complaint handling")
    logistics_score_loyalty = _score_field(satisfaction.LOYALTY, "Loyalty")
    logistics_satisfaction_score = fields.Float(
        string="Satisfaction index",
        digits=(5, 1),
        aggregator="avg",
        readonly=True,
        copy=False,
        compute="_compute_logistics_scores",
        store=True,
        help="0-100: the mean of the answered dimensions, each weighing the same.",
    )
    logistics_recommend_value = fields.Integer(
        string="Would recommend (0-10)",
        readonly=True,
        copy=False,
        compute="_compute_logistics_scores",
        store=True,
        aggregator="avg",
        help="The answer to the loyalty question on a 0-10 scale.",
    )
    logistics_nps_category = fields.Selection(
        NPS_SELECTION,
        string="NPS category",
        readonly=True,
        copy=False,
        index="btree_not_null",
        compute="_compute_logistics_scores",
        store=True,
        help="Promoter (9-10), passive (7-8) or detractor (0-6) by the loyalty question.",
    )

    # on partner_id only: the answers of a contact who moves to another employer stay with the customer
    # they were given for
    @api.depends("partner_id")
    def _compute_logistics_partner_id(self):
        for answer in self:
            answer.logistics_partner_id = answer.partner_id.commercial_partner_id

    @api.depends(
        "state",
        "user_input_line_ids.value_scale",
        "user_input_line_ids.skipped",
        "user_input_line_ids.answer_type",
        "user_input_line_ids.question_id.logistics_dimension",
        "user_input_line_ids.question_id.scale_min",
        "user_input_line_ids.question_id.scale_max",
    )
    def _compute_logistics_scores(self):
        for answer in self:
            scores = {}
            if answer.state == "done":
                scores = satisfaction.dimension_scores(
                    (
                        line.question_id.logistics_dimension,
                        line.value_scale,
                        line.question_id.scale_min,
                        line.question_id.scale_max,
                    )
                    for line in answer.user_input_line_ids
                    if line.question_id.logistics_dimension and line.answer_type == "scale" and not line.skipped
                )
            recommend = satisfaction.recommend_value(scores.get(satisfaction.LOYALTY))
            index = satisfaction.satisfaction_index(scores)
            answer.logistics_scores = scores or False
            answer.logistics_scored = bool(scores)
            for dimension, fname in SCORE_FIELDS.items():
                answer[fname] = scores.get(dimension, 0.0)
            answer.logistics_satisfaction_score = index or 0.0
            answer.logistics_recommend_value = recommend or 0
            answer.logistics_nps_category = satisfaction.nps_category(recommend) or False

    # ------------------------------------------------------------------ creation and completion
    @api.model
    def _logistics_trusted(self):
        """The addon itself (superuser or sudo) or a Logistics CRM manager."""
        return self.env.su or self.env.user.has_group(MANAGER_GROUP)

    def _logistics_refuse(self):
        raise AccessError(
            self.env._(
                "Satisfaction answers are what the KPIs and the service bonus are made of: only Logistics "
                "CRM managers may change or delete them; the scores are computed from the answers."
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        if not self._logistics_trusted() and any(COMPUTED_FIELDS & vals.keys() for vals in vals_list):
            self._logistics_refuse()
        for vals in vals_list:
            self._logistics_complete_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        if (
            PROTECTED_FIELDS & vals.keys()
            and not self._logistics_trusted()
            # sudo: the company of the answers, whatever the caller may read of them
            and self.sudo().filtered("logistics_company_id")
        ):
            self._logistics_refuse()
        return super().write(vals)

    def unlink(self):
        # sudo: the company of the answers, whatever the caller may read of them
        if not self._logistics_trusted() and self.sudo().filtered("logistics_company_id"):
            self._logistics_refuse()
        return super().unlink()

    @api.model
    def _logistics_complete_vals(self, vals):
        """Company, salesperson and tier of an answer made for an order or a complaint."""
        order = self.env["sale.order"].browse(vals.get("logistics_sale_order_id")).sudo()
        complaint = self.env["logistics.complaint"].browse(vals.get("logistics_complaint_id")).sudo()
        source = complaint or order
        if not source:
            return vals
        # sudo: the order or complaint was checked by the caller; its company and people are needed
        vals.setdefault("logistics_company_id", source.company_id.id)
        vals.setdefault("logistics_salesperson_id", source.user_id.id or False)
        vals.setdefault("logistics_source", "complaint" if complaint else "order")
        if "logistics_tier_id" not in vals:
            partner = source.partner_id.commercial_partner_id.with_company(source.company_id)
            vals["logistics_tier_id"] = partner.logistics_tier_id.id or False
        return vals

    def _mark_done(self):
        result = super()._mark_done()
        self._logistics_refresh_customers()
        return result

    def _logistics_refresh_customers(self):
        """The customers' scores, NPS and answer counts, in each company of these answers."""
        # sudo: the answer may come from a public user through the survey link
        answers = self.sudo().filtered(lambda a: a.logistics_company_id and a.logistics_partner_id)
        for company in answers.logistics_company_id:
            partners = answers.filtered(lambda a, c=company: a.logistics_company_id == c).logistics_partner_id
            self.env["res.partner"].sudo()._logistics_refresh_satisfaction(company, partners)

    # ------------------------------------------------------------------ follow-up of detractors
    def logistics_plan_detractor_call(self):
        """Plan a *Detractor call-back* for the salesperson of each recently completed detractor answer,
        on the answer (which only its company's staff see), with the score and the customer's comments.

        Public entry point (the shipped automation rule, server actions, XML-RPC); the caller must be
        able to read the answers. A customer with an open call-back in the same company gets no second
        one, and answers completed more than two weeks ago none (a recomputation of old answers).
        Returns the activities created.
        """
        if not self.env.su:
            self.check_access("read")
        since = fields.Datetime.now() - timedelta(days=CALL_BACK_DAYS)
        answers = self.sudo().filtered(
            lambda a: (
                a.state == "done"
                and a.logistics_nps_category == satisfaction.DETRACTOR
                and a.logistics_partner_id
                and a.logistics_company_id
                and a.end_datetime
                and a.end_datetime >= since
                and a.logistics_salesperson_id
                and not a.logistics_salesperson_id.share
            )
        )
        activities = self.env["mail.activity"]
        if not answers:
            return activities
        activity_type = self.env.ref("logistics_crm.mail_activity_type_logistics_detractor")
        # sudo: an open call-back of another salesperson also counts
        open_ids = activities.sudo()._read_group(
            [("res_model", "=", self._name), ("activity_type_id", "=", activity_type.id)], ["res_id"]
        )
        busy = {
            (answer.logistics_partner_id.id, answer.logistics_company_id.id)
            for answer in self.sudo().browse([res_id for [res_id] in open_ids]).exists()
        }
        vals_list = []
        for answer in answers:
            key = (answer.logistics_partner_id.id, answer.logistics_company_id.id)
            if key in busy:
                continue
            busy.add(key)
            salesperson = answer.logistics_salesperson_id
            # the salesperson's language and day, not those of the customer who just answered
            answer = answer.with_context(lang=salesperson.lang, tz=salesperson.tz)
            customer = answer.logistics_partner_id
            comments = answer.user_input_line_ids.filtered(
                lambda line: line.answer_type in ("text_box", "char_box") and not line.skipped
            )
            note = answer.env._(
                "%(contact)s would recommend us %(value)s/10; satisfaction index %(score)s/100.",
                contact=answer.partner_id.name or customer.name,
                value=answer.logistics_recommend_value,
                score=answer.logistics_satisfaction_score,
            )
            texts = [line.value_text_box or line.value_char_box or "" for line in comments]
            vals_list.append(
                {
                    "res_model_id": self.env["ir.model"]._get_id(self._name),
                    "res_id": answer.id,
                    "activity_type_id": activity_type.id,
                    "user_id": salesperson.id,
                    "summary": answer.env._(
                        "Detractor: call back %(contact)s (%(customer)s)",
                        contact=answer.partner_id.name or "",
                        customer=customer.name,
                    ),
                    "note": plaintext2html("\n\n".join([note, *filter(None, texts)])),
                    "date_deadline": fields.Date.context_today(answer) + timedelta(days=activity_type.delay_count or 0),
                }
            )
        # sudo: the salesperson's activity, whoever completed the answer (the customer by the token link)
        created = activities.sudo().with_context(mail_activity_quick_update=True).create(vals_list)
        return activities.browse(created.ids)

    # ------------------------------------------------------------------ invitations
    @api.model
    def _logistics_survey(self, company):
        """The satisfaction survey ``company`` sends (the shipped one unless set otherwise)."""
        # sudo: staff without survey rights invite their customers; the token answer is the customer's
        survey = company.sudo().logistics_survey_id or self.sudo().env.ref(
            "logistics_crm.survey_customer_satisfaction", raise_if_not_found=False
        )
        return survey if survey and survey.active else self.env["survey.survey"]

    @api.model
    def _logistics_invite(self, contact, company, source, salesperson=None, **links):
        """Invite ``contact`` to ``company``'s satisfaction survey by email; return the new answer.

        ``links``: ``logistics_sale_order_id``, ``logistics_complaint_id``. The answer carries a
        personal token: the emailed link opens the survey without a login. Raises ``UserError``
        when there is no active survey or the contact has no email address.
        """
        survey = self._logistics_survey(company)
        if not survey:
            raise UserError(self.env._("No active satisfaction survey is set for %(company)s.", company=company.name))
        if not contact.email:
            raise UserError(
                self.env._("%(contact)s has no email address to send the survey to.", contact=contact.display_name)
            )
        commercial = contact.commercial_partner_id.with_company(company)
        vals = {
            "logistics_company_id": company.id,
            "logistics_source": source,
            "logistics_tier_id": commercial.sudo().logistics_tier_id.id or False,
            **links,
        }
        if salesperson is not None:
            vals["logistics_salesperson_id"] = salesperson.id or False
        elif not links:
            vals["logistics_salesperson_id"] = commercial.user_id.id or False
        deadline_days = company.sudo().logistics_survey_deadline_days
        if deadline_days > 0:
            vals["deadline"] = fields.Datetime.now() + timedelta(days=deadline_days)
        answer = survey._create_answer(partner=contact, check_attempts=False, **vals)
        template = self.env.ref("logistics_crm.mail_template_logistics_survey_invite", raise_if_not_found=False)
        if template:
            template.sudo().send_mail(answer.id, email_layout_xmlid="mail.mail_notification_light")
        return answer

    @api.model
    def logistics_send_due_surveys(self, batch_size=500):
        """Scheduled invitations of every company: after fulfilled orders, then periodically by tier.

        Public entry point (cron, automated and server actions, XML-RPC). A customer is invited at
        most once per its tier's survey frequency (a tier with frequency 0 never automatically),
        at most ``batch_size`` customers per company and run. A second run at the same time for a
        company skips it. Returns the answers created.
        """
        if not self._logistics_trusted():
            raise AccessError(self.env._("Only Logistics CRM managers run the satisfaction survey invitations."))
        created = self.browse()
        # sudo: the job invites the customers of every company, whoever runs it
        # every company: a handful of records
        for company in self.env["res.company"].sudo().search([]):  # pylint: disable=no-search-all
            self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", INVITATION_LOCK_NAMESPACE, company.id))
            if not self.env.cr.fetchone()[0]:
                _logger.info("Satisfaction invitations of %s already running: skipped", company.name)
                continue
            # a run that committed for this company after this transaction began holds no lock any more,
            # but its invitations are invisible here: writing the company's row then fails (concurrent
            # update) instead of inviting everybody twice
            self.env.cr.execute(
                SQL(
                    "UPDATE res_company SET logistics_survey_run_at = now() AT TIME ZONE 'UTC' WHERE id = %s",
                    company.id,
                )
            )
            if not self._logistics_survey(company):
                continue
            created |= self.sudo()._logistics_invite_after_orders(company, batch_size)
            created |= self.sudo()._logistics_invite_periodic(company, batch_size)
        return self.browse(created.ids)

    @api.model
    def _logistics_invite_safely(self, contact, company, source, **links):
        """``_logistics_invite`` for the job: one invitation that fails (a template that no longer
        renders, say) is logged and undone, the others go on."""
        try:
            with self.env.cr.savepoint():
                return self._logistics_invite(contact, company, source, **links)
        except Exception:
            _logger.exception("Satisfaction invitation of %s (%s) failed", contact.display_name, company.name)
            return self.browse()

    @api.model
    def _logistics_last_invitations(self, company, partner_ids):
        """``{customer_id: date}`` of the last invitation of each customer by ``company``."""
        rows = self.sudo()._read_group(
            [
                ("logistics_company_id", "=", company.id),
                ("logistics_partner_id", "in", list(partner_ids)),
                ("test_entry", "=", False),
            ],
            ["logistics_partner_id"],
            ["create_date:max"],
        )
        return {partner.id: last.date() for partner, last in rows}

    @api.model
    def _logistics_frequency(self, company, partners):
        """``{customer_id: days}``: the survey frequency of each customer's tier (the last tier's without)."""
        fallback = self.env["logistics.customer.tier"].sudo()._logistics_active_tiers()[-1:]
        return {
            partner.id: (partner.with_company(company).logistics_tier_id or fallback).survey_frequency_days
            for partner in partners
        }

    @api.model
    def _logistics_due(self, company, partners):
        """The customers among ``partners`` that their tier's frequency lets ``company`` invite today."""
        today = fields.Date.context_today(self)
        last = self._logistics_last_invitations(company, partners.ids)
        frequency = self._logistics_frequency(company, partners)
        return partners.filtered(lambda p: satisfaction.survey_due(last.get(p.id), frequency[p.id], today))

    @api.model
    def _logistics_invite_after_orders(self, company, batch_size):
        delay = max(0, company.logistics_survey_order_delay_days)
        now = fields.Datetime.now()
        orders = self.env["sale.order"].search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "sale"),
                ("logistics_fulfilled_date", "<=", now - timedelta(days=delay)),
                ("logistics_fulfilled_date", ">=", now - timedelta(days=delay + ORDER_LOOKBACK_DAYS)),
                ("logistics_survey_input_ids", "=", False),
            ],
            # the latest fulfilled order of a customer is the one asked about
            order="logistics_fulfilled_date desc, id desc",
        )
        if not orders:
            return self.browse()
        due = self._logistics_due(company, orders.partner_id.commercial_partner_id)
        created = self.browse()
        invited = set()
        for order in orders:
            customer = order.partner_id.commercial_partner_id
            if customer not in due or customer.id in invited:
                continue
            contact = order.partner_id if order.partner_id.email else customer
            if not contact.email:
                continue
            invited.add(customer.id)
            answer = self._logistics_invite_safely(contact, company, "order", logistics_sale_order_id=order.id)
            if not answer:
                continue
            created |= answer
            order.message_post(
                body=self.env._("Satisfaction survey sent to %(contact)s.", contact=contact.display_name),
                subtype_xmlid="mail.mt_note",
            )
            if len(invited) >= batch_size:
                break
        return created

    @api.model
    def _logistics_invite_periodic(self, company, batch_size):
        tiers = self.env["logistics.customer.tier"]._logistics_active_tiers().filtered("survey_frequency_days")
        if not tiers:
            return self.browse()
        Partner = self.env["res.partner"].with_company(company)
        customers = Partner.search(
            [
                ("is_logistics_customer", "=", True),
                ("logistics_tier_id", "in", tiers.ids),
                ("logistics_stage", "in", ("active", "dormant")),
            ],
            order="id",
        )
        created = self.browse()
        for start in range(0, len(customers), batch_size):
            due = self._logistics_due(company, customers[start : start + batch_size])
            for customer in due:
                contact = customer if customer.email else customer.child_ids.filtered("email")[:1]
                if not contact:
                    continue
                created |= self._logistics_invite_safely(contact, company, "periodic")
                if len(created) >= batch_size:
                    return created
        return created
