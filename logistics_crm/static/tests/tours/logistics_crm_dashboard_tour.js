/** @odoo-module **/
/*
 * Browser tour of the management dashboard (client action logistics_crm.dashboard), run by
 * logistics_crm/tests/test_tours_dashboard.py for a manager and for a plain Logistics CRM user.
 * The test creates the figures it opens:
 *   - "Tour Dashboard Steel" (tier A, first in the Pareto ranking) and "Tour Dashboard Foundry";
 *   - an open complaint of the steel customer; a pickup booked for today.
 * Opening the app lands on the dashboard; every card, chart and row opens the records behind it.
 */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const APP = "logistics_crm.menu_logistics_crm_root";
const MENU_DASHBOARD = "logistics_crm.menu_logistics_dashboard";
const DASHBOARD = ".o_action.o_logistics_dashboard";
const STEEL = "Tour Dashboard Steel";

/** The dashboard is drawn: its cards, and the Pareto and stage charts on their canvas. */
function dashboardReady(content) {
    return [
        {
            content: `${content}: the KPI cards are shown`,
            trigger: `${DASHBOARD} .o_logistics_kpi_customers .o_logistics_kpi_value`,
        },
        {
            content: `${content}: the Pareto chart is drawn`,
            trigger: `${DASHBOARD} .o_logistics_dashboard_pareto .o_logistics_chart_ready canvas`,
        },
        {
            content: `${content}: the stage chart is drawn`,
            trigger: `${DASHBOARD} .o_logistics_dashboard_stages .o_logistics_chart_ready canvas`,
        },
    ];
}

/** Back to the dashboard through the breadcrumb, and wait until it is drawn again. */
function backToDashboard() {
    return [
        {
            content: "Back to the dashboard through the breadcrumb",
            trigger: ".o_control_panel .breadcrumb-item a:contains('Dashboard')",
            run: "click",
        },
        ...dashboardReady("Back on the dashboard"),
    ];
}

/** Click the first element of the Chart.js chart in `selector`, as a user clicks the canvas. */
function clickChart(selector, content) {
    return {
        content,
        trigger: `${selector} .o_logistics_chart_ready canvas`,
        run() {
            const canvas = document.querySelector(`${selector} .o_logistics_chart_ready canvas`);
            const chart = window.Chart && window.Chart.getChart(canvas);
            const element = chart && chart.getDatasetMeta(0).data.find((bar) => bar && !bar.skip);
            if (!element) {
                throw new Error(`No chart element to click in ${selector}`);
            }
            const rect = canvas.getBoundingClientRect();
            const { x, y } = element.tooltipPosition();
            const options = { bubbles: true, cancelable: true, clientX: rect.left + x, clientY: rect.top + y + 1 };
            canvas.dispatchEvent(new MouseEvent("mousemove", options));
            canvas.dispatchEvent(new MouseEvent("click", options));
        },
    };
}

registry.category("web_tour.tours").add("logistics_crm_dashboard_tour", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Logistics CRM app",
            trigger: `.o_app[data-menu-xmlid='${APP}']`,
            run: "click",
        },
        ...dashboardReady("The app opens on its dashboard"),
        {
            content: "Mark this dashboard, so that the next steps wait for the one the menu opens",
            trigger: DASHBOARD,
            run() {
                document.querySelector(DASHBOARD).classList.add("o_tour_first_dashboard");
            },
        },
        {
            content: "Open the Dashboard menu",
            trigger: `.o_main_navbar [data-menu-xmlid='${MENU_DASHBOARD}']`,
            run: "click",
        },
        {
            content: "The menu opened a new dashboard (the first one is gone)",
            trigger: `${DASHBOARD}:not(.o_tour_first_dashboard)`,
        },
        ...dashboardReady("The Dashboard menu"),
        {
            content: "The header names the company",
            trigger: `${DASHBOARD} .o_logistics_dashboard_company:not(:empty)`,
        },
        {
            content: "The cut-offs explain the tiers",
            trigger: `${DASHBOARD} .o_logistics_cutoff_list li:contains('A (cut-off 80')`,
        },
        {
            content: "The at-risk table lists a customer",
            trigger: `${DASHBOARD} .o_logistics_at_risk_table .o_logistics_at_risk_customer`,
        },
        // ---------------------------------------------------------- the tier A row: its customers
        {
            content: "Click tier A in the tier table",
            trigger: `${DASHBOARD} .o_logistics_tier_row[data-tier='A']`,
            run: "click",
        },
        {
            content: "The tier's customers are listed",
            trigger: `.o_list_view .o_data_row:contains('${STEEL}')`,
        },
        ...backToDashboard(),
        // ---------------------------------------------------------- the Customers card: the tier analysis
        {
            content: "Click the Customers card",
            trigger: `${DASHBOARD} .o_logistics_kpi_customers`,
            run: "click",
        },
        {
            content: "The tier analysis pivot opens",
            trigger: ".o_pivot_view .o_pivot table .o_pivot_header_cell_closed, .o_pivot_view .o_pivot table th",
        },
        ...backToDashboard(),
        // ---------------------------------------------------------- the Pareto chart: the first customer
        clickChart(`${DASHBOARD} .o_logistics_dashboard_pareto`, "Click the first bar of the Pareto chart"),
        {
            content: "The first customer of the ranking opens",
            trigger: `.o_form_view .o_breadcrumb:contains('${STEEL}')`,
        },
        ...backToDashboard(),
        // ---------------------------------------------------------- the complaints card: the SLA dashboard
        {
            content: "Click the Open complaints card",
            trigger: `${DASHBOARD} .o_logistics_kpi_complaints`,
            run: "click",
        },
        {
            content: "The complaint SLA dashboard opens on its graph",
            trigger: ".o_graph_view .o_graph_renderer canvas",
        },
        ...backToDashboard(),
        // ---------------------------------------------------------- the bookings card: this week's bookings
        {
            content: "Click the Bookings this week card",
            trigger: `${DASHBOARD} .o_logistics_kpi_bookings`,
            run: "click",
        },
        {
            content: "This week's bookings are listed",
            trigger: `.o_list_view .o_control_panel .o_breadcrumb:contains('Bookings of week')`,
        },
        {
            content: "The list is loaded with the pickup booked for today",
            trigger: `.o_list_view .o_data_row:contains('${STEEL}')`,
        },
    ],
});
