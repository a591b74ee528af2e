from datetime import timedelta

from odoo.tests import tagged

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestCarePlan(LogisticsCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.care = cls.env.ref("logistics_crm.mail_activity_type_logistics_care")
        cls.key = cls._customer("Key Steel Mill")  # tier A: care every 30 days
        cls._order(cls.key, 90000, days_ago=15)
        cls.regular = cls._customer("Regular Trader")  # tier C: no care plan
        cls._order(cls.regular, 500, days_ago=15)
        cls.orphan = cls._customer("Key without salesperson", user_id=False)
        cls._order(cls.orphan, 60000, days_ago=15)

    def care_activities(self, partner):
        return partner.activity_ids.filtered(lambda a: a.activity_type_id == self.care)

    def test_new_key_account_is_due_at_once_and_planned_once(self):
        self.recompute()
        self.assertEqual(self.key.logistics_tier_id, self.tier_a)
        self.assertEqual(self.key.logistics_next_contact_date, self.today)
        self.assertFalse(self.regular.logistics_next_contact_date, "tier C has no care interval")
        created = self.env["res.partner"].logistics_schedule_care_activities()
        activity = self.care_activities(self.key)
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.user_sales)
        self.assertEqual(activity.date_deadline, self.today)
        self.assertFalse(self.care_activities(self.regular))
        self.assertFalse(self.care_activities(self.orphan), "no salesperson: nobody to plan it for")
        self.assertGreaterEqual(created, 1)
        # planning again adds nothing while the activity is open
        self.assertEqual(self.env["res.partner"].logistics_schedule_care_activities(), 0)
        self.assertEqual(len(self.care_activities(self.key)), 1)

    def test_done_contact_moves_the_next_one_by_the_care_interval(self):
        self.recompute()
        self.env["res.partner"].logistics_schedule_care_activities()
        self.care_activities(self.key).with_user(self.user_sales).action_feedback(feedback="Called: 3 cargoes in Q1")
        self.assertEqual(self.key.logistics_last_contact_date, self.today)
        self.assertEqual(self.key.logistics_next_contact_date, self.today + timedelta(days=30))
        self.assertEqual(self.env["res.partner"].logistics_schedule_care_activities(), 0, "not due again yet")
        # the recomputation keeps the planned date
        summary = self.recompute()
        self.assertEqual(self.key.logistics_next_contact_date, self.today + timedelta(days=30))
        self.assertEqual(summary["changed"], 0)

    def test_activity_on_a_contact_counts_for_the_company(self):
        self.recompute()
        contact = self.env["res.partner"].create({"name": "Zhang Min", "parent_id": self.key.id})
        contact.activity_schedule("mail.mail_activity_data_call", user_id=self.user_sales.id).action_done()
        self.assertEqual(self.key.logistics_last_contact_date, self.today)

    def test_care_interval_change_moves_the_plan(self):
        self.recompute()
        self.key.logistics_last_contact_date = self.today - timedelta(days=10)
        self.assertEqual(self.key.logistics_next_contact_date, self.today + timedelta(days=20))
        self.tier_a.care_interval_days = 7
        self.assertEqual(self.key.logistics_next_contact_date, self.today - timedelta(days=3))
        self.assertEqual(self.env["res.partner"].logistics_schedule_care_activities(), 1)
