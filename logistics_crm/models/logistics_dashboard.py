"""The management dashboard (issue #15): every figure of the current company in one call.

``logistics.dashboard.logistics_dashboard_data()`` feeds the OWL client action
``logistics_crm.dashboard`` (static/src/dashboard/). Each figure is a handful of grouped queries
(``_read_group``, ``search_fetch``), whatever the number of customers: see tests/test_dashboard.py.
The figures are those of ``env.company``: the company-dependent customer values are read in it,
every other model is filtered on it, and the record rules still apply (a Logistics CRM user sees
the satisfaction KPIs credited to them, a manager everyone's).

Every figure carries ``action``: what a click opens, ``{xml_id, name, domain, context, view_type}``
(an existing window action of the addon, its domain replaced by the records behind the figure).
"""

from datetime import date, datetime, time, timedelta

import pytz

from odoo import api, fields, models
from odoo.exceptions import AccessError

from ..domain import pareto
from .logistics_tier_engine import USER_GROUP

MANAGER_GROUP = "logistics_crm.group_logistics_crm_manager"
# the stages of "Customers at risk": a lost customer has already gone (risk 100), a potential one
# never ordered (risk 0)
AT_RISK_STAGES = ("active", "target", "dormant")
AT_RISK_MIN = 50  # the churn risk from which "Customers at risk" lists a customer
TOP_AT_RISK = 10
NPS_QUARTERS = 6
BOOKING_WEEKS_BACK = 8
BOOKING_WEEKS_AHEAD = 2
OPEN_CARGO_STATES = ("open", "matched")


def _action(xml_id, domain, name=None, context=None, view_type=None):
    """What a click on a figure opens: the addon's window action ``xml_id`` on ``domain``."""
    return {
        "xml_id": f"logistics_crm.{xml_id}",
        "name": name,
        "domain": domain,
        "context": context or {},
        "view_type": view_type,
    }


