"""Care mailing rules of issue #15, without Odoo: when a customer is due, which rule mails it."""

from datetime import date, timedelta

import pytest
from domain import care

TODAY = date(2026, 11, 24)
# (key, tiers, stages, interval): the shipped rules, in their order
SHIPPED = [
    ("win_back", (), ("dormant",), 90),
    ("key_accounts", ("A",), ("active",), 30),
    ("others", ("B", "C"), ("active",), 90),
]


def test_due_before_is_the_last_day_of_the_previous_interval():
    assert care.due_before(TODAY, 30) == date(2026, 10, 25)
    assert care.due_before(TODAY, 1) == date(2026, 11, 23)


@pytest.mark.parametrize("interval", [0, -1, -90])
def test_an_interval_below_one_day_is_refused(interval):
    with pytest.raises(ValueError, match="at least one day"):
        care.due_before(TODAY, interval)


@pytest.mark.parametrize(
    ("last", "interval", "expected"),
    [
        (None, 30, True),  # never mailed
        (TODAY, 30, False),  # mailed today: never twice the same day
        (TODAY, 1, False),
        (TODAY - timedelta(days=1), 1, True),
        (TODAY - timedelta(days=29), 30, False),  # the day before the interval is over
        (TODAY - timedelta(days=30), 30, True),  # the day it is over
        (TODAY - timedelta(days=400), 90, True),
        (TODAY + timedelta(days=3), 30, False),  # a date ahead (a clock set back)
    ],
)
def test_is_due(last, interval, expected):
    assert care.is_due(last, interval, TODAY) is expected


@pytest.mark.parametrize(
    ("tiers", "stages", "tier", "stage", "expected"),
    [
        ((), (), None, "potential", True),  # a rule naming nothing applies to everybody
        ((), (), "A", "lost", True),
        (("A",), (), "A", "dormant", True),
        (("A",), (), "B", "active", False),
        (("A",), (), None, "active", False),  # without a tier: only rules naming no tier
        ((), ("active",), "C", "active", True),
        ((), ("active",), "C", "dormant", False),
        (("B", "C"), ("active",), "B", "active", True),
        (("B", "C"), ("active",), "B", "target", False),
    ],
)
def test_applies(tiers, stages, tier, stage, expected):
    assert care.applies(tiers, stages, tier, stage) is expected


@pytest.mark.parametrize(
    ("tier", "stage", "last", "expected"),
    [
        ("A", "active", None, "key_accounts"),
        ("A", "dormant", None, "win_back"),  # the win-back comes first: not the monthly review
        ("C", "dormant", None, "win_back"),
        ("B", "active", None, "others"),
        (None, "active", None, None),  # no rule for an active customer without tier
        ("A", "lost", None, None),
        ("A", "potential", None, None),
        ("A", "active", TODAY - timedelta(days=29), None),
        ("A", "active", TODAY - timedelta(days=30), "key_accounts"),
        ("B", "active", TODAY - timedelta(days=30), None),  # B every 90 days
        ("B", "active", TODAY - timedelta(days=90), "others"),
        # mailed 40 days ago by the win-back: still within the win-back's 90 days, and a later rule
        # that would be due (none here) never takes a customer an earlier rule applies to
        ("A", "dormant", TODAY - timedelta(days=40), None),
    ],
)
def test_pick_rule_with_the_shipped_rules(tier, stage, last, expected):
    assert care.pick_rule(SHIPPED, tier, stage, last, TODAY) == expected


def test_an_earlier_rule_that_applies_keeps_the_customer_even_when_not_due():
    rules = [("weekly_a", ("A",), (), 7), ("everybody", (), (), 1)]
    assert care.pick_rule(rules, "A", "active", TODAY - timedelta(days=3), TODAY) is None
    assert care.pick_rule(rules, "B", "active", TODAY - timedelta(days=3), TODAY) == "everybody"


def test_progress_is_whole_and_never_negative():
    assert care.progress(5, 12) == (5, 12)
    assert care.progress(-1, -3) == (0, 0)
    assert care.progress(2.0, 0) == (2, 0)
