"""Complaints by email: the mail alias, replies, unknown senders, auto-replies and bounces (issue #12)."""

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_complaint import ComplaintCase

EMAIL = """Return-Path: <{email_from}>
From: {email_from}
To: {to}
Subject: {subject}
Message-ID: {message_id}
Date: Mon, 02 Mar 2026 08:00:00 +0000
MIME-Version: 1.0
Content-Type: text/plain; charset="utf-8"
{extra_headers}
{body}
"""


@tagged("post_install", "-at_install")
class TestComplaintGateway(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.alias_domain = cls.env["mail.alias.domain"].create({"name": "lcrm-test.example.com"})
        # a copy of the shipped alias, created in the test: had the gateway to report a failure on
        # the alias from a new cursor, it could not wait for a row this transaction holds
        shipped = cls.env.ref("logistics_crm.mail_alias_logistics_complaint")
        cls.alias = cls.env["mail.alias"].create(
            {
                "alias_name": "complaints-test",
                "alias_model_id": shipped.alias_model_id.id,
                "alias_contact": shipped.alias_contact,
                "alias_defaults": shipped.alias_defaults,
                "alias_domain_id": cls.alias_domain.id,
            }
        )
        cls.alias_email = cls.alias.display_name

    def receive(self, email_from, subject="Damaged cargo", body="Three crates arrived broken.", **kw):
        message_id = kw.pop("message_id", f"<{abs(hash((email_from, subject, body)))}@mail.example.com>")
        headers = "".join(f"{key}: {value}\n" for key, value in kw.pop("headers", {}).items())
        raw = EMAIL.format(
            email_from=email_from,
            to=kw.pop("to", self.alias_email),
            subject=subject,
            message_id=message_id,
            extra_headers=headers,
            body=body,
        )
        return self.env["mail.thread"].message_process(None, raw)

    def test_shipped_alias(self):
        alias = self.env.ref("logistics_crm.mail_alias_logistics_complaint")
        self.assertEqual(alias.alias_name, "complaints")
        self.assertEqual(alias.alias_model_id.model, "logistics.complaint")
        self.assertEqual(alias.alias_contact, "everyone", "customers write from addresses we may not know yet")
        self.assertEqual(self.alias_email, "complaints-test@lcrm-test.example.com")

    def test_email_from_a_customer_contact_opens_a_complaint(self):
        with self.clock(0):
            complaint_id = self.receive(self.contact_a.email)
        complaint = self.Complaint.browse(complaint_id)
        self.assertEqual(complaint.partner_id, self.customer_a)
        self.assertEqual(complaint.contact_id, self.contact_a)
        self.assertEqual(complaint.channel, "email")
        self.assertEqual(complaint.subject, "Damaged cargo")
        self.assertIn("Three crates arrived broken.", complaint.description)
        self.assertFalse(complaint.needs_triage)
        self.assertEqual(complaint.tier_id, self.tier_a)
        self.assertEqual(complaint.response_deadline.hour, 12, "tier A: 4 hours")
        self.assertEqual(complaint.user_id, self.user_sales, "the customer's salesperson owns it")
        self.assertIn(self.contact_a, complaint.message_partner_ids)
        self.assertEqual(complaint.message_ids.filtered(lambda m: m.message_type == "email").author_id, self.contact_a)

    def test_reply_goes_to_the_complaint_thread(self):
        complaint = self.Complaint.browse(self.receive(self.contact_a.email, message_id="<first@mail.example.com>"))
        count = self.Complaint.search_count([])
        raw_reply = EMAIL.format(
            email_from=self.contact_a.email,
            to=self.alias_email,
            subject="Re: Damaged cargo",
            message_id="<second@mail.example.com>",
            extra_headers="In-Reply-To: <first@mail.example.com>\nReferences: <first@mail.example.com>\n",
            body="Here are the photos.",
        )
        thread_id = self.env["mail.thread"].message_process(None, raw_reply)
        self.assertEqual(thread_id, complaint.id)
        self.assertEqual(self.Complaint.search_count([]), count, "no new complaint")
        self.assertTrue(any("Here are the photos." in (m.body or "") for m in complaint.message_ids))

    def test_unknown_sender_is_kept_for_triage(self):
        complaint = self.Complaint.browse(self.receive('"Wang Fang" <wang.fang@unknown-shipper.example.com>'))
        self.assertTrue(complaint.needs_triage)
        self.assertFalse(complaint.partner_id)
        self.assertIn("wang.fang@unknown-shipper.example.com", complaint.email_from)
        self.assertEqual(complaint.tier_id, self.tier_c, "the slowest tier until the customer is known")
        self.env.flush_all()
        self.env.cr.precommit.run()
        acknowledgement = self.env["mail.mail"].search([("email_to", "ilike", "wang.fang@unknown-shipper.example.com")])
        self.assertEqual(len(acknowledgement), 1, "the sender is acknowledged by a plain email")
        self.assertIn(complaint.name, acknowledgement.subject)
        self.assertFalse(
            self.env["res.partner"].search_count([("email_normalized", "=", "wang.fang@unknown-shipper.example.com")]),
            "no contact is made up from the address: the customer is chosen at triage",
        )
        # nobody has the address yet: linking says so and changes nothing
        with self.assertRaisesRegex(UserError, "No customer has the address"), self.env.cr.savepoint():
            complaint.action_link_customer()
        self.assertTrue(complaint.needs_triage)
        # the customer exists after all: link by the address
        contact = self.env["res.partner"].create(
            {"name": "Wang Fang", "email": "wang.fang@unknown-shipper.example.com", "parent_id": self.customer_a.id}
        )
        complaint.action_link_customer()
        self.assertFalse(complaint.needs_triage)
        self.assertEqual(complaint.partner_id, self.customer_a)
        self.assertEqual(complaint.contact_id, contact)
        self.assertEqual(complaint.tier_id, self.tier_a, "the deadlines follow the customer's tier once known")

    def test_create_the_customer_from_an_unknown_sender(self):
        complaint = self.Complaint.browse(self.receive('"Liu Yang" <liu.yang@new-customer.example.com>'))
        action = complaint.action_create_customer()
        partner = self.env["res.partner"].browse(action["res_id"])
        self.assertEqual(partner.name, "Liu Yang")
        self.assertEqual(partner.email, "liu.yang@new-customer.example.com")
        self.assertEqual(complaint.partner_id, partner)
        self.assertFalse(complaint.needs_triage)

    @mute_logger("odoo.addons.logistics_crm.models.logistics_complaint")
    def test_auto_replies_never_open_a_complaint(self):
        count = self.Complaint.search_count([])
        for headers in (
            {"Auto-Submitted": "auto-replied"},
            {"Auto-Submitted": "auto-generated"},
            {"X-Autoreply": "yes"},
            {"Precedence": "auto_reply"},
            {"X-Auto-Response-Suppress": "All"},
        ):
            result = self.receive(
                self.contact_a.email, subject="Out of office", body=f"Back on Monday {headers}", headers=headers
            )
            self.assertFalse(result, headers)
        self.assertEqual(self.Complaint.search_count([]), count)
        # an ordinary email with 'Auto-Submitted: no' is a complaint
        self.assertTrue(self.receive(self.contact_a.email, headers={"Auto-Submitted": "no"}))

    @mute_logger("odoo.addons.mail.models.mail_thread")
    def test_bounces_never_open_a_complaint(self):
        count = self.Complaint.search_count([])
        self.assertFalse(
            self.receive("MAILER-DAEMON@mx.example.com", subject="Undelivered Mail Returned to Sender", body="bounce")
        )
        self.assertFalse(self.receive(self.contact_a.email, to=self.alias_domain.bounce_email, body="bounce 2"))
        self.assertEqual(self.Complaint.search_count([]), count)

    def test_alias_defaults_choose_the_company(self):
        other_company = self.env["res.company"].create({"name": "Xiamen Branch"})
        self.alias.alias_defaults = str({"company_id": other_company.id})
        complaint = self.Complaint.browse(self.receive("someone@unknown.example.com"))
        self.assertEqual(complaint.company_id, other_company)
