"""Customer tiers (Pareto / ABC), lifecycle stages and churn risk.

Pure functions, no Odoo import. Amounts are in company currency, dates are
``datetime.date`` objects and durations are whole days.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

STAGE_POTENTIAL = "potential"
STAGE_TARGET = "target"
STAGE_ACTIVE = "active"
STAGE_DORMANT = "dormant"
STAGE_LOST = "lost"
STAGES = (STAGE_POTENTIAL, STAGE_TARGET, STAGE_ACTIVE, STAGE_DORMANT, STAGE_LOST)

# Churn-risk bands by recency: a customer who ordered within the active window
# always scores below one who did not (the design's promise), whatever the
# frequency trend says.
ACTIVE_BAND = (0, 49)
DORMANT_BAND = (50, 89)
LOST_RISK = 100
RECENCY_WEIGHT = 0.6
TREND_WEIGHT = 0.4


def validate_cutoffs(cutoffs):
    """Return an error message, or None when ``cutoffs`` (in tier order) are valid.

    Valid cut-offs are revenue-share percentages in (0, 100], strictly
    increasing from the first tier to the last, the last being 100 %: otherwise
    the customers ranked after the last cut-off would have revenue and no tier.
    Several last tiers may share 100 % (the tiers after the first of them stay
    empty): that is how a new last tier is added, before lowering the one above.
    Errors: ``cutoff_range``, ``cutoff_order``, ``cutoff_last``. No tiers at all
    is valid here (the caller decides whether customers need one).
    """
    previous = 0.0
    for cutoff in cutoffs:
        if cutoff is None or not 0.0 < cutoff <= 100.0:
            return "cutoff_range"
        if cutoff <= previous and not cutoff == previous == 100.0:
            return "cutoff_order"
        previous = cutoff
    if cutoffs and previous != 100.0:
        return "cutoff_last"
    return None


def assign_tiers(revenues, tiers):
    """Pareto (ABC) tiering.

    :param revenues: mapping ``partner_id -> revenue`` (company currency).
    :param tiers: sequence of ``(tier_key, cutoff_percent)`` in tier order
        (A first), cut-offs increasing.
    :return: mapping ``partner_id -> tier_key`` for every partner with a
        positive revenue that falls under a cut-off. Partners without revenue
        get no tier.

    Customers are ranked by revenue, descending. A customer belongs to the first
    tier whose cut-off is *above* the cumulative revenue share of the customers
    ranked before it, so tier A is the smallest set of top customers that
    together make at least the A cut-off. Customers with equal revenue are
    ranked together (the share "before" them excludes each other), so equal
    revenue always means equal tier, whatever the order of ids.

    Amounts are compared in integer cents, so an exact 80 % boundary is not
    blurred by floating-point sums.
    """
    cents = {pid: int(round(amount * 100)) for pid, amount in revenues.items() if amount and amount > 0}
    cents = {pid: c for pid, c in cents.items() if c > 0}
    total = sum(cents.values())
    result = {}
    if not total or not tiers:
        return result
    ranked = sorted(cents.items(), key=lambda item: (-item[1], item[0]))
    before = 0  # revenue of the customers ranked strictly before the current group
    index = 0
    tier_index = 0
    while index < len(ranked):
        amount = ranked[index][1]
        group_end = index
        while group_end < len(ranked) and ranked[group_end][1] == amount:
            group_end += 1
        # first tier whose cut-off is above the share before this group:
        # before / total * 100 < cutoff  <=>  before * 100 < cutoff * total
        while tier_index < len(tiers) and not before * 100 < tiers[tier_index][1] * total:
            tier_index += 1
        if tier_index >= len(tiers):
            break
        tier_key = tiers[tier_index][0]
        for pid, _amount in ranked[index:group_end]:
            result[pid] = tier_key
        before += amount * (group_end - index)
        index = group_end
    return result


# The settings of the engine, one home for their defaults and bounds:
# key (after the "logistics_crm." prefix of ir.config_parameter) -> (default, minimum, maximum).
# The maxima keep every date computation inside the calendar (36,000 months would not be).
SETTINGS = {
    "tier_window_months": (12, 1, 120),
    "active_days": (180, 1, 3650),
    "dormant_days": (365, 2, 7300),
}
DEFAULT_WINDOW_MONTHS = SETTINGS["tier_window_months"][0]
DEFAULT_ACTIVE_DAYS = SETTINGS["active_days"][0]
DEFAULT_DORMANT_DAYS = SETTINGS["dormant_days"][0]


def settings_error(values):
    """Return ``(error_key, setting_key)`` for the first invalid setting, or None.

    ``values`` maps the keys of :data:`SETTINGS` to whole numbers. Errors:
    ``not_integer``, ``out_of_range`` (outside the setting's bounds) and
    ``stage_order`` (the dormant window must be longer than the active one).
    """
    for key, (_default, low, high) in SETTINGS.items():
        value = values.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            return "not_integer", key
        if not low <= value <= high:
            return "out_of_range", key
    if values["dormant_days"] <= values["active_days"]:
        return "stage_order", "dormant_days"
    return None


@dataclass(frozen=True)
class StageRules:
    """Thresholds of the lifecycle stages, in days."""

    active_days: int = DEFAULT_ACTIVE_DAYS
    dormant_days: int = DEFAULT_DORMANT_DAYS


def days_since(last_order_date, today):
    """Whole days between the last confirmed order and ``today`` (None if never)."""
    if not last_order_date:
        return None
    return max(0, (today - last_order_date).days)


def lifecycle_stage(last_order_date, has_open_deal, today, rules=StageRules()):
    """Lifecycle stage of a customer.

    active: confirmed order within ``rules.active_days``; otherwise target: an
    open opportunity or quotation; otherwise dormant: confirmed order within
    ``rules.dormant_days``; otherwise lost: ordered at some time; otherwise
    potential (no deal yet).
    """
    age = days_since(last_order_date, today)
    if age is not None and age <= rules.active_days:
        return STAGE_ACTIVE
    if has_open_deal:
        return STAGE_TARGET
    if age is not None and age <= rules.dormant_days:
        return STAGE_DORMANT
    if age is not None:
        return STAGE_LOST
    return STAGE_POTENTIAL


def last_sign_of_life(last_order_date, last_activity_date=None):
    """The later of the last order and the last other sign of life (a pickup or delivery done).

    The lifecycle stage and the recency of the churn risk count from it: a customer whose goods we
    moved last week is active even if its last order is older. ``None`` when there is neither.
    """
    dates = [day for day in (last_order_date, last_activity_date) if day]
    return max(dates) if dates else None


def frequency_drop(recent_orders, prior_orders):
    """Share (0..1) by which the order count fell from the prior period to the recent one.

    Both periods have the length of the active window. No orders in either
    period counts as a full drop; a customer who only ordered recently has no drop.
    """
    recent_orders = recent_orders or 0
    prior_orders = prior_orders or 0
    if prior_orders <= 0:
        return 0.0 if recent_orders > 0 else 1.0
    return max(0.0, min(1.0, (prior_orders - recent_orders) / prior_orders))


def churn_risk(
    last_order_date,
    recent_orders,
    prior_orders,
    today,
    rules=StageRules(),
    open_complaints=0,
    satisfaction=None,
    breached_complaints=0,
    key_account=False,
):
    """Churn risk 0..100.

    - never ordered: 0 (nothing to lose yet); no order within the dormant window: 100;
    - otherwise a band by recency (active window: 0-49, dormant window: 50-89),
      placed inside the band by 60 % recency (how far into the window the last
      order lies) and 40 % frequency trend (drop of orders between the previous
      and the current active-window period);
    - each open complaint adds 5 (at most 10), and each complaint whose SLA was breached
      adds 10 more (at most 20), twice that for a key account (``key_account``): a key
      account let down on a promise is the customer most likely to go;
    - a satisfaction score (0-10) moves it by up to 10 points (10 lowers it, 0 raises it);
    still within 0..100.
    """
    age = days_since(last_order_date, today)
    if age is None:
        base = 0.0
    elif age > rules.dormant_days:
        return LOST_RISK
    else:
        if age <= rules.active_days:
            low, high = ACTIVE_BAND
            recency = age / rules.active_days
        else:
            low, high = DORMANT_BAND
            recency = (age - rules.active_days) / (rules.dormant_days - rules.active_days)
        inside = RECENCY_WEIGHT * recency + TREND_WEIGHT * frequency_drop(recent_orders, prior_orders)
        base = low + (high - low) * inside
    if age is not None:
        base += min(10, 5 * max(0, open_complaints or 0))
        breach_factor = 2 if key_account else 1
        base += breach_factor * min(20, 10 * max(0, breached_complaints or 0))
        if satisfaction is not None:
            base += (5.0 - max(0.0, min(10.0, satisfaction))) * 2
    return int(round(max(0.0, min(100.0, base))))


def next_contact_date(last_contact, care_interval_days, tier_date):
    """Next planned care contact: last contact + the tier's care interval.

    A customer never contacted is due the day it entered its tier. No interval
    (0 or None) means no care plan for the tier.
    """
    if not care_interval_days or care_interval_days <= 0:
        return None
    if not last_contact:
        return tier_date or None
    return last_contact + timedelta(days=care_interval_days)


def window_start(today, months):
    """First day of a trailing window of ``months`` months ending ``today`` (inclusive)."""
    year = today.year
    month = today.month - months
    while month <= 0:
        month += 12
        year -= 1
    # clamp the day for shorter months (31 March - 1 month -> 28/29 February)
    day = min(today.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)
