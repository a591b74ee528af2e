/** @odoo-module **/
/*
 * Browser tour of the sea map client action (logistics_crm.sea_map): the map, at least one
 * port marker and the legend are shown. Started by HttpCase.start_tour at
 * /odoo/action-logistics_crm.action_logistics_sea_map; needs at least one port with
 * coordinates. Runs offline: the test data gives an empty tile_url, so no tiles are fetched.
 */

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("logistics_crm_map_tour", {
    url: "/odoo/action-logistics_crm.action_logistics_sea_map",
    steps: () => [
        {
            content: "The sea map client action is shown",
            trigger: ".o_logistics_sea_map",
        },
        {
            content: "Leaflet has drawn the map",
            trigger: ".o_logistics_sea_map .o_logistics_map_canvas.leaflet-container",
        },
        {
            content: "At least one port marker is drawn",
            trigger: ".o_logistics_sea_map .leaflet-overlay-pane path.o_lmap_port.leaflet-interactive",
        },
        {
            content: "The legend is shown",
            trigger: ".o_logistics_sea_map .o_logistics_map_legend:visible",
        },
        {
            content: "The map has a real height",
            trigger: ".o_logistics_sea_map .o_logistics_map_canvas",
            run() {
                const canvas = document.querySelector(".o_logistics_sea_map .o_logistics_map_canvas");
                if (!canvas || canvas.getBoundingClientRect().height < 200) {
                    throw new Error("The sea map has no height");
                }
            },
        },
    ],
});
