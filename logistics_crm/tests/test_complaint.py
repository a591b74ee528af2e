"""The complaint workflow and its SLA clock by tier (issue #12), on a frozen clock."""

from odoo import Command
from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common_complaint import ComplaintCase, at


@tagged("post_install", "-at_install")
class TestComplaintSla(ComplaintCase):
    def test_deadlines_come_from_the_customer_tier(self):
        for customer, response, resolution in (
            (self.customer_a, 4, 48),
            (self.customer_b, 8, 72),
            (self.customer_c, 24, 120),
        ):
            complaint = self.complaint(customer)
            self.assertEqual(complaint.tier_id, customer.logistics_tier_id)
            self.assertEqual(complaint.sla_start, at(0))
            self.assertEqual(complaint.response_deadline, at(response), customer.name)
            self.assertEqual(complaint.resolution_deadline, at(resolution), customer.name)
            self.assertEqual(complaint.sla_status, "on_track")
            self.assertEqual(complaint.stage_id, self.stage_new)
            self.assertRegex(complaint.name, r"^CMP\d{5}$")

    def test_customer_without_tier_gets_the_slowest_tier(self):
        prospect = self._customer("Kunming Prospect Logistics")
        complaint = self.complaint(prospect)
        self.assertEqual(complaint.tier_id, self.tier_c)
        self.assertEqual(complaint.resolution_deadline, at(120))

    def test_complaint_is_held_on_the_commercial_partner(self):
        complaint = self.complaint(self.contact_a)
        self.assertEqual(complaint.partner_id, self.customer_a)
        self.assertEqual(complaint.contact_id, self.contact_a)
        self.assertEqual(complaint.email_from, self.contact_a.email)
        self.assertEqual(complaint.user_id, self.user_sales, "the customer's salesperson owns it")
        self.assertEqual(complaint.team_id, self.team)
        self.assertIn(self.contact_a, complaint.message_partner_ids, "the complainant follows the case")

    def test_at_risk_at_80_percent_then_breached(self):
        complaint = self.complaint(self.customer_a)
        with self.clock(3.1):
            self.assertFalse(complaint.logistics_refresh_sla())
            self.assertEqual(complaint.sla_status, "on_track")
        with self.clock(3.25):  # 80 % of the 4 response hours used
            self.assertEqual(complaint.logistics_refresh_sla(), complaint)
            self.assertEqual(complaint.sla_status, "at_risk")
        with self.clock(4.1):
            complaint.logistics_refresh_sla()
            self.assertEqual(complaint.sla_status, "breached")

    def test_first_response_by_a_public_message_stops_the_response_clock(self):
        complaint = self.complaint(self.customer_a)
        with self.clock(1):
            complaint.with_user(self.user_sales).message_post(body="Internal: checking", subtype_xmlid="mail.mt_note")
            self.assertFalse(complaint.first_response_date, "an internal note is no answer to the customer")
            complaint.with_user(self.user_sales).message_post(
                body="We are sorry, we are checking with the carrier.",
                message_type="comment",
                subtype_xmlid="mail.mt_comment",
            )
            self.assertEqual(complaint.first_response_date, at(1))
        with self.clock(10):  # the response deadline (4 h) is past, but it was kept
            complaint.logistics_refresh_sla()
            self.assertEqual(complaint.sla_status, "on_track")

    def test_answer_by_email_to_the_contact_of_a_customer(self):
        complaint = self.complaint(self.contact_a)
        self.assertEqual(complaint._mail_get_partners()[complaint.id], self.contact_a, "one customer: the contact")
        with self.clock(1):
            # queued, not sent at once (odoo-bin's test mode sends and deletes them right away)
            message = (
                complaint.with_user(self.user_sales)
                .with_context(mail_notify_force_send=False)
                .message_post(
                    body="We are on it.",
                    message_type="comment",
                    subtype_xmlid="mail.mt_comment",
                    partner_ids=self.contact_a.ids,
                )
            )
        self.assertIn(self.contact_a, message.notified_partner_ids)
        self.assertEqual(complaint.first_response_date, at(1))
        mail = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        self.assertTrue(mail)
        self.assertIn("access_token", mail.body_html, "the email links to the complaint's portal page")

    def test_mark_as_answered_after_a_call(self):
        complaint = self.complaint(self.customer_b)
        with self.clock(2):
            complaint.action_mark_responded()
        self.assertEqual(complaint.first_response_date, at(2))
        with self.clock(3):
            complaint.action_mark_responded()
        self.assertEqual(complaint.first_response_date, at(2), "the first response stays the first")

    def test_closed_in_time_is_met_and_late_is_breached(self):
        in_time = self.complaint(self.customer_a)
        late = self.complaint(self.customer_a)
        with self.clock(1):
            (in_time | late).action_mark_responded()
        with self.clock(20):
            in_time.write({"resolution": "Redelivered free of charge.", "stage_id": self.stage_closed.id})
        with self.clock(50):
            late.write({"resolution": "Redelivered free of charge.", "stage_id": self.stage_closed.id})
        self.assertEqual(in_time.sla_status, "met")
        self.assertEqual(in_time.date_closed, at(20))
        self.assertAlmostEqual(in_time.hours_to_close, 20.0)
        self.assertEqual(late.sla_status, "breached")
        self.assertEqual(late.date_closed, at(50))

    def test_closing_counts_as_first_response(self):
        complaint = self.complaint(self.customer_a)
        with self.clock(2):
            complaint.write({"resolution": "Solved on the phone.", "stage_id": self.stage_closed.id})
        self.assertEqual(complaint.first_response_date, at(2))
        self.assertEqual(complaint.sla_status, "met")

    def test_waiting_for_the_customer_pauses_the_clock(self):
        complaint = self.complaint(self.customer_a)
        with self.clock(1):
            complaint.action_mark_responded()
        with self.clock(10):
            complaint.action_wait_customer()
            self.assertEqual(complaint.sla_paused_since, at(10))
        with self.clock(60):  # past the 48 h deadline, but paused: not breached
            complaint.logistics_refresh_sla()
            self.assertEqual(complaint.sla_status, "on_track")
            self.Complaint.logistics_escalate_overdue()
            self.assertEqual(complaint.escalation_level, 0)
            complaint.action_investigate()
        self.assertFalse(complaint.sla_paused_since)
        self.assertAlmostEqual(complaint.sla_paused_hours, 50.0)
        self.assertEqual(complaint.resolution_deadline, at(48 + 50), "the deadline moves on by the pause")
        with self.clock(97):
            complaint.logistics_refresh_sla()
            self.assertEqual(complaint.sla_status, "at_risk")
        with self.clock(99):
            complaint.logistics_refresh_sla()
            self.assertEqual(complaint.sla_status, "breached")

    def test_pause_moves_the_response_deadline_only_while_unanswered(self):
        complaint = self.complaint(self.customer_a)
        with self.clock(1):
            complaint.action_wait_customer()
        with self.clock(11):
            complaint.action_investigate()
        self.assertEqual(complaint.response_deadline, at(14))
        self.assertEqual(complaint.resolution_deadline, at(58))

    def test_deadlines_in_working_hours_of_the_tier_calendar(self):
        calendar = self.env["resource.calendar"].create(
            {
                "name": "Office 9-17 UTC",
                "tz": "UTC",
                "attendance_ids": [
                    Command.create({"name": f"Day {day}", "dayofweek": str(day), "hour_from": 9, "hour_to": 17})
                    for day in range(5)
                ],
            }
        )
        self.tier_a.complaint_calendar_id = calendar
        # Friday 15:00: 2 working hours on Friday, then Monday from 9:00
        complaint = self.complaint(self.customer_a, hours=4 * 24 + 7)
        self.assertEqual(complaint.sla_start, at(4 * 24 + 7))
        self.assertEqual(complaint.response_deadline, at(7 * 24 + 3), "Monday 11:00")
        # 48 working hours: 2 on Friday, 40 the next week, 6 on the Monday after
        self.assertEqual(complaint.resolution_deadline, at(14 * 24 + 7), "Monday 15:00, 10 days later")
        with self.clock(5 * 24 + 12):  # Saturday noon: no working hour used, on track
            complaint.logistics_refresh_sla()
            self.assertEqual(complaint.sla_status, "on_track")
        with self.clock(7 * 24 + 2.5):  # Monday 10:30: 0.5 of 4 working hours left
            complaint.logistics_refresh_sla()
            self.assertEqual(complaint.sla_status, "at_risk")

    def test_linking_a_customer_later_takes_its_tier(self):
        complaint = self.complaint(self.customer_c)
        self.assertEqual(complaint.resolution_deadline, at(120))
        with self.clock(3):
            complaint.partner_id = self.customer_a
        self.assertEqual(complaint.tier_id, self.tier_a)
        self.assertEqual(complaint.resolution_deadline, at(48), "from the SLA start, not from the change")

    def test_reopening_clears_the_closing(self):
        complaint = self.complaint(self.customer_b)
        with self.clock(5):
            complaint.write({"resolution": "Credit note sent.", "stage_id": self.stage_closed.id})
        with self.clock(6):
            complaint.action_reopen()
        self.assertEqual(complaint.stage_id, self.stage_investigating)
        self.assertFalse(complaint.date_closed)
        self.assertEqual(complaint.sla_status, "on_track")


