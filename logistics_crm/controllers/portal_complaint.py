"""The complaint portal: customers list their company's complaints, follow and answer them, file new ones."""

from odoo import http
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from ..domain import sla
from .portal import LogisticsCustomerPortal

# the only fields a customer may fill in (nothing else of the request is ever written)
COMPLAINT_FORM_FIELDS = ("subject", "description", "category_id", "sale_order_id")
# the colours of the SLA badge, as in the back office (widget badge of the complaint form)
SLA_BADGE_CLASSES = {
    sla.ON_TRACK: "text-bg-success",
    sla.MET: "text-bg-success",
    sla.AT_RISK: "text-bg-warning",
    sla.BREACHED: "text-bg-danger",
}
COMPLAINT_HISTORY_KEY = "my_logistics_complaint_history"


class LogisticsComplaintPortal(LogisticsCustomerPortal):
    # ------------------------------------------------------------------ home page
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "logistics_complaint_count" in counters:
            complaints = request.env["logistics.complaint"]
            values["logistics_complaint_count"] = (
                complaints.search_count(self._logistics_complaint_domain()) if complaints.has_access("read") else 0
            )
        return values

    # ------------------------------------------------------------------ helpers
    def _logistics_complaint_domain(self):
        """The complaints of the user's company: every contact of a customer follows all of them (the
        record rule rule_logistics_complaint_portal says the same for portal users; internal users
        opening the portal see their own company's complaints only, like a customer)."""
        return [("partner_id", "=", request.env.user.commercial_partner_id.id)]

    def _logistics_complaint_sortings(self):
        return {
            "date": {"label": request.env._("Newest"), "order": "create_date desc, id desc"},
            "stage": {"label": request.env._("Stage"), "order": "stage_id, create_date desc, id desc"},
            "name": {"label": request.env._("Reference"), "order": "name desc, id desc"},
        }

    def _logistics_complaint_categories(self):
        # sudo: internal users outside Logistics CRM cannot read complaint categories; only the
        # active categories' names are shown, and only their ids are accepted
        return request.env["logistics.complaint.category"].sudo().search([])

    def _logistics_complaint_orders(self):
        """The confirmed orders of the user's company, read with the user's own rights (portal users
        read their company's orders through sale's portal record rule)."""
        orders = request.env["sale.order"]
        if not orders.has_access("read"):
            return orders
        domain = [("partner_id", "child_of", request.env.user.commercial_partner_id.ids), ("state", "=", "sale")]
        return orders.search(domain, order="date_order desc, id desc")

    # ------------------------------------------------------------------ list
    @http.route(["/my/complaints", "/my/complaints/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_complaints(self, page=1, sortby=None, **kwargs):
        complaint_model = request.env["logistics.complaint"]
        sortings = self._logistics_complaint_sortings()
        if sortby not in sortings:
            sortby = "date"
        domain = self._logistics_complaint_domain()
        pager = portal_pager(
            url="/my/complaints",
            total=complaint_model.search_count(domain),
            page=page,
            step=self._items_per_page,
            url_args={"sortby": sortby},
        )
        complaints = complaint_model.search(
            domain, order=sortings[sortby]["order"], limit=self._items_per_page, offset=pager["offset"]
        )
        request.session[COMPLAINT_HISTORY_KEY] = complaints.ids[:100]
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "logistics_complaint",
                "default_url": "/my/complaints",
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                # sudo: found with the user's rights above; only the fields of the list are rendered
                "complaints": complaints.sudo(),
                "sla_badge_classes": SLA_BADGE_CLASSES,
            }
        )
        return request.render("logistics_crm.portal_my_complaints", values)

    # ------------------------------------------------------------------ detail
    @http.route("/my/complaints/<int:complaint_id>", type="http", auth="public", website=True)
    def portal_my_complaint(self, complaint_id, access_token=None, message=None, **kwargs):
        try:
            complaint_sudo = self._document_check_access("logistics.complaint", complaint_id, access_token)
        except (AccessError, MissingError):
            return request.redirect("/my")
        # messages shown come from the server only, never from the query string
        messages = {
            "created": request.env._(
                "Thank you: your complaint is recorded under the reference %(reference)s. We will answer you "
                "shortly; you can add details below at any time.",
                reference=complaint_sudo.name,
            ),
        }
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "logistics_complaint",
                "logistics_complaint": complaint_sudo,
                "logistics_message": messages.get(message),
                "sla_badge_classes": SLA_BADGE_CLASSES,
            }
        )
        # the signed link of a notification email (pid and hash) identifies the author in the chatter
        chatter_keys = {key: kwargs[key] for key in ("pid", "hash") if kwargs.get(key)}
        values = self._get_page_view_values(
            complaint_sudo, access_token, values, COMPLAINT_HISTORY_KEY, False, **chatter_keys
        )
        return request.render("logistics_crm.portal_my_complaint", values)

    # ------------------------------------------------------------------ new complaint
    @http.route("/my/complaints/new", type="http", auth="user", methods=["GET", "POST"], website=True)
    def portal_my_complaint_new(self, **post):
        form = {}
        error = None
        orders = self._logistics_complaint_orders()
        categories = self._logistics_complaint_categories()
        if request.httprequest.method == "POST":
            form = {key: (post.get(key) or "").strip() for key in COMPLAINT_FORM_FIELDS}
            try:
                with request.env.cr.savepoint():
                    vals = self._logistics_complaint_values(form, categories, orders)
                    # sudo: portal users have no create access on complaints. Only the whitelisted,
                    # validated fields above come from the request; customer, contact, channel and
                    # company are the user's own. The request env keeps the user as author.
                    complaint = request.env["logistics.complaint"].sudo().create(vals)
            except (UserError, ValueError) as exc:
                error = self._logistics_error_text(exc)
            else:
                return request.redirect(self._logistics_url(complaint.access_url, message="created"))
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "logistics_complaint_new",
                "form": form,
                "error": error,
                "categories": categories,
                # sudo: read with the user's rights above; only their references are shown
                "orders": orders.sudo(),
            }
        )
        return request.render("logistics_crm.portal_my_complaint_new", values)

    def _logistics_complaint_values(self, form, categories, orders):
        description = self._logistics_required(form, "description", request.env._("Description"))
        vals = {"subject": form.get("subject") or False, "description": description}
        if form.get("category_id"):
            category_id = self._logistics_id(form, "category_id", request.env._("Category"))
            category = categories.filtered(lambda c: c.id == category_id)
            if not category:
                raise UserError(request.env._("Please choose a category of the list."))
            vals["category_id"] = category.id
        if form.get("sale_order_id"):
            order_id = self._logistics_id(form, "sale_order_id", request.env._("Order"))
            order = orders.filtered(lambda o: o.id == order_id)
            if not order:
                raise UserError(request.env._("Please choose one of your orders of the list."))
            vals["sale_order_id"] = order.id
        user = request.env.user
        customer = user.commercial_partner_id
        vals.update(
            {
                "partner_id": customer.id,
                "contact_id": user.partner_id.id,
                "channel": "portal",
                "company_id": (customer.company_id or user.company_id).id,
            }
        )
        return vals
