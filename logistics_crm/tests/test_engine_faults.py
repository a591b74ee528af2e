from unittest.mock import patch

from odoo import SUPERUSER_ID, Command, api, sql_db
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from ..models import res_partner as res_partner_module
from .common import LogisticsCrmCase

ENGINE_LOGGER = "odoo.addons.logistics_crm.models.logistics_tier_engine"


class EngineCase(LogisticsCrmCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tag = cls.env["res.partner.category"].create({"name": "Tier changed"})
        cls.key = cls._customer("Fault Key Account")
        cls.key_contact = cls.env["res.partner"].create({"name": "Sun Li", "parent_id": cls.key.id})
        cls.middle = cls._customer("Fault Middle Customer")
        cls.small = cls._customer("Fault Small Customer")
        cls.quiet = cls._customer("Fault Prospect")  # no sales: never gets a tier
        cls._order(cls.key, 70000, days_ago=3)
        cls._order(cls.middle, 20000, days_ago=3)
        cls._order(cls.small, 10000, days_ago=3)

    @classmethod
    def _rule(cls, code, field="logistics_tier_id"):
        """A real automated action on res.partner, triggered by a change of ``field``."""
        action = cls.env["ir.actions.server"].create(
            {
                "name": "React to a tier change",
                "model_id": cls.env["ir.model"]._get_id("res.partner"),
                "state": "code",
                "code": code,
            }
        )
        return cls.env["base.automation"].create(
            {
                "name": "Customer tier changed",
                "model_id": cls.env["ir.model"]._get_id("res.partner"),
                "trigger": "on_create_or_write",
                "trigger_field_ids": [Command.link(cls.env["ir.model.fields"]._get("res.partner", field).id)],
                "action_server_ids": [Command.link(action.id)],
            }
        )


@tagged("post_install", "-at_install", "logistics_crm")
class TestAutomatedActionsSeeTheRecompute(EngineCase):
    def tagged_partners(self):
        return self.env["res.partner"].search([("category_id", "in", self.tag.ids)])

    def tiers(self):
        return {
            partner: partner.logistics_tier_id
            for partner in self.env["res.partner"].with_context(active_test=False).search([])
        }

    def test_rule_on_tier_fires_for_exactly_the_changed_customers(self):
        self._rule(f"record.write({{'category_id': [(4, {self.tag.id})]}})")
        before = self.tiers()
        self.recompute()
        after = self.tiers()
        changed = self.env["res.partner"].union(*(p for p in after if after[p] != before.get(p)))
        self.assertEqual(self.tagged_partners(), changed)
        # among them the three customers that got a tier, and the contact sharing its company's tier
        self.assertLessEqual(self.key | self.key_contact | self.middle | self.small, changed)
        self.assertNotIn(self.quiet, changed)
        self.assertEqual(self.key_contact.logistics_tier_id, self.tier_a)
        # nothing changes: the rule fires for no one
        self.tagged_partners().write({"category_id": [Command.unlink(self.tag.id)]})
        self.assertEqual(self.recompute()["changed"], 0)
        self.assertFalse(self.tagged_partners())
        # the small customer grows to the top: only the customers whose tier moved fire
        self._order(self.small, 200000, days_ago=1)
        self.recompute()
        self.assertEqual(self.small.logistics_tier_id, self.tier_a)
        # 210 000 + 70 000 + 20 000: small B -> A, middle A -> B (93 % before it), key stays A
        self.assertEqual((self.key.logistics_tier_id, self.middle.logistics_tier_id), (self.tier_a, self.tier_b))
        self.assertEqual(self.tagged_partners(), self.small | self.middle)

    def test_a_rule_writing_other_fields_gets_the_usual_partner_behaviour(self):
        """The engine's own shortcuts do not leak into what an automated action writes."""
        industry = self.env["res.partner.industry"].create({"name": "Steel and metals"})
        self._rule(f"record.write({{'industry_id': {industry.id}}})")
        self.recompute()
        self.assertEqual(self.key.industry_id, industry)
        self.assertEqual(self.key_contact.industry_id, industry, "commercial fields still reach the contacts")

    def test_rule_on_stage_fires_when_the_recompute_moves_it(self):
        self._rule(f"record.write({{'category_id': [(4, {self.tag.id})]}})", field="logistics_stage")
        self.recompute()
        self.tagged_partners().write({"category_id": [Command.unlink(self.tag.id)]})
        self._order(self.quiet, 500, confirm=False)  # a quotation: potential -> target
        self.recompute()
        self.assertEqual(self.quiet.logistics_stage, "target")
        self.assertEqual(self.tagged_partners(), self.quiet)

    def test_stored_values_that_depend_on_the_tier_follow(self):
        self.recompute()
        self.assertEqual(self.key.logistics_next_contact_date, self.today, "never contacted: due on entering")
        self.assertEqual(self.key_contact.logistics_next_contact_date, self.today)
        in_a = self.env["res.partner"].search_count(
            [("logistics_tier_id", "=", self.tier_a.id), ("is_logistics_customer", "=", True)]
        )
        self.assertGreaterEqual(in_a, 2, "the key account and the middle customer")
        self.assertEqual(self.tier_a.partner_count, in_a)


@tagged("post_install", "-at_install", "logistics_crm")
class TestFailingBatches(EngineCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._rule("if record.name == 'Fault Middle Customer':\n    raise UserError('The rule broke')")

    def test_a_failing_batch_is_logged_and_skipped(self):
        with self.assertLogs(ENGINE_LOGGER, "ERROR") as logs:
            summary = self.env["res.partner"].logistics_recompute_tiers(batch_size=1)
        self.assertEqual(summary["failed_batches"], 1)
        self.assertEqual(summary["written"], summary["changed"] - 1)
        self.assertIn("failed and was skipped", logs.output[0])
        # the batches after the failing one were written; the failing one left nothing behind
        self.assertEqual((self.key.logistics_tier_id, self.small.logistics_tier_id), (self.tier_a, self.tier_b))
        self.assertFalse(self.middle.logistics_tier_id)
        self.assertFalse(self.middle.logistics_stage)
        self.assertFalse(self.middle.logistics_revenue_12m)

    def test_the_daily_job_goes_on_after_a_failing_batch(self):
        cron = self.env.ref("logistics_crm.ir_cron_logistics_recompute_tiers")
        Partner = self.env["res.partner"]
        summaries = []
        with self.assertLogs(ENGINE_LOGGER, "ERROR"):
            for _call in range(500):
                job, progress = cron._add_progress()
                summary = Partner.with_context(cron_id=cron.id, **job.env.context)._cron_logistics_recompute_tiers(
                    batch_size=1
                )
                summaries.append(summary)
                if not progress.remaining:
                    break
        self.assertIn("care_activities", summaries[-1], "the job reached its end")
        self.assertEqual((self.key.logistics_tier_id, self.small.logistics_tier_id), (self.tier_a, self.tier_b))
        self.assertFalse(self.middle.logistics_tier_id)
        self.assertIn(self.middle.id, self.company.logistics_tier_skip["ids"], "kept aside until tomorrow")
        self.assertEqual(sum(s.get("failed_batches", 0) for s in summaries), 1, "tried once, not in a loop")

    def test_run_manually_finishes_every_batch(self):
        # "Run manually" calls the job once, without the cron runner's context
        with self.assertLogs(ENGINE_LOGGER, "ERROR"):
            summary = self.env["res.partner"]._cron_logistics_recompute_tiers(batch_size=1)
        self.assertGreater(summary["changed"], 2)
        self.assertEqual(summary["written"], summary["changed"] - 1, "every batch but the failing one")
        self.assertIn("care_activities", summary)
        self.assertEqual((self.key.logistics_tier_id, self.small.logistics_tier_id), (self.tier_a, self.tier_b))


@tagged("post_install", "-at_install", "logistics_crm")
class TestConcurrentRuns(LogisticsCrmCase):
    """Two runs at once, through two database connections (two Odoo workers)."""

    def other_connection(self):
        return sql_db.db_connect(self.env.cr.dbname).cursor()

    def test_a_second_run_stops_with_a_clear_message(self):
        customer = self._customer("Concurrent Customer")
        self._order(customer, 1000, days_ago=2)
        self.recompute()  # this transaction holds the company's run lock until it ends
        with self.other_connection() as cr2:
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            for call in ("logistics_recompute_tiers", "logistics_schedule_care_activities"):
                with self.subTest(call=call), self.assertRaisesRegex(UserError, "being recomputed right now"):
                    getattr(env2["res.partner"], call)()
                cr2.rollback()
            # the cron does not fail either: it steps back and comes again a few minutes later
            cron = env2.ref("logistics_crm.ir_cron_logistics_recompute_tiers")
            result = env2["res.partner"].with_context(cron_id=cron.id)._cron_logistics_recompute_tiers()
            self.assertIn("busy", result)
            self.assertTrue(env2["ir.cron.trigger"].search([("cron_id", "=", cron.id)]))
            cr2.rollback()

    def test_care_planning_twice_at_once_makes_no_duplicates(self):
        customer = self._customer("Care Twice Ltd")
        self._order(customer, 1000, days_ago=2)
        self.recompute()
        created = self.env["res.partner"].logistics_schedule_care_activities()
        self.assertGreaterEqual(created, 1)
        with self.other_connection() as cr2:
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            with self.assertRaises(UserError):
                env2["res.partner"].logistics_schedule_care_activities()
            cr2.rollback()
        self.assertEqual(self.env["res.partner"].logistics_schedule_care_activities(), 0)


@tagged("post_install", "-at_install", "logistics_crm")
class TestStaleSnapshot(LogisticsCrmCase):
    """Its own class: the run it commits on another connection makes this class's transaction stale."""

    def other_connection(self):
        return sql_db.db_connect(self.env.cr.dbname).cursor()

    def test_a_run_that_started_before_another_finished_stops_cleanly(self):
        """Never a SerializationFailure: a run whose snapshot predates another run's commit stops."""
        with self.other_connection() as cr2, self.other_connection() as cr3:
            cr2.execute("SELECT 1 FROM res_partner LIMIT 1")  # cr2's snapshot is taken now
            env3 = api.Environment(cr3, SUPERUSER_ID, {})
            env3["logistics.tier.engine"]._logistics_run_lock(env3.company)
            cr3.commit()  # another run finishes
            env2 = api.Environment(cr2, SUPERUSER_ID, {})
            with self.assertRaisesRegex(UserError, "has just updated"):
                env2["res.partner"].logistics_recompute_tiers()
            cr2.rollback()


@tagged("post_install", "-at_install", "logistics_crm")
class TestRecomputeNowOnALargeBase(LogisticsCrmCase):
    def test_a_large_base_is_queued_to_the_cron(self):
        customer = self._customer("Queued Customer")
        self._order(customer, 1000, days_ago=2)
        cron = self.env.ref("logistics_crm.ir_cron_logistics_recompute_tiers")
        triggers = self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)])
        with patch.object(res_partner_module, "SYNC_RECOMPUTE_LIMIT", 0):
            result = self.env["res.partner"].with_user(self.user_sales).action_logistics_recompute_tiers()
        self.assertEqual(result["params"]["title"], "Recompute queued")
        self.assertIn("in the background", result["params"]["message"])
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", cron.id)]) - triggers, "the daily job was queued"
        )
        self.assertFalse(customer.logistics_tier_id, "nothing was computed inside the request")
        result = self.env["res.partner"].with_user(self.user_sales).action_logistics_recompute_tiers()
        self.assertEqual(result["params"]["title"], "Tiers recomputed")
        self.assertTrue(customer.logistics_tier_id)


