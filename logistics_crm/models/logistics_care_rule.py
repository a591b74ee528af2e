"""Care mailings: rules that mail customers regularly, by tier and lifecycle stage.

A rule belongs to a company and mails that company's customers (their tier and stage in that
company) with its template, through Odoo's mail queue: each mail is posted in the customer's
chatter and queued as a ``mail.mail``, sent by Odoo's *Mail: Email Queue Manager*. The first rule
(by sequence) that applies to a customer is the one that mails it, once its interval has passed
since the customer's last care mailing by any rule of the company (``logistics_last_care_date``,
one date per company). Customers without an email address or on the mail blacklist are skipped;
every mail carries an unsubscribe link that blacklists the address (controllers/care_unsubscribe.py).
"""

import logging

from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.osv import expression
from odoo.tools import is_html_empty

from ..domain import care
from .logistics_customer_values import CARE_MAIL_WRITE, INTERNAL_WRITE_KEY
from .res_partner import MANAGER_GROUP

_logger = logging.getLogger(__name__)

CARE_BATCH_SIZE = 200  # customers mailed per batch: the cron commits after each one and goes on


class LogisticsCareRule(models.Model):
    _name = "logistics.care.rule"
    _description = "Care mailing rule"
    _inherit = ["mail.thread"]
    _order = "company_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True, tracking=True, help="e.g. Key accounts: monthly news")
    sequence = fields.Integer(
        default=10,
        help="The first rule, in this order, that applies to a customer is the one that mails it: put "
        "the narrower rules (the win-back of dormant customers) first.",
    )
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company",
        required=True,
        index=True,
        default=lambda self: self.env.company,
        tracking=True,
        help="The rule mails the customers of this company, by their tier and stage in it.",
    )
    tier_ids = fields.Many2many(
        "logistics.customer.tier",
        string="Tiers",
        help="The tiers of the customers this rule mails. None selected: every tier, and customers without a tier.",
    )
    stage_ids = fields.Many2many(
        "logistics.lifecycle.stage",
        string="Lifecycle stages",
        help="The lifecycle stages of the customers this rule mails. None selected: every stage.",
    )
    interval_days = fields.Integer(
        string="Interval (days)",
        required=True,
        default=90,
        tracking=True,
        help="Days between two care mailings to the same customer (by any rule of the company).",
    )
    mail_template_id = fields.Many2one(
        "mail.template",
        string="Mail template",
        domain=[("model", "=", "res.partner")],
        ondelete="restrict",
        tracking=True,
        help="The message sent, rendered for each customer in its language. An unsubscribe link is "
        "added to the mail when the template has none.",
    )
    date_last_run = fields.Datetime(
        string="Last sent", readonly=True, copy=False, help="When this rule last mailed customers."
    )
    last_run_count = fields.Integer(
        string="Mailed that day",
        readonly=True,
        copy=False,
        help="Customers this rule mailed on the day it last sent (all the day's batches).",
    )
    partner_count = fields.Integer(
        string="Customers", compute="_compute_partner_counts", help="Customers of the company this rule applies to."
    )
    due_count = fields.Integer(
        string="Due now",
        compute="_compute_partner_counts",
        help="Customers this rule would mail today: their interval has passed, they have an email "
        "address and are not on the blacklist.",
    )

    # ------------------------------------------------------------------ checks
    @api.constrains("interval_days")
    def _check_interval_days(self):
        for rule in self:
            if rule.interval_days < 1:
                raise ValidationError(
                    self.env._(
                        "The interval of the care rule %(rule)s must be at least one day (it is %(days)s).",
                        rule=rule.name,
                        days=rule.interval_days,
                    )
                )

    # interval_days always has a value on create: the check also runs for a rule created without template
    @api.constrains("mail_template_id", "interval_days")
    def _check_mail_template(self):
        for rule in self:
            if not rule.mail_template_id:
                raise ValidationError(
                    self.env._("Choose the mail template the care rule %(rule)s sends.", rule=rule.name)
                )
            if rule.mail_template_id.model != "res.partner":
                raise ValidationError(
                    self.env._(
                        "The template %(template)s is made for %(model)s: a care rule needs a template made "
                        "for contacts.",
                        template=rule.mail_template_id.name,
                        # sudo: a Logistics CRM manager may not read ir.model
                        model=rule.mail_template_id.sudo().model_id.name or rule.mail_template_id.model,
                    )
                )

    # ------------------------------------------------------------------ which customers
    def _logistics_applies_domain(self):
        """Customers of the rule's tiers and stages (none selected: all), in the rule's company."""
        self.ensure_one()
        domain = [("is_logistics_customer", "=", True), ("company_id", "in", [False, self.company_id.id])]
        if self.tier_ids:
            domain.append(("logistics_tier_id", "in", self.tier_ids.ids))
        if self.stage_ids:
            domain.append(("logistics_stage", "in", self.stage_ids.mapped("code")))
        return domain

    def _logistics_earlier_rules(self):
        """The active rules of the company before this one: they take the customers they apply to."""
        self.ensure_one()
        # sudo: every rule of the company counts, whatever the caller may read
        rules = self.sudo().search([("company_id", "=", self.company_id.id)])
        earlier = self.browse()
        for rule in rules:
            if rule == self:
                break
            earlier |= rule
        return earlier

    def _logistics_domain(self):
        """Customers this rule mails (when due): it applies to them and no earlier rule does."""
        self.ensure_one()
        domain = self._logistics_applies_domain()
        for earlier in self._logistics_earlier_rules():
            taken = expression.AND([earlier._logistics_applies_domain()[2:] or [(1, "=", 1)]])
            domain = expression.AND([domain, ["!", *expression.normalize_domain(taken)]])
        return domain

    def _logistics_due_domain(self, skip=()):
        """Customers this rule mails today: due, with an email address, not blacklisted (nor in
        ``skip``: those whose mail failed today). Days are UTC days, whoever runs the job."""
        self.ensure_one()
        today = fields.Date.today()
        return expression.AND(
            [
                self._logistics_domain(),
                [("id", "not in", list(skip))] if skip else [],
                [
                    ("email_normalized", "!=", False),
                    ("is_blacklisted", "=", False),
                    "|",
                    ("logistics_last_care_date", "=", False),
                    ("logistics_last_care_date", "<=", care.due_before(today, self.interval_days)),
                ],
            ]
        )

    def _logistics_partners(self, domain, limit=None):
        # sudo: the rule's customers whoever asks (a user may not read every customer); the caller
        # shows counts or mails them as the rule's company
        partners = self.env["res.partner"].sudo().with_company(self.company_id)
        return partners.search(domain, limit=limit, order="id")

    @api.depends("tier_ids", "stage_ids", "interval_days", "company_id", "sequence", "active")
    @api.depends_context("uid")
    def _compute_partner_counts(self):
        for rule in self:
            if not rule.id or not rule.company_id or rule.interval_days < 1:
                rule.partner_count = rule.due_count = 0
                continue
            partners = self.env["res.partner"].sudo().with_company(rule.company_id)
            rule.partner_count = partners.search_count(rule._logistics_domain())
            rule.due_count = rule._logistics_due_count() if rule.active else 0

    # ------------------------------------------------------------------ sending
    def _logistics_send(self, partners):
        """Mail ``partners`` (due customers of this rule) and record it on them.

        One rendering of the template for all of them (one by one when that fails); each mail is
        posted in the customer's chatter and queued. A mail that fails (a template that does not
        render for that customer, say) is undone, noted in the rule's chatter and logged; the
        others go on. Returns ``(mailed, failed)`` partners.
        """
        self.ensure_one()
        if not partners:
            return partners, partners
        company = self.company_id
        # sudo: the job mails every customer of the company, whoever runs it (checked by the callers)
        partners = partners.sudo().with_company(company)
        template = self.mail_template_id.sudo().with_company(company)
        render_fields = ("subject", "body_html", "email_from", "reply_to", "attachment_ids")
        try:
            with self.env.cr.savepoint():
                rendered = template._generate_template(partners.ids, render_fields)
        except Exception:  # noqa: BLE001 -- rendered one by one below, each failure on its own
            _logger.warning("Care mailing %r (%s): rendering the batch failed, one by one", self.name, company.name)
            rendered = {}
        subtype = self.env.ref("logistics_crm.mt_logistics_care_mailing")
        urls = {partner.id: partner.logistics_care_unsubscribe_url for partner in partners}
        poster = partners.with_context(
            mail_notify_force_send=False,  # through the mail queue
            mail_create_nosubscribe=True,
            logistics_care_unsubscribe=urls,  # List-Unsubscribe headers (logistics_partner_care.py)
        )
        mailed = failed = partners.browse()
        errors = []
        for partner in poster:
            salesperson = partner.user_id
            author = salesperson.partner_id if salesperson and not salesperson.share else partner.browse()
            try:
                with self.env.cr.savepoint():
                    values = (
                        rendered.get(partner.id) or template._generate_template(partner.ids, render_fields)[partner.id]
                    )
                    partner.message_post(
                        body=self._logistics_body(values.get("body_html"), urls[partner.id], partner),
                        subject=values.get("subject") or self.name,
                        email_from=values.get("email_from") or None,
                        reply_to=values.get("reply_to") or None,
                        author_id=author.id or None,
                        partner_ids=partner.ids,
                        attachment_ids=values.get("attachment_ids") or [],
                        message_type="comment",
                        subtype_id=subtype.id,
                        email_layout_xmlid="logistics_crm.mail_layout_logistics_care",
                        force_email_company=company,
                    )
                mailed |= partner
            except Exception as error:  # noqa: BLE001 -- one customer's failure never stops the others
                _logger.exception("Care mailing %r to %s (%s) failed", self.name, partner.display_name, company.name)
                failed |= partner
                errors.append(str(error))
        if mailed:
            mailed.with_context(**{INTERNAL_WRITE_KEY: CARE_MAIL_WRITE}).write(
                {"logistics_last_care_date": fields.Date.today(), "logistics_last_care_rule_id": self.id}
            )
        if failed:
            self._logistics_note_failures(failed, errors[0])
        return mailed, failed

    def _logistics_note_failures(self, failed, first_error):
        """Tell the rule's followers (its chatter) which customers were not mailed, and why."""
        names = ", ".join(failed[:10].mapped("display_name")) + (" …" if len(failed) > 10 else "")
        self.sudo().message_post(  # sudo: the job writes the note whoever runs it
            body=Markup("<p>%s</p><p><code>%s</code></p>")
            % (
                self.env._(
                    "%(count)s customers could not be mailed today and wait for tomorrow: %(names)s. The first error:",
                    count=len(failed),
                    names=names,
                ),
                first_error[:500],
            ),
            subtype_xmlid="mail.mt_note",
        )

    def _logistics_body(self, body, unsubscribe_url, partner):
        """The rendered body, with the unsubscribe link appended when the template has none."""
        body = Markup(body or "")
        if is_html_empty(body):
            raise UserError(
                self.env._("The template of the care rule %(rule)s renders an empty message.", rule=self.name)
            )
        if unsubscribe_url in body or escape(unsubscribe_url) in body:
            return body
        # in the customer's language, like the template
        env = self.with_context(lang=partner.lang or self.env.lang).env
        footer = env._("You receive this message as a customer of %(company)s.", company=self.company_id.name)
        link = env._("Unsubscribe from these messages")
        return body + Markup('<p style="font-size: 12px; color: #6c757d;">%s <a href="%s">%s</a></p>') % (
            footer,
            unsubscribe_url,
            link,
        )

    def _logistics_run(self, budget, skip):
        """Mail up to ``budget`` due customers with each of these rules (one company's), in order;
        returns ``(mailed, failed)`` counts. A customer whose mail failed joins ``skip`` and the
        company's skip list for the day. Records each rule's run (the count adds up over the day)."""
        mailed = failed = 0
        today = fields.Date.today()
        for rule in self:
            if budget <= 0:
                break
            due = rule._logistics_partners(rule._logistics_due_domain(skip), limit=budget)
            if not due:
                continue
            sent, lost = rule._logistics_send(due)
            mailed += len(sent)
            failed += len(lost)
            budget -= len(due)
            if lost:
                skip.update(lost.ids)
                self.env["logistics.care.run"]._logistics_skip(rule.company_id, lost.ids)
            same_day = rule.date_last_run and rule.date_last_run.date() == today
            # sudo: the job records its run on the rule, whoever runs it
            rule.sudo().write(
                {
                    "date_last_run": fields.Datetime.now(),
                    "last_run_count": (rule.last_run_count if same_day else 0) + len(sent),
                }
            )
        return mailed, failed

    def _logistics_remaining(self, skip=(), limit=None):
        """How many customers these rules would still mail today (at most ``limit`` per rule)."""
        return sum(rule._logistics_due_count(skip, limit) for rule in self.filtered("active"))

    def _logistics_due_count(self, skip=(), limit=None):
        # sudo: counts the rule's customers whoever asks (see _logistics_partners)
        partners = self.env["res.partner"].sudo().with_company(self.company_id)
        return partners.search_count(self._logistics_due_domain(skip), limit=limit)

    @api.model
    def _logistics_trusted(self):
        """The addon itself (superuser, sudo, the cron) or a Logistics CRM manager."""
        return self.env.su or self.env.user.has_group(MANAGER_GROUP)

    @api.model
    def logistics_send_care_mailings(self, batch_size=None):
        """Mail the customers due a care mailing, every company's rules in order: one batch.

        Public entry point (the scheduled action, automated and server actions, XML-RPC). Mails
        at most ``batch_size`` customers (default ``CARE_BATCH_SIZE``) and reports the progress to
        the scheduled action, which commits the batch and runs again while customers remain
        (Odoo's cron progress). A second run at the same time for a company skips it. Returns the
        number of customers mailed.
        """
        if not self._logistics_trusted():
            raise AccessError(self.env._("Only Logistics CRM managers send the care mailings."))
        batch_size = CARE_BATCH_SIZE if batch_size is None else batch_size
        if not isinstance(batch_size, int) or batch_size < 1:
            raise UserError(self.env._("A batch mails at least one customer."))
        # sudo: the job mails every customer of the rules' companies; the cron (superuser) runs every
        # company's rules, a manager those of the companies they work in
        domain = [] if self.env.su else [("company_id", "in", self.env.user.company_ids.ids)]
        rules = self.sudo().search(domain)  # pylint: disable=no-search-all
        mailed = failed = remaining = 0
        Run = self.env["logistics.care.run"].sudo()  # sudo: the job's own bookkeeping
        for company in rules.company_id:
            company_rules = rules.filtered(lambda rule, company=company: rule.company_id == company)
            if not company_rules._logistics_remaining(limit=1):
                continue  # nobody due: no lock taken, nothing written
            skip = Run._logistics_begin(company)
            if skip is None:
                continue
            sent, lost = company_rules._logistics_run(batch_size - mailed - failed, skip)
            mailed += sent
            failed += lost
            remaining += company_rules._logistics_remaining(skip)
        # failed customers are skipped for the day: every batch mails or skips someone, no endless loop
        done, remaining = care.progress(mailed + failed, remaining)
        self.env["ir.cron"]._notify_progress(done=done, remaining=remaining)
        return mailed

    # ------------------------------------------------------------------ buttons
    def action_send_now(self):
        """Mail this rule's due customers now (one batch; the scheduled action sends the rest)."""
        self.ensure_one()
        if not self._logistics_trusted():
            raise AccessError(self.env._("Only Logistics CRM managers send the care mailings."))
        if not self.active:
            raise UserError(self.env._("The care rule %(rule)s is archived: restore it first.", rule=self.name))
        skip = self.env["logistics.care.run"].sudo()._logistics_begin(self.company_id)  # sudo: its bookkeeping
        if skip is None:
            raise UserError(
                self.env._(
                    "The care mailings of %(company)s are being sent: try again in a moment.",
                    company=self.company_id.name,
                )
            )
        mailed, failed = self._logistics_run(CARE_BATCH_SIZE, skip)
        remaining = self._logistics_due_count(skip)
        if remaining:
            self.env.ref("logistics_crm.ir_cron_logistics_care_mailings").sudo()._trigger()
        if mailed:
            message = self.env._("Customers mailed: %(count)s. The mails leave through the mail queue.", count=mailed)
        else:
            message = self.env._("No customer is due a mail from this rule today.")
        if remaining:
            message += " " + self.env._(
                "%(count)s more will be mailed by the scheduled action shortly.", count=remaining
            )
        if failed:
            message += " " + self.env._(
                "Customers not mailed: %(count)s (see the rule's chatter; they wait for tomorrow).", count=failed
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.name,
                "message": message,
                "type": "warning" if failed else "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_preview(self):
        """Preview the rule's mail as rendered for one of its customers (Odoo's template preview)."""
        self.ensure_one()
        if not self.mail_template_id:
            raise UserError(self.env._("Choose the mail template the care rule %(rule)s sends.", rule=self.name))
        sample = self._logistics_partners(self._logistics_due_domain(), limit=1) or self._logistics_partners(
            self._logistics_domain(), limit=1
        )
        context = {"default_mail_template_id": self.mail_template_id.id}
        if sample:
            context["default_resource_ref"] = f"res.partner,{sample.id}"
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Preview: %(rule)s", rule=self.name),
            "res_model": "mail.template.preview",
            "view_mode": "form",
            "target": "new",
            "context": context,
        }

    def action_view_customers(self):
        """The customers this rule applies to (in its company)."""
        self.ensure_one()
        if self.company_id == self.env.company:
            domain = self._logistics_domain()
        else:
            # the tier and stage of the list would be read in the user's current company: the ids
            domain = [("id", "in", self._logistics_partners(self._logistics_domain()).ids)]
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customers of %(rule)s", rule=self.name),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "views": [
                (self.env.ref("logistics_crm.view_partner_list_logistics_customers").id, "list"),
                (False, "form"),
            ],
            "domain": domain,
            "context": {"create": False},
        }
