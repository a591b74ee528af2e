from odoo.tests import tagged

from .common_matching import MatchingCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestMatchingAutomation(MatchingCase):
    """Automated actions call the matching methods, and see every state change a user makes."""

    def _automation(self, model, trigger, code, **vals):
        model_id = self.env["ir.model"]._get_id(model)
        action = self.env["ir.actions.server"].create(
            {"name": f"Test {trigger}", "model_id": model_id, "state": "code", "code": code}
        )
        return self.env["base.automation"].create(
            {
                "name": f"Test {trigger}",
                "model_id": model_id,
                "trigger": trigger,
                "action_server_ids": [(4, action.id)],
                **vals,
            }
        )

    def test_rule_on_match_state_sees_quotation(self):
        state_field = self.env["ir.model.fields"]._get("logistics.match", "state")
        self._automation(
            "logistics.match",
            "on_state_set",
            "for record in records: record.cargo_id.message_post(body='Quoted by rule: ' + record.vessel_id.name)",
            trg_field_ref=self.env["ir.model.fields.selection"]
            .search([("field_id", "=", state_field.id), ("value", "=", "quoted")])
            .id,
            trigger_field_ids=[(4, state_field.id)],
        )
        position = self._position(self._vessel("Rule Vessel", 80000), self.gladstone, days=5)
        cargo = self._cargo()
        match = cargo.match_ids.filtered(lambda m: m.position_id == position)
        match.action_create_quotation()
        self.assertIn("Quoted by rule: Rule Vessel", cargo.message_ids.mapped("body")[0])

    def test_rule_calls_find_matches_and_quotation(self):
        position = self._position(self._vessel("Automated", 80000), self.gladstone, days=5)
        self.env.company.logistics_match_notify_score = 0
        self._automation(
            "logistics.cargo",
            "on_create_or_write",
            "records.action_find_matches()\n"
            "for record in records:\n"
            "    best = record.match_ids.filtered(lambda m: m.state == 'proposed')[:1]\n"
            "    if best and best.score >= 50:\n"
            "        best.action_create_quotation()",
            trigger_field_ids=[(4, self.env["ir.model.fields"]._get("logistics.cargo", "laycan_end").id)],
        )
        cargo = self._cargo()
        match = cargo.match_ids.filtered(lambda m: m.position_id == position)
        self.assertEqual(match.state, "quoted")
        self.assertEqual(match.sale_order_id.logistics_cargo_id, cargo)

    def test_cron_entry_points(self):
        position = self._position(self._vessel("Nightly", 80000), self.gladstone, days=5)
        cargo = self._cargo()
        self.env["logistics.match"].search([("cargo_id", "=", cargo.id)]).unlink()
        self.env["logistics.match.engine"]._cron_logistics_match(full=True)
        self.assertIn(position, cargo.match_ids.position_id)
        summary = self.env["logistics.match.engine"]._logistics_match_all()
        self.assertGreaterEqual(summary[self.env.company.id]["pairs"], 1)
