from odoo.tests import HttpCase, new_test_user, tagged

from .common import LogisticsCrmCase


@tagged("post_install", "-at_install", "logistics_crm")
class TestPortal(HttpCase, LogisticsCrmCase):
    """Customers see their own tier and profile in the portal, never another company's."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.mine = cls._customer("Portal Steel Mill")
        cls.mine.logistics_business_scale = "large"
        cls.mine.logistics_commodity_ids = cls.env.ref("logistics_crm.commodity_steel")
        contact = cls.env["res.partner"].create(
            {"name": "Chen Jing", "parent_id": cls.mine.id, "email": "chen.portal@steel.example.com"}
        )
        cls.other = cls._customer("Secret Rival Coal Trader")
        cls._order(cls.mine, 10000, days_ago=5)
        cls._order(cls.other, 90000, days_ago=5)
        cls.env["res.partner"].logistics_recompute_tiers()
        cls.portal_user = new_test_user(
            cls.env,
            login="lcrm_portal_http",
            password="lcrm_portal_http",
            groups="base.group_portal",
            partner_id=contact.id,
        )
        cls.newcomer = cls._customer("Brand New Forwarder")
        newcomer_contact = cls.env["res.partner"].create({"name": "Gao Lin", "parent_id": cls.newcomer.id})
        cls.newcomer_user = new_test_user(
            cls.env,
            login="lcrm_portal_new",
            password="lcrm_portal_new",
            groups="base.group_portal",
            partner_id=newcomer_contact.id,
        )

    def test_portal_page_shows_own_tier_and_profile(self):
        self.assertEqual(self.mine.logistics_tier_id, self.tier_b)
        self.authenticate("lcrm_portal_http", "lcrm_portal_http")
        home = self.url_open("/my/home")
        self.assertEqual(home.status_code, 200)
        self.assertIn("/my/logistics", home.text)
        page = self.url_open("/my/logistics")
        self.assertEqual(page.status_code, 200)
        self.assertIn("Portal Steel Mill", page.text)
        self.assertIn(self.tier_b.name, page.text)
        self.assertIn("Steel products", page.text)
        self.assertIn("Complaints resolved within", page.text)
        # nothing of another company, no internal figures
        self.assertNotIn("Secret Rival Coal Trader", page.text)
        self.assertNotIn("Churn", page.text)
        self.assertNotIn("10,000", page.text)

    def test_portal_page_without_tier(self):
        self.authenticate("lcrm_portal_new", "lcrm_portal_new")
        page = self.url_open("/my/logistics")
        self.assertEqual(page.status_code, 200)
        self.assertIn("after your first order", page.text)
        self.assertNotIn(self.tier_b.name, page.text)

    def test_anonymous_visitor_is_sent_to_login(self):
        page = self.url_open("/my/logistics", allow_redirects=False)
        self.assertIn(page.status_code, (302, 303))
        self.assertIn("/web/login", page.headers["Location"])
