"""Satisfaction surveys in the portal: a customer's contact finds the surveys we invited them to under
My account, answers the pending ones through their personal token link and reviews the ones answered."""

from odoo import fields, http
from odoo.http import request

from odoo.addons.portal.controllers.portal import pager as portal_pager

from .portal import LogisticsCustomerPortal

# the states of an answer still to be given (survey.user_input.state)
PENDING_STATES = ("new", "in_progress")
# the colour of each status badge of the list
SURVEY_BADGE_CLASSES = {
    "new": "text-bg-primary",
    "in_progress": "text-bg-info",
    "expired": "text-bg-secondary",
    "closed": "text-bg-secondary",
    "done": "text-bg-success",
}


class LogisticsSurveyPortal(LogisticsCustomerPortal):
    # ------------------------------------------------------------------ home page
    def _prepare_home_portal_values(self, counters):
        values = super()._prepare_home_portal_values(counters)
        if "logistics_survey_count" in counters:
            values["logistics_survey_count"] = self._logistics_survey_answers().search_count(
                self._logistics_survey_pending_domain()
            )
        return values

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _logistics_survey_answers():
        """Survey answers, read as superuser under the domain below (the user's own answers only).

        sudo: Odoo's survey rights give portal users no access to survey answers, and this addon
        keeps it so (Odoo's own survey security tests check it); the invitations of every one of
        our companies are listed, whatever companies the portal user belongs to.
        """
        return request.env["survey.user_input"].sudo()

    def _logistics_survey_domain(self):
        """The satisfaction surveys our companies invited the logged-in contact to.

        Answers are personal: a colleague's invitations are never listed. Test entries and answers
        of other surveys (without a company of ours) are left out.
        """
        return [
            ("partner_id", "=", request.env.user.partner_id.id),
            ("logistics_company_id", "!=", False),
            ("test_entry", "=", False),
        ]

    def _logistics_survey_pending_domain(self):
        """The invitations still to answer: not completed, not past their deadline, survey active."""
        return [
            *self._logistics_survey_domain(),
            ("state", "in", PENDING_STATES),
            ("survey_id.active", "=", True),
            "|",
            ("deadline", "=", False),
            ("deadline", ">", fields.Datetime.now()),
        ]

    def _logistics_survey_sortings(self):
        return {
            # selection values sort new > in_progress > done: the surveys to answer come first, those
            # without deadline or with the latest one first, so that expired ones sink below them
            "pending": {"label": request.env._("To answer first"), "order": "state desc, deadline desc, id desc"},
            "date": {"label": request.env._("Newest"), "order": "create_date desc, id desc"},
        }

    @staticmethod
    def _logistics_survey_status(answer_sudo, now):
        """``done``, ``closed`` (survey archived), ``expired`` (deadline passed), ``new`` or ``in_progress``.

        The survey pages refuse a closed survey or a passed deadline the same way.
        """
        if answer_sudo.state == "done":
            return "done"
        if not answer_sudo.survey_id.active:
            return "closed"
        if answer_sudo.deadline and answer_sudo.deadline < now:
            return "expired"
        return answer_sudo.state

    def _logistics_survey_rows(self, answers_sudo):
        """What the list shows of each of the user's own answers: the survey's title, the token
        links, and only the reference of the order or complaint asked about."""
        now = fields.Datetime.now()
        rows = []
        for answer_sudo in answers_sudo:
            status = self._logistics_survey_status(answer_sudo, now)
            if status in PENDING_STATES:
                url = answer_sudo.get_start_url()
            elif status == "done":
                url = answer_sudo.get_print_url()
            else:
                url = False
            rows.append(
                {
                    "answer": answer_sudo,
                    "title": answer_sudo.survey_id.title,
                    "order_name": answer_sudo.logistics_sale_order_id.name,
                    "complaint_name": answer_sudo.logistics_complaint_id.name,
                    "status": status,
                    "url": url,
                }
            )
        return rows

    # ------------------------------------------------------------------ list
    @http.route(["/my/surveys", "/my/surveys/page/<int:page>"], type="http", auth="user", website=True)
    def portal_my_surveys(self, page=1, sortby=None, **kwargs):
        answers_sudo = self._logistics_survey_answers()
        sortings = self._logistics_survey_sortings()
        if sortby not in sortings:
            sortby = "pending"
        domain = self._logistics_survey_domain()
        pager = portal_pager(
            url="/my/surveys",
            total=answers_sudo.search_count(domain),
            page=page,
            step=self._items_per_page,
            url_args={"sortby": sortby},
        )
        answers_sudo = answers_sudo.search(
            domain, order=sortings[sortby]["order"], limit=self._items_per_page, offset=pager["offset"]
        )
        values = self._prepare_portal_layout_values()
        values.update(
            {
                "page_name": "logistics_survey",
                "default_url": "/my/surveys",
                "pager": pager,
                "searchbar_sortings": sortings,
                "sortby": sortby,
                "logistics_surveys": self._logistics_survey_rows(answers_sudo),
                "survey_badge_classes": SURVEY_BADGE_CLASSES,
            }
        )
        return request.render("logistics_crm.portal_my_surveys", values)
