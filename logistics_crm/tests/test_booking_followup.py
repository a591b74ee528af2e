"""Pickup and delivery bookings (issue #14) after the workflow: the confirmation mail, the lifecycle
stage and the satisfaction survey after a booking done, automated actions and the dispatch figures."""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_booking import WINDOW_END, WINDOW_START, BookingCase, tomorrow_at
from .common_satisfaction import SatisfactionCase

CONFIRMATION_TEMPLATE = "logistics_crm.mail_template_logistics_booking_confirmed"
SURVEY_TEMPLATE = "logistics_crm.mail_template_logistics_survey_invite"
SURVEY_LOGGER = "odoo.addons.logistics_crm.models.logistics_booking_survey"


@tagged("post_install", "-at_install", "logistics_crm")
class TestBookingConfirmationMail(BookingCase):
    """Confirming emails the person who booked (the shipped template, editable)."""

    def _confirm(self, booking):
        # queued, not sent at once (odoo-bin's test mode sends and deletes them right away)
        booking.with_user(self.dispatcher).with_context(mail_notify_force_send=False).action_confirm()
        return self._comments(booking)

    def _mail_to(self, message, partner):
        """The email queued for ``message`` to ``partner``."""
        mails = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        return mails.filtered(lambda mail: partner in mail.recipient_ids)

    def test_confirmation_to_the_contact(self):
        booking = self._booking(contact_id=self.contact_li.id)
        self.assertFalse(self._comments(booking))
        message = self._confirm(booking)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.message_type, "comment")
        self.assertFalse(message.is_internal, "the customer sees it in the portal thread")
        self.assertIn(booking.name, message.subject)
        self.assertIn(booking.name, message.body)
        self.assertIn("Qingdao", message.body)
        self.assertIn("12 pallets of ceramic tiles", message.body)
        self.assertEqual(message.partner_ids, self.contact_li)
        # the customer's copy (the dispatcher following the booking gets their own)
        mail = self._mail_to(message, self.contact_li)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.state, "outgoing")
        self.assertEqual(mail.recipient_ids, self.contact_li)
        self.assertEqual(mail.recipient_ids.email, "li.na@sd-tiles.example.com")
        self.assertIn(booking.name, mail.body_html)
        self.assertIn("access_token", mail.body_html, "the email links to the booking's portal page")

    def test_confirmation_to_the_customer_without_contact(self):
        booking = self._booking()
        message = self._confirm(booking)
        self.assertEqual(len(message), 1)
        self.assertEqual(message.partner_ids, self.shipper)
        mail = self._mail_to(message, self.shipper)
        self.assertEqual(len(mail), 1)
        self.assertEqual(mail.recipient_ids.email, "logistics@sd-tiles.example.com")

    def test_confirmation_of_a_contact_without_email_goes_to_the_customer(self):
        """The person who booked has no email address: the confirmation goes to the typed on-site email,
        else to the customer company, never into the void."""
        booking = self._booking(contact_id=self.contact_wu.id, email=False)
        message = self._confirm(booking)
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(message.partner_ids, self.shipper)
        self.assertTrue(self._mail_to(message, self.shipper))
        typed = self._booking(contact_id=self.contact_wu.id, email="gate@sd-tiles.example.com")
        message = self._confirm(typed)
        mails = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        addresses = " ".join(filter(None, mails.mapped("email_to") + mails.recipient_ids.mapped("email")))
        self.assertIn("gate@sd-tiles.example.com", addresses)
        self.assertNotIn(self.shipper, message.partner_ids)

    def test_confirmation_tells_the_window_in_the_customers_time_zone(self):
        self.contact_li.tz = "Asia/Shanghai"
        booking = self._booking(contact_id=self.contact_li.id)
        self.assertEqual(booking.window_tz, "Asia/Shanghai")
        message = self._confirm(booking)
        # 09:00-12:00 UTC is 17:00-20:00 in Shanghai
        self.assertIn("Asia/Shanghai", message.body)
        self.assertRegex(message.body, r"5:00:00\s?PM")
        self.assertNotRegex(message.body, r"9:00:00\s?AM")
        self.contact_li.tz = False
        self.shipper.tz = False
        self.dispatcher.tz = "Europe/Brussels"
        booking.user_id = self.dispatcher
        booking.invalidate_recordset(["window_tz"])
        self.assertEqual(booking.window_tz, "Europe/Brussels", "else the dispatcher's")

    def test_confirmation_to_a_typed_email_without_contact(self):
        # booked by phone: the dispatcher types the on-site email and chooses no contact
        booking = self._booking(email="gate.keeper@sd-tiles.example.com", contact_name="Gate keeper")
        message = self._confirm(booking)
        self.assertEqual(booking.state, "confirmed")
        self.assertEqual(len(message), 1)
        self.assertIn(booking.name, message.body)
        mails = self.env["mail.mail"].search([("mail_message_id", "=", message.id)])
        addresses = mails.mapped("email_to") + mails.recipient_ids.mapped("email")
        self.assertIn("gate.keeper@sd-tiles.example.com", " ".join(filter(None, addresses)), "to the typed address")

    def test_no_address_to_write_to_still_confirms(self):
        silent = self._customer("Silent Farms", street="3 Field Road", city="Linyi")
        booking = self._booking(partner_id=silent.id, address_id=silent.id)
        self.assertFalse(self._confirm(booking))
        self.assertEqual(booking.state, "confirmed")

    def test_template_is_shipped_and_editable(self):
        template = self.env.ref(CONFIRMATION_TEMPLATE)
        self.assertEqual(template.model_id.model, "logistics.booking")
        data = self.env["ir.model.data"].search(
            [("module", "=", "logistics_crm"), ("name", "=", "mail_template_logistics_booking_confirmed")]
        )
        self.assertTrue(data.noupdate, "an update of the module keeps the company's changes")
        template.write(
            {
                "subject": "Booked: {{ object.name }}",
                "body_html": '<p>Custom text for <t t-out="object.name"/> in <t t-out="object.city"/></p>',
            }
        )
        booking = self._booking(contact_id=self.contact_li.id)
        message = self._confirm(booking)
        self.assertEqual(message.subject, f"Booked: {booking.name}")
        self.assertIn(f"Custom text for {booking.name} in Qingdao", message.body)

    def test_confirmation_without_template_still_confirms(self):
        self.env.ref(CONFIRMATION_TEMPLATE).unlink()
        booking = self._booking(contact_id=self.contact_li.id)
        self.assertFalse(self._confirm(booking))
        self.assertEqual(booking.state, "confirmed")


