from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

SURVEY_GROUP = "survey.group_survey_user"


class SaleOrder(models.Model):
    _inherit = "sale.order"

    logistics_cargo_id = fields.Many2one(
        "logistics.cargo",
        string="Cargo offer",
        index="btree_not_null",
        copy=False,
        readonly=True,
        help="The cargo offer this quotation was made for (from a vessel match).",
    )
    logistics_match_id = fields.Many2one(
        "logistics.match",
        string="Vessel match",
        index="btree_not_null",
        copy=False,
        readonly=True,
    )
    logistics_fulfilled_date = fields.Datetime(
        string="Fulfilled on",
        compute="_compute_logistics_fulfilled_date",
        store=True,
        copy=False,
        index="btree_not_null",
        help="When the confirmed order was fully delivered or locked as done: the satisfaction survey "
        "invitation follows after the company's delay.",
    )
    logistics_survey_input_ids = fields.One2many(
        "survey.user_input",
        "logistics_sale_order_id",
        string="Satisfaction answers",
        copy=False,
        groups=SURVEY_GROUP,
    )
    logistics_survey_count = fields.Integer(
        string="Surveys", compute="_compute_logistics_survey_count", groups=SURVEY_GROUP
    )

    @api.depends("state", "locked", "order_line.qty_delivered", "order_line.product_uom_qty")
    def _compute_logistics_fulfilled_date(self):
        now = fields.Datetime.now()
        # with "Lock confirmed sales" on, Odoo locks every order at confirmation: a lock then says nothing
        # about the work being done, only deliveries do
        auto_lock = self.env.ref("sale.group_auto_done_setting", raise_if_not_found=False)
        lock_means_done = not (auto_lock and auto_lock.sudo() in self.env.ref("base.group_user").sudo().implied_ids)
        for order in self:
            lines = order.order_line.filtered(lambda line: not line.display_type and line.product_uom_qty > 0)
            delivered = bool(lines) and all(line.qty_delivered >= line.product_uom_qty for line in lines)
            if order.state == "sale" and ((order.locked and lock_means_done) or delivered):
                order.logistics_fulfilled_date = order.logistics_fulfilled_date or now
            else:
                order.logistics_fulfilled_date = False

    @api.model
    def _logistics_date_past_fulfilment(self):
        """Date the orders fulfilled before the install or update by their order date (a figure: SQL)."""
        self.flush_model(["logistics_fulfilled_date", "date_order"])
        self.env.cr.execute(
            SQL(
                "UPDATE sale_order SET logistics_fulfilled_date = date_order "
                "WHERE logistics_fulfilled_date IS NOT NULL AND date_order < logistics_fulfilled_date"
            )
        )
        self.invalidate_model(["logistics_fulfilled_date"], flush=False)

    def _compute_logistics_survey_count(self):
        counts = dict(
            self.env["survey.user_input"]._read_group(
                [("logistics_sale_order_id", "in", self.ids)], ["logistics_sale_order_id"], ["__count"]
            )
        )
        for order in self:
            order.logistics_survey_count = counts.get(order, 0)

    def action_confirm(self):
        result = super().action_confirm()
        self._logistics_fix_cargo()
        return result

    def _logistics_fix_cargo(self):
        """A confirmed freight quotation fixes its cargo and the matched vessel's position."""
        matched = self.filtered("logistics_match_id")
        if not matched:
            return
        # sudo: a salesperson confirming an order may not have the Logistics rights on cargo/positions
        matched.logistics_cargo_id.sudo().filtered(lambda c: c.state in ("open", "matched")).write({"state": "fixed"})
        matched.logistics_match_id.position_id.sudo().filtered(lambda p: p.state == "open").write({"state": "fixed"})

    # ------------------------------------------------------------------ satisfaction survey
    def action_send_satisfaction_survey(self):
        """Invite each order's customer contact to the satisfaction survey about the order, by email.

        Public entry point (button, automated and server actions, XML-RPC). Refuses, and sends
        nothing, when an order is not confirmed, was already surveyed, or its customer has no email
        address. Not limited by the tier's survey frequency: that applies to automatic invitations.
        """
        self.check_access("write")
        problems = []
        # sudo: the survey answers are read to avoid a second invitation, whatever the caller may read
        sent = dict(
            self.env["survey.user_input"]
            .sudo()
            ._read_group(
                [("logistics_sale_order_id", "in", self.ids), ("test_entry", "=", False)],
                ["logistics_sale_order_id"],
                ["__count"],
            )
        )
        for order in self:
            if order.state != "sale":
                problems.append(self.env._("%(order)s is not a confirmed order.", order=order.name))
            elif sent.get(order):
                problems.append(self.env._("%(order)s was already sent a satisfaction survey.", order=order.name))
            elif not order.partner_id.email and not order.partner_id.commercial_partner_id.email:
                problems.append(
                    self.env._("%(customer)s has no email address.", customer=order.partner_id.display_name)
                )
        if problems:
            raise UserError(self.env._("No survey was sent:\n%(problems)s", problems="\n".join(problems)))
        Answer = self.env["survey.user_input"]
        for order in self:
            contact = order.partner_id if order.partner_id.email else order.partner_id.commercial_partner_id
            Answer._logistics_invite(contact, order.company_id, "manual", logistics_sale_order_id=order.id)
            order.message_post(
                body=self.env._("Satisfaction survey sent to %(contact)s.", contact=contact.display_name),
                subtype_xmlid="mail.mt_note",
            )
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._("Satisfaction survey sent."),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_logistics_view_surveys(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("logistics_crm.action_logistics_survey_answers")
        action["domain"] = [("logistics_sale_order_id", "=", self.id)]
        action["context"] = {"create": False}
        return action
