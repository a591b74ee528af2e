/** @odoo-module **/
/*
 * Chartering tour, run by logistics_crm/tests/test_tours_matching.py in headless Chromium: a Logistics
 * user posts a cargo offer (coal, Newcastle AU -> Qingdao), finds the vessels that fit, opens the best
 * match and turns it into a quotation. The test creates the cargo owner "Tour Coal Exporter" and two
 * open positions: "Tour Near Kamsarmax" (Gladstone, the best) and "Tour Far Kamsarmax" (Singapore).
 */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const { DateTime } = luxon;
const APP = "logistics_crm.menu_logistics_crm_root";
const MENU_CHARTERING = "logistics_crm.menu_logistics_chartering";
const MENU_CARGO = "logistics_crm.menu_logistics_cargo";

function pickMany2one(fieldName, text, choice) {
    return [
        {
            content: `Type ${text} in ${fieldName}`,
            trigger: `.o_form_view div[name='${fieldName}'] input`,
            run: `edit ${text}`,
        },
        {
            content: `Choose ${choice || text}`,
            trigger: `.o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item a:contains('${choice || text}')`,
            run: "click",
        },
    ];
}

function laycanInput(fieldName) {
    return `.o_form_view div[name='${fieldName}'] input`;
}

function dateIn(days) {
    return DateTime.now().plus({ days }).toFormat("MM/dd/yyyy");
}

function setDate(fieldName, days) {
    const value = dateIn(days);
    return [
        {
            content: `Set ${fieldName} to ${value}`,
            trigger: laycanInput(fieldName),
            run: `edit ${value} && click body`,
        },
        {
            content: `${fieldName} keeps ${value}`,
            trigger: `${laycanInput(fieldName)}:value('${value}')`,
        },
    ];
}

registry.category("web_tour.tours").add("logistics_crm_matching_tour", {
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Logistics CRM app",
            trigger: `.o_app[data-menu-xmlid='${APP}']`,
            run: "click",
        },
        {
            content: "Open the Chartering menu",
            trigger: `.o_main_navbar button[data-menu-xmlid='${MENU_CHARTERING}']`,
            run: "click",
        },
        {
            content: "Open the cargo offers",
            trigger: `.dropdown-item[data-menu-xmlid='${MENU_CARGO}']`,
            run: "click",
        },
        {
            content: "The cargo offers are shown",
            trigger: ".o_breadcrumb:contains('Cargo offers')",
        },
        {
            content: "Post a new cargo offer",
            trigger: ".o_control_panel .o-kanban-button-new, .o_control_panel .o_list_button_add",
            run: "click",
        },
        ...pickMany2one("partner_id", "Tour Coal Exporter"),
        ...pickMany2one("commodity_id", "Coal"),
        {
            content: "Quantity: 50,000 t",
            trigger: ".o_form_view div[name='quantity'] input",
            run: "edit 50000",
        },
        ...pickMany2one("load_port_id", "AUNTL", "Newcastle (AU)"),
        ...pickMany2one("discharge_port_id", "CNTAO", "Qingdao"),
        ...setDate("laycan_start", 14),
        ...setDate("laycan_end", 24),
        {
            content: "Freight idea: 16.50 per t",
            trigger: ".o_form_view div[name='freight_rate'] input",
            run: "edit 16.50",
        },
        {
            content: "The laycan start is still set",
            trigger: `${laycanInput("laycan_start")}:value('${dateIn(14)}')`,
        },
        {
            content: "Save the offer",
            trigger: ".o_form_view .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved: the offer has its reference",
            trigger: ".o_form_view .o_breadcrumb:contains('CG')",
        },
        {
            content: "Find the vessels that fit",
            trigger: ".o_form_view button[name='action_find_matches']",
            run: "click",
        },
        {
            content: "The best match is the near Kamsarmax",
            trigger: ".o_kanban_view .o_kanban_record:contains('Tour Near Kamsarmax')",
        },
        {
            content: "The far one is a candidate too",
            trigger: ".o_kanban_view .o_kanban_record:contains('Tour Far Kamsarmax')",
        },
        {
            content: "Open the best match",
            trigger: ".o_kanban_view .o_kanban_record:contains('Tour Near Kamsarmax')",
            run: "click",
        },
        {
            content: "The match shows its score and voyage estimate",
            trigger: ".o_form_view div[name='tce']",
        },
        {
            content: "Turn the match into a quotation",
            trigger: ".o_form_view button[name='action_create_quotation']",
            run: "click",
        },
        {
            content: "The quotation has the freight line",
            trigger: ".o_form_view div[name='order_line'] td:contains('Ocean freight')",
        },
        {
            content: "for the cargo owner",
            trigger: ".o_form_view div[name='partner_id'] input:value('Tour Coal Exporter')",
        },
    ],
});
