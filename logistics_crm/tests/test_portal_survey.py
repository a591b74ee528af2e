"""Satisfaction surveys in the portal (issue #13): a contact finds the surveys we invited them to under
My account, answers the pending ones through the emailed token link and reviews the ones answered."""

import html
import re
from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common_satisfaction import GOOD, SatisfactionCase

ROW = re.compile(r'<tr class="o_logistics_portal_survey">(.*?)</tr>', re.DOTALL)
STATUS = re.compile(r'<span class="badge (text-bg-[\w-]+) o_logistics_survey_status">\s*([^<]+?)\s*</span>')


@tagged("post_install", "-at_install", "logistics_crm")
class TestPortalSurvey(HttpCase, SatisfactionCase):
    """Each contact sees their own invitations only: pending ones with their token link first."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Liu Yang and Gao Min of Tianjin Bulk Carriers, and Peng Fei of another customer, log in
        cls.portal_user = cls._portal_user(cls.contact_1, "lcrm_srv_portal")
        cls.colleague_user = cls._portal_user(cls.contact_2, "lcrm_srv_colleague")
        cls.rival = cls._customer("Dalian Reefer Lines", email="ops@dalian-reefer.example.com")
        cls.rival_contact = cls._contact(cls.rival, "Peng Fei", "peng.fei@dalian-reefer.example.com")
        cls.rival_user = cls._portal_user(cls.rival_contact, "lcrm_srv_rival")

        # Liu Yang's invitations, made the way the application makes them
        cls.order = cls._order(cls.contact_1, 4000, days_ago=3)
        cls.order.action_send_satisfaction_survey()
        cls.pending = cls.order.logistics_survey_input_ids
        cls.complaint = cls.env["logistics.complaint"].create(
            {
                "partner_id": cls.contact_1.id,
                "subject": "Reefer alarm at Tianjin",
                "description": "The reefer container alarm went off twice.",
                "resolution": "Sensor replaced on the next call.",
            }
        )
        cls.complaint.action_close()
        cls.pending_complaint = cls.complaint.logistics_survey_input_ids
        cls.answered_order = cls._order(cls.contact_1, 2500, days_ago=40)
        cls.answered_order.action_send_satisfaction_survey()
        cls.answered = cls._answer(
            cls.answered_order.logistics_survey_input_ids, {**GOOD, "loyalty": 9}, comment="Careful crew, fast papers"
        )
        cls.expired = cls.Answer._logistics_invite(cls.contact_1, cls.company, "periodic")
        cls.expired.deadline = fields.Datetime.now() - timedelta(days=1)
        # neither a test entry nor an answer of a survey of no company of ours is an invitation
        # (a test entry is made by survey staff: the contact is set as if they had tested it)
        cls.test_entry = cls.survey._create_answer(
            user=cls.env.user,
            test_entry=True,
            check_attempts=False,
            partner_id=cls.contact_1.id,
            logistics_company_id=cls.company.id,
        )
        cls.foreign = cls.survey._create_answer(partner=cls.contact_1, check_attempts=False)
        # the colleague's and the other customer's invitations
        cls.colleague_answer = cls.Answer._logistics_invite(cls.contact_2, cls.company, "manual")
        cls.rival_answer = cls.Answer._logistics_invite(cls.rival_contact, cls.company, "periodic")

    @classmethod
    def _portal_user(cls, contact, login):
        return new_test_user(
            cls.env,
            login=login,
            password=login,
            name=contact.name,
            email=contact.email,
            groups="base.group_portal",
            partner_id=contact.id,
        )

    # ------------------------------------------------------------------ helpers
    def _survey_count(self, login):
        self.authenticate(login, login)
        counters = self.make_jsonrpc_request("/my/counters", {"counters": ["logistics_survey_count"]})
        return counters["logistics_survey_count"]

    def _rows(self, page):
        """``{text of the "About" cell: row html}`` of the survey list."""
        rows = {}
        for row in ROW.findall(page.text):
            about = re.search(r'<td class="o_logistics_survey_about">(.*?)</td>', row, re.DOTALL).group(1)
            rows[" ".join(html.unescape(re.sub(r"<[^>]+>", "", about)).split())] = row
        return rows

    def _status(self, row):
        badges = STATUS.findall(row)
        self.assertEqual(len(badges), 1, row)
        return badges[0]

    # ------------------------------------------------------------------ home page
    def test_invitations_made_by_the_application(self):
        self.assertEqual(self.pending.state, "new")
        self.assertEqual(self.pending.partner_id, self.contact_1)
        self.assertEqual(self.pending_complaint.partner_id, self.contact_1)
        self.assertEqual(self.answered.state, "done")
        self.assertTrue(self.answered.logistics_scored)
        self.assertTrue(self.pending.deadline > fields.Datetime.now())
        self.assertTrue(self.pending_complaint.deadline > fields.Datetime.now())

    def test_home_page_counts_the_pending_surveys(self):
        self.authenticate("lcrm_srv_portal", "lcrm_srv_portal")
        home = self.url_open("/my/home")
        self.assertEqual(home.status_code, 200)
        self.assertIn('href="/my/surveys"', home.text)
        self.assertIn('data-placeholder_count="logistics_survey_count"', home.text)
        self.assertIn("Satisfaction surveys", home.text)
        # the order's and the complaint's: not the answered, expired, test or foreign ones, nor the colleague's
        self.assertEqual(self._survey_count("lcrm_srv_portal"), 2)
        self.assertEqual(self._survey_count("lcrm_srv_colleague"), 1)
        self.assertEqual(self._survey_count("lcrm_srv_rival"), 1)

        self.pending._mark_done()
        self.env.flush_all()
        self.assertEqual(self._survey_count("lcrm_srv_portal"), 1)
        self.pending_complaint.deadline = fields.Datetime.now() - timedelta(minutes=1)
        self.env.flush_all()
        self.assertEqual(self._survey_count("lcrm_srv_portal"), 0)

    def test_archived_survey_is_no_longer_pending(self):
        self.survey.action_archive()
        self.env.flush_all()
        self.assertEqual(self._survey_count("lcrm_srv_portal"), 0)
        rows = self._rows(self.url_open("/my/surveys"))
        self.assertEqual(self._status(rows[f"Order {self.order.name}"]), ("text-bg-secondary", "Closed"))
        self.assertNotIn(self.pending.access_token, rows[f"Order {self.order.name}"])
        # what was answered can still be reviewed
        answered_row = rows[f"Order {self.answered_order.name}"]
        self.assertIn(html.escape(self.answered.get_print_url()), answered_row)

    def test_internal_user_without_survey_rights(self):
        self.assertEqual(self._survey_count("lcrm_plain"), 0)
        page = self.url_open("/my/surveys")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_logistics_no_survey", page.text)

    # ------------------------------------------------------------------ list
    def test_list_of_a_contacts_own_surveys(self):
        self.authenticate("lcrm_srv_portal", "lcrm_srv_portal")
        page = self.url_open("/my/surveys")
        self.assertEqual(page.status_code, 200)
        self.assertNotIn("o_logistics_no_survey", page.text)
        rows = self._rows(page)
        self.assertEqual(
            list(rows),
            # pending first (the latest deadline first: the expired one last), then the answered one
            [
                f"Complaint {self.complaint.name}",
                f"Order {self.order.name}",
                "Our service to you",
                f"Order {self.answered_order.name}",
            ],
        )
        self.assertIn(self.survey.title, page.text)
        self.assertIn('class="breadcrumb-item active">Satisfaction surveys</li>', page.text)

        # pending: the personal token link, and the deadline
        for answer, about in (
            (self.pending, f"Order {self.order.name}"),
            (self.pending_complaint, f"Complaint {self.complaint.name}"),
        ):
            with self.subTest(about=about):
                row = rows[about]
                self.assertEqual(self._status(row), ("text-bg-primary", "To answer"))
                self.assertIn(f'href="{answer.get_start_url()}"', row)
                self.assertIn(f"answer_token={answer.access_token}", row)
                self.assertIn(">Answer</a>", row)
                self.assertNotIn("View my answers", row)
                self.assertRegex(row, r'<td class="o_logistics_survey_deadline">\s*<span[^>]*>[^<]+</span>')
        # answered: the review link, no answer button
        row = rows[f"Order {self.answered_order.name}"]
        self.assertEqual(self._status(row), ("text-bg-success", "Answered"))
        self.assertIn(f'href="{self.answered.get_print_url()}"', row)
        self.assertIn(">View my answers</a>", row)
        self.assertNotIn(">Answer</a>", row)
        self.assertNotIn(self.answered.get_start_url(), row)
        # expired: no link at all
        row = rows["Our service to you"]
        self.assertEqual(self._status(row), ("text-bg-secondary", "Expired"))
        self.assertNotIn("<a ", row)
        self.assertNotIn(self.expired.access_token, page.text)

        # nothing of the test entry, the foreign answer, the colleague or the other customer
        for other in (self.test_entry, self.foreign, self.colleague_answer, self.rival_answer):
            with self.subTest(answer=other.id):
                self.assertNotIn(other.access_token, page.text)

    def test_colleague_sees_only_their_own(self):
        self.authenticate("lcrm_srv_colleague", "lcrm_srv_colleague")
        page = self.url_open("/my/surveys")
        self.assertEqual(page.status_code, 200)
        rows = self._rows(page)
        self.assertEqual(list(rows), ["Our service to you"])
        self.assertIn(f'href="{self.colleague_answer.get_start_url()}"', page.text)
        for answer in (self.pending, self.pending_complaint, self.answered, self.rival_answer):
            self.assertNotIn(answer.access_token, page.text)
        self.assertNotIn(self.order.name, page.text)
        self.assertNotIn(self.complaint.name, page.text)

    def test_sorting_and_pager(self):
        self.authenticate("lcrm_srv_portal", "lcrm_srv_portal")
        # the newest first, answered or not (created in one transaction: by id)
        page = self.url_open("/my/surveys?sortby=date")
        self.assertEqual(page.status_code, 200)
        self.assertEqual(
            list(self._rows(page)),
            [
                "Our service to you",
                f"Order {self.answered_order.name}",
                f"Complaint {self.complaint.name}",
                f"Order {self.order.name}",
            ],
        )
        # an unknown sort key falls back on the pending ones first
        page = self.url_open("/my/surveys?sortby=partner_id")
        self.assertEqual(page.status_code, 200)
        self.assertEqual(list(self._rows(page))[-1], f"Order {self.answered_order.name}")
        # a page beyond the last shows the last one
        page = self.url_open("/my/surveys/page/2?sortby=date")
        self.assertEqual(page.status_code, 200)
        self.assertEqual(len(self._rows(page)), 4)

    def test_a_contact_without_surveys(self):
        (self.rival_answer | self.colleague_answer).unlink()
        self.env.flush_all()
        self.authenticate("lcrm_srv_rival", "lcrm_srv_rival")
        page = self.url_open("/my/surveys")
        self.assertEqual(page.status_code, 200)
        self.assertIn("o_logistics_no_survey", page.text)
        self.assertFalse(self._rows(page))

    def test_anonymous_visitor_is_sent_to_login(self):
        page = self.url_open("/my/surveys", allow_redirects=False)
        self.assertIn(page.status_code, (302, 303))
        self.assertIn("/web/login", page.headers["Location"])

    # ------------------------------------------------------------------ token links
    def test_token_link_opens_the_survey_without_login(self):
        page = self.url_open(self.pending.get_start_url())
        self.assertEqual(page.status_code, 200)
        self.assertIn(f"/survey/{self.survey.access_token}/{self.pending.access_token}", page.url)
        self.assertIn(html.escape(self.survey.title), page.text)
        # the start screen of this very answer, for the visitor who holds its token
        self.assertIn(f'data-answer-token="{self.pending.access_token}"', page.text)
        self.assertIn('"is_public": true', page.text)
        self.assertIn("Start Survey", page.text)
        self.assertNotIn("/web/login", page.url)

    def test_answer_button_opens_the_survey_for_the_logged_in_contact(self):
        self.authenticate("lcrm_srv_portal", "lcrm_srv_portal")
        page = self.url_open(self.pending_complaint.get_start_url())
        self.assertEqual(page.status_code, 200)
        self.assertIn(f"/survey/{self.survey.access_token}/{self.pending_complaint.access_token}", page.url)
        self.assertIn(f'data-answer-token="{self.pending_complaint.access_token}"', page.text)
        self.assertIn("Start Survey", page.text)

    def test_review_link_shows_the_answers(self):
        self.authenticate("lcrm_srv_portal", "lcrm_srv_portal")
        page = self.url_open(self.answered.get_print_url())
        self.assertEqual(page.status_code, 200)
        self.assertIn(html.escape(self.questions["quality"].title), page.text)
        self.assertIn("Careful crew, fast papers", page.text)
