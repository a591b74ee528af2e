/** @odoo-module **/
/*
 * Satisfaction survey tours, run by logistics_crm/tests/test_tours_survey.py in headless Chromium:
 *   - logistics_crm_survey_answer_tour: the customer's contact opens the personal link of the
 *     invitation (no login) and answers the shipped survey: 4, 5, 3, 4 on the four core questions,
 *     the optional complaint question skipped, 9 on "would recommend", a comment; then the thank-you page;
 *   - logistics_crm_survey_customer_tour: an administrator opens the customer "Tour Survey Shipper"
 *     and finds its score (78) and NPS (100) in the Satisfaction group of the Logistics tab, then
 *     the Satisfaction KPIs report.
 */

import { registry } from "@web/core/registry";

const QUESTION = "div.js_question-wrapper";
const CUSTOMER = "Tour Survey Shipper";
const FORM = ".o_form_view";
const MENU_SATISFACTION = "logistics_crm.menu_logistics_satisfaction_root";
const MENU_KPIS = "logistics_crm.menu_logistics_satisfaction_kpis";

/** The field ``name`` of the form's Satisfaction group shows ``text`` (read-only, or in its input). */
function fieldShows(name, text) {
    const field = `${FORM} .o_inner_group:contains('Satisfaction') .o_field_widget[name=${name}]`;
    return `${field}:contains('${text}'), ${field} input:value('${text}')`;
}

/** Pick ``value`` on the scale of the question whose title contains ``title``. */
function rate(title, value) {
    const question = `${QUESTION}:contains("${title}")`;
    return [
        {
            content: `Rate ${value}: ${title}`,
            trigger: `${question} label.o_survey_choice_btn:has(input[value='${value}'])`,
            run: "click",
        },
        {
            content: `${value} is selected: ${title}`,
            trigger: `${question} label.o_survey_choice_btn.o_survey_selected:has(input[value='${value}'])`,
        },
    ];
}

registry.category("web_tour.tours").add("logistics_crm_survey_answer_tour", {
    steps: () => [
        {
            content: "The invitation's link opens the survey's start page",
            trigger: ".o_survey_start:contains('These seven questions take two minutes')",
        },
        {
            content: "Start the survey",
            trigger: "button[type='submit'][value='start']:not(.disabled)",
            run: "click",
        },
        ...rate("meet your expectations", 4),
        ...rate("quality of our service", 5),
        ...rate("value for money", 3),
        ...rate("satisfied are you with our company", 4),
        // the complaint question is optional: nothing to complain about
        ...rate("recommend us to a colleague", 9),
        {
            content: "Write a comment",
            trigger: `${QUESTION}:contains("What should we do better") textarea`,
            run: "edit Faster customs clearance at Qingdao, please.",
        },
        {
            content: "Submit the answers",
            trigger: "button[type='submit'][value='finish']:not(.disabled)",
            run: "click",
        },
        {
            content: "The thank-you page is shown",
            trigger: ".o_survey_finished:contains('Your answers help us serve you better')",
        },
    ],
});

registry.category("web_tour.tours").add("logistics_crm_survey_customer_tour", {
    steps: () => [
        {
            content: "The Customers list is shown",
            trigger: ".o_list_view .o_control_panel .o_breadcrumb:contains('Customers')",
        },
        {
            content: `Search ${CUSTOMER}`,
            trigger: ".o_control_panel .o_searchview_input",
            run: `edit ${CUSTOMER}`,
        },
        {
            content: "Validate the search",
            trigger: ".o_control_panel .o_searchview_input",
            run: "press Enter",
        },
        {
            content: "The list shows only the customer",
            trigger: `.o_list_view .o_list_table:not(:has(.o_data_row ~ .o_data_row)) .o_data_row .o_data_cell[name=complete_name]:contains('${CUSTOMER}')`,
        },
        {
            content: `Open ${CUSTOMER}`,
            trigger: `.o_list_view .o_data_row .o_data_cell[name=complete_name]:contains('${CUSTOMER}')`,
            run: "click",
        },
        {
            content: "The customer form is open",
            trigger: `${FORM} .o_control_panel .o_breadcrumb:contains('${CUSTOMER}')`,
        },
        {
            content: "Open the Logistics tab",
            trigger: `${FORM} .o_notebook a.nav-link[name=logistics]`,
            run: "click",
        },
        {
            content: "The Logistics tab is active",
            trigger: `${FORM} .o_notebook a.nav-link.active[name=logistics]`,
        },
        {
            content: "The Satisfaction group counts one answer",
            trigger: fieldShows("logistics_survey_answer_count", "1"),
        },
        {
            content: "The satisfaction score is 78",
            trigger: `${FORM} .o_field_widget[name=logistics_satisfaction_score] .o_progressbar_value:contains('78')`,
        },
        {
            content: "The NPS is 100 (one promoter)",
            trigger: fieldShows("logistics_nps", "100.0"),
        },
        {
            content: "Open the Satisfaction menu",
            trigger: `.o_main_navbar button[data-menu-xmlid='${MENU_SATISFACTION}']`,
            run: "click",
        },
        {
            content: "Open the Satisfaction KPIs",
            trigger: `.dropdown-item[data-menu-xmlid='${MENU_KPIS}']`,
            run: "click",
        },
        {
            content: "The Satisfaction KPIs report is open",
            trigger: ".o_pivot_view .o_control_panel .o_breadcrumb:contains('Satisfaction KPIs')",
        },
        {
            content: "The pivot has a row for the salesperson credited with the answer",
            trigger: ".o_pivot_view .o_pivot table .o_pivot_header_cell_closed:contains('Tour Survey Salesperson')",
        },
    ],
});
