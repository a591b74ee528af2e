/** @odoo-module **/
/* global Chart */
/*
 * Chart.js configurations of the management dashboard (logistics_crm.dashboard), built from the
 * figures of logistics.dashboard.logistics_dashboard_data(). Pure functions: they take the figures,
 * a formatter and a click handler, and return a Chart.js 4 configuration (Odoo ships Chart.js in the
 * lazy bundle web.chartjs_lib, loaded by the dashboard before any chart is drawn).
 */

import { _t } from "@web/core/l10n/translation";
import { humanNumber, formatFloat } from "@web/core/utils/numbers";

// Odoo's colour indexes of tags and kanban cards ($o-colors in web/static/src/scss/secondary_variables.scss):
// a tier's `color` is one of them.
export const ODOO_TAG_COLORS = [
    "#a2a2a2",
    "#ee2d2d",
    "#dc8534",
    "#e8bb1d",
    "#5794dd",
    "#9f628f",
    "#db8865",
    "#41a9a2",
    "#304be0",
    "#ee2f8a",
    "#61c36e",
    "#9872e6",
];
export const COLORS = {
    line: "#374151",
    grid: "rgba(0, 0, 0, 0.06)",
    onTrack: "#43C5B1",
    atRisk: "#F4A261",
    breached: "#EA6175",
    pickup: "#4EA7F2",
    delivery: "#8481DD",
    responses: "#A4A8B6",
    npsGood: "#43C5B1",
    npsMixed: "#F4A261",
    npsBad: "#EA6175",
};
export const STAGE_COLORS = {
    potential: "#A4A8B6",
    target: "#4EA7F2",
    active: "#43C5B1",
    dormant: "#F4A261",
    lost: "#EA6175",
};
export const CARGO_COLORS = {
    open: "#4EA7F2",
    matched: "#8481DD",
    fixed: "#43C5B1",
    cancelled: "#A4A8B6",
};

export function tierColor(colorIndex) {
    const index = Number.isInteger(colorIndex) ? colorIndex : 0;
    return ODOO_TAG_COLORS[((index % ODOO_TAG_COLORS.length) + ODOO_TAG_COLORS.length) % ODOO_TAG_COLORS.length];
}

/** A number in the user's format: 1,234 or 1.2k with `compact`. */
export function formatNumber(value, { compact = false, digits = 0 } = {}) {
    const number = Number(value) || 0;
    if (compact && Math.abs(number) >= 1000) {
        return humanNumber(number, { decimals: 1 });
    }
    return formatFloat(number, { digits: [false, digits] });
}

/** A percentage in the user's format: 80.5 %. */
export function formatPercent(value, digits = 1) {
    return `${formatFloat(Number(value) || 0, { digits: [false, digits] })} %`;
}

/** An amount in the company's currency (symbol before or after), compact on request. */
export function formatAmount(value, currency, { compact = false } = {}) {
    const digits = currency && Number.isInteger(currency.digits) ? currency.digits : 2;
    const number = Number(value) || 0;
    const text =
        compact && Math.abs(number) >= 1000
            ? humanNumber(number, { decimals: 1 })
            : formatFloat(number, { digits: [false, compact ? 0 : digits] });
    if (!currency || !currency.symbol) {
        return text;
    }
    return currency.position === "after" ? `${text}\u00a0${currency.symbol}` : `${currency.symbol}\u00a0${text}`;
}

/** Options shared by every chart: no animation, tooltips, a pointer over clickable elements. */
function baseOptions(onClick) {
    return {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: "nearest", intersect: true },
        plugins: {
            legend: { position: "bottom", labels: { boxWidth: 12, usePointStyle: true } },
        },
        onClick: (event, elements) => {
            if (elements.length && onClick) {
                onClick(elements[0].datasetIndex, elements[0].index);
            }
        },
        onHover: (event, elements) => {
            const target = event.native && event.native.target;
            if (target) {
                target.style.cursor = elements.length ? "pointer" : "default";
            }
        },
    };
}

/** Label of a Pareto point: its rank, or its ranks when the point groups several customers. */
export function pointLabel(point) {
    return point.customers === 1 ? `#${point.first_rank}` : `#${point.first_rank}–${point.last_rank}`;
}

/**
 * Draws the tier cut-offs on the Pareto chart: a dashed vertical line after the last customer of
 * each tier (but the last), labelled with the tier and its cut-off, and a dashed horizontal line at
 * the cut-off share on the cumulative axis.
 */
