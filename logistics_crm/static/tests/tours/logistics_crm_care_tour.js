/** @odoo-module **/
/*
 * Care mailing tours, run by logistics_crm/tests/test_tours_care.py in headless Chromium.
 * logistics_crm_care_tour: a Logistics CRM manager opens Customers > Care mailings, the rule "Key accounts:
 * monthly" (one customer due, "Tour Care Shipper", created by the test), previews its mail, sends it now
 * (confirmed), sees the due counter drop to 0, then finds the care mail in the customer's chatter.
 * logistics_crm_care_user_tour: a plain Logistics CRM user opens the same rule: read-only, no Send now.
 */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const APP = "logistics_crm.menu_logistics_crm_root";
const MENU_CUSTOMERS_ROOT = "logistics_crm.menu_logistics_customers_root";
const MENU_CARE = "logistics_crm.menu_logistics_care_rule";

const RULE = "Key accounts: monthly";
const CUSTOMER = "Tour Care Shipper";
const SUBJECT = "your monthly account review";
const FORM = ".o_form_view";

/** Logistics CRM > Customers > Care mailings, then the rule's form. */
function openRule() {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Logistics CRM app",
            trigger: `.o_app[data-menu-xmlid='${APP}']`,
            run: "click",
        },
        {
            content: "Open the Customers menu",
            trigger: `.o_main_navbar button[data-menu-xmlid='${MENU_CUSTOMERS_ROOT}']`,
            run: "click",
        },
        {
            content: "Open the care mailings",
            trigger: `.dropdown-item[data-menu-xmlid='${MENU_CARE}']`,
            run: "click",
        },
        {
            content: "The care mailings are shown",
            trigger: ".o_breadcrumb:contains('Care mailings')",
        },
        {
            content: `The list shows the rule ${RULE}`,
            trigger: `.o_list_view .o_data_row .o_data_cell[name='name']:contains('${RULE}')`,
        },
        {
            content: "The list shows the other rules too",
            trigger: ".o_list_view .o_data_row .o_data_cell[name='name']:contains('Dormant customers')",
        },
        {
            content: `Open the rule ${RULE}`,
            trigger: `.o_list_view .o_data_row .o_data_cell[name='name']:contains('${RULE}')`,
            run: "click",
        },
        {
            content: "The rule's form is shown",
            trigger: `${FORM} .o_field_widget[name='name']:contains('${RULE}'), ${FORM} .o_field_widget[name='name'] input:value('${RULE}')`,
        },
    ];
}

/** The rule's "Due now" stat button shows ``count``. */
function dueNow(count) {
    return {
        content: `Due now: ${count}`,
        trigger: `${FORM} .o-form-buttonbox .o_field_widget[name='due_count'] .o_stat_value:text(${count})`,
    };
}

registry.category("web_tour.tours").add("logistics_crm_care_tour", {
    url: "/odoo",
    steps: () => [
        ...openRule(),
        {
            content: "The Customers stat button counts the rule's customer",
            trigger: `${FORM} button[name='action_view_customers'] .o_stat_value:text(1)`,
        },
        dueNow(1),
        // ---------------------------------------------------------- preview
        {
            content: "Preview the mail",
            trigger: `${FORM} .o_form_statusbar button[name='action_preview']`,
            run: "click",
        },
        {
            content: `The preview shows the mail as rendered for ${CUSTOMER}`,
            trigger: `.modal .o_field_widget[name='body_html']:contains('Dear ${CUSTOMER}')`,
        },
        {
            content: "The preview shows the subject",
            trigger: `.modal .o_field_widget[name='subject']:contains('${SUBJECT}')`,
        },
        {
            content: "Close the preview",
            trigger: ".modal .modal-footer button:contains('Close')",
            run: "click",
        },
        {
            content: "The preview is closed",
            trigger: "body:not(:has(.modal))",
        },
        // ---------------------------------------------------------- send now
        {
            content: "Send now",
            trigger: `${FORM} .o_form_statusbar button[name='action_send_now']`,
            run: "click",
        },
        {
            content: "Confirm: mail the due customers now",
            trigger: ".modal .modal-body:contains('Mail every customer due a message from this rule now?')",
        },
        {
            content: "OK",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "A notification says one customer was mailed",
            trigger: ".o_notification:contains('Customers mailed: 1')",
        },
        dueNow(0),
        {
            content: "The rule records its run",
            trigger: `${FORM} .o_field_widget[name='last_run_count']:contains('1')`,
        },
        // ---------------------------------------------------------- the customer's chatter
        {
            content: "Open the rule's customers",
            trigger: `${FORM} button[name='action_view_customers']`,
            run: "click",
        },
        {
            content: `Open ${CUSTOMER}`,
            trigger: `.o_list_view .o_data_row .o_data_cell:contains('${CUSTOMER}')`,
            run: "click",
        },
        {
            content: `The form of ${CUSTOMER} is shown`,
            trigger: `${FORM} .o_field_widget[name='name'] input:value('${CUSTOMER}')`,
        },
        {
            content: "The care mail is in the customer's chatter",
            trigger: `.o-mail-Chatter .o-mail-Message:contains('${SUBJECT}'):contains('Thank you for your trust')`,
        },
        {
            // end once the chatter has loaded its followers too: nothing is left pending when the browser closes
            content: "The chatter is fully loaded",
            trigger: ".o-mail-Chatter:has(.o-mail-Message) .o-mail-Followers-counter",
        },
    ],
});

registry.category("web_tour.tours").add("logistics_crm_care_user_tour", {
    url: "/odoo",
    steps: () => [
        ...openRule(),
        {
            content: "A plain user sees the rule read-only",
            trigger: `${FORM} .o_form_readonly`,
        },
        {
            content: "The due counter is shown",
            trigger: `${FORM} .o-form-buttonbox .o_field_widget[name='due_count'] .o_stat_value`,
        },
        {
            content: "There is no Send now button, and no Save or New",
            trigger: `${FORM}:not(:has(button[name='action_send_now'])):not(:has(.o_form_button_save))`,
        },
        {
            content: "The control panel offers no New button",
            trigger: ".o_control_panel:not(:has(.o_form_button_create))",
        },
        {
            content: "The rule's chatter is fully loaded",
            trigger: ".o-mail-Chatter .o-mail-Followers-counter",
        },
    ],
});
