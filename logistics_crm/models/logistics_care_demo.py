"""Demo set-up of the care mailings: a history of mails already sent to some demo customers.

Called by ``demo/logistics_care_demo.xml``. Nothing else uses it. The history is written as the
job would have left it (the message in the customer's chatter, the date and rule on the customer),
without queuing mails: a demo database has no mail server, and the demo's "Due now" counters and
the customers' chatters then show both mailings sent and mailings due.
"""

from datetime import datetime, time, timedelta

from odoo import api, fields, models

from .logistics_customer_values import CARE_MAIL_WRITE, INTERNAL_WRITE_KEY


class LogisticsCareDemo(models.AbstractModel):
    _name = "logistics.care.demo"
    _description = "Care mailing demo set-up"

    @api.model
    def _logistics_demo_care_history(self, history):
        """``history``: ``{customer xml id: (rule xml id, days ago)}``; customers not found are skipped."""
        today = fields.Date.context_today(self)
        subtype = self.env.ref("logistics_crm.mt_logistics_care_mailing")
        last_runs = {}
        for customer_xmlid, (rule_xmlid, days_ago) in history.items():
            partner = self.env.ref(customer_xmlid, raise_if_not_found=False)
            rule = self.env.ref(rule_xmlid, raise_if_not_found=False)
            if not partner or not rule or not partner.email_normalized:
                continue
            partner = partner.with_company(rule.company_id)
            if partner.logistics_last_care_date:
                continue  # already set up
            sent = today - timedelta(days=days_ago)
            rendered = rule.mail_template_id.with_company(rule.company_id)._generate_template(
                partner.ids, ("subject", "body_html")
            )[partner.id]
            salesperson = partner.user_id
            self.env["mail.message"].create(
                {
                    "model": "res.partner",
                    "res_id": partner.id,
                    "message_type": "comment",
                    "subtype_id": subtype.id,
                    "subject": rendered.get("subject"),
                    "body": rule._logistics_body(
                        rendered.get("body_html"), partner.logistics_care_unsubscribe_url, partner
                    ),
                    "author_id": salesperson.partner_id.id if salesperson and not salesperson.share else False,
                    "partner_ids": partner.ids,
                    "date": datetime.combine(sent, time(6, 0)),
                }
            )
            partner.with_context(**{INTERNAL_WRITE_KEY: CARE_MAIL_WRITE}).write(
                {"logistics_last_care_date": sent, "logistics_last_care_rule_id": rule.id}
            )
            last_runs[rule] = max(last_runs.get(rule, sent), sent)
        for rule, sent in last_runs.items():
            rule.write({"date_last_run": datetime.combine(sent, time(6, 0)), "last_run_count": 1})
