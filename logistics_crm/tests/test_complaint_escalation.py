"""The escalation ladder of overdue complaints and the SLA watch cron (issue #12)."""

from odoo.tests import tagged
from odoo.tools import SQL

from odoo.addons.logistics_crm.models.logistics_complaint_escalation import ESCALATION_LOCK_NAMESPACE

from .common_complaint import ComplaintCase


@tagged("post_install", "-at_install")
class TestComplaintEscalation(ComplaintCase):
    def test_overdue_complaint_escalates_to_the_team_leader(self):
        complaint = self.complaint(self.customer_a)
        with self.clock(5):  # the 4 h response deadline is past
            escalated = self.Complaint.logistics_escalate_overdue()
        self.assertEqual(escalated, complaint)
        self.assertEqual(complaint.sla_status, "breached")
        self.assertEqual(complaint.escalation_level, 1)
        activities = self.escalation_activities(complaint)
        self.assertEqual(activities.user_id, self.team_leader, "level 1: the owner's manager only")
        self.assertIn(complaint.name, activities.summary)
        note = complaint.message_ids.filtered(lambda m: "escalated to level 1" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn(self.team_leader.name, note.body)

    def test_escalation_is_idempotent_for_the_same_level(self):
        complaint = self.complaint(self.customer_a)
        with self.clock(5):
            self.Complaint.logistics_escalate_overdue()
        messages = len(complaint.message_ids)
        with self.clock(6):
            self.assertFalse(self.Complaint.logistics_escalate_overdue())
            self.assertFalse(self.Complaint.logistics_escalate_overdue())
        self.assertEqual(complaint.escalation_level, 1)
        self.assertEqual(len(self.escalation_activities(complaint)), 1)
        self.assertEqual(len(complaint.message_ids), messages)

    def test_level_two_involves_the_sales_manager(self):
        complaint = self.complaint(self.customer_a)
        with self.clock(5):
            self.Complaint.logistics_escalate_overdue()
        with self.clock(4 + 24 + 1):  # a further escalation step (24 h) overdue
            self.assertEqual(self.Complaint.logistics_escalate_overdue(), complaint)
        self.assertEqual(complaint.escalation_level, 2)
        activities = self.escalation_activities(complaint)
        self.assertEqual(set(activities.user_id.ids), {self.team_leader.id, self.sales_manager.id})
        with self.clock(4 + 48 + 1):
            self.Complaint.logistics_escalate_overdue()
        self.assertEqual(complaint.escalation_level, 3)

    def test_a_long_overdue_complaint_jumps_to_its_level_at_once(self):
        complaint = self.complaint(self.customer_a)
        with self.clock(4 + 30):
            self.Complaint.logistics_escalate_overdue()
        self.assertEqual(complaint.escalation_level, 2)
        self.assertEqual(
            set(self.escalation_activities(complaint).user_id.ids), {self.team_leader.id, self.sales_manager.id}
        )

    def test_owner_who_leads_the_team_escalates_to_the_sales_manager(self):
        complaint = self.complaint(self.customer_a, user_id=self.team_leader.id, team_id=self.team.id)
        with self.clock(5):
            self.Complaint.logistics_escalate_overdue()
        self.assertEqual(self.escalation_activities(complaint).user_id, self.sales_manager)

    def test_without_escalation_manager_the_first_sales_administrator(self):
        self.company.logistics_complaint_manager_id = False
        complaint = self.complaint(self.customer_a, user_id=self.team_leader.id, team_id=self.team.id)
        with self.clock(5):
            self.Complaint.logistics_escalate_overdue()
        users = self.escalation_activities(complaint).user_id
        self.assertEqual(len(users), 1)
        self.assertTrue(users.has_group("sales_team.group_sale_manager"))

    def test_answered_closed_and_paused_complaints_do_not_escalate(self):
        answered = self.complaint(self.customer_a)
        closed = self.complaint(self.customer_a)
        paused = self.complaint(self.customer_a)
        with self.clock(1):
            answered.action_mark_responded()
            closed.write({"resolution": "Solved.", "stage_id": self.stage_closed.id})
            paused.action_wait_customer()
        with self.clock(5):
            self.assertFalse(self.Complaint.logistics_escalate_overdue())
        self.assertEqual((answered | closed | paused).mapped("escalation_level"), [0, 0, 0])
        self.assertEqual(answered.sla_status, "on_track")
        with self.clock(49):  # the answered one misses its resolution deadline
            self.assertEqual(self.Complaint.logistics_escalate_overdue(), answered)

    def test_sla_watch_turns_complaints_at_risk(self):
        complaint = self.complaint(self.customer_b)
        with self.clock(6.5):  # 8 h response clock, 80 % used
            self.assertFalse(self.Complaint.logistics_escalate_overdue())
        self.assertEqual(complaint.sla_status, "at_risk")

    def test_the_cron_runs_the_sla_watch(self):
        cron = self.env.ref("logistics_crm.ir_cron_logistics_complaint_sla")
        self.assertEqual(cron.code.strip(), "model.logistics_escalate_overdue()")
        self.assertEqual((cron.interval_number, cron.interval_type), (15, "minutes"))
        complaint = self.complaint(self.customer_a)
        with self.clock(5):
            cron.method_direct_trigger()
        self.assertEqual(complaint.escalation_level, 1)

    def test_a_second_run_at_the_same_time_does_nothing(self):
        complaint = self.complaint(self.customer_a)
        self.env.flush_all()
        with self.env.registry.cursor() as other_cr:
            other_cr.execute(SQL("SELECT pg_advisory_xact_lock(%s, %s)", ESCALATION_LOCK_NAMESPACE, 0))
            with self.clock(5):
                self.assertFalse(self.Complaint.logistics_escalate_overdue())
            self.assertEqual(complaint.escalation_level, 0)
            other_cr.rollback()
        with self.clock(5):
            self.assertEqual(self.Complaint.logistics_escalate_overdue(), complaint)

    def test_escalation_in_batches(self):
        complaints = self.Complaint
        for customer in (self.customer_a, self.customer_b, self.customer_c):
            complaints |= self.complaint(customer)
        with self.clock(25):  # all three response clocks are past
            escalated = self.Complaint.logistics_escalate_overdue(batch_size=1)
        self.assertEqual(escalated, complaints)
        self.assertEqual(complaints.mapped("escalation_level"), [1, 1, 1])

    def test_escalation_runs_for_every_company(self):
        other_company = self.env["res.company"].create({"name": "Tianjin Branch"})
        foreign_customer = self._customer("Tianjin Steel", company_id=other_company.id)
        foreign_customer.with_company(other_company).logistics_tier_id = self.tier_a
        foreign = self.complaint(foreign_customer, company_id=other_company.id)
        with self.clock(5):
            self.Complaint.with_user(self.user_sales).logistics_escalate_overdue()
        self.assertEqual(foreign.escalation_level, 1)
        self.assertEqual(foreign.sla_status, "breached")
