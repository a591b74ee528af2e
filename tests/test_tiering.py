"""Pareto tiers, lifecycle stages and churn risk: the rules of issue #2, without Odoo."""

from datetime import date, timedelta

import pytest
from domain import tiering as t

ABC = [("A", 80.0), ("B", 95.0), ("C", 100.0)]
TODAY = date(2026, 11, 23)


# --------------------------------------------------------------------------- Pareto
def test_pareto_textbook_split():
    revenues = {1: 50, 2: 30, 3: 10, 4: 6, 5: 4}
    assert t.assign_tiers(revenues, ABC) == {1: "A", 2: "A", 3: "B", 4: "B", 5: "C"}


def test_customer_exactly_at_cutoff_goes_to_next_tier():
    # shares before: 0, 50, 80 -> the third customer starts exactly at 80 %: not "above", so B
    assert t.assign_tiers({1: 50, 2: 30, 3: 20}, ABC) == {1: "A", 2: "A", 3: "B"}


def test_customer_crossing_cutoff_belongs_to_lower_tier_boundary():
    # shares before: 0, 50, 79.99 -> the third one crosses 80 % and is still A
    revenues = {1: 5000.00, 2: 2999.00, 3: 1000.00, 4: 1001.00}
    tiers = t.assign_tiers(revenues, ABC)
    assert tiers[1] == "A" and tiers[2] == "A"
    # order: 1 (5000), 2 (2999), 4 (1001), 3 (1000); before 4: 7999 / 10000 = 79.99 % -> A
    assert tiers[4] == "A"
    # before 3: 9000 / 10000 = 90 % -> B
    assert tiers[3] == "B"


def test_a_is_smallest_set_reaching_cutoff():
    revenues = {i: 100 - i for i in range(1, 60)}
    tiers = t.assign_tiers(revenues, ABC)
    total = sum(revenues.values())
    a_customers = [pid for pid, tier in tiers.items() if tier == "A"]
    a_revenue = sum(revenues[pid] for pid in a_customers)
    assert a_revenue * 100 >= 80 * total
    # dropping the smallest A customer falls below 80 %
    smallest = min(a_customers, key=revenues.get)
    assert (a_revenue - revenues[smallest]) * 100 < 80 * total


def test_cents_avoid_float_drift():
    # 0.1 + 0.2 style sums must not move a customer across the exact 80 % line
    revenues = {1: 0.1, 2: 0.7, 3: 0.2}
    # exact: 0.7 + 0.1 = 0.8 of 1.0; order 2 (0.7), 3 (0.2), 1 (0.1): before 1 = 0.9 -> B
    assert t.assign_tiers(revenues, ABC) == {2: "A", 3: "A", 1: "B"}


def test_ties_get_the_same_tier_whatever_their_ids():
    revenues = {10: 40, 11: 40, 12: 20}
    tiers = t.assign_tiers(revenues, ABC)
    assert tiers[10] == tiers[11] == "A"
    assert t.assign_tiers({11: 40, 10: 40, 12: 20}, ABC) == tiers


def test_no_revenue_no_tier():
    assert t.assign_tiers({1: 0, 2: -5, 3: None}, ABC) == {}
    assert t.assign_tiers({1: 100, 2: 0}, ABC) == {1: "A"}
    assert t.assign_tiers({}, ABC) == {}


def test_last_cutoff_below_100_leaves_the_tail_untiered():
    tiers = t.assign_tiers({1: 80, 2: 15, 3: 5}, [("A", 80.0), ("B", 90.0)])
    assert tiers == {1: "A", 2: "B"}


def test_a_second_tier_at_100_stays_empty():
    """While a new last tier is being added, the tiers after the first at 100 % get nobody."""
    tiers = [("A", 80), ("B", 100), ("D", 100)]
    result = t.assign_tiers({1: 800, 2: 150, 3: 50}, tiers)
    assert result == {1: "A", 2: "B", 3: "B"}


def test_single_customer_is_a():
    assert t.assign_tiers({7: 1.0}, ABC) == {7: "A"}


@pytest.mark.parametrize(
    "cutoffs,error",
    [
        ([80, 95, 100], None),
        ([100], None),
        ([50], "cutoff_last"),
        ([80, 95, 99.99], "cutoff_last"),
        ([80, 95, 100, 100], None),
        ([80, 100, 95, 100], "cutoff_order"),
        ([80, 80, 100], "cutoff_order"),
        ([95, 80, 100], "cutoff_order"),
        ([0, 95, 100], "cutoff_range"),
        ([80, 95, 100.5], "cutoff_range"),
        ([-1], "cutoff_range"),
        ([None], "cutoff_range"),
        ([], None),
    ],
)
def test_validate_cutoffs(cutoffs, error):
    assert t.validate_cutoffs(cutoffs) == error


# --------------------------------------------------------------------------- stages
RULES = t.StageRules(active_days=180, dormant_days=365)


@pytest.mark.parametrize(
    "age,open_deal,stage",
    [
        (None, False, "potential"),
        (None, True, "target"),
        (0, False, "active"),
        (180, False, "active"),
        (180, True, "active"),
        (181, False, "dormant"),
        (181, True, "target"),
        (365, False, "dormant"),
        (366, False, "lost"),
        (366, True, "target"),
        (2000, False, "lost"),
    ],
)
def test_lifecycle_stage(age, open_deal, stage):
    last = None if age is None else TODAY - timedelta(days=age)
    assert t.lifecycle_stage(last, open_deal, TODAY, RULES) == stage


