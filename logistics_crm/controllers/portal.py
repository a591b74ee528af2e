from odoo import http
from odoo.http import request

from odoo.addons.portal.controllers.portal import CustomerPortal


class LogisticsCustomerPortal(CustomerPortal):
    @http.route("/my/logistics", type="http", auth="user", website=True)
    def portal_my_logistics(self, **kwargs):
        """The customer's own tier, service levels and logistics profile.

        Only the logged-in user's commercial partner is shown: there is no id in the URL
        to tamper with. Internal figures (revenue, stage, churn risk) are never shown.
        """
        company = request.env.user.partner_id.commercial_partner_id
        # sudo: portal users have no read access to tiers, commodities and services; we read
        # only the user's own company and only the fields rendered below.
        company_sudo = company.sudo()
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "logistics_profile",
                "logistics_company": company_sudo,
                "logistics_tier": company_sudo.logistics_tier_id,
            }
        )
        return request.render("logistics_crm.portal_my_logistics", values)
