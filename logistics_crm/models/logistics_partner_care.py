"""The care mailings on the customer: the last one sent, and the link that unsubscribes from them."""

from werkzeug.urls import url_encode

from odoo import api, fields, models, tools

from .logistics_tier_engine import USER_GROUP

UNSUBSCRIBE_SCOPE = "logistics-care-unsubscribe"


def unsubscribe_token(env, partner_id, email):
    """The signature of an unsubscribe link: the partner and its normalized address, with the
    database secret (a link stops working when the address changes)."""
    return tools.hmac(env(su=True), UNSUBSCRIBE_SCOPE, (partner_id, email or ""))


class LogisticsPartnerCare(models.AbstractModel):
    _name = "logistics.partner.care"
    _description = "Logistics CRM care mailings of a customer"

    logistics_last_care_date = fields.Date(
        company_dependent=True,
        copy=False,
        string="Last care mailing",
        groups=USER_GROUP,
        help="When the customer was last mailed by a care mailing rule of the current company. The "
        "rules mail it again once their interval has passed.",
    )
    logistics_care_unsubscribe_url = fields.Char(
        compute="_compute_logistics_care_unsubscribe_url",
        string="Unsubscribe link",
        groups=USER_GROUP,
        help="Link of the care mails that puts the customer's address on the mail blacklist.",
    )

    @api.depends("email_normalized")
    def _compute_logistics_care_unsubscribe_url(self):
        for partner in self:
            if not partner.id or not partner.email_normalized:
                partner.logistics_care_unsubscribe_url = False
                continue
            query = url_encode({"token": unsubscribe_token(self.env, partner.id, partner.email_normalized)})
            partner.logistics_care_unsubscribe_url = (
                f"{partner.get_base_url()}/logistics/care/unsubscribe/{partner.id}?{query}"
            )

    def _notify_by_email_get_headers(self, headers=None):
        """Care mails carry List-Unsubscribe headers (one click in the mail client, RFC 8058)."""
        headers = super()._notify_by_email_get_headers(headers=headers)
        urls = self.env.context.get("logistics_care_unsubscribe")
        if self and isinstance(urls, dict) and urls.get(self.id):
            headers["List-Unsubscribe"] = f"<{urls[self.id]}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        return headers