class LogisticsDashboard(models.AbstractModel):
    _name = "logistics.dashboard"
    _description = "Logistics CRM management dashboard"

    # ------------------------------------------------------------------ entry point
    @api.model
    def logistics_dashboard_data(self):
        """Every figure of the management dashboard for the current company (``env.company``).

        Public: the dashboard calls it, and so may XML-RPC. Logistics CRM users and managers
        only (AccessError otherwise). Returns a dict: ``company`` ({id, name}), ``currency``
        ({id, symbol, position, digits}), ``window_months`` (the tier window), ``is_manager``,
        ``tiers``, ``pareto``, ``stages``, ``at_risk``, ``complaints``, ``nps``, ``cargo``,
        ``bookings`` (see the ``_logistics_*_figures`` methods).
        """
        if not (self.env.su or self.env.user.has_group(USER_GROUP)):
            raise AccessError(self.env._("Only Logistics CRM users can see the management dashboard."))
        company = self.env.company
        months, _rules = self.env["logistics.tier.engine"]._logistics_settings()
        tiers = self.env["logistics.customer.tier"]._logistics_active_tiers()
        # the tiers' fields in one query: every figure below reads them
        tiers.fetch(["code", "name", "color", "revenue_share_cutoff"])
        currency = company.currency_id
        return {
            "company": {"id": company.id, "name": company.name},
            "currency": {
                "id": currency.id,
                "symbol": currency.symbol,
                "position": currency.position,
                "digits": currency.decimal_places,
            },
            "window_months": months,
            "is_manager": self.env.su or self.env.user.has_group(MANAGER_GROUP),
            "tiers": self._logistics_tier_figures(tiers),
            "pareto": self._logistics_pareto_figures(tiers),
            "stages": self._logistics_stage_figures(),
            "at_risk": self._logistics_at_risk_figures(),
            "complaints": self._logistics_complaint_figures(tiers),
            "nps": self._logistics_nps_figures(),
            "cargo": self._logistics_cargo_figures(),
            "bookings": self._logistics_booking_figures(),
        }

    # ------------------------------------------------------------------ helpers
    @api.model
    def _logistics_customer_domain(self):
        """The current company's customers: shared commercial partners and those reserved to it."""
        return [("is_logistics_customer", "=", True), ("company_id", "in", [False, self.env.company.id])]

    @api.model
    def _logistics_company_domain(self):
        return [("company_id", "=", self.env.company.id)]

    @api.model
    def _logistics_labels(self, model, fname):
        """{value: label} of a selection field, in the user's language."""
        return dict(self.env[model]._fields[fname]._description_selection(self.env))

    @api.model
    def _logistics_tier_rows(self, tiers, found):
        """The active tiers in order, then any other tier found in the figures (an archived one)."""
        return tiers | found.filtered(lambda tier: tier not in tiers).sorted()

    @api.model
    def _logistics_tier_info(self, tier):
        return {"id": tier.id, "code": tier.code, "name": tier.name, "color": tier.color}

    # ------------------------------------------------------------------ customers
    @api.model
    def _logistics_tier_figures(self, tiers):
        """Customers and revenue per tier (and without tier), share of the revenue, cut-off.

        ``{rows: [{id, code, name, color, cutoff, customers, revenue, share, action}], no_tier:
        {customers, revenue, share, action}, customers, revenue, action}``
        """
        customers = self._logistics_customer_domain()
        groups = self.env["res.partner"]._read_group(
            customers, ["logistics_tier_id"], ["__count", "logistics_revenue_12m:sum"]
        )
        figures = {tier: (count, revenue or 0.0) for tier, count, revenue in groups}
        total = sum(revenue for _count, revenue in figures.values())

        def share(revenue):
            return round(revenue * 100.0 / total, 1) if total else 0.0

        rows = []
        Tier = self.env["logistics.customer.tier"]
        for tier in self._logistics_tier_rows(tiers, Tier.union(*figures)):
            count, revenue = figures.get(tier, (0, 0.0))
            rows.append(
                {
                    **self._logistics_tier_info(tier),
                    "active": tier in tiers,
                    "cutoff": tier.revenue_share_cutoff,
                    "customers": count,
                    "revenue": revenue,
                    "share": share(revenue),
                    "action": _action(
                        "action_logistics_customers",
                        customers + [("logistics_tier_id", "=", tier.id)],
                        name=self.env._("Customers of tier %(tier)s", tier=tier.display_name),
                    ),
                }
            )
        count, revenue = figures.get(Tier, (0, 0.0))
        return {
            "rows": rows,
            "no_tier": {
                "customers": count,
                "revenue": revenue,
                "share": share(revenue),
                "action": _action(
                    "action_logistics_customers",
                    customers + [("logistics_tier_id", "=", False)],
                    name=self.env._("Customers without tier"),
                ),
            },
            "customers": sum(count for count, _revenue in figures.values()),
            "revenue": total,
            "action": _action("action_logistics_customer_analysis", customers),
        }

    @api.model
    def _logistics_pareto_figures(self, tiers):
        """Customers ranked by revenue, cumulative share and the tier cut-offs (domain/pareto.py).

        The tiers are those the rule gives for the current figures (a tier set by hand, or figures
        changed since the last recompute, may differ on the customer). ``{customers, total,
        sampled, points: [{first_rank, last_rank, customers, partner_id, name, revenue, average,
        share, cumulative, tier}], cutoffs: [{tier_id, code, name, color, cutoff, first_rank,
        last_rank, customers, revenue, share, cumulative, action}], action}``
        """
        domain = self._logistics_customer_domain() + [("logistics_revenue_12m", ">", 0)]
        # one query, however many customers: only the name and the revenue
        ranked = self.env["res.partner"].search_fetch(
            domain, ["name", "logistics_revenue_12m"], order="logistics_revenue_12m desc, id"
        )
        names = {partner.id: partner.name for partner in ranked}
        result = pareto.pareto(
            [(partner.id, partner.logistics_revenue_12m) for partner in ranked],
            [(tier.id, tier.revenue_share_cutoff) for tier in tiers],
        )
        codes = {tier.id: tier.code for tier in tiers}
        for point in result["points"]:
            point["name"] = names.get(point["partner_id"], "")
            point["tier"] = codes.get(point["tier"], "")
        cutoffs = []
        for span, tier in zip(result["cutoffs"], tiers, strict=True):
            cutoffs.append(
                {
                    **{key: value for key, value in span.items() if key != "key"},
                    **self._logistics_tier_info(tier),
                    "tier_id": tier.id,
                    "action": _action(
                        "action_logistics_customers",
                        domain + [("logistics_tier_id", "=", tier.id)],
                        name=self.env._("Customers of tier %(tier)s", tier=tier.display_name),
                    ),
                }
            )
        result["cutoffs"] = cutoffs
        result["action"] = _action(
            "action_logistics_customers", domain, name=self.env._("Customers with revenue"), view_type="list"
        )
        return result

    @api.model
    def _logistics_stage_figures(self):
        """Customers per lifecycle stage, all five (zero included), and those not staged yet.

        ``{rows: [{key, label, customers, action}], no_stage, action}``
        """
        customers = self._logistics_customer_domain()
        counts = dict(self.env["res.partner"]._read_group(customers, ["logistics_stage"], ["__count"]))
        rows = [
            {
                "key": key,
                "label": label,
                "customers": counts.get(key, 0),
                "action": _action(
                    "action_logistics_customers",
                    customers + [("logistics_stage", "=", key)],
                    name=self.env._("%(stage)s customers", stage=label),
                ),
            }
            for key, label in self.env["res.partner"]._fields["logistics_stage"]._description_selection(self.env)
        ]
        return {
            "rows": rows,
            "no_stage": counts.get(False, 0),
            "action": _action("action_logistics_customer_analysis", customers),
        }

    @api.model
    def _logistics_at_risk_figures(self):
        """The customers most at risk of churning (not the lost ones: they have gone already).

        ``{top: [{id, name, tier_code, tier_color, stage, stage_label, risk, level, level_label,
        last_order_date, salesperson}], levels: [{key, label, customers, action}], count (churn
        risk >= 50, as "Customers at risk"), action}``
        """
        Partner = self.env["res.partner"]
        domain = self._logistics_customer_domain() + [("logistics_stage", "in", AT_RISK_STAGES)]
        top = Partner.search_fetch(
            domain + [("logistics_churn_risk", ">", 0)],
            [
                "name",
                "logistics_tier_id",
                "logistics_stage",
                "logistics_churn_risk",
                "logistics_churn_level",
                "logistics_last_order_date",
                "user_id",
            ],
            order="logistics_churn_risk desc, logistics_revenue_12m desc, id",
            limit=TOP_AT_RISK,
        )
        stages = self._logistics_labels("res.partner", "logistics_stage")
        levels = self._logistics_labels("res.partner", "logistics_churn_level")
        counts = dict(Partner._read_group(domain, ["logistics_churn_level"], ["__count"]))
        at_risk = domain + [("logistics_churn_risk", ">=", AT_RISK_MIN)]
        return {
            "top": [
                {
                    "id": partner.id,
                    "name": partner.name,
                    "tier_code": partner.logistics_tier_id.code or "",
                    "tier_color": partner.logistics_tier_id.color,
                    "stage": partner.logistics_stage,
                    "stage_label": stages.get(partner.logistics_stage, ""),
                    "risk": partner.logistics_churn_risk,
                    "level": partner.logistics_churn_level or "",
                    "level_label": levels.get(partner.logistics_churn_level, ""),
                    "last_order_date": fields.Date.to_string(partner.logistics_last_order_date) or "",
                    "salesperson": partner.user_id.name or "",
                }
                for partner in top
            ],
            "levels": [
                {
                    "key": key,
                    "label": label,
                    "customers": counts.get(key, 0),
                    "action": _action(
                        "action_logistics_customers",
                        domain + [("logistics_churn_level", "=", key)],
                        name=self.env._("Churn risk: %(level)s", level=label),
                    ),
                }
                for key, label in levels.items()
            ],
            "count": Partner.search_count(at_risk),
            "action": _action("action_logistics_customers_at_risk", at_risk),
        }

    # ------------------------------------------------------------------ complaints
    @api.model
    def _logistics_complaint_figures(self, tiers):
        """Open complaints per SLA tier: open, at risk, breached.

        A closed complaint keeps its final SLA status (met or breached) for good: "breached" here
        counts the open complaints that missed a deadline, the ones someone must act on now.
        ``{rows: [{id, code, name, color, open, on_track, at_risk, breached, actions}], totals:
        {open, on_track, at_risk, breached}, actions: {open, at_risk, breached}}``; a row with
        ``id`` False holds the complaints recorded without a tier.
        """
        domain = self._logistics_company_domain() + [("is_closed", "=", False)]
        groups = self.env["logistics.complaint"]._read_group(domain, ["tier_id", "sla_status"], ["__count"])
        counts = {}
        for tier, status, count in groups:
            counts.setdefault(tier, {})[status] = count
        Tier = self.env["logistics.customer.tier"]
        rows = []
        statuses = ("on_track", "at_risk", "breached")

        labels = self._logistics_labels("logistics.complaint", "sla_status")

        def row(tier, info):
            by_status = counts.get(tier, {})
            tier_domain = domain + [("tier_id", "=", tier.id)]
            name = info["code"] or info["name"]
            return {
                **info,
                "open": sum(by_status.values()),
                **{status: by_status.get(status, 0) for status in statuses},
                "actions": {
                    "open": _action(
                        "action_logistics_complaint_dashboard",
                        tier_domain,
                        name=self.env._("Open complaints, tier %(tier)s", tier=name),
                        view_type="list",
                    ),
                    **{
                        status: _action(
                            "action_logistics_complaint_dashboard",
                            tier_domain + [("sla_status", "=", status)],
                            name=self.env._(
                                "Open complaints, tier %(tier)s: %(status)s", tier=name, status=labels[status]
                            ),
                            view_type="list",
                        )
                        for status in statuses
                    },
                },
            }

        for tier in self._logistics_tier_rows(tiers, Tier.union(*counts)):
            rows.append(row(tier, self._logistics_tier_info(tier)))
        if Tier in counts:
            rows.append(row(Tier, {"id": False, "code": "", "name": self.env._("No tier"), "color": 0}))
        totals = {status: sum(r[status] for r in rows) for status in ("open", *statuses)}
        return {
            "rows": rows,
            "totals": totals,
            "actions": {
                "open": _action("action_logistics_complaint_dashboard", domain, name=self.env._("Open complaints")),
                **{
                    status: _action(
                        "action_logistics_complaint_dashboard",
                        domain + [("sla_status", "=", status)],
                        name=self.env._("Open complaints: %(status)s", status=labels[status]),
                        view_type="list",
                    )
                    for status in ("at_risk", "breached")
                },
            },
        }

    # ------------------------------------------------------------------ satisfaction
    @api.model
    def _logistics_nps_figures(self):
        """NPS per quarter over the last quarters with survey answers (at most six), oldest first.

        NPS = (promoters - detractors) * 100 / answers that rated loyalty (the report's NPS
        average); ``None`` for a quarter whose answers skipped that question. A Logistics CRM
        user sees the answers credited to them (``scope`` "own"), a manager everyone's.
        ``{quarters: [{key, label, date_from, date_to, responses, promoters, passives, detractors,
        nps, action}], latest, scope, action}``
        """
        domain = self._logistics_company_domain() + [("kind", "=", "answer")]
        groups = self.env["logistics.satisfaction.report"]._read_group(
            domain,
            ["date:quarter"],
            ["response_count:sum", "promoter_count:sum", "passive_count:sum", "detractor_count:sum"],
            order="date:quarter desc",
            limit=NPS_QUARTERS,
        )
        quarters = []
        for start, responses, promoters, passives, detractors in reversed(groups):
            start = start.date() if isinstance(start, datetime) else start
            end = date(start.year + 1, 1, 1) if start.month > 9 else date(start.year, start.month + 3, 1)
            rated = promoters + passives + detractors
            period = [("date", ">=", fields.Date.to_string(start)), ("date", "<", fields.Date.to_string(end))]
            label = self.env._("Q%(quarter)s %(year)s", quarter=(start.month - 1) // 3 + 1, year=start.year)
            quarters.append(
                {
                    "key": fields.Date.to_string(start),
                    "label": label,
                    "date_from": fields.Date.to_string(start),
                    "date_to": fields.Date.to_string(end - timedelta(days=1)),
                    "responses": responses,
                    "promoters": promoters,
                    "passives": passives,
                    "detractors": detractors,
                    "nps": round((promoters - detractors) * 100.0 / rated, 1) if rated else None,
                    "action": _action(
                        "action_logistics_satisfaction_report",
                        domain + period,
                        name=self.env._("Satisfaction KPIs %(quarter)s", quarter=label),
                    ),
                }
            )
        rated = [quarter for quarter in quarters if quarter["nps"] is not None]
        return {
            "quarters": quarters,
            "latest": rated[-1] if rated else None,
            "scope": "all" if self.env.su or self.env.user.has_group(MANAGER_GROUP) else "own",
            "action": _action("action_logistics_satisfaction_report", domain),
        }

    # ------------------------------------------------------------------ chartering
    @api.model
    def _logistics_cargo_figures(self):
        """Cargo offers per state (count and tonnage) and matches per state.

        ``{states: [{key, label, count, tonnage, action}], open: {count, tonnage}, matched,
        fixed, matches: [{key, label, count, action}], action}``; ``open`` counts the offers
        still looking for a vessel, ``matched`` those with an accepted or quoted match.
        """
        domain = self._logistics_company_domain()
        cargo = {
            state: (count, tonnage or 0.0)
            for state, count, tonnage in self.env["logistics.cargo"]._read_group(
                domain, ["state"], ["__count", "quantity:sum"]
            )
        }
        matches = dict(self.env["logistics.match"]._read_group(domain, ["state"], ["__count"]))
        states = [
            {
                "key": key,
                "label": label,
                "count": cargo.get(key, (0, 0.0))[0],
                "tonnage": cargo.get(key, (0, 0.0))[1],
                "action": _action(
                    "action_logistics_cargo",
                    domain + [("state", "=", key)],
                    name=self.env._("%(state)s cargo offers", state=label),
                    view_type="list",
                ),
            }
            for key, label in self._logistics_labels("logistics.cargo", "state").items()
        ]
        by_key = {state["key"]: {"count": state["count"], "tonnage": state["tonnage"]} for state in states}
        return {
            "states": states,
            "open": by_key["open"],
            "matched": by_key["matched"],
            "fixed": by_key["fixed"],
            "matches": [
                {
                    "key": key,
                    "label": label,
                    "count": matches.get(key, 0),
                    "action": _action(
                        "action_logistics_match",
                        domain + [("state", "=", key)],
                        name=self.env._("%(state)s matches", state=label),
                        view_type="list",
                    ),
                }
                for key, label in self._logistics_labels("logistics.match", "state").items()
            ],
            "action": _action(
                "action_logistics_cargo_tonnage", domain + [("state", "in", OPEN_CARGO_STATES)], view_type="graph"
            ),
        }

    # ------------------------------------------------------------------ bookings
    @api.model
    def _logistics_booking_figures(self):
        """Pickups and deliveries per ISO week (Monday to Sunday, in the user's time zone), the
        last eight weeks, this one and the next two; cancelled bookings left out.

        ``{weeks: [{key, label, date_from, date_to, current, pickup, delivery, count, weight_kg,
        volume_m3, action}], this_week: {...}, action}``
        """
        tz_name = self.env.context.get("tz") or self.env.user.tz or "UTC"
        if tz_name not in pytz.all_timezones_set:
            tz_name = "UTC"
        tz = pytz.timezone(tz_name)
        Booking = self.env["logistics.booking"].with_context(tz=tz_name)
        today = fields.Date.context_today(Booking)
        monday = today - timedelta(days=today.weekday())
        first = monday - timedelta(weeks=BOOKING_WEEKS_BACK)
        count = BOOKING_WEEKS_BACK + 1 + BOOKING_WEEKS_AHEAD

        def utc(day):
            """Midnight of ``day`` in the user's time zone, as Odoo stores datetimes (naive UTC)."""
            local = tz.localize(datetime.combine(day, time.min))
            return fields.Datetime.to_string(local.astimezone(pytz.utc).replace(tzinfo=None))

        base = self._logistics_company_domain() + [("state", "!=", "cancelled")]
        groups = Booking._read_group(
            base
            + [
                ("date_start", ">=", utc(first)),
                ("date_start", "<", utc(first + timedelta(weeks=count))),
            ],
            ["date_start:day", "booking_type"],
            ["__count", "weight_kg:sum", "volume_m3:sum"],
        )
        weeks = []
        for index in range(count):
            start = first + timedelta(weeks=index)
            year, week, _day = start.isocalendar()
            # plain names, not expressions, in the translated calls: the term extraction evaluates them
            number, key = f"{week:02d}", f"{year}-W{week:02d}"
            weeks.append(
                {
                    "key": key,
                    "label": self.env._("W%(week)s", week=number),
                    "year": year,
                    "date_from": fields.Date.to_string(start),
                    "date_to": fields.Date.to_string(start + timedelta(days=6)),
                    "current": start == monday,
                    "pickup": 0,
                    "delivery": 0,
                    "count": 0,
                    "weight_kg": 0.0,
                    "volume_m3": 0.0,
                    "action": _action(
                        "action_logistics_booking_analysis",
                        base
                        + [
                            ("date_start", ">=", utc(start)),
                            ("date_start", "<", utc(start + timedelta(weeks=1))),
                        ],
                        name=self.env._("Bookings of week %(week)s", week=key),
                        view_type="list",
                    ),
                }
            )
        for day, booking_type, number, weight, volume in groups:
            day = day.date() if isinstance(day, datetime) else day
            week = weeks[(day - first).days // 7]
            week[booking_type] += number
            week["count"] += number
            week["weight_kg"] += weight or 0.0
            week["volume_m3"] += volume or 0.0
        return {
            "weeks": weeks,
            "this_week": weeks[BOOKING_WEEKS_BACK],
            "action": _action("action_logistics_booking_analysis", base),
        }