function cutoffPlugin(points, cutoffs) {
    return {
        id: "o_logistics_pareto_cutoffs",
        afterDatasetsDraw(chart) {
            const { ctx, chartArea, scales } = chart;
            const bars = chart.getDatasetMeta(0).data;
            const lastRank = points.length ? points[points.length - 1].last_rank : 0;
            ctx.save();
            ctx.font = "12px sans-serif";
            ctx.textBaseline = "top";
            for (const cut of cutoffs) {
                if (!cut.last_rank || cut.last_rank >= lastRank) {
                    continue;
                }
                const index = points.findIndex((point) => point.last_rank === cut.last_rank);
                if (index < 0 || !bars[index]) {
                    continue;
                }
                const next = bars[index + 1];
                const x = next ? (bars[index].x + next.x) / 2 : chartArea.right;
                const color = tierColor(cut.color);
                ctx.strokeStyle = color;
                ctx.fillStyle = color;
                ctx.lineWidth = 2;
                ctx.setLineDash([6, 4]);
                ctx.beginPath();
                ctx.moveTo(x, chartArea.top);
                ctx.lineTo(x, chartArea.bottom);
                ctx.stroke();
                if (scales.share) {
                    const y = scales.share.getPixelForValue(cut.cutoff);
                    ctx.lineWidth = 1;
                    ctx.beginPath();
                    ctx.moveTo(chartArea.left, y);
                    ctx.lineTo(chartArea.right, y);
                    ctx.stroke();
                }
                ctx.setLineDash([]);
                const label = `${cut.code} ≤ ${formatPercent(cut.cutoff, 0)}`;
                const width = ctx.measureText(label).width;
                const left = Math.min(x + 4, chartArea.right - width - 2);
                ctx.fillText(label, left, chartArea.top + 4);
            }
            ctx.restore();
        },
    };
}

/**
 * The Pareto chart: one bar per customer (or per group of consecutive ranks, their average
 * revenue) coloured by tier, the cumulative share of revenue as a line, and the tier cut-offs.
 */
export function paretoConfig(pareto, currency, onClick) {
    const points = pareto.points;
    const colors = Object.fromEntries(pareto.cutoffs.map((cut) => [cut.code, tierColor(cut.color)]));
    const options = baseOptions((datasetIndex, index) => onClick(points[index]));
    options.interaction = { mode: "index", intersect: false };
    options.scales = {
        x: {
            grid: { display: false },
            ticks: { autoSkip: true, maxRotation: 0 },
            title: { display: true, text: _t("Customers ranked by revenue") },
        },
        revenue: {
            type: "linear",
            position: "left",
            beginAtZero: true,
            grid: { color: COLORS.grid },
            ticks: { callback: (value) => formatAmount(value, currency, { compact: true }) },
            title: {
                display: true,
                text: pareto.sampled ? _t("Revenue per customer (group average)") : _t("Revenue per customer"),
            },
        },
        share: {
            type: "linear",
            position: "right",
            min: 0,
            max: 100,
            grid: { drawOnChartArea: false },
            ticks: { callback: (value) => formatPercent(value, 0) },
            title: { display: true, text: _t("Cumulative share") },
        },
    };
    options.plugins.legend.display = false;
    options.plugins.tooltip = {
        callbacks: {
            title: (items) => {
                const point = points[items[0].dataIndex];
                return point.customers === 1
                    ? `${pointLabel(point)} ${point.name}`
                    : _t("Ranks %(ranks)s (%(count)s customers)", {
                          ranks: pointLabel(point).slice(1),
                          count: point.customers,
                      });
            },
            label: (item) => {
                const point = points[item.dataIndex];
                if (item.datasetIndex === 0) {
                    return point.customers === 1
                        ? `${_t("Revenue")}: ${formatAmount(point.revenue, currency)}`
                        : `${_t("Revenue")}: ${formatAmount(point.revenue, currency)} (${_t("average")} ${formatAmount(
                              point.average,
                              currency
                          )})`;
                }
                return `${_t("Cumulative share")}: ${formatPercent(point.cumulative, 2)}`;
            },
            footer: (items) => {
                const point = points[items[0].dataIndex];
                return point.tier ? _t("Tier %(tier)s", { tier: point.tier }) : _t("No tier");
            },
        },
    };
    return {
        type: "bar",
        data: {
            labels: points.map(pointLabel),
            datasets: [
                {
                    type: "bar",
                    label: _t("Revenue per customer"),
                    data: points.map((point) => point.average),
                    backgroundColor: points.map((point) => colors[point.tier] || ODOO_TAG_COLORS[0]),
                    yAxisID: "revenue",
                    order: 2,
                    categoryPercentage: 0.9,
                    barPercentage: 1,
                },
                {
                    type: "line",
                    label: _t("Cumulative share"),
                    data: points.map((point) => point.cumulative),
                    borderColor: COLORS.line,
                    backgroundColor: COLORS.line,
                    borderWidth: 2,
                    pointRadius: points.length > 60 ? 0 : 2,
                    tension: 0,
                    yAxisID: "share",
                    order: 1,
                },
            ],
        },
        options,
        plugins: [cutoffPlugin(points, pareto.cutoffs)],
    };
}

/** Customers per lifecycle stage: one bar per stage. */
export function stagesConfig(stages, onClick) {
    const rows = stages.rows;
    const options = baseOptions((datasetIndex, index) => onClick(rows[index]));
    options.plugins.legend.display = false;
    options.scales = {
        x: { grid: { display: false } },
        y: { beginAtZero: true, ticks: { precision: 0 }, grid: { color: COLORS.grid } },
    };
    return {
        type: "bar",
        data: {
            labels: rows.map((row) => row.label),
            datasets: [
                {
                    label: _t("Customers"),
                    data: rows.map((row) => row.customers),
                    backgroundColor: rows.map((row) => STAGE_COLORS[row.key] || ODOO_TAG_COLORS[0]),
                },
            ],
        },
        options,
    };
}

