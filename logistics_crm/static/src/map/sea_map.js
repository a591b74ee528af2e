/** @odoo-module **/
/* global L */
/*
 * Sea map: ports, vessel open positions and cargo offers on a Leaflet map, and on demand one
 * cargo's best candidate vessels with the ballast and laden routes along sea lanes.
 *
 * Client action "logistics_crm.sea_map". Leaflet (static/lib/leaflet) is loaded as the global
 * `L` by the same asset bundle, before this file. The data comes from
 * logistics.cargo.logistics_map_data(cargo_id=...):
 *   { tile_url, attribution, ports, positions, cargoes, focus }
 * An empty tile_url draws no tile layer (offline tests) but a light graticule instead.
 * Route longitudes may be unwrapped beyond ±180 across the antimeridian: drawn as given.
 */

import {
    Component,
    onMounted,
    onPatched,
    onWillStart,
    onWillUnmount,
    useRef,
    useState,
} from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { _t } from "@web/core/l10n/translation";
import { useSetupAction } from "@web/search/action_hook";
import { Layout } from "@web/search/layout";
import { formatFloat, formatInteger } from "@web/views/fields/formatters";

export const SEA_MAP_COLORS = {
    port: "#6c757d",
    position: "#1f6fd1",
    cargo: "#f28c1b",
    laden: "#f28c1b",
    ballast: "#1f6fd1",
    graticule: "#7fa7bd",
};

const PIN_SIZE = 20; // px, the rotated square of the pin (see sea_map.scss)
const PIN_TIP_Y = 24; // px from the icon's top to the pin's tip
const PIN_FAN_STEP = 14; // px between markers sharing the same coordinates

/** A finite [lat, lon] pair or null. */
function toLatLng(lat, lon) {
    const la = Number(lat);
    const lo = Number(lon);
    if (lat === null || lat === undefined || lat === false || lon === null || lon === undefined || lon === false) {
        return null;
    }
    return Number.isFinite(la) && Number.isFinite(lo) ? [la, lo] : null;
}

/** The usable points of a route [[lat, lon], ...], in order. */
function routeLatLngs(route) {
    if (!Array.isArray(route)) {
        return [];
    }
    return route
        .map((point) => (Array.isArray(point) ? toLatLng(point[0], point[1]) : null))
        .filter(Boolean);
}

/**
 * A ballast route unwrapped from its own start may end one world copy away from the laden
 * route's start (e.g. Vancouver → Newcastle NSW ends near lon -208 while the laden route
 * starts at +151.8). Shift the whole route by a multiple of 360° (its shape is kept, still
 * drawn unwrapped) so that it ends in the same world copy as the laden route begins.
 */
function alignRoute(points, anchor) {
    if (!anchor || points.length < 2) {
        return points;
    }
    const shift = 360 * Math.round((anchor[1] - points[points.length - 1][1]) / 360);
    return shift ? points.map(([lat, lon]) => [lat, lon + shift]) : points;
}

/** Small DOM builder: text is always set as text, never as HTML. */
function h(tag, { className, text, title, onClick } = {}, children = []) {
    const node = document.createElement(tag);
    if (className) {
        node.className = className;
    }
    if (text !== undefined && text !== null) {
        node.textContent = String(text);
    }
    if (title) {
        node.title = String(title);
    }
    if (tag === "button") {
        node.type = "button";
    }
    if (onClick) {
        node.addEventListener("click", (ev) => {
            ev.preventDefault();
            ev.stopPropagation();
            onClick(ev);
        });
    }
    for (const child of children) {
        if (child) {
            node.appendChild(child);
        }
    }
    return node;
}

function formatNm(value) {
    const nm = Number(value);
    return Number.isFinite(nm) ? formatInteger(Math.round(nm)) : "";
}

export class LogisticsSeaMap extends Component {
    static template = "logistics_crm.SeaMap";
    static components = { Layout };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.mapRef = useRef("map");
        this.legendRef = useRef("legend");
        this.state = useState({
            data: null,
            loading: false,
            highlighted: null,
            legendOpen: !this.env.isSmall,
        });
        this.map = null;
        this.layers = null;
        this.routeLayers = []; // ballast polylines, index = candidate index
        this.needsDraw = true;

        const savedState = this.props.state || {};
        this.cargoId =
            "cargoId" in savedState ? savedState.cargoId : this.initialCargoId(this.props.action);