@tagged("post_install", "-at_install")
class TestComplaintWorkflow(ComplaintCase):
    def test_form_walks_from_new_to_closed(self):
        with self.clock(0):
            form = Form(self.Complaint.with_user(self.user_sales))
            form.partner_id = self.customer_b
            form.subject = "Two pallets short"
            form.description = "Delivery note says 20 pallets, we received 18."
            form.category_id = self.env.ref("logistics_crm.complaint_category_loss")
            self.assertEqual(form.user_id, self.user_sales)
            complaint = form.save()
        self.assertEqual(complaint.response_deadline, at(8))
        complaint = complaint.with_user(self.user_sales)
        with self.clock(1):
            complaint.action_mark_responded()  # called the customer back
            complaint.action_investigate()
            self.assertEqual(complaint.stage_id, self.stage_investigating)
            complaint.write({"root_cause_type": "warehouse", "root_cause": "Picking error at the Ningbo warehouse."})
            complaint.action_propose_solution()
            self.assertEqual(complaint.stage_id, self.env.ref("logistics_crm.complaint_stage_solution"))
            complaint.write({"corrective_action": "Deliver the 2 pallets tomorrow.", "compensation_amount": 300.0})
        with self.clock(20):
            complaint.action_resolve()
            self.assertEqual(complaint.stage_id, self.stage_resolved)
            complaint.resolution = "The 2 missing pallets were delivered; 300 credited."
            complaint.action_close()
        self.assertEqual(complaint.stage_id, self.stage_closed)
        self.assertTrue(complaint.is_closed)
        self.assertEqual(complaint.sla_status, "met")

    def test_stage_changes_are_tracked_in_the_chatter(self):
        complaint = self.complaint(self.customer_b)
        self.env.flush_all()
        self.env.cr.precommit.run()  # the creation's own transaction
        for action in ("action_investigate", "action_propose_solution", "action_resolve"):
            getattr(complaint, action)()
            self.env.flush_all()
            self.env.cr.precommit.run()  # tracking is written when the transaction ends
        tracked = complaint.message_ids.tracking_value_ids.filtered(lambda v: v.field_id.name == "stage_id")
        self.assertEqual(
            tracked.mapped("new_value_char"), ["Resolved", "Solution proposed", "Investigating"], "newest first"
        )

    def test_refuse_needs_a_reason(self):
        complaint = self.complaint(self.customer_c)
        with self.assertRaisesRegex(ValidationError, "cannot be closed without a resolution"), self.env.cr.savepoint():
            complaint.action_refuse()
        self.assertEqual(complaint.stage_id, self.stage_new)
        complaint.resolution = "The delay was caused by the customs inspection the customer requested."
        complaint.action_refuse()
        self.assertEqual(complaint.stage_id, self.stage_refused)
        self.assertTrue(complaint.date_closed)

    def test_assign_to_me(self):
        complaint = self.complaint(self.customer_c)
        complaint.with_user(self.team_leader).action_assign_to_me()
        self.assertEqual(complaint.user_id, self.team_leader)

    def test_acknowledgement_and_resolution_emails_from_the_stages(self):
        complaint = self.complaint(self.contact_a)
        self.env.flush_all()
        self.env.cr.precommit.run()  # stage templates are sent when the transaction ends
        received = complaint.message_ids.filtered(lambda m: "we received your complaint" in (m.subject or ""))
        self.assertEqual(len(received), 1)
        self.assertIn(self.contact_a, received.partner_ids)
        self.assertIn(complaint.name, received.subject)
        self.assertFalse(received.is_internal, "the customer sees it in the portal thread")
        self.assertEqual(received.message_type, "auto_comment")
        self.assertFalse(complaint.first_response_date, "an automatic acknowledgement is no answer")
        complaint.action_resolve()
        self.env.flush_all()
        self.env.cr.precommit.run()
        resolved = complaint.message_ids.filtered(lambda m: "your complaint is resolved" in (m.subject or ""))
        self.assertEqual(len(resolved), 1)


