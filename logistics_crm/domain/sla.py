"""The complaint SLA clock, without Odoo.

A complaint has two clocks started when it is recorded: the *response* clock (a first
answer to the customer) and the *resolution* clock (closed). Their length comes from the
customer's tier, in hours: wall-clock hours, or working hours of a calendar. The functions
take the two calendar operations as callables, so the same code serves both:

- ``worked(start, end)``: hours of the clock between two datetimes (wall hours by default);
- ``plan(start, hours)``: the datetime ``hours`` of the clock after ``start``.

All datetimes are naive UTC, as Odoo stores them.
"""

from datetime import timedelta

ON_TRACK = "on_track"
AT_RISK = "at_risk"
BREACHED = "breached"
MET = "met"
STATUSES = (ON_TRACK, AT_RISK, BREACHED, MET)

# a clock is at risk once this share of its time is used
AT_RISK_SHARE = 0.8
# the highest escalation level the ladder reaches
MAX_ESCALATION_LEVEL = 3


def wall_hours(start, end):
    """Wall-clock hours from ``start`` to ``end`` (negative when ``end`` is earlier)."""
    return (end - start).total_seconds() / 3600.0


def wall_plan(start, hours):
    """``start`` plus ``hours`` wall-clock hours."""
    return start + timedelta(hours=hours)


def deadline(start, hours, plan=wall_plan):
    """The deadline of a clock of ``hours`` started at ``start``; ``None`` without hours (no SLA)."""
    if not hours or hours <= 0 or start is None:
        return None
    return plan(start, hours)


def resume(due, paused_at, now, worked=wall_hours, plan=wall_plan):
    """The deadline ``due`` once a pause from ``paused_at`` to ``now`` ends.

    The time that was left on the clock when it paused is given again from ``now``: time
    spent paused does not count. A deadline already missed when the pause began stays.
    """
    if due is None or paused_at is None or now <= paused_at or due <= paused_at:
        return due
    left = worked(paused_at, due)
    if left <= 0:
        # no clock time between the pause and the deadline (e.g. paused overnight before a
        # deadline at the start of the working day): the deadline moves by the pause itself
        return due + (now - paused_at)
    return plan(now, left)


def _late(due, done, now):
    """Whether a clock with deadline ``due`` finished at ``done`` (or still running at ``now``) is late."""
    if due is None:
        return False
    return (done or now) > due


def status(
    now,
    response_deadline,
    resolution_deadline,
    response_hours=0,
    resolution_hours=0,
    first_response=None,
    closed=None,
    worked=wall_hours,
    at_risk_share=AT_RISK_SHARE,
):
    """The SLA status of a complaint at ``now``.

    - ``breached``: a deadline was missed (first response or closing after its deadline, or
      a deadline past while still open);
    - ``met``: closed with every deadline kept;
    - ``at_risk``: open, and a running clock has used ``at_risk_share`` of its time, that is
      the time left is at most ``(1 - at_risk_share)`` of the clock's hours;
    - ``on_track``: otherwise.

    Closing counts as the first response when none was recorded. A paused complaint is
    evaluated at the moment it paused: pass that moment as ``now``.
    """
    responded = first_response or closed
    late = _late(response_deadline, responded, now) or _late(resolution_deadline, closed, now)
    if late:
        return BREACHED
    if closed:
        return MET
    running = [(resolution_deadline, resolution_hours)]
    if not responded:
        running.append((response_deadline, response_hours))
    for due, hours in running:
        # a millisecond of tolerance: 80 % of the clock is at risk, not 80 % plus a float's rounding
        if due is not None and hours and hours > 0 and worked(now, due) <= (1.0 - at_risk_share) * hours + 1e-6:
            return AT_RISK
    return ON_TRACK


def overdue_hours(now, response_deadline, resolution_deadline, first_response=None, closed=None):
    """Wall hours by which the most overdue running clock is past its deadline (0 when none is)."""
    if closed:
        return 0.0
    overdue = 0.0
    if resolution_deadline is not None and now > resolution_deadline:
        overdue = wall_hours(resolution_deadline, now)
    if not first_response and response_deadline is not None and now > response_deadline:
        overdue = max(overdue, wall_hours(response_deadline, now))
    return overdue


def escalation_level(overdue, step_hours, max_level=MAX_ESCALATION_LEVEL):
    """The escalation level of a complaint ``overdue`` hours past a deadline.

    Level 1 as soon as a deadline is missed, one more level each further ``step_hours``
    (at most ``max_level``); 0 when nothing is overdue.
    """
    if overdue <= 0:
        return 0
    if not step_hours or step_hours <= 0:
        return 1
    return min(max_level, 1 + int(overdue // step_hours))
