"""Pickup and delivery bookings: the workflow and the checks of a requested window.

Pure functions, no Odoo import. Datetimes are naive UTC, as Odoo stores them.
"""

from datetime import timedelta

REQUESTED = "requested"
CONFIRMED = "confirmed"
SCHEDULED = "scheduled"
DONE = "done"
CANCELLED = "cancelled"
STATES = (REQUESTED, CONFIRMED, SCHEDULED, DONE, CANCELLED)
# an open booking still has to happen: its window must lie ahead when it is booked or moved
OPEN_STATES = (REQUESTED, CONFIRMED, SCHEDULED)

# action -> (states it starts from, state it leads to)
TRANSITIONS = {
    "confirm": ((REQUESTED,), CONFIRMED),
    "schedule": ((REQUESTED, CONFIRMED), SCHEDULED),
    "done": ((CONFIRMED, SCHEDULED), DONE),
    "cancel": ((REQUESTED, CONFIRMED, SCHEDULED), CANCELLED),
    "reopen": ((CANCELLED,), REQUESTED),
}
# the customer may cancel in the portal only what nobody has confirmed yet
CUSTOMER_CANCEL_STATES = (REQUESTED,)

# an open booking's window may have begun (this afternoon's pickup, booked at 2 pm), not long ago
MAX_BEGUN = timedelta(days=1)

# problems of a requested window
WINDOW_MISSING = "missing"
WINDOW_ORDER = "order"
WINDOW_PAST = "past"


def transition(action, state):
    """The state ``action`` leads to from ``state``, or None when it does not apply."""
    sources, target = TRANSITIONS[action]
    return target if state in sources else None


def window_problem(start, end, now, open_booking=True):
    """What is wrong with the window ``start``-``end`` at ``now``, or None.

    - ``missing``: a bound is not given;
    - ``order``: the window ends before it starts, or has no length;
    - ``past``: the whole window lies in the past (it ended by ``now``), or it began more than a day
      before ``now``. A window that has just begun and not ended is accepted: a pickup can be booked
      for the afternoon that is under way. Only checked for an open booking (``open_booking``): done
      and cancelled bookings are history.
    """
    if not start or not end:
        return WINDOW_MISSING
    if end <= start:
        return WINDOW_ORDER
    if open_booking and (end <= now or start < now - MAX_BEGUN):
        return WINDOW_PAST
    return None


def positive(value):
    """True when ``value`` is a finite number above zero (weights, volumes, packages)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return False
    return number > 0 and number != float("inf")
