"""Browser tour of the complaint workflow (headless Chromium through HttpCase): a Logistics user records
a complaint and walks it from New to Closed (static/tests/tours/logistics_crm_complaint_tour.js)."""

from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "logistics_crm")
class TestComplaintTour(HttpCase):
    def setUp(self):
        super().setUp()
        self.user = new_test_user(
            self.env,
            login="lcrm_complaint_user",
            name="Tour Complaint Handler",
            email="complaint.handler@example.com",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        self.customer = self.env["res.partner"].create(
            {"name": "Tour Complaint Shipper", "is_company": True, "email": "ops@tour-shipper.example.com"}
        )

    def test_complaint_tour(self):
        """New complaint, Investigate (root cause), Propose solution, Resolve, Close refused without a
        resolution, resolution, Close: closed with the SLA met."""
        self.start_tour("/odoo", "logistics_crm_complaint_tour", login=self.user.login)

        complaint = self.env["logistics.complaint"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(len(complaint), 1)
        self.assertTrue(complaint.name.startswith("CMP"))
        self.assertEqual(complaint.stage_id, self.env.ref("logistics_crm.complaint_stage_closed"))
        self.assertTrue(complaint.is_closed)
        self.assertTrue(complaint.date_closed)
        self.assertTrue(complaint.first_response_date, "closing counts as the first response")
        self.assertIn("refunded the storage", complaint.resolution)
        self.assertEqual(complaint.root_cause_type, "warehouse")
        self.assertIn("customs release", complaint.root_cause)
        self.assertEqual(complaint.sla_status, "met")
        self.assertEqual(complaint.escalation_level, 0)
        self.assertEqual(complaint.user_id, self.user, "the owner is who recorded it")