@tagged("post_install", "-at_install", "logistics_crm")
class TestBookingLifecycle(BookingCase):
    """A booking done is a sign of life: the customer's lifecycle stage counts from it."""

    def _stage(self, partner, company=None):
        return partner.with_company(company or self.company).logistics_stage

    def _old_customer(self, name, days_ago):
        customer = self._customer(name, street="9 Old Road", city="Tai'an")
        self._order(customer, 1000, days_ago=days_ago)
        return customer

    def _done(self, customer, company=None):
        booking = self.Booking.with_company(company or self.company).create(
            self._booking_vals(partner_id=customer.id, address_id=customer.id)
        )
        booking.action_confirm()
        booking.action_done()
        return booking

    def test_booking_done_makes_a_dormant_or_lost_customer_active(self):
        dormant = self._old_customer("Dormant Shipper", days_ago=250)
        lost = self._old_customer("Lost Shipper", days_ago=500)
        self.recompute()
        self.assertEqual(self._stage(dormant), "dormant")
        self.assertEqual(self._stage(lost), "lost")
        self._done(dormant)
        self._done(lost)
        self.recompute()
        self.assertEqual(self._stage(dormant), "active")
        self.assertEqual(self._stage(lost), "active")
        self.assertEqual(dormant.with_company(self.company).logistics_last_order_date, self.today - timedelta(days=250))

    def test_booking_done_counts_from_its_done_date(self):
        customer = self._old_customer("Moved long ago", days_ago=500)
        booking = self._done(customer)
        booking.date_done = fields.Datetime.now() - timedelta(days=200)
        self.recompute()
        self.assertEqual(self._stage(customer), "dormant", "its last sign of life: the booking 200 days ago")

    def test_open_or_cancelled_bookings_do_not_count(self):
        customer = self._old_customer("Cancelling Shipper", days_ago=250)
        for action in ("action_cancel", "action_confirm", "action_schedule", None):
            booking = self.Booking.create(self._booking_vals(partner_id=customer.id, address_id=customer.id))
            if action:
                getattr(booking, action)()
        self.recompute()
        self.assertEqual(self._stage(customer), "dormant")

    def test_booking_of_another_company_does_not_count_here(self):
        shared = self._old_customer("Shared Shipper", days_ago=250)
        self._done(shared, company=self.company_b)
        self.env["res.partner"].with_context(
            allowed_company_ids=[self.company.id, self.company_b.id]
        ).logistics_recompute_tiers()
        self.assertEqual(self._stage(shared), "dormant", "company A saw no sign of life")
        self.assertEqual(self._stage(shared, self.company_b), "active", "company B moved its goods")