        if (!this.props.action?.name && this.env.config?.setDisplayName) {
            this.env.config.setDisplayName(_t("Sea map"));
        }

        useSetupAction({
            getLocalState: () => ({ cargoId: this.cargoId }),
        });

        onWillStart(async () => {
            this.state.data = await this.fetchData(this.cargoId);
        });
        onMounted(() => this.renderMap());
        onPatched(() => this.renderMap());
        onWillUnmount(() => this.destroyMap());
    }

    // ------------------------------------------------------------------
    // Data
    // ------------------------------------------------------------------

    initialCargoId(action) {
        const params = (action && action.params) || {};
        if (params.cargo_id) {
            return params.cargo_id;
        }
        const context = (action && action.context) || {};
        if (context.active_model === "logistics.cargo" && context.active_id) {
            return context.active_id;
        }
        return false;
    }

    async fetchData(cargoId) {
        const data = await this.orm.call("logistics.cargo", "logistics_map_data", [], {
            cargo_id: cargoId || false,
        });
        return this.normalizeData(data);
    }

    normalizeData(data) {
        data = data || {};
        const list = (value) => (Array.isArray(value) ? value : []);
        const focus = data.focus && typeof data.focus === "object" ? data.focus : null;
        return {
            tile_url: data.tile_url || "",
            attribution: data.attribution || "",
            ports: list(data.ports),
            positions: list(data.positions),
            cargoes: list(data.cargoes),
            focus: focus && {
                ...focus,
                laden_route: list(focus.laden_route),
                candidates: list(focus.candidates),
            },
        };
    }

    async reload(cargoId = this.cargoId) {
        this.state.loading = true;
        try {
            const data = await this.fetchData(cargoId);
            this.cargoId = cargoId || false;
            this.state.highlighted = null;
            this.needsDraw = true;
            this.state.data = data;
        } finally {
            this.state.loading = false;
        }
    }

    // ------------------------------------------------------------------
    // Template helpers and handlers
    // ------------------------------------------------------------------

    get focus() {
        return this.state.data && this.state.data.focus;
    }

    get candidates() {
        return (this.focus && this.focus.candidates) || [];
    }

    get isEmpty() {
        const data = this.state.data;
        return Boolean(
            data && !data.ports.length && !data.positions.length && !data.cargoes.length && !data.focus
        );
    }

    formatNm(value) {
        return formatNm(value);
    }

    formatScore(value) {
        const score = Number(value);
        return Number.isFinite(score) ? formatFloat(score, { digits: [16, 1] }) : "";
    }

    toggleLegend() {
        this.state.legendOpen = !this.state.legendOpen;
    }

    onShowAll() {
        return this.reload(false);
    }

    onRefresh() {
        return this.reload(this.cargoId);
    }

    showCandidates(cargoId) {
        if (this.map) {
            this.map.closePopup();
        }
        return this.reload(cargoId);
    }

    openRecord(resModel, resId) {
        if (!resId) {
            return;
        }
        return this.action.doAction({
            type: "ir.actions.act_window",
            res_model: resModel,
            res_id: resId,
            views: [[false, "form"]],
        });
    }

    openPosition(positionId) {
        return this.openRecord("logistics.vessel.position", positionId);
    }

    openCargo(cargoId) {
        return this.openRecord("logistics.cargo", cargoId);
    }

    openMatch(matchId) {
        return this.openRecord("logistics.match", matchId);
    }

    onCandidateEnter(index) {
        this.highlightCandidate(index);
    }

    onCandidateLeave() {
        this.highlightCandidate(null);
    }

    zoomToCandidate(index) {
        const layer = this.routeLayers[index];
        if (this.map && layer) {
            this.map.fitBounds(layer.getBounds(), { padding: [40, 40], maxZoom: 7 });
        }
    }

    // ------------------------------------------------------------------
    // Map
    // ------------------------------------------------------------------

    renderMap() {
        const el = this.mapRef.el;
        if (!el || !this.state.data) {
            return;
        }
        if (typeof L === "undefined") {
            // leaflet.js missing from the bundle: show the lists without a map.
            return;
        }
        if (!this.map) {
            this.map = L.map(el, {
                minZoom: 1,
                maxZoom: 18,
                worldCopyJump: false,
                zoomSnap: 0.25,
            });
            this.map.attributionControl.setPrefix(false);
            L.control.scale({ position: "bottomleft" }).addTo(this.map);
            this.needsDraw = true;
        }
        // The side panel may have appeared or gone: the map's size may have changed.
        this.map.invalidateSize(false);
        if (this.needsDraw) {
            this.needsDraw = false;
            this.draw(this.state.data);
        }
    }

    destroyMap() {
        const map = this.map;
        if (!map) {
            return;
        }
        this.map = null;
        // Leaflet 1.9.4 finishes a zoom animation in a 250 ms timer that remove() does not
        // cancel: it would then read the removed panes ("_leaflet_pos" of undefined).
        // Leaving the map while it zooms (e.g. opening a record) must not throw.
        map.stop();
        map._animatingZoom = false;
        map.remove();
    }

    clearLayers() {
        if (this.layerControl) {
            this.layerControl.remove();
            this.layerControl = null;
        }
        for (const layer of Object.values(this.layers || {})) {
            layer.remove();
        }
        this.layers = null;
        this.routeLayers = [];
    }

    draw(data) {
        const map = this.map;
        this.clearLayers();
        const layers = {
            base: L.layerGroup(),
            ports: L.featureGroup(),
            positions: L.featureGroup(),
            cargoes: L.featureGroup(),
            focus: L.featureGroup(),
        };
        this.layers = layers;
        if (data.tile_url) {
            L.tileLayer(data.tile_url, {
                attribution: data.attribution || "",
                maxZoom: 18,
            }).addTo(layers.base);
        } else {
            this.drawGraticule(layers.base);
        }
        const fan = new Map(); // "lat,lon" -> markers already there
        this.drawPorts(data.ports, layers.ports);
        this.drawPositions(data.positions, layers.positions, fan);
        this.drawCargoes(data.cargoes, layers.cargoes, fan);
        if (data.focus) {
            this.drawFocus(data.focus, layers.focus);
        }
        for (const key of ["base", "ports", "cargoes", "focus", "positions"]) {
            layers[key].addTo(map);
        }
        this.layerControl = L.control
            .layers(null, {
                [_t("Ports")]: layers.ports,
                [_t("Open positions")]: layers.positions,
                [_t("Cargo offers")]: layers.cargoes,
                [_t("Routes")]: layers.focus,
            }, { position: "topleft", collapsed: true })
            .addTo(map);
        this.fitMap(data);
    }

    fitMap(data) {
        const map = this.map;
        let bounds = null;
        const extend = (group) => {
            const groupBounds = group.getLayers().length ? group.getBounds() : null;
            if (groupBounds && groupBounds.isValid()) {
                bounds = bounds ? bounds.extend(groupBounds) : L.latLngBounds(groupBounds.getSouthWest(), groupBounds.getNorthEast());
            }
        };
        if (data.focus) {
            extend(this.layers.focus);
        }
        if (!bounds) {
            extend(this.layers.ports);
            extend(this.layers.positions);
            extend(this.layers.cargoes);
        }
        if (bounds) {
            // Keep the markers and routes clear of the zoom/layer controls (top left) and of
            // the legend (top right) when it fits beside them.
            const size = map.getSize();
            const legend = this.legendRef.el;
            const legendWidth = legend ? legend.offsetWidth + 20 : 0;
            const right = legendWidth && size.x - legendWidth - 60 >= 300 ? legendWidth : 40;
            map.fitBounds(bounds, {
                paddingTopLeft: [60, 40],
                paddingBottomRight: [right, 40],
                maxZoom: 6,
            });
        } else {
            map.setView([20, 0], 2);
        }
    }

    drawGraticule(group) {
        const style = {
            color: SEA_MAP_COLORS.graticule,
            weight: 0.6,
            opacity: 0.6,
            interactive: false,
        };
        for (let lon = -180; lon <= 360; lon += 30) {
            const isAntimeridian = lon === 180 || lon === -180;
            L.polyline(
                [
                    [-80, lon],
                    [80, lon],
                ],
                isAntimeridian ? { ...style, dashArray: "6 6", opacity: 0.9 } : style
            ).addTo(group);
        }
        for (let lat = -60; lat <= 60; lat += 30) {
            L.polyline(
                [
                    [lat, -180],
                    [lat, 360],
                ],
                lat === 0 ? { ...style, opacity: 0.9 } : style
            ).addTo(group);
        }
    }

    pinIcon(kind, fanIndex) {
        return L.divIcon({
            className: `o_lmap_pin_icon o_lmap_pin_${kind}`,
            html: '<div class="o_lmap_pin"></div>',
            iconSize: [PIN_SIZE, PIN_SIZE],
            iconAnchor: [PIN_SIZE / 2 - fanIndex * PIN_FAN_STEP, PIN_TIP_Y],
            popupAnchor: [fanIndex * PIN_FAN_STEP, -PIN_TIP_Y],
            tooltipAnchor: [fanIndex * PIN_FAN_STEP + PIN_SIZE / 2, -PIN_TIP_Y / 2],
        });
    }

    nextFanIndex(fan, latLng) {
        const key = `${latLng[0].toFixed(3)},${latLng[1].toFixed(3)}`;
        const index = fan.get(key) || 0;
        fan.set(key, index + 1);
        return index;
    }

    drawPorts(ports, group) {
        for (const port of ports) {
            const latLng = toLatLng(port.lat, port.lon);
            if (!latLng) {
                continue;
            }
            L.circleMarker(latLng, {
                radius: 4,
                color: SEA_MAP_COLORS.port,
                weight: 1,
                fillColor: "#adb5bd",
                fillOpacity: 0.9,
                className: "o_lmap_port",
            })
                .bindTooltip(h("span", { text: [port.code, port.name].filter(Boolean).join(" – ") }), {
                    direction: "top",
                })
                .addTo(group);
        }
    }

    drawPositions(positions, group, fan) {
        for (const position of positions) {
            const latLng = toLatLng(position.lat, position.lon);
            if (!latLng) {
                continue;
            }
            const marker = L.marker(latLng, {
                icon: this.pinIcon("position", this.nextFanIndex(fan, latLng)),
                title: position.vessel || position.name || "",
                riseOnHover: true,
            });
            marker.bindPopup(() => this.positionPopup(position), { minWidth: 200 });
            marker.addTo(group);
        }
    }

    positionPopup(position) {
        const lines = [
            h("div", { className: "o_lmap_popup_title", text: position.vessel || position.name }),
        ];
        if (position.dwt) {
            lines.push(h("div", { text: _t("%s dwt", formatInteger(Number(position.dwt) || 0)) }));
        }
        lines.push(
            h("div", {
                text: _t("Open %(port)s on %(date)s", {
                    port: position.port_code || "?",
                    date: position.date_open || "?",
                }),
            })
        );
        lines.push(
            h("div", { className: "o_lmap_popup_buttons" }, [
                h("button", {
                    className: "btn btn-sm btn-primary o_lmap_open_position",
                    text: _t("View position"),
                    onClick: () => this.openPosition(position.id),
                }),
            ])
        );
        return h("div", { className: "o_lmap_popup o_lmap_popup_position" }, lines);
    }

    drawCargoes(cargoes, group, fan) {
        for (const cargo of cargoes) {
            const load = cargo.load ? toLatLng(cargo.load.lat, cargo.load.lon) : null;
            const discharge = cargo.discharge ? toLatLng(cargo.discharge.lat, cargo.discharge.lon) : null;
            if (load && discharge) {
                // Straight "as the crow flies" hint, the short way round.
                let lon = discharge[1];
                while (lon - load[1] > 180) {
                    lon -= 360;
                }
                while (load[1] - lon > 180) {
                    lon += 360;
                }
                L.polyline([load, [discharge[0], lon]], {
                    color: SEA_MAP_COLORS.cargo,
                    weight: 1.5,
                    opacity: 0.8,
                    dashArray: "4 6",
                    interactive: false,
                    className: "o_lmap_cargo_line",
                }).addTo(group);
                L.circleMarker([discharge[0], lon], {
                    radius: 3.5,
                    color: SEA_MAP_COLORS.cargo,
                    weight: 2,
                    fillColor: "#ffffff",
                    fillOpacity: 1,
                    className: "o_lmap_cargo_discharge",
                })
                    .bindTooltip(
                        h("span", {
                            text: _t("%(cargo)s: discharge %(port)s", {
                                cargo: cargo.name || "",
                                port: cargo.discharge.code || "?",
                            }),
                        }),
                        { direction: "top" }
                    )
                    .addTo(group);
            }
            const anchor = load || discharge;
            if (!anchor) {
                continue;
            }
            const marker = L.marker(anchor, {
                icon: this.pinIcon("cargo", this.nextFanIndex(fan, anchor)),
                title: [cargo.name, cargo.commodity].filter(Boolean).join(" "),
                riseOnHover: true,
            });
            marker.bindPopup(() => this.cargoPopup(cargo), { minWidth: 220 });
            marker.addTo(group);
        }
    }

    cargoPopup(cargo) {
        const title = [cargo.name, cargo.commodity].filter(Boolean).join(" – ");
        const lines = [h("div", { className: "o_lmap_popup_title", text: title })];
        if (cargo.quantity) {
            lines.push(h("div", { text: _t("%s t", formatInteger(Number(cargo.quantity) || 0)) }));
        }
        const loadCode = (cargo.load && cargo.load.code) || "?";
        const dischargeCode = (cargo.discharge && cargo.discharge.code) || "?";
        lines.push(h("div", { text: `${loadCode} → ${dischargeCode}` }));
        if (cargo.laycan) {
            lines.push(h("div", { text: _t("Laycan %s", cargo.laycan) }));
        }
        lines.push(
            h("div", { className: "o_lmap_popup_buttons" }, [
                h("button", {
                    className: "btn btn-sm btn-secondary o_lmap_open_cargo",
                    text: _t("View cargo"),
                    onClick: () => this.openCargo(cargo.id),
                }),
                h("button", {
                    className: "btn btn-sm btn-primary o_lmap_show_candidates",
                    text: _t("Show candidates"),
                    onClick: () => this.showCandidates(cargo.id),
                }),
            ])
        );
        return h("div", { className: "o_lmap_popup o_lmap_popup_cargo" }, lines);
    }

    drawFocus(focus, group) {
        // Ballast routes first (best last, so it is drawn on top), then the laden route on top.
        const candidates = focus.candidates || [];
        const laden = routeLatLngs(focus.laden_route);
        this.routeLayers = [];
        for (let index = candidates.length - 1; index >= 0; index--) {
            const candidate = candidates[index];
            const points = alignRoute(routeLatLngs(candidate.route), laden[0]);
            if (points.length < 2) {
                continue;
            }
            const best = index === 0;
            const line = L.polyline(points, {
                color: SEA_MAP_COLORS.ballast,
                weight: best ? 5 : 2.5,
                opacity: best ? 0.9 : 0.6,
                dashArray: best ? null : "8 6",
                className: `o_lmap_ballast_route${best ? " o_lmap_ballast_best" : ""}`,
            });
            line.bindTooltip(
                h("span", {
                    text: _t("%(vessel)s: %(nm)s nm ballast", {
                        vessel: candidate.vessel || "?",
                        nm: formatNm(candidate.ballast_nm),
                    }),
                }),
                { sticky: true }
            );
            line.on("click", () => this.openMatch(candidate.match_id));
            line.addTo(group);
            this.routeLayers[index] = line;
            // Start of the ballast leg: the open position.
            L.circleMarker(points[0], {
                radius: best ? 6 : 4,
                color: "#ffffff",
                weight: 2,
                fillColor: SEA_MAP_COLORS.ballast,
                fillOpacity: 1,
                interactive: false,
            }).addTo(group);
        }
        if (laden.length >= 2) {
            L.polyline(laden, {
                color: SEA_MAP_COLORS.laden,
                weight: 6,
                opacity: 0.95,
                className: "o_lmap_laden_route",
            })
                .bindTooltip(
                    h("span", {
                        text: _t("%(name)s: %(nm)s nm laden", {
                            name: focus.name || "",
                            nm: formatNm(focus.laden_nm),
                        }),
                    }),
                    { sticky: true }
                )
                .addTo(group);
            for (const [point, label] of [
                [laden[0], _t("Load")],
                [laden[laden.length - 1], _t("Discharge")],
            ]) {
                L.circleMarker(point, {
                    radius: 7,
                    color: "#ffffff",
                    weight: 2,
                    fillColor: SEA_MAP_COLORS.laden,
                    fillOpacity: 1,
                })
                    .bindTooltip(h("span", { text: label }), { direction: "top" })
                    .addTo(group);
            }
        }
    }

    highlightCandidate(index) {
        this.state.highlighted = index;
        this.routeLayers.forEach((layer, i) => {
            if (!layer) {
                return;
            }
            const best = i === 0;
            if (index === null || index === undefined) {
                layer.setStyle({ weight: best ? 5 : 2.5, opacity: best ? 0.9 : 0.6 });
            } else if (i === index) {
                layer.setStyle({ weight: 7, opacity: 1 });
                layer.bringToFront();
            } else {
                layer.setStyle({ weight: best ? 3 : 1.5, opacity: 0.25 });
            }
        });
    }
}

registry.category("actions").add("logistics_crm.sea_map", LogisticsSeaMap);
