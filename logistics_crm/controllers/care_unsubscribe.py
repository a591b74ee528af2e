"""The unsubscribe link of the care mailings: puts the customer's address on Odoo's mail blacklist.

The link is signed (the partner and its address, with the database secret): whoever holds the
mail may unsubscribe, nobody can unsubscribe another address. Opening the link shows a page with
a button (mail scanners that open links unsubscribe nobody); a mail client's one-click POST
(RFC 8058, the List-Unsubscribe-Post header) unsubscribes at once.
"""

from markupsafe import Markup

from odoo import http
from odoo.http import request
from odoo.tools import consteq

from ..models.logistics_partner_care import unsubscribe_token

ROUTE = "/logistics/care/unsubscribe/<int:partner_id>"


class LogisticsCareUnsubscribe(http.Controller):
    def _logistics_care_partner(self, partner_id, token):
        """The partner of a valid link, or None."""
        # sudo: a public visitor holding a signed link; only its own partner is read
        partner = request.env["res.partner"].sudo().browse(partner_id).exists()
        if not partner or not partner.email_normalized or not token:
            return None
        if not consteq(unsubscribe_token(request.env, partner.id, partner.email_normalized), str(token)):
            return None
        if partner.lang:
            request.update_context(lang=partner.lang)  # the page in the customer's language
        return partner

    def _logistics_care_page(self, partner, token, state):
        # sudo: the visitor is public; the blacklist is read for this address only
        blacklisted = partner and bool(
            request.env["mail.blacklist"].sudo().search_count([("email", "=", partner.email_normalized)])
        )
        return request.render(
            "logistics_crm.care_unsubscribe_page",
            {
                "partner": partner,
                "token": token,
                "state": state,
                "blacklisted": blacklisted,
                "company": partner.company_id or request.env.company if partner else request.env.company,
            },
            status=200 if partner else 404,
        )

    @http.route(ROUTE, type="http", auth="public", methods=["GET"], sitemap=False)
    def logistics_care_unsubscribe_page(self, partner_id, token=None, **kwargs):
        partner = self._logistics_care_partner(partner_id, token)
        return self._logistics_care_page(partner, token, "ask" if partner else "invalid")

    # csrf=False: the signed link is the credential, and a mail client's one-click POST has no CSRF token
    @http.route(ROUTE, type="http", auth="public", methods=["POST"], csrf=False, sitemap=False)
    def logistics_care_unsubscribe(self, partner_id, token=None, action="unsubscribe", **kwargs):
        partner = self._logistics_care_partner(partner_id, token)
        if not partner:
            return self._logistics_care_page(None, token, "invalid")
        # sudo: a public visitor changes the blacklist entry of the address the signed link names
        blacklist = request.env["mail.blacklist"].sudo()
        email = partner.email_normalized
        was_blacklisted = bool(blacklist.search_count([("email", "=", email)]))
        note = None  # a retried one-click changes nothing and notes nothing
        if action == "resubscribe":
            state = "resubscribed"
            if was_blacklisted:
                blacklist._remove(email, message=request.env._("Subscribed again through the link of a care mail."))
                note = request.env._("Subscribed again to the care mailings (%(email)s).", email=email)
        else:
            state = "unsubscribed"
            if not was_blacklisted:
                blacklist._add(email, message=request.env._("Unsubscribed through the link of a care mail."))
                note = request.env._("Unsubscribed from the care mailings (%(email)s).", email=email)
        if note:
            # the customer's own act, in its chatter
            partner.with_context(mail_create_nosubscribe=True).message_post(
                body=Markup("<p>%s</p>") % note,
                author_id=partner.id,
                message_type="notification",
                subtype_xmlid="mail.mt_note",
            )
        return self._logistics_care_page(partner, token, state)
