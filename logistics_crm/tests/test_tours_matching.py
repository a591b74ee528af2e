"""Browser tours of the chartering screens (headless Chromium through HttpCase): cargo offer -> matches
-> quotation (static/tests/tours/logistics_crm_matching_tour.js) and the sea map
(static/tests/tours/logistics_crm_map_tour.js). No map tiles are fetched: tests run offline."""

from odoo.tests import HttpCase, new_test_user, tagged

from .common_matching import MatchingCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestMatchingTours(HttpCase, MatchingCase):
    def setUp(self):
        super().setUp()
        self.env["ir.config_parameter"].sudo().set_param("logistics_crm.map_tile_url", "off")
        self.exporter = self._customer("Tour Coal Exporter")
        self.near = self._position(self._vessel("Tour Near Kamsarmax", 80000), self.gladstone, days=5)
        self.far = self._position(self._vessel("Tour Far Kamsarmax", 80000), self.singapore, days=3)
        self.user_sales.write({"groups_id": [(4, self.env.ref("sales_team.group_sale_salesman").id)]})

    def test_matching_tour(self):
        """A Logistics user: new cargo offer, Find vessels, best match, quotation."""
        self.start_tour("/odoo", "logistics_crm_matching_tour", login="lcrm_sales")
        cargo = self.env["logistics.cargo"].search([("partner_id", "=", self.exporter.id)])
        self.assertEqual(len(cargo), 1)
        self.assertEqual((cargo.load_port_id, cargo.discharge_port_id), (self.newcastle, self.qingdao))
        self.assertEqual(cargo.state, "matched")
        match = cargo.match_ids.filtered(lambda m: m.position_id == self.near)
        self.assertEqual(match.state, "quoted")
        self.assertEqual(match.sale_order_id.partner_id, self.exporter)
        self.assertEqual(match.sale_order_id.order_line.product_uom_qty, 50000)
        self.assertEqual(cargo.match_ids[0], match, "the best match is first")

    def test_map_tour(self):
        """The sea map draws ports, positions and cargo offers (no tiles)."""
        self._cargo()
        self.start_tour("/odoo", "logistics_crm_map_tour", login="admin")

    def test_map_tour_user(self):
        user = new_test_user(
            self.env, login="lcrm_map_user", groups="base.group_user,logistics_crm.group_logistics_crm_user"
        )
        self.start_tour("/odoo", "logistics_crm_map_tour", login=user.login)