@tagged("post_install", "-at_install", "logistics_crm")
class TestChurnSignalsHook(LogisticsCrmCase):
    """Complaints and surveys feed churn risk through ``_logistics_churn_signals()``, chained by super()."""

    def test_signals_of_an_extension_move_the_churn_risk(self):
        customer = self._customer("Complaining Customer")
        self._order(customer, 1000, days_ago=90)
        self.recompute()
        base_risk = customer.logistics_churn_risk
        engine_cls = type(self.env["logistics.tier.engine"])
        original = engine_cls._logistics_churn_signals

        def with_complaints(engine, company, partner_ids):
            # what the complaint capability's override will do: call super(), add its key
            signals = original(engine, company, partner_ids)
            signals.setdefault(customer.id, {})["open_complaints"] = 2
            return signals

        with patch.object(engine_cls, "_logistics_churn_signals", with_complaints):
            summary = self.recompute()
        self.assertEqual(customer.logistics_churn_risk, base_risk + 10, "two open complaints add 10 points")
        self.assertGreaterEqual(summary["changed"], 1)
        self.assertEqual(self.recompute()["changed"], 1, "without the signal the risk falls back")
        self.assertEqual(customer.logistics_churn_risk, base_risk)


@tagged("post_install", "-at_install", "logistics_crm")
class TestCallerContext(EngineCase):
    def test_the_recompute_ignores_the_callers_context(self):
        archived = self.env["logistics.customer.tier"].create(
            {"name": "Archived Platinum", "code": "X", "sequence": 1, "revenue_share_cutoff": 50}
        )
        archived.active = False
        self.env["res.partner"].with_user(self.user_sales).with_context(active_test=False).logistics_recompute_tiers()
        self.assertEqual(self.key.logistics_tier_id, self.tier_a, "an archived tier is never assigned")
        self.assertFalse(self.env["res.partner"].search([("logistics_tier_id", "=", archived.id)]))

    def test_bad_settings_stop_the_daily_job_with_their_message(self):
        """Not mistaken for a busy run: the job fails loudly instead of re-queuing itself forever."""
        self.env["ir.config_parameter"].sudo().set_param("logistics_crm.dormant_days", "100")
        cron = self.env.ref("logistics_crm.ir_cron_logistics_recompute_tiers")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        with self.assertRaisesRegex(ValidationError, "dormant window must be longer"):
            self.env["res.partner"].with_context(cron_id=cron.id)._cron_logistics_recompute_tiers()
        self.assertEqual(self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers)
