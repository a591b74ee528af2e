/** @odoo-module **/
/*
 * Management dashboard of Logistics CRM: client action "logistics_crm.dashboard"
 * (views/logistics_dashboard_views.xml, menu Logistics CRM > Dashboard).
 *
 * One call gets every figure of the current company:
 *   logistics.dashboard.logistics_dashboard_data() ->
 *     { company, currency, window_months, is_manager, tiers, pareto, stages, at_risk,
 *       complaints, nps, cargo, bookings }
 * Each figure carries `action` specs { xml_id, name, domain, context, view_type }: a click on a
 * card, a chart element or a row opens that window action on the records behind the figure.
 * Charts are drawn with Chart.js (web.chartjs_lib, loaded lazily as Odoo's graph view does).
 */

import {
    Component,
    markRaw,
    onWillStart,
    onWillUnmount,
    status,
    useEffect,
    useRef,
    useState,
} from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { deserializeDate, formatDate } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import {
    bookingsConfig,
    cargoConfig,
    chartLib,
    complaintsConfig,
    formatAmount,
    formatNumber,
    formatPercent,
    npsConfig,
    paretoConfig,
    stagesConfig,
    tierColor,
} from "./logistics_dashboard_charts";

/**
 * One Chart.js chart. Drawn when mounted and whenever its `config` object changes (a new
 * object per data load), destroyed before it is redrawn and when the component goes away.
 */
export class LogisticsDashboardChart extends Component {
    static template = "logistics_crm.DashboardChart";
    static props = {
        config: Object,
        label: String,
        height: { type: Number, optional: true },
    };
    static defaultProps = { height: 260 };

    setup() {
        this.canvasRef = useRef("canvas");
        this.rootRef = useRef("root");
        this.chart = null;
        useEffect(
            (config) => {
                this.renderChart(config);
                return () => this.destroyChart();
            },
            () => [this.props.config]
        );
        onWillUnmount(() => this.destroyChart());
    }

    renderChart(config) {
        this.destroyChart();
        const Chart = chartLib();
        if (!Chart || !this.canvasRef.el) {
            return;
        }
        this.chart = new Chart(this.canvasRef.el, config);
        this.rootRef.el.classList.add("o_logistics_chart_ready");
    }

    destroyChart() {
        if (this.chart) {
            this.chart.destroy();
            this.chart = null;
        }
        if (this.rootRef.el) {
            this.rootRef.el.classList.remove("o_logistics_chart_ready");
        }
    }
}

