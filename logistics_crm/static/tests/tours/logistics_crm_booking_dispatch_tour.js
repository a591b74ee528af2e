/** @odoo-module **/
/*
 * Dispatcher tours, run by logistics_crm/tests/test_tours_booking.py in headless Chromium:
 *   - logistics_crm_booking_dispatch_tour: a dispatcher opens Bookings > Dispatch calendar, finds the
 *     pickup "Tour Dispatch Shipper" requested for tomorrow 09:00-12:00 UTC (the next week when
 *     tomorrow lies there), opens it from the calendar pop-up and schedules it: the booking is
 *     confirmed (the customer is emailed) and scheduled. The tests run it on a booking of their own
 *     and on the one the customer just booked in the portal (logistics_crm_booking_portal_tour);
 *   - logistics_crm_booking_views_tour: the booking views open: kanban, list, calendar, pivot, graph,
 *     Today's dispatch and the Bookings per week report.
 */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

const { DateTime } = luxon;

const APP = "logistics_crm.menu_logistics_crm_root";
const MENU_BOOKINGS_ROOT = "logistics_crm.menu_logistics_bookings_root";
const MENU_BOOKINGS = "logistics_crm.menu_logistics_booking";
const MENU_CALENDAR = "logistics_crm.menu_logistics_booking_calendar";
const MENU_DISPATCH_TODAY = "logistics_crm.menu_logistics_booking_dispatch_today";
const MENU_REPORTING = "logistics_crm.menu_logistics_reporting";
const MENU_ANALYSIS = "logistics_crm.menu_logistics_booking_analysis";

const CUSTOMER = "Tour Dispatch Shipper";
const FORM = ".o_form_view";
const CALENDAR = ".o_calendar_view .o_calendar_renderer";

/** Open the Logistics CRM app from the home menu. */
function openApp() {
    return [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the Logistics CRM app",
            trigger: `.o_app[data-menu-xmlid='${APP}']`,
            run: "click",
        },
    ];
}

/** Open the menu item ``xmlid`` of the top menu ``rootXmlid``; wait for the breadcrumb ``title``. */
function openMenu(rootXmlid, xmlid, title) {
    return [
        {
            content: `Open the menu of ${title}`,
            trigger: `.o_main_navbar button[data-menu-xmlid='${rootXmlid}']`,
            run: "click",
        },
        {
            content: `Open ${title}`,
            trigger: `.dropdown-item[data-menu-xmlid='${xmlid}']`,
            run: "click",
        },
        {
            content: `${title} is shown`,
            trigger: `.o_control_panel .o_breadcrumb:contains("${title}")`,
        },
    ];
}

/** Switch the current action to the view ``viewType``; wait for ``rendered`` in it. */
function switchView(viewType, rendered) {
    return [
        {
            content: `Switch to the ${viewType} view`,
            trigger: `.o_control_panel .o_switch_view.o_${viewType}`,
            run: "click",
        },
        {
            content: `The ${viewType} view is shown`,
            trigger: `.o_${viewType}_view ${rendered}`,
        },
    ];
}

registry.category("web_tour.tours").add("logistics_crm_booking_dispatch_tour", {
    url: "/odoo",
    steps: () => {
        // the test books tomorrow 09:00-12:00 UTC: the day of that window in the browser's time zone
        const eventDay = DateTime.utc()
            .plus({ days: 1 })
            .set({ hour: 9, minute: 0, second: 0 })
            .toLocal()
            .toISODate();
        const eventColumn = `${CALENDAR} th.fc-col-header-cell[data-date='${eventDay}']`;
        const event = `${CALENDAR} .fc-event:contains("${CUSTOMER}")`;
        return [
            ...openApp(),
            ...openMenu(MENU_BOOKINGS_ROOT, MENU_CALENDAR, "Dispatch calendar"),
            {
                content: "The calendar shows a week; go to the next one when the booking's day is not in it",
                trigger: `${CALENDAR} th.fc-col-header-cell[data-date]`,
                async run(helpers) {
                    if (!document.querySelector(eventColumn)) {
                        await helpers.click(".o_calendar_view .o_calendar_button_next");
                    }
                },
            },
            {
                content: `The week of ${eventDay} is shown`,
                trigger: eventColumn,
            },
            {
                content: `Click the booking of ${CUSTOMER}`,
                trigger: event,
                run: "click",
            },
            {
                content: "The pop-up shows the requested pickup of the customer",
                trigger: `.o_cw_popover:contains("${CUSTOMER}"):contains("Pickup"):contains("Requested")`,
            },
            {
                content: "Open the booking",
                trigger: ".o_cw_popover .o_cw_popover_edit",
                run: "click",
            },
            {
                content: "The booking is requested",
                trigger: `${FORM} .o_statusbar_status button.o_arrow_button_current:contains("Requested")`,
            },
            {
                content: "The booking's customer is shown",
                trigger: `${FORM} .o_field_widget[name=partner_id]:contains("${CUSTOMER}"), ${FORM} .o_field_widget[name=partner_id] input:value("${CUSTOMER}")`,
            },
            {
                content: "Schedule the booking",
                trigger: `${FORM} .o_form_statusbar button[name='action_schedule']`,
                run: "click",
            },
            {
                content: "The booking is scheduled",
                trigger: `${FORM} .o_statusbar_status button.o_arrow_button_current:contains("Scheduled")`,
            },
            {
                content: "The confirmation to the customer is in the chatter",
                trigger: `.o-mail-Chatter .o-mail-Message:contains("is confirmed")`,
            },
        ];
    },
});

registry.category("web_tour.tours").add("logistics_crm_booking_views_tour", {
    url: "/odoo",
    steps: () => [
        ...openApp(),
        ...openMenu(MENU_BOOKINGS_ROOT, MENU_BOOKINGS, "Bookings"),
        {
            content: "The kanban shows the booking in the Requested column",
            trigger: `.o_kanban_view .o_kanban_group:contains("Requested") .o_kanban_record:contains("${CUSTOMER}")`,
        },
        ...switchView("list", `.o_data_row .o_data_cell[name=partner_id]:contains("${CUSTOMER}")`),
        ...switchView("calendar", "th.fc-col-header-cell[data-date]"),
        ...switchView("pivot", ".o_pivot table .o_pivot_header_cell_closed"),
        ...switchView("graph", ".o_graph_renderer canvas"),
        ...openMenu(MENU_BOOKINGS_ROOT, MENU_DISPATCH_TODAY, "Today's dispatch"),
        {
            content: "Today's dispatch shows today's booking under its city",
            trigger: `.o_list_view .o_group_header:contains("Tour City") ~ .o_data_row .o_data_cell[name=partner_id]:contains("${CUSTOMER}")`,
        },
        {
            content: "The filters of today's dispatch can be removed",
            trigger: `.o_searchview_facet:contains("Today")`,
        },
        ...openMenu(MENU_REPORTING, MENU_ANALYSIS, "Bookings per week"),
        {
            content: "The graph of bookings per week is shown",
            trigger: ".o_graph_view .o_graph_renderer canvas",
        },
        ...switchView("pivot", ".o_pivot table .o_pivot_header_cell_closed"),
    ],
});
