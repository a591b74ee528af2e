"""Booking workflow and window checks of issue #14, without Odoo."""

from datetime import date, datetime, timedelta

import pytest
from domain import booking as b
from domain import tiering as t

NOW = datetime(2026, 5, 4, 10, 0)


@pytest.mark.parametrize(
    ("action", "state", "expected"),
    [
        ("confirm", b.REQUESTED, b.CONFIRMED),
        ("confirm", b.CONFIRMED, None),
        ("confirm", b.CANCELLED, None),
        ("schedule", b.REQUESTED, b.SCHEDULED),
        ("schedule", b.CONFIRMED, b.SCHEDULED),
        ("schedule", b.SCHEDULED, None),
        ("schedule", b.DONE, None),
        ("done", b.CONFIRMED, b.DONE),
        ("done", b.SCHEDULED, b.DONE),
        ("done", b.REQUESTED, None),
        ("done", b.CANCELLED, None),
        ("cancel", b.REQUESTED, b.CANCELLED),
        ("cancel", b.CONFIRMED, b.CANCELLED),
        ("cancel", b.SCHEDULED, b.CANCELLED),
        ("cancel", b.DONE, None),
        ("cancel", b.CANCELLED, None),
        ("reopen", b.CANCELLED, b.REQUESTED),
        ("reopen", b.DONE, None),
        ("reopen", b.REQUESTED, None),
    ],
)
def test_transitions(action, state, expected):
    assert b.transition(action, state) == expected


def test_every_state_is_reachable_and_done_is_final():
    reached = {b.REQUESTED} | {target for _sources, target in b.TRANSITIONS.values()}
    assert reached == set(b.STATES)
    assert all(b.transition(action, b.DONE) is None for action in b.TRANSITIONS)


def test_customer_may_cancel_only_unconfirmed_bookings():
    assert b.CUSTOMER_CANCEL_STATES == (b.REQUESTED,)
    assert all(b.transition("cancel", state) for state in b.CUSTOMER_CANCEL_STATES)


@pytest.mark.parametrize(
    ("start", "end", "open_booking", "expected"),
    [
        (NOW + timedelta(hours=2), NOW + timedelta(hours=5), True, None),
        (None, NOW + timedelta(hours=5), True, b.WINDOW_MISSING),
        (NOW + timedelta(hours=2), None, True, b.WINDOW_MISSING),
        (NOW + timedelta(hours=5), NOW + timedelta(hours=2), True, b.WINDOW_ORDER),
        (NOW + timedelta(hours=2), NOW + timedelta(hours=2), True, b.WINDOW_ORDER),
        # the whole window in the past
        (NOW - timedelta(hours=5), NOW - timedelta(hours=2), True, b.WINDOW_PAST),
        (NOW - timedelta(hours=5), NOW, True, b.WINDOW_PAST),
        # begun but not over: this afternoon's pickup can still be booked
        (NOW - timedelta(hours=1), NOW + timedelta(hours=2), True, None),
        (NOW - timedelta(hours=23), NOW + timedelta(hours=2), True, None),
        # but not a window that began long ago (a typo in the year)
        (NOW - timedelta(days=1, minutes=1), NOW + timedelta(hours=2), True, b.WINDOW_PAST),
        (datetime(1, 1, 1), NOW + timedelta(hours=2), True, b.WINDOW_PAST),
        # history (done, cancelled) may lie in the past, never backwards
        (NOW - timedelta(hours=5), NOW - timedelta(hours=2), False, None),
        (NOW - timedelta(hours=2), NOW - timedelta(hours=5), False, b.WINDOW_ORDER),
    ],
)
def test_window_problem(start, end, open_booking, expected):
    assert b.window_problem(start, end, NOW, open_booking=open_booking) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1, True),
        (0.001, True),
        ("12.5", True),
        (0, False),
        (-3, False),
        ("", False),
        (None, False),
        ("abc", False),
        ("nan", False),
        ("inf", False),
        (float("-inf"), False),
    ],
)
def test_positive(value, expected):
    assert b.positive(value) is expected


def test_open_states_are_those_not_finished():
    assert set(b.OPEN_STATES) == set(b.STATES) - {b.DONE, b.CANCELLED}


@pytest.mark.parametrize(
    ("last_order", "last_activity", "expected"),
    [
        (None, None, None),
        (date(2026, 1, 5), None, date(2026, 1, 5)),
        (None, date(2026, 3, 1), date(2026, 3, 1)),
        (date(2026, 1, 5), date(2026, 3, 1), date(2026, 3, 1)),
        (date(2026, 4, 5), date(2026, 3, 1), date(2026, 4, 5)),
    ],
)
def test_last_sign_of_life(last_order, last_activity, expected):
    assert t.last_sign_of_life(last_order, last_activity) == expected


def test_a_recent_booking_keeps_an_old_customer_active():
    today = date(2026, 5, 4)
    rules = t.StageRules()
    old_order = today - timedelta(days=rules.dormant_days + 10)
    assert t.lifecycle_stage(old_order, False, today, rules) == t.STAGE_LOST
    seen = t.last_sign_of_life(old_order, today - timedelta(days=3))
    assert t.lifecycle_stage(seen, False, today, rules) == t.STAGE_ACTIVE
    assert t.churn_risk(seen, 0, 0, today, rules) < t.DORMANT_BAND[0]