def _settings(**values):
    return {"tier_window_months": 12, "active_days": 180, "dormant_days": 365, **values}


def test_settings_validation():
    assert t.settings_error(_settings()) is None
    assert t.settings_error({key: spec[0] for key, spec in t.SETTINGS.items()}) is None, "defaults are valid"
    assert t.settings_error(_settings(active_days=0)) == ("out_of_range", "active_days")
    assert t.settings_error(_settings(dormant_days=-1)) == ("out_of_range", "dormant_days")
    assert t.settings_error(_settings(active_days=365)) == ("stage_order", "dormant_days")
    assert t.settings_error(_settings(active_days=400)) == ("stage_order", "dormant_days")
    assert t.settings_error(_settings(tier_window_months=0)) == ("out_of_range", "tier_window_months")
    assert t.settings_error(_settings(tier_window_months="12")) == ("not_integer", "tier_window_months")
    assert t.settings_error(_settings(active_days=True)) == ("not_integer", "active_days")


@pytest.mark.parametrize(
    "key, absurd", [("tier_window_months", 36000), ("active_days", 400000), ("dormant_days", 400000)]
)
def test_settings_caps(key, absurd):
    """Absurd windows are refused before any date computation could overflow."""
    values = _settings(**{key: absurd})
    if key == "active_days":
        values["dormant_days"] = 400001
    assert t.settings_error(values) == ("out_of_range", key)
    low, high = t.SETTINGS[key][1:]
    assert t.settings_error(_settings(**{key: high})) in (None, ("stage_order", "dormant_days"))
    assert low >= 1


def test_custom_stage_windows():
    rules = t.StageRules(active_days=30, dormant_days=90)
    assert t.lifecycle_stage(TODAY - timedelta(days=45), False, TODAY, rules) == "dormant"
    assert t.lifecycle_stage(TODAY - timedelta(days=91), False, TODAY, rules) == "lost"


# --------------------------------------------------------------------------- churn risk
def risk(age, recent=1, prior=1, **kw):
    last = None if age is None else TODAY - timedelta(days=age)
    return t.churn_risk(last, recent, prior, TODAY, RULES, **kw)


def test_churn_never_ordered_is_zero_and_lost_is_hundred():
    assert risk(None, 0, 0) == 0
    assert risk(366, 0, 0) == 100
    assert risk(3000, 0, 5) == 100


def test_churn_rises_with_recency():
    values = [risk(age, recent=2, prior=2) for age in (0, 30, 90, 150, 180)]
    assert values == sorted(values) and values[0] < values[-1]
    dormant = [risk(age, recent=0, prior=2) for age in (181, 250, 365)]
    assert dormant == sorted(dormant) and dormant[0] < dormant[-1]


def test_churn_rises_with_falling_frequency():
    steady = risk(60, recent=6, prior=6)
    falling = risk(60, recent=2, prior=6)
    growing = risk(60, recent=8, prior=2)
    assert growing <= steady < falling


def test_active_always_below_dormant():
    worst_active = max(risk(age, recent=r, prior=p) for age in (0, 179, 180) for r in (1, 5) for p in (0, 10, 50))
    best_dormant = min(risk(age, recent=0, prior=p) for age in (181, 200, 365) for p in (0, 1, 50))
    assert worst_active < best_dormant
    assert 0 <= worst_active <= 49 and 50 <= best_dormant <= 89


def test_churn_complaints_and_satisfaction_move_it_within_bounds():
    base = risk(90, 2, 2)
    assert risk(90, 2, 2, open_complaints=1) == base + 5
    assert risk(90, 2, 2, open_complaints=5) == base + 10
    assert risk(90, 2, 2, satisfaction=10) < base < risk(90, 2, 2, satisfaction=0)
    assert 0 <= risk(0, 5, 1, satisfaction=10) <= 100
    assert risk(365, 0, 9, open_complaints=9, satisfaction=0) == 100


def test_frequency_drop():
    assert t.frequency_drop(0, 0) == 1.0
    assert t.frequency_drop(3, 0) == 0.0
    assert t.frequency_drop(1, 4) == 0.75
    assert t.frequency_drop(9, 4) == 0.0


# --------------------------------------------------------------------------- windows and care
def test_window_start_clamps_month_end():
    assert t.window_start(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert t.window_start(date(2024, 3, 31), 1) == date(2024, 2, 29)
    assert t.window_start(date(2026, 11, 23), 12) == date(2025, 11, 23)
    assert t.window_start(date(2026, 1, 15), 25) == date(2023, 12, 15)


def test_next_contact_date():
    # never contacted: due the day the customer entered its tier
    assert t.next_contact_date(None, 30, TODAY) == TODAY
    assert t.next_contact_date(None, 30, None) is None
    assert t.next_contact_date(date(2026, 11, 1), 30, TODAY) == date(2026, 12, 1)
    assert t.next_contact_date(date(2026, 11, 1), 0, TODAY) is None
    assert t.next_contact_date(date(2026, 11, 1), None, TODAY) is None