@tagged("post_install", "-at_install")
class TestComplaintBadInput(ComplaintCase):
    @mute_logger("odoo.sql_db")
    def test_empty_description_is_refused(self):
        count = self.Complaint.search_count([])
        for description in ("", "   \n "):
            with self.assertRaisesRegex(ValidationError, "description"), self.env.cr.savepoint():
                self.Complaint.create({"partner_id": self.customer_a.id, "description": description})
        complaint = self.complaint(self.customer_a)
        with self.assertRaisesRegex(ValidationError, "description"), self.env.cr.savepoint():
            complaint.description = " "
        self.assertEqual(self.Complaint.search_count([]), count + 1)
        self.assertEqual(complaint.description, "The container arrived two days late.")

    def test_closing_without_resolution_is_refused(self):
        complaint = self.complaint(self.customer_a)
        for stage in (self.stage_closed, self.stage_refused):
            with self.assertRaisesRegex(ValidationError, "without a resolution"), self.env.cr.savepoint():
                complaint.write({"stage_id": stage.id})
        self.assertEqual(complaint.stage_id, self.stage_new)
        self.assertFalse(complaint.date_closed)
        with self.assertRaisesRegex(ValidationError, "without a resolution"), self.env.cr.savepoint():
            self.Complaint.create(
                {"partner_id": self.customer_a.id, "description": "x", "stage_id": self.stage_closed.id}
            )

    def test_clearing_the_resolution_of_a_closed_complaint_is_refused(self):
        complaint = self.complaint(self.customer_a)
        complaint.write({"resolution": "Done.", "stage_id": self.stage_closed.id})
        with self.assertRaisesRegex(ValidationError, "without a resolution"), self.env.cr.savepoint():
            complaint.resolution = ""
        self.assertEqual(complaint.resolution, "Done.")

    @mute_logger("odoo.sql_db")
    def test_negative_compensation_is_refused(self):
        complaint = self.complaint(self.customer_a)
        with self.assertRaisesRegex(ValidationError, "cannot be negative"), self.env.cr.savepoint():
            complaint.compensation_amount = -50.0
        self.assertEqual(complaint.compensation_amount, 0.0)

    def test_customer_of_another_company_is_refused(self):
        other_company = self.env["res.company"].create({"name": "Dalian Branch"})
        foreign = self._customer("Dalian Only Customer", company_id=other_company.id)
        with self.assertRaisesRegex(ValidationError, "belongs to company"), self.env.cr.savepoint():
            self.Complaint.create({"partner_id": foreign.id, "description": "Late."})

    def test_error_messages_in_chinese(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["logistics_crm"], ["zh_CN"], overwrite=True)
        complaint = self.complaint(self.customer_a).with_context(lang="zh_CN")
        with self.assertRaises(ValidationError) as caught, self.env.cr.savepoint():
            complaint.action_close()
        self.assertIn("处理结果", str(caught.exception))
