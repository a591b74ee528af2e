/** @odoo-module **/
/*
 * Browser tours of the Logistics CRM main screens, run by logistics_crm/tests/test_tours.py
 * (HttpCase.start_tour in headless Chromium). The test creates the customers they open:
 *   - "Tour Steel Mill": recent confirmed orders, tier A, active;
 *   - "Tour Dormant Foundry": last order about 250 days ago, dormant, churn risk >= 50 (at risk).
 */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const APP = "logistics_crm.menu_logistics_crm_root";
const MENU_CUSTOMERS_ROOT = "logistics_crm.menu_logistics_customers_root";
const MENU_CUSTOMERS = "logistics_crm.menu_logistics_customers";
const MENU_AT_RISK = "logistics_crm.menu_logistics_customers_at_risk";
const MENU_REPORTING = "logistics_crm.menu_logistics_reporting";
const MENU_CONFIG = "logistics_crm.menu_logistics_config";
const MENU_TIERS = "logistics_crm.menu_logistics_customer_tier";
const MENU_TIER_HISTORY = "logistics_crm.menu_logistics_tier_history";
const MENU_WINDOWS = "logistics_crm.menu_logistics_tier_settings";

const STEEL_MILL = "Tour Steel Mill";
const DORMANT = "Tour Dormant Foundry";

/** Open the Logistics CRM app from the home menu (apps menu in community). */
function openApp() {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Logistics CRM app",
            trigger: `.o_app[data-menu-xmlid='${APP}']`,
            run: "click",
        },
        {
            content: "The app's menus are shown",
            trigger: `.o_main_navbar [data-menu-xmlid='${MENU_CUSTOMERS_ROOT}']`,
        },
    ];
}

/** Open a menu item of a top-menu section (dropdown) of the app. */
function openMenu(sectionXmlid, itemXmlid, content) {
    return [
        {
            content: `Open the menu of ${content}`,
            trigger: `.o_main_navbar button[data-menu-xmlid='${sectionXmlid}']`,
            run: "click",
        },
        {
            content: `Open ${content}`,
            trigger: `.dropdown-item[data-menu-xmlid='${itemXmlid}']`,
            run: "click",
        },
    ];
}

/** Search a customer by name in the control panel of the current list. */
function searchCustomer(name) {
    return [
        {
            content: `Search ${name}`,
            trigger: ".o_control_panel .o_searchview_input",
            run: `edit ${name}`,
        },
        {
            content: "Validate the search",
            trigger: ".o_control_panel .o_searchview_input",
            run: "press Enter",
        },
        {
            content: "The search facet is applied",
            trigger: `.o_control_panel .o_searchview_facet:contains('${name}')`,
        },
    ];
}

/**
 * From the Customers list: open the customer and its Logistics tab, check tier A and stage Active.
 * @param {string} tierTrigger the customer's tier field showing "A - Key account": an editable
 *   many2one for managers, a read-only badge for users
 */
function openSteelMillLogisticsTab(tierTrigger) {
    return [
        ...openMenu(MENU_CUSTOMERS_ROOT, MENU_CUSTOMERS, "Customers"),
        {
            content: "The Customers list is shown",
            trigger: ".o_list_view .o_control_panel .o_breadcrumb:contains('Customers')",
        },
        ...searchCustomer(STEEL_MILL),
        {
            content: "The search is done: the list shows only the customer, with its tier badge A",
            trigger: `.o_list_view .o_list_table:not(:has(.o_data_row ~ .o_data_row)) .o_data_row:contains('${STEEL_MILL}') .o_data_cell[name=logistics_tier_code] .badge:contains('A')`,
        },
        {
            content: "The list shows the customer's lifecycle stage",
            trigger: `.o_list_view .o_data_row:contains('${STEEL_MILL}') .o_data_cell[name=logistics_stage]:contains('Active')`,
        },
        {
            content: `Open ${STEEL_MILL}`,
            trigger: `.o_list_view .o_data_row .o_data_cell[name=complete_name]:contains('${STEEL_MILL}')`,
            run: "click",
        },
        {
            content: "The customer form is open",
            trigger: `.o_form_view .o_control_panel .o_breadcrumb:contains('${STEEL_MILL}')`,
        },
        {
            content: "Open the Logistics tab",
            trigger: ".o_form_view .o_notebook a.nav-link[name=logistics]",
            run: "click",
        },
        {
            content: "The Logistics tab is active",
            trigger: ".o_form_view .o_notebook a.nav-link.active[name=logistics]",
        },
        {
            content: "The tier field shows the tier computed for the customer: A - Key account",
            trigger: tierTrigger,
        },
        {
            content: "The lifecycle stage is Active",
            trigger: ".o_form_view .o_field_widget[name=logistics_stage]:contains('Active')",
        },
        {
            content: "The tier history shows the customer's entry into tier A",
            trigger: ".o_form_view .o_field_widget[name=logistics_tier_history_ids] .o_data_row:contains('A - Key account'):contains('Recomputation')",
        },
    ];
}

