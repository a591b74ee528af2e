"""Who may see and do what with complaints: groups and companies (issue #12)."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common_complaint import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintAccess(ComplaintCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_b = cls.env["res.company"].create({"name": "Guangzhou Freight B"})
        cls.user_b = new_test_user(
            cls.env,
            login="lcrm_company_b",
            name="Huang Company B",
            company_id=cls.company_b.id,
            company_ids=[cls.company_b.id],
            groups="base.group_user,logistics_crm.group_logistics_crm_manager",
        )
        cls.customer_b_company = cls._customer("Foshan Ceramics Export", company_id=cls.company_b.id)
        cls.complaint_a = cls.Complaint.create(
            {"partner_id": cls.customer_a.id, "description": "Company A's complaint.", "compensation_amount": 800.0}
        )
        cls.complaint_b = cls.Complaint.with_user(cls.user_b).create(
            {
                "partner_id": cls.customer_b_company.id,
                "description": "Company B's complaint.",
                "compensation_amount": 50.0,
            }
        )

    def test_company_b_staff_never_see_company_a_complaints(self):
        complaints = self.Complaint.with_user(self.user_b)
        self.assertEqual(complaints.search([]), self.complaint_b)
        with self.assertRaises(AccessError):
            self.complaint_a.with_user(self.user_b).read(["description"])
        with self.assertRaises(AccessError):
            self.complaint_a.with_user(self.user_b).write({"priority": "3"})
        # figures too: the dashboard's grouped totals hold company B's complaint only
        groups = complaints._read_group([], ["sla_status"], ["__count", "compensation_amount:sum"])
        self.assertEqual(sum(count for _status, count, _sum in groups), 1)
        self.assertEqual(sum(total for _status, _count, total in groups), 50.0)
        self.assertEqual(self.Complaint.with_user(self.user_sales).search([("id", "=", self.complaint_b.id)]).ids, [])

    def test_portal_customer_reads_the_complaint_but_not_the_internal_investigation(self):
        portal_user = new_test_user(
            self.env, login="lcrm_portal_zhang", groups="base.group_portal", partner_id=self.contact_a.id
        )
        self.complaint_a.write({"root_cause": "Our driver skipped the lashing check.", "root_cause_type": "transport"})
        complaint = self.complaint_a.with_user(portal_user)
        self.assertEqual(complaint.read(["description"])[0]["description"], "Company A's complaint.")
        for field in ("root_cause", "root_cause_type", "preventive_action", "escalation_level"):
            with self.assertRaises(AccessError, msg=field):
                complaint.read([field])
        with self.assertRaises(AccessError):
            complaint.write({"description": "Changed by the customer"})
        self.assertFalse(self.Complaint.with_user(portal_user).search([("id", "=", self.complaint_b.id)]))

    def test_user_creates_and_writes_but_does_not_delete(self):
        complaint = self.Complaint.with_user(self.user_sales).create(
            {"partner_id": self.customer_b.id, "description": "Invoice charged twice."}
        )
        complaint.write({"priority": "2", "root_cause_type": "system"})
        with self.assertRaises(AccessError), mute_logger("odoo.models.unlink"):
            complaint.unlink()
        complaint.with_user(self.user_manager).unlink()
        self.assertFalse(complaint.exists())

    def test_internal_user_without_the_app_sees_no_complaint(self):
        with self.assertRaises(AccessError):
            self.Complaint.with_user(self.user_plain).search([])
        with self.assertRaises(AccessError):
            self.complaint_a.with_user(self.user_plain).read(["description"])

    def test_only_managers_configure_stages_and_categories(self):
        for model in ("logistics.complaint.stage", "logistics.complaint.category"):
            with self.assertRaises(AccessError):
                self.env[model].with_user(self.user_sales).create({"name": "Sneaky"})
            record = self.env[model].with_user(self.user_manager).create({"name": f"Manager's {model}"})
            self.assertTrue(record.exists())

    def test_manager_reads_the_escalation_settings(self):
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.logistics_complaint_escalation_hours, 24)
        self.assertEqual(
            settings.logistics_complaint_alias_id, self.env.ref("logistics_crm.mail_alias_logistics_complaint")
        )

    def test_partner_counts_open_complaints(self):
        self.assertEqual(self.customer_a.with_user(self.user_sales).logistics_complaint_open_count, 1)
        self.assertEqual(self.contact_a.with_user(self.user_sales).logistics_complaint_open_count, 1)
        action = self.contact_a.with_user(self.user_sales).action_logistics_view_complaints()
        self.assertEqual(self.Complaint.with_user(self.user_sales).search(action["domain"]), self.complaint_a)