export class LogisticsDashboard extends Component {
    static template = "logistics_crm.Dashboard";
    static components = { Layout, LogisticsDashboardChart };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({ data: null, loading: false });
        this.charts = {};
        if (!this.props.action?.name && this.env.config?.setDisplayName) {
            this.env.config.setDisplayName(_t("Dashboard"));
        }
        onWillStart(async () => {
            const [data] = await Promise.all([this.fetchData(), loadBundle("web.chartjs_lib")]);
            this.setData(data);
        });
    }

    // ------------------------------------------------------------------ data
    fetchData() {
        return this.orm.call("logistics.dashboard", "logistics_dashboard_data", []);
    }

    /** Keep the figures raw (Chart.js writes into its configuration) and build the charts once. */
    setData(data) {
        const raw = markRaw(data);
        const open = (spec) => this.openAction(spec);
        this.charts = markRaw({
            pareto: paretoConfig(raw.pareto, raw.currency, (point) => this.openParetoPoint(point)),
            stages: stagesConfig(raw.stages, (row) => open(row.action)),
            complaints: complaintsConfig(raw.complaints, open),
            nps: npsConfig(raw.nps, (quarter) => open(quarter.action)),
            bookings: bookingsConfig(raw.bookings, (week) => open(week.action)),
            cargo: cargoConfig(raw.cargo, (state) => open(state.action)),
        });
        this.state.data = raw;
    }

    async refresh() {
        this.state.loading = true;
        try {
            const data = await this.fetchData();
            if (status(this) !== "destroyed") {
                this.setData(data);
            }
        } finally {
            if (status(this) !== "destroyed") {
                this.state.loading = false;
            }
        }
    }

    // ------------------------------------------------------------------ navigation
    /** Open the window action of `spec` on the records behind a figure. */
    async openAction(spec) {
        if (!spec || !spec.xml_id) {
            return;
        }
        const action = await this.actionService.loadAction(spec.xml_id);
        const { jsId, _originalAction, ...loaded } = action;
        const name = spec.name || loaded.display_name || loaded.name;
        await this.actionService.doAction(
            {
                ...loaded,
                name,
                display_name: name,
                domain: spec.domain,
                context: { ...(loaded.context || {}), ...(spec.context || {}) },
            },
            spec.view_type ? { viewType: spec.view_type } : {}
        );
    }

    openRecord(resModel, resId) {
        return this.actionService.doAction({
            type: "ir.actions.act_window",
            res_model: resModel,
            res_id: resId,
            views: [[false, "form"]],
        });
    }

    openCustomer(customerId) {
        return this.openRecord("res.partner", customerId);
    }

    /** A bar of one customer opens the customer; a group of customers opens its tier's list. */
    openParetoPoint(point) {
        if (point.partner_id) {
            return this.openCustomer(point.partner_id);
        }
        const cut = this.data.pareto.cutoffs.find((c) => c.code === point.tier);
        return this.openAction(cut ? cut.action : this.data.pareto.action);
    }

    // ------------------------------------------------------------------ template helpers
    get data() {
        return this.state.data;
    }

    amount(value, compact = false) {
        return formatAmount(value, this.data.currency, { compact });
    }

    number(value, digits = 0) {
        return formatNumber(value, { digits });
    }

    percent(value, digits = 1) {
        return formatPercent(value, digits);
    }

    date(value) {
        return value ? formatDate(deserializeDate(value)) : "";
    }

    tierStyle(colorIndex) {
        return `background-color: ${tierColor(colorIndex)};`;
    }

    get windowLabel() {
        return _t("Figures of %(company)s: revenue over the last %(months)s months, in %(currency)s.", {
            company: this.data.company.name,
            months: this.data.window_months,
            currency: this.data.currency.symbol,
        });
    }

    get kpis() {
        const d = this.data;
        const topTier = d.tiers.rows.find((row) => row.active);
        const complaints = d.complaints.totals;
        const latest = d.nps.latest;
        const week = d.bookings.this_week;
        return [
            {
                key: "customers",
                title: _t("Customers"),
                value: this.number(d.tiers.customers),
                sub: _t("%(count)s with revenue", { count: this.number(d.pareto.customers) }),
                action: d.tiers.action,
            },
            {
                key: "revenue",
                title: _t("Revenue, %(months)s months", { months: d.window_months }),
                value: this.amount(d.tiers.revenue, true),
                sub:
                    topTier && d.tiers.revenue
                        ? _t("Tier %(tier)s: %(share)s", { tier: topTier.code, share: this.percent(topTier.share) })
                        : _t("no confirmed sales yet"),
                action: d.pareto.action,
            },
            {
                key: "at_risk",
                title: _t("Customers at risk"),
                value: this.number(d.at_risk.count),
                sub: _t("churn risk of 50 or more"),
                tone: d.at_risk.count ? "warning" : "",
                action: d.at_risk.action,
            },
            {
                key: "complaints",
                title: _t("Open complaints"),
                value: this.number(complaints.open),
                sub: _t("%(breached)s breached, %(at_risk)s at risk", {
                    breached: complaints.breached,
                    at_risk: complaints.at_risk,
                }),
                tone: complaints.breached ? "danger" : "",
                action: d.complaints.actions.open,
            },
            {
                key: "nps",
                title: _t("NPS"),
                value: latest ? this.number(latest.nps) : "–",
                sub: latest
                    ? _t("%(quarter)s, %(count)s responses", { quarter: latest.label, count: latest.responses })
                    : _t("no survey answer yet"),
                tone: latest && latest.nps < 0 ? "danger" : "",
                action: latest ? latest.action : d.nps.action,
            },
            {
                key: "cargo",
                title: _t("Open cargo offers"),
                value: this.number(d.cargo.open.count),
                sub: _t("%(matched)s matched, %(fixed)s fixed", {
                    matched: d.cargo.matched.count,
                    fixed: d.cargo.fixed.count,
                }),
                action: d.cargo.action,
            },
            {
                key: "bookings",
                title: _t("Bookings this week"),
                value: this.number(week.count),
                sub: _t("%(pickups)s pickups, %(deliveries)s deliveries", {
                    pickups: week.pickup,
                    deliveries: week.delivery,
                }),
                action: week.action,
            },
        ];
    }

    get hasStages() {
        return this.data.stages.rows.some((row) => row.customers);
    }

    get hasBookings() {
        return this.data.bookings.weeks.some((week) => week.count);
    }

    get hasCargo() {
        return (
            this.data.cargo.states.some((state) => state.count) ||
            this.data.cargo.matches.some((match) => match.count)
        );
    }

    get chartLabels() {
        return {
            pareto: _t("Pareto chart: customers ranked by revenue, cumulative share and tier cut-offs"),
            stages: _t("Customers per lifecycle stage"),
            complaints: _t("Open complaints per tier and SLA status"),
            nps: _t("NPS and responses per quarter"),
            bookings: _t("Pickups and deliveries per week"),
            cargo: _t("Cargo offers per state"),
        };
    }

    cutoffText(cut) {
        if (!cut.customers) {
            return _t("%(tier)s (cut-off %(cutoff)s): no customer", {
                tier: cut.code,
                cutoff: this.percent(cut.cutoff, 0),
            });
        }
        return _t(
            "%(tier)s (cut-off %(cutoff)s): ranks %(first)s to %(last)s, %(share)s of revenue, %(cumulative)s cumulative",
            {
                tier: cut.code,
                cutoff: this.percent(cut.cutoff, 0),
                first: cut.first_rank,
                last: cut.last_rank,
                share: this.percent(cut.share),
                cumulative: this.percent(cut.cumulative),
            }
        );
    }

    get breachedText() {
        return _t("%(count)s breached", { count: this.data.complaints.totals.breached });
    }

    get npsScopeNote() {
        return this.data.nps.scope === "own" ? _t("The answers credited to you.") : "";
    }

    get sampledNote() {
        return this.data.pareto.sampled
            ? _t("%(count)s customers: each bar groups neighbouring ranks of one tier.", {
                  count: this.number(this.data.pareto.customers),
              })
            : "";
    }
}

registry.category("actions").add("logistics_crm.dashboard", LogisticsDashboard);
