"""Satisfaction surveys (issue #13): the scores of an answer, the customer's figures, the KPI
report and satisfaction as a churn signal."""

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common_complaint import ComplaintCase
from .common_satisfaction import GOOD, SatisfactionCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestAnswerScores(SatisfactionCase):
    def test_done_answer_scores_each_dimension(self):
        answer = self._answer(
            self.contact_1,
            {"expectation": 1, "quality": 2, "value": 3, "satisfaction": 5, "complaint": 4, "loyalty": 8},
            comment="Documents came late once.",
        )
        self.assertEqual(answer.state, "done")
        self.assertTrue(answer.logistics_scored)
        # 1-5 scales: 0 / 25 / 50 / 75 / 100; the 0-10 loyalty question: 8 -> 80
        expected = {"expectation": 0.0, "quality": 25.0, "value": 50.0, "satisfaction": 100.0, "complaint": 75.0}
        self.assertEqual(answer.logistics_scores, {**expected, "loyalty": 80.0})
        for dimension, score in expected.items():
            self.assertEqual(answer[f"logistics_score_{dimension}"], score, dimension)
        self.assertEqual(answer.logistics_score_loyalty, 80.0)
        self.assertEqual(answer.logistics_satisfaction_score, 55.0, "(0 + 25 + 50 + 100 + 75 + 80) / 6")
        self.assertEqual(answer.logistics_recommend_value, 8)
        self.assertEqual(answer.logistics_nps_category, "passive")
        self.assertEqual(answer.logistics_partner_id, self.customer, "scores add up on the contact's company")

    def test_skipped_complaint_question_is_left_out_of_the_index(self):
        answer = self._answer(self.contact_1, {**GOOD, "loyalty": 10})
        self.assertNotIn("complaint", answer.logistics_scores)
        self.assertEqual(set(answer.logistics_scores), {"expectation", "quality", "value", "satisfaction", "loyalty"})
        # (4 x 75 + 100) / 5, not / 6 with a zero for the skipped question
        self.assertEqual(answer.logistics_satisfaction_score, 80.0)
        self.assertEqual(answer.logistics_nps_category, "promoter")

    def test_nps_category_bands(self):
        bands = {0: "detractor", 6: "detractor", 7: "passive", 8: "passive", 9: "promoter", 10: "promoter"}
        for loyalty, category in bands.items():
            answer = self._recommend(self.contact_1, loyalty)
            self.assertEqual(answer.logistics_recommend_value, loyalty)
            self.assertEqual(answer.logistics_score_loyalty, loyalty * 10.0)
            self.assertEqual(answer.logistics_nps_category, category, f"recommend {loyalty}")

    def test_scores_are_empty_until_the_answer_is_done(self):
        answer = self._fill(self._start(self.contact_1), {**GOOD, "loyalty": 3})
        self.assertNotEqual(answer.state, "done")
        self.assertFalse(answer.logistics_scored)
        self.assertFalse(answer.logistics_scores)
        self.assertFalse(answer.logistics_nps_category)
        self.assertEqual(answer.logistics_satisfaction_score, 0.0)
        self.assertEqual(answer.logistics_score_quality, 0.0)
        self.assertEqual(self.customer.logistics_survey_answer_count, 0)
        answer._mark_done()
        self.assertTrue(answer.logistics_scored)
        self.assertEqual(answer.logistics_nps_category, "detractor")
        self.assertEqual(answer.logistics_score_quality, 75.0)
        self.assertEqual(self.customer.logistics_survey_answer_count, 1, "completing it counts it for the customer")

    def test_an_answer_without_any_dimension_is_not_scored(self):
        answer = self._answer(self.contact_1, {}, comment="No time for the scales.")
        self.assertEqual(answer.state, "done")
        self.assertFalse(answer.logistics_scored)
        self.assertFalse(answer.logistics_nps_category)
        self.assertEqual(self.customer.logistics_survey_answer_count, 0)

    def test_dimension_only_on_scale_questions(self):
        with self.assertRaisesRegex(ValidationError, "only scale questions"), self.env.cr.savepoint():
            self.env["survey.question"].create(
                {
                    "survey_id": self.survey.id,
                    "title": "What did you like?",
                    "question_type": "text_box",
                    "logistics_dimension": "quality",
                }
            )
        with self.assertRaisesRegex(ValidationError, "only scale questions"), self.env.cr.savepoint():
            self.question_comments.logistics_dimension = "satisfaction"
        with self.assertRaisesRegex(ValidationError, "only scale questions"), self.env.cr.savepoint():
            self.questions["quality"].question_type = "numerical_box"
        # a scale question of any other survey may measure a dimension
        question = self.env["survey.question"].create(
            {
                "survey_id": self.survey.id,
                "title": "How fast do we answer your quotes?",
                "question_type": "scale",
                "scale_min": 0,
                "scale_max": 4,
                "logistics_dimension": "quality",
            }
        )
        self.assertEqual(question.logistics_dimension, "quality")


