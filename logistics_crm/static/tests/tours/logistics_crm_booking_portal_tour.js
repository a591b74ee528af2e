/** @odoo-module **/
/*
 * Portal booking tour, run by logistics_crm/tests/test_portal_booking.py in headless Chromium: a customer's
 * portal user (time zone UTC) opens "Pickups and deliveries" under My account and books a pickup at
 * 88 Xianggang Road, Qingdao, tomorrow 09:00-12:00: first with the window ending before it starts (the
 * form comes back with the message next to the field and what was typed kept), then with the end fixed;
 * the booking's page thanks the customer and shows it Requested.
 */

import { registry } from "@web/core/registry";

const FORM = "form.o_logistics_portal_booking_form";
const GOODS = "12 pallets of ceramic tiles";
const STREET = "88 Xianggang Road";

/** The value of an HTML datetime-local input for ``hour``:00 tomorrow (UTC: the tour user's time zone). */
function tomorrowAt(hour) {
    const day = new Date(Date.now() + 24 * 60 * 60 * 1000);
    const pad = (number) => String(number).padStart(2, "0");
    const date = `${day.getUTCFullYear()}-${pad(day.getUTCMonth() + 1)}-${pad(day.getUTCDate())}`;
    return `${date}T${pad(hour)}:00`;
}

/** Set the value of a native input (datetime-local and number inputs are not typed in key by key). */
function setValue(name, value, label) {
    return {
        content: `${label}: ${value}`,
        trigger: `${FORM} input[name='${name}']`,
        run() {
            this.anchor.value = value;
            this.anchor.dispatchEvent(new Event("input", { bubbles: true }));
            this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
        },
    };
}

registry.category("web_tour.tours").add("logistics_crm_booking_portal_tour", {
    url: "/my",
    steps: () => [
        {
            content: "Open Pickups and deliveries from My account",
            trigger: ".o_portal_index_card a[href='/my/bookings']",
            run: "click",
        },
        {
            content: "Book a new pickup or delivery",
            trigger: "a.o_logistics_new_booking",
            run: "click",
        },
        {
            content: "The booking form is shown",
            trigger: `${FORM}`,
        },
        {
            content: "A pickup",
            trigger: `${FORM} input#booking_type_pickup`,
            run: "click",
        },
        {
            content: "Type the street",
            trigger: `${FORM} input[name='street']`,
            run: `edit ${STREET}`,
        },
        {
            content: "Type the city",
            trigger: `${FORM} input[name='city']`,
            run: "edit Qingdao",
        },
        setValue("date_start", tomorrowAt(9), "The window starts tomorrow at 09:00"),
        // a mistake: the window ends before it starts
        setValue("date_end", tomorrowAt(8), "The window ends tomorrow at 08:00"),
        {
            content: "Describe the goods",
            trigger: `${FORM} textarea[name='goods_description']`,
            run: `edit ${GOODS}`,
        },
        setValue("packages", "12", "Packages"),
        setValue("weight_kg", "4800", "Weight (kg)"),
        setValue("volume_m3", "18", "Volume (m³)"),
        {
            content: "Book",
            trigger: `${FORM} button.o_logistics_booking_submit`,
            run: "click",
        },
        // ---------------------------------------------------------- refused: the window is wrong
        {
            content: "The form says what is wrong",
            trigger: ".o_logistics_booking_errors",
        },
        {
            content: "The message is next to the window end",
            trigger: `${FORM} input[name='date_end'].is-invalid + #date_end_feedback:contains('The window must end after it starts.')`,
        },
        {
            content: "The goods typed are kept",
            trigger: `${FORM} textarea[name='goods_description']:value('${GOODS}')`,
        },
        {
            content: "The street typed is kept",
            trigger: `${FORM} input[name='street']:value('${STREET}')`,
        },
        {
            // the value sent back by the server (hoot's :value() cannot read datetime-local inputs)
            content: "The window start typed is kept",
            trigger: `${FORM} input[name='date_start'][value='${tomorrowAt(9)}']`,
        },
        setValue("date_end", tomorrowAt(12), "The window ends tomorrow at 12:00"),
        {
            content: "Book again",
            trigger: `${FORM} button.o_logistics_booking_submit`,
            run: "click",
        },
        // ---------------------------------------------------------- the booking's page
        {
            content: "The booking is recorded: thank you",
            trigger: ".o_logistics_booking_message:contains('your booking is recorded')",
        },
        {
            content: "The booking is Requested",
            trigger: ".o_logistics_portal_booking .o_logistics_booking_state:contains('Requested')",
        },
        {
            content: "The goods are shown",
            trigger: `.o_logistics_portal_booking .o_logistics_booking_goods:contains('${GOODS}')`,
        },
        {
            content: "The customer may still cancel it",
            trigger: "form.o_logistics_booking_cancel_form button:contains('Cancel this booking')",
        },
        {
            // the thread is mounted once its stylesheet is loaded: ending before would leave that request
            // pending when the browser closes (an error after the tour)
            content: "The booking's message thread is ready to write in",
            trigger: "#chatterRoot:shadow .o-mail-Chatter .o-mail-Composer",
        },
    ],
});
