"""The world of the care mailing tests: a company's rules and customers of every segment."""

from odoo import Command, fields

from ..models.logistics_customer_values import ENGINE_WRITE, INTERNAL_WRITE_KEY
from .common import LogisticsCrmCase

MSG_INTERVAL = "must be at least one day"
MSG_TEMPLATE = "Choose the mail template"
MSG_TEMPLATE_MODEL = "needs a template made for contacts"
MSG_MANAGERS = "Only Logistics CRM managers send the care mailings"


class CareCase(LogisticsCrmCase):
    """Company A (the test company) with three rules of its own (the shipped ones archived, so that
    the demo customers are not mailed): win-back of dormant customers every 90 days, key accounts
    every 30 days, tiers B and C every 90 days; customers of each segment, one without email,
    one blacklisted, one no rule applies to. Tiers and stages are set as the engine sets them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.today()  # the job counts in UTC days, whoever runs it
        cls.Rule = cls.env["logistics.care.rule"]
        cls.Rule.search([]).active = False
        # the customers of the demo data, if installed, are lost: no rule of the tests mails them
        cls.env["res.partner"].search([("is_logistics_customer", "=", True)]).with_context(
            **{INTERNAL_WRITE_KEY: ENGINE_WRITE}
        ).write({"logistics_stage": "lost"})
        cls.stage_active = cls.env.ref("logistics_crm.lifecycle_stage_active")
        cls.stage_dormant = cls.env.ref("logistics_crm.lifecycle_stage_dormant")
        cls.template_key = cls.env.ref("logistics_crm.mail_template_logistics_care_key_account")
        cls.template_regular = cls.env.ref("logistics_crm.mail_template_logistics_care_regular")
        cls.template_win_back = cls.env.ref("logistics_crm.mail_template_logistics_care_win_back")
        # a template of a user, without the unsubscribe link: the mail gets one appended
        cls.template_plain = cls.env["mail.template"].create(
            {
                "name": "Test care: plain",
                "model_id": cls.env["ir.model"]._get_id("res.partner"),
                "subject": "News for {{ object.name }}",
                "body_html": '<p>Hello <t t-out="object.name"/>, here is our news.</p>',
            }
        )
        cls.rule_win_back = cls._rule("Test win-back", 10, 90, cls.template_win_back, stages=cls.stage_dormant)
        cls.rule_key = cls._rule(
            "Test key accounts", 20, 30, cls.template_key, tiers=cls.tier_a, stages=cls.stage_active
        )
        cls.rule_others = cls._rule(
            "Test others", 30, 90, cls.template_plain, tiers=cls.tier_b | cls.tier_c, stages=cls.stage_active
        )

        cls.key_1 = cls._segment(cls._customer("Care Key One", email="key1@care.example.com"), cls.tier_a, "active")
        cls.key_2 = cls._segment(cls._customer("Care Key Two", email="key2@care.example.com"), cls.tier_a, "active")
        cls.regular_b = cls._segment(
            cls._customer("Care Regular B", email="regb@care.example.com"), cls.tier_b, "active"
        )
        cls.regular_c = cls._segment(
            cls._customer("Care Regular C", email="regc@care.example.com"), cls.tier_c, "active"
        )
        cls.dormant_key = cls._segment(
            cls._customer("Care Dormant Key", email="dormant@care.example.com"), cls.tier_a, "dormant"
        )
        cls.no_email = cls._segment(cls._customer("Care No Email"), cls.tier_b, "active")
        cls.blacklisted = cls._segment(
            cls._customer("Care Blacklisted", email="blocked@care.example.com"), cls.tier_c, "active"
        )
        cls.env["mail.blacklist"]._add("blocked@care.example.com")
        cls.potential = cls._segment(
            cls._customer("Care Potential", email="potential@care.example.com"), None, "potential"
        )
        # a contact of a mailed customer: mails go to the customer, never to its contacts
        cls.key_1_contact = cls.env["res.partner"].create(
            {"name": "Ms. Key Contact", "parent_id": cls.key_1.id, "email": "contact@key1.care.example.com"}
        )
        cls.mailed_first = cls.key_1 | cls.key_2 | cls.regular_b | cls.regular_c | cls.dormant_key

    @classmethod
    def _rule(cls, name, sequence, interval, template, tiers=None, stages=None, company=None):
        return cls.Rule.create(
            {
                "name": name,
                "sequence": sequence,
                "interval_days": interval,
                "mail_template_id": template.id,
                "tier_ids": [Command.set(tiers.ids if tiers else [])],
                "stage_ids": [Command.set(stages.ids if stages else [])],
                "company_id": (company or cls.company).id,
            }
        )

    @classmethod
    def _segment(cls, partner, tier, stage, company=None):
        """Give ``partner`` a tier and a stage in ``company`` as the tier engine does."""
        partner.with_company(company or cls.company).with_context(**{INTERNAL_WRITE_KEY: ENGINE_WRITE}).write(
            {"logistics_tier_id": tier.id if tier else False, "logistics_stage": stage}
        )
        return partner

    def care_messages(self, partners):
        """The care mails posted in the chatter of ``partners``."""
        return self.env["mail.message"].search(
            [
                ("model", "=", "res.partner"),
                ("res_id", "in", partners.ids),
                ("subtype_id", "=", self.env.ref("logistics_crm.mt_logistics_care_mailing").id),
            ]
        )

    def care_mails(self, partners):
        """The queued mails of the care messages of ``partners``."""
        return self.env["mail.mail"].search([("mail_message_id", "in", self.care_messages(partners).ids)])

    def send(self, **kwargs):
        """The scheduled action's call, as the cron runs it (superuser)."""
        return self.Rule.sudo().with_context(mail_notify_force_send=False).logistics_send_care_mailings(**kwargs)