/** Open complaints per tier, stacked by SLA status. */
export function complaintsConfig(complaints, onClick) {
    const rows = complaints.rows;
    const statuses = [
        ["on_track", _t("On track"), COLORS.onTrack],
        ["at_risk", _t("At risk"), COLORS.atRisk],
        ["breached", _t("Breached"), COLORS.breached],
    ];
    const options = baseOptions((datasetIndex, index) => onClick(rows[index].actions[statuses[datasetIndex][0]]));
    options.scales = {
        x: { stacked: true, grid: { display: false } },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, grid: { color: COLORS.grid } },
    };
    return {
        type: "bar",
        data: {
            labels: rows.map((row) => (row.code ? _t("Tier %(tier)s", { tier: row.code }) : row.name)),
            datasets: statuses.map(([key, label, color]) => ({
                label,
                data: rows.map((row) => row[key]),
                backgroundColor: color,
            })),
        },
        options,
    };
}

/** NPS per quarter (bars, -100..100) and the number of responses (line, right axis). */
export function npsConfig(nps, onClick) {
    const quarters = nps.quarters;
    const options = baseOptions((datasetIndex, index) => onClick(quarters[index]));
    options.scales = {
        x: { grid: { display: false } },
        nps: { type: "linear", position: "left", min: -100, max: 100, grid: { color: COLORS.grid } },
        responses: {
            type: "linear",
            position: "right",
            beginAtZero: true,
            ticks: { precision: 0 },
            grid: { drawOnChartArea: false },
        },
    };
    const barColor = (value) =>
        value === null || value === undefined
            ? COLORS.responses
            : value >= 30
            ? COLORS.npsGood
            : value >= 0
            ? COLORS.npsMixed
            : COLORS.npsBad;
    return {
        type: "bar",
        data: {
            labels: quarters.map((quarter) => quarter.label),
            datasets: [
                {
                    type: "bar",
                    label: _t("NPS"),
                    data: quarters.map((quarter) => quarter.nps),
                    backgroundColor: quarters.map((quarter) => barColor(quarter.nps)),
                    yAxisID: "nps",
                    order: 2,
                },
                {
                    type: "line",
                    label: _t("Responses"),
                    data: quarters.map((quarter) => quarter.responses),
                    borderColor: COLORS.responses,
                    backgroundColor: COLORS.responses,
                    pointRadius: 3,
                    yAxisID: "responses",
                    order: 1,
                },
            ],
        },
        options,
    };
}

/** Pickups and deliveries per week, stacked; this week's label says so. */
export function bookingsConfig(bookings, onClick) {
    const weeks = bookings.weeks;
    const options = baseOptions((datasetIndex, index) => onClick(weeks[index]));
    options.scales = {
        x: { stacked: true, grid: { display: false } },
        y: { stacked: true, beginAtZero: true, ticks: { precision: 0 }, grid: { color: COLORS.grid } },
    };
    options.plugins.tooltip = {
        callbacks: {
            footer: (items) => {
                const week = weeks[items[0].dataIndex];
                return _t("%(weight)s kg, %(volume)s m³", {
                    weight: formatNumber(week.weight_kg),
                    volume: formatNumber(week.volume_m3, { digits: 1 }),
                });
            },
        },
    };
    return {
        type: "bar",
        data: {
            labels: weeks.map((week) => (week.current ? [week.label, _t("this week")] : week.label)),
            datasets: [
                { label: _t("Pickups"), data: weeks.map((week) => week.pickup), backgroundColor: COLORS.pickup },
                {
                    label: _t("Deliveries"),
                    data: weeks.map((week) => week.delivery),
                    backgroundColor: COLORS.delivery,
                },
            ],
        },
        options,
    };
}

/** Cargo offers per state (count; the tonnage in the tooltip). */
export function cargoConfig(cargo, onClick) {
    const states = cargo.states;
    const options = baseOptions((datasetIndex, index) => onClick(states[index]));
    options.indexAxis = "y";
    options.plugins.legend.display = false;
    options.scales = {
        x: { beginAtZero: true, ticks: { precision: 0 }, grid: { color: COLORS.grid } },
        y: { grid: { display: false } },
    };
    options.plugins.tooltip = {
        callbacks: {
            footer: (items) => _t("%(tonnage)s t", { tonnage: formatNumber(states[items[0].dataIndex].tonnage) }),
        },
    };
    return {
        type: "bar",
        data: {
            labels: states.map((state) => state.label),
            datasets: [
                {
                    label: _t("Cargo offers"),
                    data: states.map((state) => state.count),
                    backgroundColor: states.map((state) => CARGO_COLORS[state.key] || ODOO_TAG_COLORS[0]),
                },
            ],
        },
        options,
    };
}

/** The Chart.js global, once web.chartjs_lib is loaded. */
export function chartLib() {
    return typeof Chart === "undefined" ? null : Chart;
}