registry.category("web_tour.tours").add("logistics_crm_tier_tour", {
    url: "/odoo",
    steps: () => [
        ...openApp(),
        // managers may set the tier by hand: an editable many2one
        ...openSteelMillLogisticsTab(
            ".o_form_view .o_field_many2one[name=logistics_tier_id] input:value('A - Key account')"
        ),
        // ---------------------------------------------------------- edit the logistics profile
        {
            content: "Set the business scale to Large",
            trigger: ".o_form_view .o_field_widget[name=logistics_business_scale] select",
            run: "selectByLabel Large",
        },
        {
            content: "Type a main commodity",
            trigger: ".o_form_view .o_field_widget[name=logistics_commodity_ids] input",
            run: "edit Steel prod",
        },
        {
            content: "Pick Steel products",
            trigger: ".o-autocomplete--dropdown-menu .o-autocomplete--dropdown-item:contains('Steel products')",
            run: "click",
        },
        {
            content: "The commodity tag is added",
            trigger: ".o_form_view .o_field_widget[name=logistics_commodity_ids] .o_tag:contains('Steel products')",
        },
        {
            content: "Save the customer",
            trigger: ".o_form_view .o_form_button_save:enabled",
            run: "click",
        },
        {
            content: "Wait for the save to complete",
            trigger: ".o_form_view .o_form_saved",
        },
        // ---------------------------------------------------------- configuration: tiers
        ...openMenu(MENU_CONFIG, MENU_TIERS, "Customer tiers"),
        {
            content: "The Customer tiers list shows tier A",
            trigger: ".o_list_view .o_data_row:contains('Key account') .o_data_cell[name=code]:contains('A')",
        },
        {
            content: "The Customer tiers list shows tier B",
            trigger: ".o_list_view .o_data_row:contains('Important customer') .o_data_cell[name=code]:contains('B')",
        },
        {
            content: "The Customer tiers list shows tier C",
            trigger: ".o_list_view .o_data_row:contains('Regular customer') .o_data_cell[name=code]:contains('C')",
        },
        {
            content: "Recompute the tiers now",
            trigger: ".o_list_view .o_control_panel button:contains('Recompute tiers')",
            run: "click",
        },
        {
            content: "A notification reports the recomputation",
            trigger: ".o_notification:contains('Tiers recomputed'):contains('customers checked')",
        },
        // ---------------------------------------------------------- configuration: windows
        ...openMenu(MENU_CONFIG, MENU_WINDOWS, "Tier and lifecycle windows"),
        {
            content: "The windows dialog opens on the current active window",
            trigger: ".modal .o_field_widget[name=active_days] input:value(180)",
        },
        {
            content: "Lengthen the active window to 200 days",
            trigger: ".modal .o_field_widget[name=active_days] input",
            run: "edit 200",
        },
        {
            content: "Save the windows",
            trigger: ".modal .modal-footer button[name=action_save]",
            run: "click",
        },
        {
            content: "The dialog closes",
            trigger: "body:not(:has(.modal))",
        },
        // ---------------------------------------------------------- customers at risk
        ...openMenu(MENU_CUSTOMERS_ROOT, MENU_AT_RISK, "Customers at risk"),
        {
            content: "The Customers at risk list is shown, grouped by tier",
            trigger: ".o_list_view .o_control_panel .o_searchview_facet:contains('Tier')",
        },
        {
            content: "The tier group of the dormant customer is there",
            trigger: ".o_list_view .o_group_header:contains('B - Important customer')",
        },
        {
            content: "Drop the grouping to see the customers themselves",
            trigger: ".o_control_panel .o_searchview_facet:contains('Tier') .o_facet_remove",
            run: "click",
        },
        {
            content: "The list is no longer grouped",
            trigger: ".o_list_view .o_list_table:not(:has(.o_group_header)) .o_data_row",
        },
        ...searchCustomer(DORMANT),
        {
            content: "The dormant customer is listed as at risk",
            trigger: `.o_list_view .o_data_row:contains('${DORMANT}') .o_data_cell[name=logistics_stage]:contains('Dormant')`,
        },
        // ---------------------------------------------------------- reporting: tier movements
        ...openMenu(MENU_REPORTING, MENU_TIER_HISTORY, "Tier movements"),
        {
            content: "The Tier movements list is shown, tier changes only",
            trigger: ".o_list_view .o_control_panel .o_searchview_facet:contains('Tier changes')",
        },
        ...searchCustomer(DORMANT),
        {
            content: "The dormant customer's entry into tier B is listed",
            trigger: `.o_list_view .o_data_row:contains('${DORMANT}') .o_data_cell[name=new_tier_id]:contains('B - Important customer')`,
        },
        {
            content: "Switch to the pivot view",
            trigger: ".o_control_panel .o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "The pivot shows the movements from tier to tier",
            trigger: ".o_pivot_view .o_pivot table:contains('B - Important customer')",
        },
    ],
});

registry.category("web_tour.tours").add("logistics_crm_user_tour", {
    url: "/odoo",
    steps: () => [
        ...openApp(),
        {
            content: "A Logistics CRM user sees Reporting but no Configuration menu",
            trigger: `.o_main_navbar:has([data-menu-xmlid='${MENU_REPORTING}']):not(:has([data-menu-xmlid='${MENU_CONFIG}']))`,
        },
        // users only see the tier: a read-only badge
        ...openSteelMillLogisticsTab(
            ".o_form_view .o_field_badge[name=logistics_tier_id]:not(:has(input)):contains('A - Key account')"
        ),
        {
            content: "The user sees the churn risk",
            trigger: ".o_form_view .o_field_widget[name=logistics_churn_risk]",
        },
        {
            content: "Still no Configuration menu",
            trigger: `.o_main_navbar:not(:has([data-menu-xmlid='${MENU_CONFIG}']))`,
        },
    ],
});
