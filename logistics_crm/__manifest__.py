{
    "name": "Logistics CRM",
    "version": "18.0.1.0.0",
    "category": "Sales/CRM",
    "summary": "Customer tiers, lifecycle and churn risk for freight, shipping, "
    "road-transport and warehousing companies",
    "description": """
Logistics CRM
=============
Turns Odoo's partners, CRM and sales into a CRM for small and mid-sized
logistics companies: Pareto (ABC) customer tiers over confirmed sales, a
lifecycle stage (potential, target, active, dormant, lost), a churn-risk
score, a logistics profile, win-back and care-plan activities.
""",
    "author": "logistics_crm developers",
    "website": "https://github.com/logistics-crm/logistics_crm",
    "license": "LGPL-3",
    "depends": ["sale_management", "crm", "portal", "base_automation"],
    "data": [
        "security/logistics_crm_security.xml",
        "security/ir.model.access.csv",
        "data/logistics_customer_tier_data.xml",
        "data/logistics_commodity_data.xml",
        "data/logistics_service_type_data.xml",
        "data/mail_activity_type_data.xml",
        "data/ir_cron_data.xml",
        "views/logistics_customer_tier_views.xml",
        "views/logistics_tier_history_views.xml",
        "views/logistics_commodity_views.xml",
        "views/logistics_service_type_views.xml",
        "report/logistics_customer_analysis_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/portal_templates.xml",
        "wizard/logistics_tier_assign_views.xml",
        "wizard/logistics_tier_settings_views.xml",
        "views/logistics_crm_menus.xml",
    ],
    "demo": [
        "demo/product_demo.xml",
        "demo/res_partner_demo.xml",
        "demo/res_users_demo.xml",
        "demo/logistics_crm_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "logistics_crm/static/tests/tours/*.js",
        ],
    },
    "images": ["static/description/banner.png"],
    "application": True,
    "installable": True,
}