@tagged("post_install", "-at_install", "logistics_crm")
class TestCustomerFigures(SatisfactionCase):
    """A customer's score, NPS and answer count: over all its contacts, within the company's window."""

    def _figures(self, partner):
        return (
            partner.logistics_nps,
            partner.logistics_survey_answer_count,
            partner.logistics_satisfaction_score,
        )

    def test_company_figures_over_its_contacts(self):
        answers = (
            self._answer(self.contact_1, {"expectation": 5, "quality": 5, "value": 4, "satisfaction": 5, "loyalty": 10})
            | self._answer(self.contact_2, {**GOOD, "loyalty": 9})
            | self._answer(
                self.contact_3,
                {"expectation": 2, "quality": 3, "value": 2, "satisfaction": 3, "complaint": 1, "loyalty": 5},
            )
        )
        indexes = answers.mapped("logistics_satisfaction_score")
        self.assertEqual(indexes, [95.0, 78.0, 33.3])
        score = round(sum(indexes) / 3, 1)
        self.assertEqual(self._figures(self.customer), (33.3, 3, score), "(2 promoters - 1 detractor) / 3")
        self.assertEqual(self.customer.logistics_last_survey_date, max(answers.mapped("end_datetime")).date())
        for contact in self.contact_1 | self.contact_2 | self.contact_3:
            self.assertEqual(self._figures(contact), (33.3, 3, score), contact.name)

    def test_other_customers_keep_their_own_figures(self):
        other = self._customer("Dalian Reefer Logistics")
        other_contact = self._contact(other, "Ma Lin", "ma.lin@dalian-reefer.example.com")
        self._recommend(self.contact_1, 10)
        self._recommend(other_contact, 2)
        self.assertEqual(self._figures(self.customer), (100.0, 1, 80.0))
        self.assertEqual(self._figures(other), (-100.0, 1, 64.0), "(4 x 75 + 20) / 5")

    def test_customer_created_in_the_same_transaction_gets_its_figures(self):
        customer = self._customer("Shantou New Customer", email="desk@shantou-new.example.com")
        self._recommend(customer, 10)
        self.assertEqual(self._figures(customer), (100.0, 1, 80.0))

    def test_answers_leaving_the_window_drop_out(self):
        ten = self._recommend(self.contact_1, 10)
        nine = self._recommend(self.contact_2, 9)
        five = self._recommend(self.contact_3, 5)
        self._age(ten, 300)
        self._age(nine, 400)
        self.Partner.logistics_refresh_satisfaction()
        self.assertEqual(self._figures(self.customer), (0.0, 2, 75.0), "10 and 5 remain within 365 days")
        self.assertEqual(self._figures(self.contact_2), (0.0, 2, 75.0))
        # a shorter window: only the answer of 20 days ago is left
        self.company.logistics_survey_window_days = 30
        self._age(five, 20)
        self.Partner.logistics_refresh_satisfaction()
        self.assertEqual(self._figures(self.customer), (-100.0, 1, 70.0))
        self.assertEqual(self.customer.logistics_last_survey_date, five.end_datetime.date())

    def test_refresh_resets_a_customer_whose_answers_all_left_the_window(self):
        answers = self._recommend(self.contact_1, 10) | self._recommend(self.contact_2, 3)
        self.assertEqual(self.customer.logistics_survey_answer_count, 2)
        self._age(answers, 400)
        written = self.Partner.logistics_refresh_satisfaction()
        self.assertGreaterEqual(written, 1)
        for partner in self.customer | self.contact_1 | self.contact_2:
            self.assertEqual(self._figures(partner), (0.0, 0, 0.0), partner.name)
            self.assertFalse(partner.logistics_last_survey_date)

    def test_refresh_cron_is_the_shipped_job(self):
        cron = self.env.ref("logistics_crm.ir_cron_logistics_satisfaction_refresh")
        answer = self._recommend(self.contact_1, 10)
        self._age(answer, 400)
        self.assertEqual(self.customer.logistics_survey_answer_count, 1, "not until the nightly job")
        cron.method_direct_trigger()
        self.assertEqual(self.customer.logistics_survey_answer_count, 0)