@tagged("post_install", "-at_install", "logistics_crm")
class TestBookingSurvey(BookingCase, SatisfactionCase):
    """A booking done invites the person who booked to the satisfaction survey, by tier frequency."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tier_a.survey_frequency_days = 90
        cls.tier_b.survey_frequency_days = 180
        cls.tier_c.survey_frequency_days = 365
        cls.company.logistics_survey_on_booking = True
        cls.shipper.with_company(cls.company).write({"logistics_tier_id": cls.tier_b.id})

    def _done(self, **vals):
        booking = self._booking(**vals)
        booking.action_confirm()
        booking.with_user(self.dispatcher).action_done()
        return booking

    def test_done_invites_the_contact(self):
        booking = self._done(contact_id=self.contact_li.id)
        answer = self.Answer.search([("logistics_booking_id", "=", booking.id)])
        self.assertEqual(len(answer), 1)
        self.assertEqual(booking.logistics_survey_input_ids, answer)
        self.assertEqual(booking.logistics_survey_count, 1)
        self.assertEqual(answer.survey_id, self.survey)
        self.assertEqual(answer.logistics_source, "booking")
        self.assertEqual(answer.logistics_company_id, self.company)
        self.assertEqual(answer.partner_id, self.contact_li)
        self.assertEqual(answer.logistics_partner_id, self.shipper)
        self.assertEqual(answer.logistics_tier_id, self.tier_b)
        self.assertEqual(answer.logistics_salesperson_id, self.user_sales, "the customer's salesperson")
        self.assertTrue(answer.access_token)
        mail = self._mails(answer)
        self.assertEqual(mail.recipient_ids, self.contact_li)
        self.assertIn(answer.get_start_url(), mail.body_html)
        self.assertEqual(len(self._notes(booking)), 1)
        self.assertIn(self.contact_li.name, self._notes(booking).body)

    def test_contact_without_email_the_customer_is_invited(self):
        booking = self._done(contact_id=self.contact_wu.id)
        self.assertEqual(booking.logistics_survey_input_ids.partner_id, self.shipper)

    def test_company_setting_off_invites_nobody(self):
        self.company.logistics_survey_on_booking = False
        booking = self._done(contact_id=self.contact_li.id)
        self.assertEqual(booking.state, "done")
        self.assertFalse(self.Answer.search([("logistics_booking_id", "=", booking.id)]))
        self.assertFalse(self._notes(booking))
        # by hand it can still be sent
        booking.action_send_satisfaction_survey()
        self.assertEqual(booking.logistics_survey_input_ids.logistics_source, "booking")

    def test_tier_without_frequency_invites_nobody(self):
        self.tier_b.survey_frequency_days = 0
        booking = self._done(contact_id=self.contact_li.id)
        self.assertFalse(self.Answer.search([("logistics_booking_id", "=", booking.id)]))

    def test_not_twice_for_one_booking(self):
        booking = self._done(contact_id=self.contact_li.id)
        answer = booking.logistics_survey_input_ids
        self.assertEqual(len(answer), 1)
        # long after (the frequency would allow a new invitation): the booking is surveyed already
        self._backdate_invitation(answer, 400)
        self.assertFalse(booking._logistics_send_done_survey())
        self.assertEqual(self.Answer.search([("logistics_booking_id", "=", booking.id)]), answer)
        self.assertEqual(len(self._notes(booking)), 1)

    def test_customer_invited_recently_is_not_invited_again(self):
        first = self._done(contact_id=self.contact_li.id)
        self.assertTrue(first.logistics_survey_input_ids)
        second = self._done(contact_id=self.contact_li.id)
        self.assertFalse(second.logistics_survey_input_ids, "tier B: once per 180 days")
        # two bookings done together: one invitation for the customer
        third, fourth = self._booking(), self._booking()
        (third | fourth).action_confirm()
        self._backdate_invitation(first.logistics_survey_input_ids, 200)
        (third | fourth).action_done()
        self.assertEqual(len((third | fourth).logistics_survey_input_ids), 1)

    def test_periodic_invitation_within_the_frequency_counts(self):
        invitation = self._start(self.contact_li, logistics_source="periodic")
        self._backdate_invitation(invitation, 30)
        booking = self._done(contact_id=self.contact_li.id)
        self.assertFalse(booking.logistics_survey_input_ids, "invited 30 days ago, tier B asks every 180 days")
        self._backdate_invitation(invitation, 181)
        other = self._done(contact_id=self.contact_li.id)
        self.assertEqual(other.logistics_survey_input_ids.partner_id, self.contact_li)

    def test_send_by_hand_refuses_an_open_or_surveyed_booking(self):
        for state in ("requested", "confirmed", "scheduled", "cancelled"):
            booking = self._in_state(state, contact_id=self.contact_li.id)
            with self.subTest(state=state):
                with self.assertRaisesRegex(UserError, "is not done yet"), self.env.cr.savepoint():
                    booking.action_send_satisfaction_survey()
                self.assertFalse(self.Answer.search([("logistics_booking_id", "=", booking.id)]))
        surveyed = self._done(contact_id=self.contact_li.id)
        answer = surveyed.logistics_survey_input_ids
        with self.assertRaisesRegex(UserError, "already sent a satisfaction survey"), self.env.cr.savepoint():
            surveyed.action_send_satisfaction_survey()
        self.assertEqual(self.Answer.search([("logistics_booking_id", "=", surveyed.id)]), answer)

    def test_send_by_hand_refuses_a_customer_without_email(self):
        silent = self._customer("Silent Orchards", street="4 Orchard Road", city="Yantai")
        booking = self._done(partner_id=silent.id, address_id=silent.id)
        self.assertEqual(booking.state, "done")
        self.assertFalse(booking.logistics_survey_input_ids)
        with self.assertRaisesRegex(UserError, "has no customer email address"), self.env.cr.savepoint():
            booking.action_send_satisfaction_survey()

    def test_archived_survey_never_blocks_done(self):
        self.survey.active = False
        booking = self._done(contact_id=self.contact_li.id)
        self.assertEqual(booking.state, "done")
        self.assertTrue(booking.date_done)
        self.assertFalse(self.Answer.search([("logistics_booking_id", "=", booking.id)]))

    @mute_logger("odoo.addons.mail.models.mail_render_mixin")
    def test_broken_template_never_blocks_done(self):
        self.env.ref(SURVEY_TEMPLATE).body_html = '<p><t t-out="object.logistics_no_such_field"/></p>'
        with self.assertLogs(SURVEY_LOGGER, "ERROR") as logged:
            booking = self._done(contact_id=self.contact_li.id)
        self.assertIn(booking.name, logged.output[0], "the failure is logged, naming the booking")
        self.assertEqual(booking.state, "done")
        self.assertTrue(booking.date_done)
        self.assertFalse(self.Answer.search([("logistics_booking_id", "=", booking.id)]), "the failed one is undone")
        self.assertFalse(self._notes(booking))


@tagged("post_install", "-at_install", "logistics_crm")
class TestBookingAutomation(BookingCase):
    """Automated actions on bookings, the dispatch figures and the customer's smart button."""

    def _rule(self, name, trigger, server_action_vals, **vals):
        self.addCleanup(self.env.registry.clear_all_caches)
        model_id = self.env["ir.model"]._get_id("logistics.booking")
        action = self.env["ir.actions.server"].create({"name": name, "model_id": model_id, **server_action_vals})
        return self.env["base.automation"].create(
            {
                "name": name,
                "model_id": model_id,
                "trigger": trigger,
                "action_server_ids": [Command.link(action.id)],
                **vals,
            }
        )

    def test_rule_on_state_set_to_done_plans_an_activity(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        done_value = self.env["ir.model.fields.selection"].search(
            [("field_id.model", "=", "logistics.booking"), ("field_id.name", "=", "state"), ("value", "=", "done")]
        )
        self.assertEqual(len(done_value), 1)
        self._rule(
            "Invoice the transport",
            "on_state_set",
            {
                "state": "next_activity",
                "activity_type_id": todo.id,
                "activity_summary": "Invoice the transport",
                "activity_user_type": "specific",
                "activity_user_id": self.dispatch_manager.id,
            },
            trg_selection_field_id=done_value.id,
        )
        booking = self._booking()
        booking.with_user(self.dispatcher).action_confirm()
        booking.with_user(self.dispatcher).action_schedule()
        self.assertFalse(booking.activity_ids, "not before it is done")
        booking.with_user(self.dispatcher).action_done()
        activity = booking.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.summary, "Invoice the transport")
        self.assertEqual(activity.user_id, self.dispatch_manager)
        self.assertEqual(activity.activity_type_id, todo)

    def test_rule_on_write_with_a_filter(self):
        self._rule(
            "Call back after a cancellation",
            "on_create_or_write",
            {"state": "code", "code": "record.message_post(body='Rule: call the customer back')"},
            trigger_field_ids=[Command.link(self.env["ir.model.fields"]._get("logistics.booking", "state").id)],
            filter_domain="[('state', '=', 'cancelled')]",
        )
        booking = self._booking()
        booking.action_confirm()

        def fired():
            return booking.message_ids.filtered(lambda m: "Rule: call the customer back" in (m.body or ""))

        self.assertFalse(fired())
        booking.with_user(self.dispatcher).action_cancel()
        self.assertEqual(len(fired()), 1)

    def test_server_action_calls_the_workflow_buttons(self):
        bookings = self._booking() | self._booking()
        action = self.env["ir.actions.server"].create(
            {
                "name": "Schedule the selected bookings",
                "model_id": self.env["ir.model"]._get_id("logistics.booking"),
                "state": "code",
                "code": "records.action_schedule()",
            }
        )
        action.with_user(self.dispatcher).with_context(active_model="logistics.booking", active_ids=bookings.ids).run()
        self.assertEqual(bookings.mapped("state"), ["scheduled", "scheduled"])

    def test_bookings_per_week_and_type(self):
        week_1 = {"date_start": tomorrow_at(WINDOW_START), "date_end": tomorrow_at(WINDOW_END)}
        week_2 = {key: value + timedelta(days=7) for key, value in week_1.items()}
        self._booking(weight_kg=1000, **week_1)
        self._booking(weight_kg=500, **week_1)
        self._booking(booking_type="delivery", weight_kg=200, **week_1)
        self._booking(weight_kg=50, **week_2)
        # the pivot and the graph read this (the whole base, with the demo bookings)
        everything = self.Booking._read_group([], ["date_start:week", "booking_type"], ["__count", "weight_kg:sum"])
        self.assertGreaterEqual(sum(count for _week, _type, count, _sum in everything), 4)
        rows = self.Booking._read_group(
            [("partner_id", "=", self.shipper.id)],
            ["date_start:week", "booking_type"],
            ["__count", "weight_kg:sum"],
            order="date_start:week, booking_type",
        )
        weeks = sorted({week for week, _type, _count, _sum in rows})
        self.assertEqual(len(weeks), 2)
        self.assertEqual(
            [(weeks.index(week), booking_type, count, total) for week, booking_type, count, total in rows],
            [(0, "delivery", 1, 200.0), (0, "pickup", 2, 1500.0), (1, "pickup", 1, 50.0)],
        )

    def test_dispatch_list_groups_by_city(self):
        self._booking()
        self._booking(address_id=self.shipper.id)
        rows = self.Booking._read_group([("partner_id", "=", self.shipper.id)], ["city"], ["__count"])
        self.assertEqual(dict(rows), {"Qingdao": 1, "Zibo": 1})

    def test_customer_smart_button(self):
        bookings = self._booking() | self._booking(contact_id=self.contact_li.id)
        self._booking_b()
        customer = self.shipper.with_user(self.user_sales)
        self.assertEqual(customer.logistics_booking_count, 2)
        self.assertEqual(
            self.contact_li.with_user(self.user_sales).logistics_booking_count, 2, "a contact: its company's"
        )
        self.assertEqual(self._customer("No Booking Yet").logistics_booking_count, 0)
        action = self.contact_li.with_user(self.user_sales).action_logistics_view_bookings()
        self.assertEqual(action["res_model"], "logistics.booking")
        self.assertEqual(action["domain"], [("partner_id", "=", self.shipper.id)])
        self.assertEqual(action["context"]["default_partner_id"], self.shipper.id)
        self.assertEqual(self.Booking.with_user(self.user_sales).search(action["domain"]), bookings)
