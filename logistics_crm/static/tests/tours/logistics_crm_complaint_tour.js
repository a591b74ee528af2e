/** @odoo-module **/
/*
 * Complaint tour, run by logistics_crm/tests/test_tours_complaint.py in headless Chromium: a Logistics
 * user records a complaint of "Tour Complaint Shipper" (created by the test) and walks it from New to
 * Closed: investigation with a root cause, solution, resolved, a refused close without resolution (the
 * validation error), the resolution, closed with the SLA met.
 */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const APP = "logistics_crm.menu_logistics_crm_root";
const MENU_COMPLAINTS_ROOT = "logistics_crm.menu_logistics_complaints_root";
const MENU_COMPLAINTS = "logistics_crm.menu_logistics_complaint";

const CUSTOMER = "Tour Complaint Shipper";
const FORM = ".o_form_view";

/** Click a header button of the complaint form, then wait for the stage it leads to. */
function moveTo(buttonName, label, stage) {
    return [
        {
            content: `Click ${label}`,
            trigger: `${FORM} .o_form_statusbar button[name='${buttonName}']`,
            run: "click",
        },
        {
            content: `The complaint is in the stage ${stage}`,
            trigger: `${FORM} .o_statusbar_status button.o_arrow_button_current:contains('${stage}')`,
        },
    ];
}

/** Open a page of the form's notebook. */
function openPage(pageName, label) {
    return [
        {
            content: `Open the ${label} tab`,
            trigger: `${FORM} .o_notebook a.nav-link[name='${pageName}']`,
            run: "click",
        },
        {
            content: `The ${label} tab is shown`,
            trigger: `${FORM} .o_notebook a.nav-link.active[name='${pageName}']`,
        },
    ];
}

registry.category("web_tour.tours").add("logistics_crm_complaint_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Logistics CRM app",
            trigger: `.o_app[data-menu-xmlid='${APP}']`,
            run: "click",
        },
        {
            content: "Open the Complaints menu",
            trigger: `.o_main_navbar button[data-menu-xmlid='${MENU_COMPLAINTS_ROOT}']`,
            run: "click",
        },
        {
            content: "Open the complaints",
            trigger: `.dropdown-item[data-menu-xmlid='${MENU_COMPLAINTS}']`,
            run: "click",
        },
        {
            content: "The complaints are shown",
            trigger: ".o_breadcrumb:contains('Complaints')",
        },
        {
            content: "Record a new complaint",
            trigger: ".o_control_panel .o-kanban-button-new, .o_control_panel .o_list_button_add",
            run: "click",
        },
        // ---------------------------------------------------------- record the complaint
        {
            content: `Type ${CUSTOMER} as the customer`,
            trigger: `${FORM} div[name='partner_id'] input`,
            run: `edit ${CUSTOMER}`,
        },
        {
            content: `Choose ${CUSTOMER}`,
            trigger: `.o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item a:contains('${CUSTOMER}')`,
            run: "click",
        },
        {
            content: "The customer is set",
            trigger: `${FORM} div[name='partner_id'] input:value('${CUSTOMER}')`,
        },
        {
            content: "Give a subject",
            trigger: `${FORM} div[name='subject'] input`,
            run: "edit Container released late at Qingdao",
        },
        {
            content: "Write what happened",
            trigger: `${FORM} div[name='description'] textarea`,
            run: "edit Our container TGHU 123456-7 was released two days late at Qingdao Qianwan terminal.",
        },
        {
            content: "Save the complaint",
            trigger: `${FORM} .o_form_button_save`,
            run: "click",
        },
        {
            content: "Saved: the complaint has its reference",
            trigger: `${FORM} div[name='name'] span:contains('CMP')`,
        },
        {
            content: "The SLA is on track",
            trigger: `${FORM} div[name='sla_status'] .badge:contains('On track')`,
        },
        {
            content: "The complaint is New",
            trigger: `${FORM} .o_statusbar_status button.o_arrow_button_current:contains('New')`,
        },
        // ---------------------------------------------------------- investigation
        ...moveTo("action_investigate", "Investigate", "Investigating"),
        ...openPage("page_investigation", "Investigation"),
        {
            content: "Root cause type: Warehouse or terminal",
            trigger: `${FORM} div[name='root_cause_type'] select`,
            run: "selectByLabel Warehouse or terminal",
        },
        {
            content: "Write the root cause",
            trigger: `${FORM} div[name='root_cause'] textarea`,
            run: "edit The customs release was keyed in the terminal system one day after it came in.",
        },
        // the button saves the root cause before it moves the complaint on
        ...moveTo("action_propose_solution", "Propose solution", "Solution proposed"),
        ...moveTo("action_resolve", "Resolve", "Resolved"),
        // ---------------------------------------------------------- closing needs a resolution
        {
            content: "Try to close without a resolution",
            trigger: `${FORM} .o_form_statusbar button[name='action_close']`,
            run: "click",
        },
        {
            content: "A validation error says the resolution is missing",
            trigger: ".modal .o_error_dialog:contains('cannot be closed without a resolution')",
        },
        {
            content: "Close the error",
            trigger: ".modal .modal-footer button.btn-primary",
            run: "click",
        },
        {
            content: "The error is closed",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The complaint is still Resolved",
            trigger: `${FORM} .o_statusbar_status button.o_arrow_button_current:contains('Resolved')`,
        },
        ...openPage("page_resolution", "Resolution"),
        {
            content: "Write the resolution",
            trigger: `${FORM} div[name='resolution'] textarea`,
            run: "edit We refunded the storage of the two days and the terminal now keys in releases at once.",
        },
        ...moveTo("action_close", "Close", "Closed"),
        {
            content: "The ribbon shows the SLA met",
            trigger: `${FORM} .ribbon:contains('SLA met')`,
        },
        {
            content: "The SLA badge shows Met",
            trigger: `${FORM} div[name='sla_status'] .badge:contains('Met')`,
        },
    ],
});