@tagged("post_install", "-at_install", "logistics_crm")
class TestSatisfactionReport(SatisfactionCase, ComplaintCase):
    """The KPI report: a row per completed answer and per complaint, grouped by salesperson."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Report = cls.env["logistics.satisfaction.report"]
        # credited to Li Sales (the customer's salesperson): 10, 9, 5; only one judged a complaint
        cls.answer_10 = cls._answer(
            cls.contact_1,
            {"expectation": 5, "quality": 5, "value": 5, "satisfaction": 5, "complaint": 2, "loyalty": 10},
        )
        cls.answer_9 = cls._recommend(cls.contact_2, 9)
        cls.answer_5 = cls._recommend(cls.contact_3, 5)
        # credited to Wang Manager: a passive
        cls.answer_manager = cls._recommend(cls.contact_1, 7, logistics_salesperson_id=cls.user_manager.id)
        cls.pending = cls._fill(cls._start(cls.contact_2), {**GOOD, "loyalty": 1})
        # complaints: two of Li Sales, one breached; one of Wang Manager
        cls.complaint_ok = cls._complaint_of(cls.user_sales)
        cls.complaint_breached = cls._complaint_of(cls.user_sales)
        cls.complaint_breached.with_context(logistics_complaint_sla_refresh=True).write({"sla_status": "breached"})
        cls.complaint_manager = cls._complaint_of(cls.user_manager)

    @classmethod
    def _complaint_of(cls, owner):
        return cls.env["logistics.complaint"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": owner.id,
                "description": "The trucks waited six hours at the terminal.",
                "category_id": cls.category_delay.id,
            }
        )

    def _rows(self, domain=()):
        return self.Report.search([("partner_id", "=", self.customer.id), *domain])

    def test_a_row_per_completed_answer_and_per_complaint(self):
        rows = self._rows()
        answers = self.answer_10 | self.answer_9 | self.answer_5 | self.answer_manager
        complaints = self.complaint_ok | self.complaint_breached | self.complaint_manager
        self.assertEqual(rows.filtered(lambda r: r.kind == "answer").answer_id, answers)
        self.assertEqual(rows.filtered(lambda r: r.kind == "complaint").complaint_id, complaints)
        self.assertEqual(len(rows), 7, "the answer in progress is no row")
        row = self._rows([("answer_id", "=", self.answer_10.id)])
        self.assertEqual(
            (row.user_id, row.company_id, row.nps_category, row.nps, row.satisfaction_score, row.score_complaint),
            (self.user_sales, self.company, "promoter", 100.0, 87.5, 25.0),
        )
        self.assertEqual(row.date, self.answer_10.end_datetime.date())
        complaint_row = self._rows([("complaint_id", "=", self.complaint_breached.id)])
        self.assertEqual((complaint_row.complaint_count, complaint_row.breached_count), (1, 1))
        self.assertEqual(complaint_row.response_count, 0)

    def test_kpis_per_salesperson(self):
        groups = {
            user: values
            for user, *values in self.Report._read_group(
                [("partner_id", "=", self.customer.id)],
                ["user_id"],
                [
                    "response_count:sum",
                    "satisfaction_score:avg",
                    "nps:avg",
                    "promoter_count:sum",
                    "detractor_count:sum",
                    "score_complaint:avg",
                    "score_loyalty:avg",
                    "complaint_count:sum",
                    "breached_count:sum",
                ],
            )
        }
        self.assertEqual(set(groups), {self.user_sales, self.user_manager})
        responses, score, nps, promoters, detractors, complaint, loyalty, complaints, breached = groups[self.user_sales]
        indexes = (self.answer_10 | self.answer_9 | self.answer_5).mapped("logistics_satisfaction_score")
        self.assertEqual((responses, promoters, detractors), (3, 2, 1))
        self.assertAlmostEqual(score, sum(indexes) / 3, places=6, msg="complaint rows have no score")
        self.assertEqual(round(nps, 1), 33.3, "(+100 + 100 - 100) / 3")
        self.assertEqual(complaint, 25.0, "only one answer judged the complaint handling")
        self.assertEqual(round(loyalty, 1), 80.0, "(100 + 90 + 50) / 3")
        self.assertEqual((complaints, breached), (2, 1))
        responses, score, nps, promoters, detractors, complaint, loyalty, complaints, breached = groups[
            self.user_manager
        ]
        self.assertEqual((responses, score, nps, promoters, detractors), (1, 74.0, 0.0, 0, 0))
        self.assertIs(complaint, False, "nobody judged it: no average (not 0)")
        self.assertEqual((complaints, breached), (1, 0))


@tagged("post_install", "-at_install", "logistics_crm")
class TestSatisfactionChurnSignal(SatisfactionCase):
    """Detractors raise churn risk, promoters lower it (up to 10 points), passives leave it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # four customers ordering the same way: only their answers differ
        cls.detractor = cls._customer("Harbin Grain Export")
        cls.promoter = cls._customer("Xiamen Tea Shippers")
        cls.passive = cls._customer("Hefei Machinery")
        cls.twin = cls._customer("Harbin Twin Trading")
        for customer in (cls.detractor, cls.promoter, cls.passive, cls.twin):
            cls._order(customer, 10000, days_ago=120)
            cls._order(customer, 10000, days_ago=160)
        cls.contacts = {
            customer: cls._contact(customer, f"Buyer of {customer.name}", f"buyer{customer.id}@example.com")
            for customer in (cls.detractor, cls.promoter, cls.passive)
        }

    def _risks(self):
        self.recompute()
        self.env.invalidate_all()
        return {
            customer: customer.logistics_churn_risk
            for customer in (self.detractor, self.promoter, self.passive, self.twin)
        }

    def test_detractors_raise_and_promoters_lower_churn_risk(self):
        before = self._risks()
        twin = before[self.twin]
        self.assertGreater(twin, 10, "room to go down")
        self.assertEqual(set(before.values()), {twin}, "the same customer without answers")
        for loyalty in (3, 6):
            self._recommend(self.contacts[self.detractor], loyalty)
        for loyalty in (9, 10):
            self._recommend(self.contacts[self.promoter], loyalty)
        for loyalty in (7, 8):
            self._recommend(self.contacts[self.passive], loyalty)
        after = self._risks()
        self.assertEqual(after[self.twin], twin)
        self.assertEqual(after[self.detractor], twin + 10, "NPS -100")
        self.assertEqual(after[self.promoter], twin - 10, "NPS +100")
        self.assertEqual(after[self.passive], twin, "NPS 0")

    def test_answers_outside_the_window_or_of_another_company_are_no_signal(self):
        twin = self._risks()[self.twin]
        old = self._recommend(self.contacts[self.detractor], 0)
        self._age(old, 400)
        company_b = self.env["res.company"].create({"name": "Shenzhen Branch"})
        self._recommend(self.contacts[self.promoter], 10, company=company_b)
        after = self._risks()
        self.assertEqual(after[self.detractor], twin)
        self.assertEqual(after[self.promoter], twin)
