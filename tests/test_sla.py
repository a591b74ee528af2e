"""The complaint SLA clock of issue #12 (deadlines, pauses, status, escalation), without Odoo."""

from datetime import date, datetime, timedelta

import pytest
from domain import sla
from domain import tiering as t

OPENED = datetime(2026, 11, 2, 9, 0)  # a Monday


def hours(n):
    return timedelta(hours=n)


# --------------------------------------------------------------------------- a toy working-time calendar
def office_worked(start, end):
    """Working hours between two datetimes: Monday to Friday, 9:00 to 17:00."""
    if end <= start:
        return -office_worked(end, start) if end < start else 0.0
    total = 0.0
    day = datetime(start.year, start.month, start.day)
    while day < end:
        if day.weekday() < 5:
            lo, hi = max(start, day + hours(9)), min(end, day + hours(17))
            if hi > lo:
                total += (hi - lo).total_seconds() / 3600.0
        day += timedelta(days=1)
    return total


def office_plan(start, n):
    """The moment ``n`` working hours after ``start`` in the office calendar."""
    moment, left = start, n
    while True:
        day = datetime(moment.year, moment.month, moment.day)
        if day.weekday() < 5:
            lo, hi = max(moment, day + hours(9)), day + hours(17)
            if hi > lo:
                available = (hi - lo).total_seconds() / 3600.0
                if available >= left:
                    return lo + hours(left)
                left -= available
        moment = day + timedelta(days=1)


def test_toy_calendar_is_consistent():
    friday_4pm = datetime(2026, 11, 6, 16, 0)
    assert office_plan(friday_4pm, 2) == datetime(2026, 11, 9, 10, 0)
    assert office_worked(friday_4pm, datetime(2026, 11, 9, 10, 0)) == pytest.approx(2.0)


# --------------------------------------------------------------------------- deadlines
@pytest.mark.parametrize(
    "response, resolution",
    [(4, 48), (8, 72), (24, 120)],  # the shipped tiers A, B and C
)
def test_deadlines_without_calendar_are_creation_plus_hours(response, resolution):
    assert sla.deadline(OPENED, response) == OPENED + hours(response)
    assert sla.deadline(OPENED, resolution) == OPENED + hours(resolution)


def test_no_hours_means_no_deadline():
    assert sla.deadline(OPENED, 0) is None
    assert sla.deadline(OPENED, None) is None
    assert sla.deadline(None, 4) is None


def test_deadline_in_working_hours_skips_the_weekend():
    friday_3pm = datetime(2026, 11, 6, 15, 0)
    # 2 h on Friday, 2 h on Monday morning
    assert sla.deadline(friday_3pm, 4, plan=office_plan) == datetime(2026, 11, 9, 11, 0)


# --------------------------------------------------------------------------- pauses
def test_pause_gives_back_the_time_spent_waiting():
    due = OPENED + hours(48)
    paused_at = OPENED + hours(10)
    resumed = paused_at + hours(30)
    assert sla.resume(due, paused_at, resumed) == due + hours(30)


def test_pause_after_the_deadline_keeps_the_missed_deadline():
    due = OPENED + hours(4)
    assert sla.resume(due, OPENED + hours(5), OPENED + hours(50)) == due


def test_pause_without_deadline_or_end():
    assert sla.resume(None, OPENED, OPENED + hours(3)) is None
    due = OPENED + hours(8)
    assert sla.resume(due, None, OPENED + hours(3)) == due
    assert sla.resume(due, OPENED + hours(2), OPENED + hours(2)) == due


def test_pause_with_calendar_gives_back_working_time():
    # deadline Tuesday 17:00; paused Monday 13:00 (12 working hours left), resumed Thursday 9:00
    due = datetime(2026, 11, 3, 17, 0)
    paused_at = datetime(2026, 11, 2, 13, 0)
    resumed = datetime(2026, 11, 5, 9, 0)
    new_due = sla.resume(due, paused_at, resumed, worked=office_worked, plan=office_plan)
    assert new_due == datetime(2026, 11, 6, 13, 0)  # 8 h on Thursday + 4 h on Friday


def test_pause_with_no_working_time_left_moves_by_the_pause():
    # paused Monday 20:00, deadline Tuesday 9:00: no working hour in between
    due = datetime(2026, 11, 3, 9, 0)
    paused_at = datetime(2026, 11, 2, 20, 0)
    resumed = datetime(2026, 11, 4, 20, 0)
    assert sla.resume(due, paused_at, resumed, worked=office_worked, plan=office_plan) == due + hours(48)


# --------------------------------------------------------------------------- status
def _status(now, first_response=None, closed=None, response=4, resolution=48):
    return sla.status(
        now,
        OPENED + hours(response),
        OPENED + hours(resolution),
        response,
        resolution,
        first_response=first_response,
        closed=closed,
    )


def test_fresh_complaint_is_on_track():
    assert _status(OPENED + hours(1)) == sla.ON_TRACK


