"""The unsubscribe link of the care mails: a signed link to a page that puts the address on Odoo's
mail blacklist (and takes it off again); the job never mails a blacklisted address."""

from urllib.parse import urlsplit

from odoo.tests import HttpCase, tagged

from ..models.logistics_customer_values import ENGINE_WRITE, INTERNAL_WRITE_KEY


@tagged("post_install", "-at_install", "logistics_crm")
class TestCareUnsubscribe(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Rule = cls.env["logistics.care.rule"]
        cls.Rule.search([]).active = False
        cls.rule = cls.Rule.create(
            {
                "name": "Unsubscribe test: everybody",
                "interval_days": 30,
                "mail_template_id": cls.env.ref("logistics_crm.mail_template_logistics_care_regular").id,
            }
        )
        customers = cls.env["res.partner"].search([("is_logistics_customer", "=", True)])
        customers.with_context(**{INTERNAL_WRITE_KEY: ENGINE_WRITE}).write({"logistics_stage": "lost"})
        cls.rule.stage_ids = cls.env.ref("logistics_crm.lifecycle_stage_active")
        cls.customer = cls.env["res.partner"].create(
            {"name": "Unsub Shipping Ltd", "is_company": True, "email": "Ops Desk <OPS@unsub.example.com>"}
        )
        cls.other = cls.env["res.partner"].create(
            {"name": "Other Shipping Ltd", "is_company": True, "email": "ops@other-unsub.example.com"}
        )
        (cls.customer | cls.other).with_context(**{INTERNAL_WRITE_KEY: ENGINE_WRITE}).write(
            {"logistics_stage": "active"}
        )

    def _path(self, partner):
        url = urlsplit(partner.logistics_care_unsubscribe_url)
        return f"{url.path}?{url.query}"

    def _blacklisted(self, email="ops@unsub.example.com"):
        return bool(self.env["mail.blacklist"].search_count([("email", "=", email)]))

    def _post(self, path, **data):
        return self.url_open(path, data=data)

    def test_the_link_opens_a_page_that_asks(self):
        response = self.url_open(self._path(self.customer))
        self.assertEqual(response.status_code, 200)
        self.assertIn("ops@unsub.example.com", response.text)
        self.assertIn("o_logistics_care_unsubscribe_button", response.text)
        self.assertFalse(self._blacklisted(), "opening the link (a mail scanner does) unsubscribes nobody")

    def test_unsubscribe_then_never_mailed_again(self):
        response = self._post(self._path(self.customer), action="unsubscribe")
        self.assertEqual(response.status_code, 200)
        self.assertIn("o_logistics_care_unsubscribed", response.text)
        self.assertTrue(self._blacklisted())
        note = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.customer.id), ("body", "ilike", "Unsubscribed")]
        )
        self.assertTrue(note, "the customer's chatter says it")

        self.assertEqual(self.Rule.sudo().logistics_send_care_mailings(), 1, "the other customer only")
        self.assertFalse(self.customer.logistics_last_care_date)
        self.assertTrue(self.other.logistics_last_care_date)

        # the page now offers to subscribe again
        response = self.url_open(self._path(self.customer))
        self.assertIn("o_logistics_care_resubscribe", response.text)

    def test_subscribe_again(self):
        self._post(self._path(self.customer), action="unsubscribe")
        response = self._post(self._path(self.customer), action="resubscribe")
        self.assertIn("o_logistics_care_resubscribed", response.text)
        self.assertFalse(self._blacklisted())
        self.assertEqual(self.Rule.sudo().logistics_send_care_mailings(), 2)
        self.assertTrue(self.customer.logistics_last_care_date)

    def test_one_click_from_the_mail_client(self):
        """RFC 8058: the mail client POSTs ``List-Unsubscribe=One-Click`` to the link, no CSRF token."""
        response = self._post(self._path(self.customer), **{"List-Unsubscribe": "One-Click"})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(self._blacklisted())
        # a mail client that retries changes nothing more, and notes nothing more
        self._post(self._path(self.customer), **{"List-Unsubscribe": "One-Click"})
        notes = self.env["mail.message"].search(
            [("model", "=", "res.partner"), ("res_id", "=", self.customer.id), ("body", "ilike", "Unsubscribed")]
        )
        self.assertEqual(len(notes), 1)
        self.assertEqual(notes.author_id, self.customer, "the customer's own act")

    def test_a_link_that_is_not_signed_changes_nothing(self):
        good = urlsplit(self.customer.logistics_care_unsubscribe_url)
        other_token = urlsplit(self.other.logistics_care_unsubscribe_url).query
        for path in (
            f"{good.path}?token=forged",
            f"{good.path}",
            f"{good.path}?{other_token}",  # another customer's signature
            f"/logistics/care/unsubscribe/{self.other.id}?{good.query}",
            f"/logistics/care/unsubscribe/999999999?{good.query}",
        ):
            with self.subTest(path=path):
                response = self.url_open(path)
                self.assertEqual(response.status_code, 404)
                self.assertIn("o_logistics_care_invalid", response.text)
                response = self._post(path, action="unsubscribe")
                self.assertEqual(response.status_code, 404)
        self.assertFalse(self._blacklisted())
        self.assertFalse(self._blacklisted("ops@other-unsub.example.com"))

    def test_a_link_stops_working_when_the_address_changes(self):
        path = self._path(self.customer)
        self.customer.email = "new-desk@unsub.example.com"
        response = self._post(path, action="unsubscribe")
        self.assertEqual(response.status_code, 404)
        self.assertFalse(self._blacklisted("new-desk@unsub.example.com"))
        self.assertFalse(self._blacklisted())

    def test_every_mail_carries_its_link(self):
        self.Rule.sudo().with_context(mail_notify_force_send=False).logistics_send_care_mailings()
        for partner in self.customer | self.other:
            mail = self.env["mail.mail"].search(
                [("model", "=", "res.partner"), ("res_id", "=", partner.id), ("recipient_ids", "in", partner.ids)]
            )
            self.assertEqual(len(mail), 1)
            link = partner.logistics_care_unsubscribe_url
            self.assertIn(link.replace("&", "&amp;"), mail.body_html)
            self.assertIn(f"<{link}>", mail.headers)
            # the link of the mail works
            response = self._post(self._path(partner), action="unsubscribe")
            self.assertIn("o_logistics_care_unsubscribed", response.text)
        self.assertTrue(self._blacklisted() and self._blacklisted("ops@other-unsub.example.com"))
