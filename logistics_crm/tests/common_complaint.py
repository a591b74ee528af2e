from contextlib import contextmanager
from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user

from .common import LogisticsCrmCase

# a Monday morning, UTC: every complaint test runs on this frozen clock
T0 = datetime(2026, 3, 2, 8, 0, 0)


def at(hours):
    """The moment ``hours`` after T0."""
    return T0 + timedelta(hours=hours)


class ComplaintCase(LogisticsCrmCase):
    """Customers of each tier, an owner in a sales team with a leader, and a sales manager."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Complaint = cls.env["logistics.complaint"]
        cls.stage_new = cls.env.ref("logistics_crm.complaint_stage_new")
        cls.stage_investigating = cls.env.ref("logistics_crm.complaint_stage_investigating")
        cls.stage_waiting = cls.env.ref("logistics_crm.complaint_stage_waiting")
        cls.stage_resolved = cls.env.ref("logistics_crm.complaint_stage_resolved")
        cls.stage_closed = cls.env.ref("logistics_crm.complaint_stage_closed")
        cls.stage_refused = cls.env.ref("logistics_crm.complaint_stage_refused")
        cls.category_delay = cls.env.ref("logistics_crm.complaint_category_delay")
        cls.escalation_type = cls.env.ref("logistics_crm.mail_activity_type_complaint_escalation")
        # the shipped tiers' SLA hours, as the issue states them
        cls.tier_a.write({"complaint_response_hours": 4, "complaint_resolution_hours": 48})
        cls.tier_b.write({"complaint_response_hours": 8, "complaint_resolution_hours": 72})
        cls.tier_c.write({"complaint_response_hours": 24, "complaint_resolution_hours": 120})

        cls.team_leader = new_test_user(
            cls.env,
            login="lcrm_team_leader",
            name="Chen Team Leader",
            email="leader@example.com",
            groups="base.group_user,logistics_crm.group_logistics_crm_user",
        )
        cls.sales_manager = new_test_user(
            cls.env,
            login="lcrm_sales_manager",
            name="Sun Sales Manager",
            email="salesmanager@example.com",
            groups="base.group_user,logistics_crm.group_logistics_crm_manager,sales_team.group_sale_manager",
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Customer service Shanghai",
                "user_id": cls.team_leader.id,
                "member_ids": [Command.link(cls.user_sales.id)],
            }
        )
        cls.user_sales.email = "li.sales@example.com"
        cls.company.logistics_complaint_manager_id = cls.sales_manager
        cls.company.logistics_complaint_escalation_hours = 24

        cls.customer_a = cls._customer("Qingdao Ore Traders", email="ops@qingdao-ore.example.com")
        cls.customer_b = cls._customer("Ningbo Box Line", email="ops@ningbo-box.example.com")
        cls.customer_c = cls._customer("Wuhan Small Parcels", email="info@wuhan-parcels.example.com")
        cls.customer_a.logistics_tier_id = cls.tier_a
        cls.customer_b.logistics_tier_id = cls.tier_b
        cls.customer_c.logistics_tier_id = cls.tier_c
        cls.contact_a = cls.env["res.partner"].create(
            {"name": "Ms. Zhang Wei", "parent_id": cls.customer_a.id, "email": "zhang.wei@qingdao-ore.example.com"}
        )

    @contextmanager
    def clock(self, hours):
        """Freeze the clock ``hours`` after T0 (the ORM's now() follows)."""
        with freeze_time(at(hours)):
            yield

    def complaint(self, customer=None, hours=0, **vals):
        with self.clock(hours):
            return self.Complaint.create(
                {
                    "partner_id": (customer or self.customer_a).id,
                    "description": "The container arrived two days late.",
                    "category_id": self.category_delay.id,
                    **vals,
                }
            )

    def escalation_activities(self, complaint):
        return complaint.activity_ids.filtered(lambda a: a.activity_type_id == self.escalation_type)