def test_response_clock_at_80_percent_is_at_risk():
    assert _status(OPENED + hours(3.1)) == sla.ON_TRACK
    assert _status(OPENED + hours(3.2)) == sla.AT_RISK  # 80 % of 4 h used


def test_resolution_clock_at_80_percent_is_at_risk():
    responded = OPENED + hours(1)
    assert _status(OPENED + hours(38), first_response=responded) == sla.ON_TRACK
    assert _status(OPENED + hours(38.4), first_response=responded) == sla.AT_RISK
    assert _status(OPENED + hours(47.9), first_response=responded) == sla.AT_RISK


def test_answered_response_clock_no_longer_counts():
    assert _status(OPENED + hours(3.5), first_response=OPENED + hours(1)) == sla.ON_TRACK


def test_past_due_is_breached():
    assert _status(OPENED + hours(4.01)) == sla.BREACHED
    assert _status(OPENED + hours(49), first_response=OPENED + hours(1)) == sla.BREACHED


def test_late_first_response_stays_breached():
    assert _status(OPENED + hours(6), first_response=OPENED + hours(5)) == sla.BREACHED


def test_closed_in_time_is_met():
    closed = OPENED + hours(20)
    assert _status(OPENED + hours(100), first_response=OPENED + hours(1), closed=closed) == sla.MET
    # closing counts as the first response
    assert _status(OPENED + hours(100), closed=OPENED + hours(2)) == sla.MET


def test_closed_late_is_breached():
    assert _status(OPENED + hours(60), first_response=OPENED + hours(1), closed=OPENED + hours(50)) == sla.BREACHED


def test_status_with_calendar_counts_working_hours():
    # 8 working hours to resolve, opened Friday 15:00: due Monday 15:00; Saturday is not at risk
    opened = datetime(2026, 11, 6, 15, 0)
    due = sla.deadline(opened, 8, plan=office_plan)
    assert due == datetime(2026, 11, 9, 15, 0)
    saturday = datetime(2026, 11, 7, 12, 0)
    assert sla.status(saturday, None, due, 0, 8, worked=office_worked) == sla.ON_TRACK
    monday_1pm = datetime(2026, 11, 9, 13, 30)  # 1.5 working hours left of 8: at risk
    assert sla.status(monday_1pm, None, due, 0, 8, worked=office_worked) == sla.AT_RISK


def test_no_sla_is_on_track_or_met():
    assert sla.status(OPENED + hours(500), None, None) == sla.ON_TRACK
    assert sla.status(OPENED + hours(500), None, None, closed=OPENED + hours(400)) == sla.MET


# --------------------------------------------------------------------------- escalation
def test_overdue_hours_takes_the_most_overdue_running_clock():
    now = OPENED + hours(10)
    assert sla.overdue_hours(now, OPENED + hours(4), OPENED + hours(48)) == pytest.approx(6.0)
    assert sla.overdue_hours(now, OPENED + hours(4), OPENED + hours(48), first_response=OPENED) == 0.0
    assert sla.overdue_hours(now, OPENED + hours(4), OPENED + hours(8), first_response=OPENED) == pytest.approx(2.0)
    assert sla.overdue_hours(now, OPENED + hours(4), OPENED + hours(8), closed=OPENED + hours(9)) == 0.0


@pytest.mark.parametrize(
    "overdue, level",
    [(0, 0), (-1, 0), (0.1, 1), (23.9, 1), (24, 2), (47.9, 2), (48, 3), (500, 3)],
)
def test_escalation_ladder(overdue, level):
    assert sla.escalation_level(overdue, 24) == level


def test_escalation_without_step_stays_at_level_one():
    assert sla.escalation_level(100, 0) == 1


# --------------------------------------------------------------------------- churn signals of complaints
TODAY = date(2026, 11, 23)


def test_breached_complaint_raises_churn_more_for_a_key_account():
    last = TODAY - timedelta(days=30)
    base = t.churn_risk(last, 3, 3, TODAY)
    open_one = t.churn_risk(last, 3, 3, TODAY, open_complaints=1)
    breached = t.churn_risk(last, 3, 3, TODAY, open_complaints=1, breached_complaints=1)
    breached_key = t.churn_risk(last, 3, 3, TODAY, open_complaints=1, breached_complaints=1, key_account=True)
    assert open_one == base + 5
    assert breached == open_one + 10
    assert breached_key == open_one + 20


def test_breached_complaints_are_capped():
    last = TODAY - timedelta(days=30)
    assert t.churn_risk(last, 3, 3, TODAY, breached_complaints=9) == t.churn_risk(
        last, 3, 3, TODAY, breached_complaints=2
    )
    assert t.churn_risk(last, 3, 3, TODAY, breached_complaints=9, key_account=True) <= 100


def test_complaints_do_not_make_a_never_ordering_prospect_a_churn_risk():
    assert t.churn_risk(None, 0, 0, TODAY, open_complaints=2, breached_complaints=2, key_account=True) == 0
