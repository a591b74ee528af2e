import re

from odoo import Command, http
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, JsonRpcException, new_test_user, tagged

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestPortalComplaint(HttpCase, LogisticsCrmCase):
    """Customers file, follow and answer their company's complaints in the portal, never another company's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stage_new = cls.env.ref("logistics_crm.complaint_stage_new")
        cls.category_delay = cls.env.ref("logistics_crm.complaint_category_delay")
        cls.category_archived = cls.env["logistics.complaint.category"].create(
            {"name": "Retired category", "active": False}
        )

        # a customer company with two portal contacts, and a rival company with one
        cls.customer = cls._customer("Portal Grain Importer")
        cls.contact = cls.env["res.partner"].create(
            {"name": "Ma Li", "parent_id": cls.customer.id, "email": "ma.li@grain.example.com"}
        )
        cls.colleague_contact = cls.env["res.partner"].create(
            {"name": "Xu Bo", "parent_id": cls.customer.id, "email": "xu.bo@grain.example.com"}
        )
        cls.portal_user = new_test_user(
            cls.env,
            login="lcrm_cmp_portal",
            password="lcrm_cmp_portal",
            name="Ma Li",
            email="ma.li@grain.example.com",
            groups="base.group_portal",
            partner_id=cls.contact.id,
            tz="Asia/Shanghai",
        )
        cls.colleague_user = new_test_user(
            cls.env,
            login="lcrm_cmp_colleague",
            password="lcrm_cmp_colleague",
            name="Xu Bo",
            email="xu.bo@grain.example.com",
            groups="base.group_portal",
            partner_id=cls.colleague_contact.id,
        )
        cls.rival = cls._customer("Rival Grain Trader")
        rival_contact = cls.env["res.partner"].create(
            {"name": "Hu Ren", "parent_id": cls.rival.id, "email": "hu.ren@rival.example.com"}
        )
        cls.rival_user = new_test_user(
            cls.env,
            login="lcrm_cmp_rival",
            password="lcrm_cmp_rival",
            name="Hu Ren",
            email="hu.ren@rival.example.com",
            groups="base.group_portal",
            partner_id=rival_contact.id,
        )

        cls.order = cls._order(cls.customer, 12000, days_ago=4)
        cls.rival_order = cls._order(cls.rival, 8000, days_ago=4)

        complaint_model = cls.env["logistics.complaint"]
        cls.complaint = complaint_model.create(
            {
                "partner_id": cls.contact.id,
                "subject": "Containers held at Tianjin",
                "description": "Our two containers waited five days at the terminal.",
                "category_id": cls.category_delay.id,
                "sale_order_id": cls.order.id,
            }
        )
        cls.colleague_complaint = complaint_model.create(
            {
                "partner_id": cls.colleague_contact.id,
                "subject": "Wrong bill of lading",
                "description": "The consignee on the bill of lading is wrong.",
            }
        )
        cls.rival_complaint = complaint_model.create(
            {
                "partner_id": rival_contact.id,
                "subject": "Secret rival shortage",
                "description": "Twelve bags missing on delivery.",
            }
        )

    # ------------------------------------------------------------------ helpers
    def _csrf(self):
        return http.Request.csrf_token(self)

    def _new_complaint(self, **vals):
        data = {
            "csrf_token": self._csrf(),
            "subject": "",
            "description": "",
            "category_id": "",
            "sale_order_id": "",
        }
        data.update(vals)
        return self.url_open("/my/complaints/new", data=data)

    def _complaint_count(self):
        return self.env["logistics.complaint"].search_count([])

    def _post_reply(self, complaint, body, **access):
        return self.make_jsonrpc_request(
            "/mail/message/post",
            {
                "thread_model": "logistics.complaint",
                "thread_id": complaint.id,
                "post_data": {"body": body, "message_type": "comment", "subtype_xmlid": "mail.mt_comment"},
                **access,
            },
        )

    def _messages_with(self, complaint, text):
        self.env.invalidate_all()
        return complaint.message_ids.filtered(lambda m: text in (m.body or ""))

    # ------------------------------------------------------------------ home and list
    def test_home_page_entry_and_counter(self):
        self.authenticate("lcrm_cmp_portal", "lcrm_cmp_portal")
        home = self.url_open("/my/home")
        self.assertEqual(home.status_code, 200)
        self.assertIn('href="/my/complaints"', home.text)
        self.assertIn("logistics_complaint_count", home.text)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["logistics_complaint_count"]})
        # the user's own complaint and the colleague's, not the rival's
        self.assertEqual(counters, {"logistics_complaint_count": 2})

        self.authenticate("lcrm_cmp_rival", "lcrm_cmp_rival")
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["logistics_complaint_count"]})
        self.assertEqual(counters, {"logistics_complaint_count": 1})

    def test_list_shows_the_companys_complaints_only(self):
        self.colleague_complaint.write({"sla_status": "breached"})
        self.env.flush_all()
        self.authenticate("lcrm_cmp_portal", "lcrm_cmp_portal")
        page = self.url_open("/my/complaints")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.complaint.name, page.text)
        self.assertIn("Containers held at Tianjin", page.text)
        # a colleague's complaint is the company's too
        self.assertIn(self.colleague_complaint.name, page.text)
        self.assertIn("Wrong bill of lading", page.text)
        self.assertIn(f'href="/my/complaints/{self.colleague_complaint.id}"', page.text)
        # nothing of another company
        self.assertNotIn(self.rival_complaint.name, page.text)
        self.assertNotIn("Secret rival shortage", page.text)
        # stage and SLA badges, coloured like the back office, labels from the selection
        self.assertIn(self.stage_new.name, page.text)
        badge = r'<span class="badge (text-bg-\w+) o_logistics_complaint_sla"[^>]*>([^<]+)</span>'
        badges = re.findall(badge, page.text)
        self.assertCountEqual(
            [(cls, label.strip()) for cls, label in badges],
            [
                ("text-bg-success", "On track"),
                ("text-bg-danger", "Breached"),
            ],
        )
        self.assertIn('href="/my/complaints/new"', page.text)

    def test_list_sorting_and_pager(self):
        self.authenticate("lcrm_cmp_colleague", "lcrm_cmp_colleague")
        page = self.url_open("/my/complaints?sortby=name")
        self.assertEqual(page.status_code, 200)
        first, second = sorted((self.complaint.name, self.colleague_complaint.name), reverse=True)
        self.assertLess(page.text.index(f">{first}</a>"), page.text.index(f">{second}</a>"))
        # an unknown sort key falls back on the newest first
        page = self.url_open("/my/complaints?sortby=partner_id")
        self.assertEqual(page.status_code, 200)
        self.assertLess(
            page.text.index(f">{self.colleague_complaint.name}</a>"), page.text.index(f">{self.complaint.name}</a>")
        )
        page = self.url_open("/my/complaints/page/2?sortby=stage")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.complaint.name, page.text)
        self.assertNotIn(self.rival_complaint.name, page.text)

    def test_a_customer_without_complaints(self):
        self.rival_complaint.unlink()
        self.env.flush_all()
        self.authenticate("lcrm_cmp_rival", "lcrm_cmp_rival")
        page = self.url_open("/my/complaints")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_logistics_no_complaint", page.text)
        self.assertNotIn(self.complaint.name, page.text)

    def test_anonymous_visitor_is_sent_to_login(self):
        for url in ("/my/complaints", "/my/complaints/new"):
            with self.subTest(url=url):
                page = self.url_open(url, allow_redirects=False)
                self.assertIn(page.status_code, (302, 303))
                self.assertIn("/web/login", page.headers["Location"])

    # ------------------------------------------------------------------ detail
    def test_detail_of_a_colleagues_complaint(self):
        self.authenticate("lcrm_cmp_colleague", "lcrm_cmp_colleague")
        page = self.url_open(f"/my/complaints/{self.complaint.id}")
        self.assertEqual(page.status_code, 200)
        for text in (
            self.complaint.name,
            "Containers held at Tianjin",
            "Our two containers waited five days at the terminal.",
            self.category_delay.name,
            self.order.name,
            self.stage_new.name,
            "On track",
        ):
            self.assertIn(text, page.text)
        # the portal chatter of this complaint, with its reply box
        self.assertIn('data-res_model="logistics.complaint"', page.text)
        self.assertIn(f'data-res_id="{self.complaint.id}"', page.text)
        self.assertIn('data-allow_composer="1"', page.text)
        # no resolution before the complaint is closed; no message from the query string
        self.assertNotIn('class="o_logistics_complaint_resolution"', page.text)
        self.assertNotIn("o_logistics_complaint_message", page.text)
        page = self.url_open(f"/my/complaints/{self.complaint.id}?message=Injected+text")
        self.assertNotIn("Injected", page.text)

    def test_deadlines_are_shown_in_the_users_timezone(self):
        self.assertTrue(self.complaint.response_deadline and self.complaint.resolution_deadline)
        self.authenticate("lcrm_cmp_portal", "lcrm_cmp_portal")
        page = self.url_open(f"/my/complaints/{self.complaint.id}")
        self.assertEqual(page.status_code, 200)
        for css, deadline in (
            ("o_logistics_complaint_response_deadline", self.complaint.response_deadline),
            ("o_logistics_complaint_resolution_deadline", self.complaint.resolution_deadline),
        ):
            with self.subTest(field=css):
                cell = re.search(rf'class="col-sm-8 {css}"><span[^>]*>([^<]+)</span>', page.text)
                self.assertTrue(cell, f"{css} not rendered")
                # Asia/Shanghai is UTC+8 all year round
                local = self.complaint.with_user(self.portal_user).with_context(tz="Asia/Shanghai")
                shown = local.env["ir.qweb.field.datetime"].value_to_html(deadline, {})
                self.assertEqual(cell.group(1).strip(), str(shown).strip())
                self.assertIn(f"{(deadline.hour + 8) % 24:02d}:{deadline.minute:02d}", cell.group(1))

    def test_closed_complaint_shows_its_resolution(self):
        self.complaint.write({"resolution": "Demurrage refunded in full."})
        self.complaint.action_close()
        self.env.flush_all()
        self.authenticate("lcrm_cmp_portal", "lcrm_cmp_portal")
        page = self.url_open(f"/my/complaints/{self.complaint.id}")
        self.assertEqual(page.status_code, 200)
        self.assertIn('class="o_logistics_complaint_resolution"', page.text)
        self.assertIn("Demurrage refunded in full.", page.text)
        self.assertIn("Met", page.text)
        self.assertIn("text-bg-success o_logistics_complaint_sla", page.text)

    def test_another_companys_complaint_is_not_shown(self):
        self.authenticate("lcrm_cmp_portal", "lcrm_cmp_portal")
        page = self.url_open(f"/my/complaints/{self.rival_complaint.id}", allow_redirects=False)
        self.assertIn(page.status_code, (302, 303))
        self.assertTrue(page.headers["Location"].endswith("/my"))
        page = self.url_open(f"/my/complaints/{self.rival_complaint.id}")
        self.assertNotIn(self.rival_complaint.name, page.text)
        self.assertNotIn("Twelve bags missing", page.text)
        # a complaint that does not exist either
        page = self.url_open("/my/complaints/999999999", allow_redirects=False)
        self.assertIn(page.status_code, (302, 303))

    def test_token_access_without_login(self):
        self.complaint._portal_ensure_token()
        self.env.flush_all()
        token = self.complaint.access_token
        page = self.url_open(f"/my/complaints/{self.complaint.id}?access_token={token}")
        self.assertEqual(page.status_code, 200)
        self.assertIn(self.complaint.name, page.text)
        self.assertIn("Our two containers waited five days", page.text)
        self.assertIn(f'data-token="{token}"', page.text)
        # a wrong token, or none, opens nothing
        for url in (
            f"/my/complaints/{self.complaint.id}?access_token=wrong-token",
            f"/my/complaints/{self.complaint.id}",
            f"/my/complaints/{self.rival_complaint.id}?access_token={token}",
        ):
            with self.subTest(url=url):
                page = self.url_open(url, allow_redirects=False)
                self.assertIn(page.status_code, (302, 303))
                page = self.url_open(url)
                self.assertNotIn(self.complaint.name, page.text)
                self.assertNotIn(self.rival_complaint.name, page.text)

    # ------------------------------------------------------------------ replies
    def test_portal_user_replies(self):
        self.authenticate("lcrm_cmp_portal", "lcrm_cmp_portal")
        self._post_reply(self.complaint, "The containers are still at the terminal today.")
        message = self._messages_with(self.complaint, "still at the terminal today")
        self.assertEqual(len(message), 1)
        self.assertEqual(message.author_id, self.contact)
        self.assertEqual(message.message_type, "comment")
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))
        self.assertEqual((message.model, message.res_id), ("logistics.complaint", self.complaint.id))
        # a customer's reply is not the company's first response of the SLA
        self.assertFalse(self.complaint.first_response_date)

        # a colleague answers on the same company's complaint
        self.authenticate("lcrm_cmp_colleague", "lcrm_cmp_colleague")
        self._post_reply(self.complaint, "Photos of the seals follow by email.")
        message = self._messages_with(self.complaint, "Photos of the seals")
        self.assertEqual(message.author_id, self.colleague_contact)

    def test_rival_cannot_reply(self):
        self.authenticate("lcrm_cmp_rival", "lcrm_cmp_rival")
        with self.assertRaises(JsonRpcException) as refused:
            self._post_reply(self.complaint, "Rival was here")
        self.assertEqual(str(refused.exception), "werkzeug.exceptions.NotFound")
        self.assertFalse(self._messages_with(self.complaint, "Rival was here"))

    def test_token_holder_replies(self):
        self.complaint._portal_ensure_token()
        self.env.flush_all()
        token = self.complaint.access_token
        self._post_reply(self.complaint, "Answer from the emailed link.", token=token)
        message = self._messages_with(self.complaint, "Answer from the emailed link.")
        self.assertEqual(len(message), 1)
        # the complaint's customer is the author, as for any Odoo document shared by link: here the person
        # who complained (the complaint's one mail customer), not their company
        self.assertEqual(self.complaint.contact_id, self.contact)
        self.assertEqual(message.author_id, self.contact)
        self.assertEqual(message.subtype_id, self.env.ref("mail.mt_comment"))

        # the signed link of a notification email names the contact who answers
        pid = self.contact.id
        signed = self.complaint._sign_token(pid)
        page = self.url_open(f"/my/complaints/{self.complaint.id}?access_token={token}&pid={pid}&hash={signed}")
        self.assertIn(f'data-hash="{signed}"', page.text)
        self.assertIn(f'data-pid="{pid}"', page.text)
        self._post_reply(self.complaint, "Signed answer of Ma Li.", token=token, pid=pid, hash=signed)
        message = self._messages_with(self.complaint, "Signed answer of Ma Li.")
        self.assertEqual(message.author_id, self.contact)

        # a wrong token posts nothing
        with self.assertRaises(JsonRpcException) as refused:
            self._post_reply(self.complaint, "Forged answer.", token="wrong-token")
        self.assertEqual(str(refused.exception), "werkzeug.exceptions.NotFound")
        self.assertFalse(self._messages_with(self.complaint, "Forged answer."))

    # ------------------------------------------------------------------ new complaint
    def test_new_complaint_form(self):
        self.authenticate("lcrm_cmp_portal", "lcrm_cmp_portal")
        form = self.url_open("/my/complaints/new")
        self.assertEqual(form.status_code, 200)
        self.assertRegex(form.text, r'name="csrf_token" value="[^"]+"')
        self.assertRegex(form.text, r'<textarea name="description"[^>]*required="required"[^>]*></textarea>')
        # active categories only; the company's confirmed orders only
        self.assertIn(self.category_delay.name, form.text)
        self.assertNotIn("Retired category", form.text)
        self.assertIn(f'value="{self.order.id}"', form.text)
        self.assertIn(self.order.name, form.text)
        self.assertNotIn(f'value="{self.rival_order.id}"', form.text)
        self.assertNotIn(self.rival_order.name, form.text)

    def test_post_new_complaint(self):
        self.authenticate("lcrm_cmp_portal", "lcrm_cmp_portal")
        form = self.url_open("/my/complaints/new")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        before = self._complaint_count()
        response = self._new_complaint(
            csrf_token=csrf,
            subject="Damaged bags at discharge",
            description="Thirty bags torn by the crane at Qingdao.",
            category_id=str(self.category_delay.id),
            sale_order_id=str(self.order.id),
        )
        self.assertEqual(response.status_code, 200)
        self.assertEqual(self._complaint_count(), before + 1)
        complaint = self.env["logistics.complaint"].search([("subject", "=", "Damaged bags at discharge")])
        self.assertEqual(len(complaint), 1)
        self.assertEqual(complaint.partner_id, self.customer)
        self.assertEqual(complaint.contact_id, self.contact)
        self.assertEqual(complaint.email_from, "ma.li@grain.example.com")
        self.assertEqual(complaint.channel, "portal")
        self.assertEqual(complaint.company_id, self.portal_user.company_id)
        self.assertEqual(complaint.description, "Thirty bags torn by the crane at Qingdao.")
        self.assertEqual(complaint.category_id, self.category_delay)
        self.assertEqual(complaint.sale_order_id, self.order)
        self.assertEqual(complaint.stage_id, self.stage_new)
        self.assertEqual(complaint.user_id, self.user_sales)
        self.assertTrue(complaint.response_deadline)
        self.assertTrue(complaint.resolution_deadline)
        self.assertLess(complaint.response_deadline, complaint.resolution_deadline)
        self.assertEqual(complaint.sla_status, "on_track")
        self.assertIn(self.contact, complaint.message_partner_ids)
        # redirected to the new complaint's page, with the thank-you message
        self.assertIn(f"/my/complaints/{complaint.id}?message=created", response.url)
        self.assertIn(complaint.name, response.text)
        self.assertIn("Thank you: your complaint is recorded", response.text)
        # the colleague sees it at once
        self.authenticate("lcrm_cmp_colleague", "lcrm_cmp_colleague")
        self.assertIn(complaint.name, self.url_open("/my/complaints").text)

    def test_post_without_csrf_is_refused(self):
        self.authenticate("lcrm_cmp_portal", "lcrm_cmp_portal")
        before = self._complaint_count()
        for token in ("", "forged-token"):
            with self.subTest(token=token):
                response = self._new_complaint(csrf_token=token, description="Posted from another site")
                self.assertIn(response.status_code, (400, 403))
                self.assertEqual(self._complaint_count(), before)
        self.assertFalse(self.env["logistics.complaint"].search([("description", "=", "Posted from another site")]))

    def test_blank_description_is_refused(self):
        self.authenticate("lcrm_cmp_portal", "lcrm_cmp_portal")
        before = self._complaint_count()
        for blank in ("", "   \n  "):
            with self.subTest(description=blank):
                response = self._new_complaint(subject="Broken reefer plug", description=blank)
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_logistics_portal_error", response.text)
                self.assertIn("Please fill in: Description.", response.text)
                # what was typed comes back in the form
                self.assertIn('value="Broken reefer plug"', response.text)
                self.assertEqual(self._complaint_count(), before)

    def test_unknown_category_or_order_is_refused(self):
        self.authenticate("lcrm_cmp_portal", "lcrm_cmp_portal")
        before = self._complaint_count()
        cases = [
            ({"sale_order_id": str(self.rival_order.id)}, "choose one of your orders"),
            ({"sale_order_id": "999999999"}, "choose one of your orders"),
            ({"sale_order_id": "SO001"}, "choose a valid Order"),
            ({"category_id": str(self.category_archived.id)}, "choose a category of the list"),
            ({"category_id": "999999999"}, "choose a category of the list"),
            ({"category_id": "delay"}, "choose a valid Category"),
        ]
        for vals, error in cases:
            with self.subTest(vals=vals):
                response = self._new_complaint(subject="Refused complaint", description="Refused details", **vals)
                self.assertEqual(response.status_code, 200)
                self.assertIn("o_logistics_portal_error", response.text)
                self.assertIn(error, response.text)
                self.assertIn("Refused details", response.text)
                self.assertEqual(self._complaint_count(), before)
        self.assertFalse(self.env["logistics.complaint"].search([("subject", "=", "Refused complaint")]))

    def test_typed_html_is_escaped(self):
        self.authenticate("lcrm_cmp_portal", "lcrm_cmp_portal")
        script = "<script>alert('lcrm')</script>"
        response = self._new_complaint(subject="<b>Bold subject</b>", description=script)
        self.assertEqual(response.status_code, 200)
        complaint = self.env["logistics.complaint"].search([("partner_id", "=", self.customer.id)], order="id desc")[0]
        # stored as typed, escaped on output
        self.assertEqual(complaint.description, script)
        self.assertIn(f"/my/complaints/{complaint.id}", response.url)
        self.assertNotIn(script, response.text)
        self.assertNotIn("<b>Bold subject</b>", response.text)
        self.assertIn("&lt;script&gt;alert(", response.text)
        self.assertIn("&lt;b&gt;Bold subject&lt;/b&gt;", response.text)
        # also in the list and when the form comes back with an error
        self.assertNotIn("<b>Bold subject</b>", self.url_open("/my/complaints").text)
        response = self._new_complaint(description=script, category_id="999999999")
        self.assertIn("choose a category of the list", response.text)
        self.assertNotIn(script, response.text)
        self.assertIn("&lt;script&gt;alert(", response.text)

    # ------------------------------------------------------------------ ORM access behind the portal
    def test_orm_access_of_customers_and_other_companies(self):
        complaints = self.env["logistics.complaint"]
        # a portal user reads the company's complaints, never another company's, and writes none
        self.assertEqual(
            complaints.with_user(self.colleague_user).search([("id", "in", self.all_complaints().ids)]),
            self.complaint | self.colleague_complaint,
        )
        self.complaint.with_user(self.colleague_user).check_access("read")
        with self.assertRaises(AccessError):
            self.rival_complaint.with_user(self.portal_user).check_access("read")
        with self.assertRaises(AccessError):
            self.complaint.with_user(self.portal_user).write({"description": "Changed by the customer"})
        with self.assertRaises(AccessError):
            complaints.with_user(self.portal_user).create(
                {"partner_id": self.customer.id, "description": "Created without the portal"}
            )
        # an internal user of another company reads nothing of this company's complaints
        company_b = self.env["res.company"].create({"name": "Complaint Company B"})
        user_b = new_test_user(
            self.env,
            login="lcrm_cmp_user_b",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
            company_id=company_b.id,
            company_ids=[Command.set(company_b.ids)],
        )
        self.assertFalse(complaints.with_user(user_b).search([("id", "in", self.all_complaints().ids)]))
        with self.assertRaises(AccessError):
            self.complaint.with_user(user_b).check_access("read")
        with self.assertRaises(AccessError):
            self.complaint.with_user(user_b).read(["description"])

    def all_complaints(self):
        return self.complaint | self.colleague_complaint | self.rival_complaint
