"""Vessels and voyages: IMO numbers, size classes, great-circle distances, voyage estimates.

Pure functions, no Odoo import. Distances are nautical miles, speeds knots, consumptions
tonnes per day and money in one currency.
"""

import math
import re
from dataclasses import dataclass

IMO_RE = re.compile(r"^(?:IMO)?\s*(\d{7})$", re.IGNORECASE)

# Bulk-carrier size classes by deadweight (t): the lower bound of each class.
SIZE_CLASSES = (
    ("small", 0),
    ("handysize", 10_000),
    ("handymax", 40_000),
    ("supramax", 50_000),
    ("panamax", 65_000),
    ("kamsarmax", 80_000),
    ("capesize", 100_000),
    ("vloc", 200_000),
)
EARTH_RADIUS_NM = 3440.065
LOCODE_RE = re.compile(r"^[A-Z]{2}[A-Z2-9]{3}$")


def normalize_imo(value):
    """The 7 digits of an IMO number written as ``9074729``, ``IMO 9074729`` or ``imo9074729``; else None."""
    match = IMO_RE.match((value or "").strip())
    return match.group(1) if match else None


def imo_is_valid(value):
    """True when ``value`` is an IMO ship number whose 7th digit is its check digit.

    The check digit is the last digit of the sum of the first six digits weighted 7, 6, 5, 4, 3, 2
    (IMO Resolution A.1078(28)): 9074729 is valid since 9×7 + 0×6 + 7×5 + 4×4 + 7×3 + 2×2 = 139.
    """
    digits = normalize_imo(value)
    if not digits:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:6], range(7, 1, -1), strict=True))
    return total % 10 == int(digits[6])


def size_class(dwt):
    """The size class key of a vessel of ``dwt`` tonnes deadweight (None when unknown or not positive)."""
    if not dwt or dwt <= 0:
        return None
    found = None
    for key, lower in SIZE_CLASSES:
        if dwt >= lower:
            found = key
    return found


def is_locode(code):
    """True for a well-formed UN/LOCODE: 2 country letters and 3 letters or digits 2-9."""
    return bool(code) and bool(LOCODE_RE.match(code))


def great_circle_nm(lat1, lon1, lat2, lon2):
    """Great-circle (haversine) distance in nautical miles: a lower bound of any sea route."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_NM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class VoyageEstimate:
    """What a chartering desk decides on: days, bunkers, revenue, result and time-charter equivalent."""

    ballast_days: float
    laden_days: float
    port_days: float
    total_days: float
    bunker_tons: float
    bunker_cost: float
    freight_revenue: float
    port_cost: float
    voyage_result: float
    tce: float


def sailing_days(distance_nm, speed_knots):
    """Days at sea to sail ``distance_nm`` at ``speed_knots`` (0 when there is nothing to sail)."""
    if not distance_nm:
        return 0.0
    if not speed_knots or speed_knots <= 0:
        raise ValueError("speed must be positive")
    return distance_nm / (speed_knots * 24.0)


def voyage_estimate(
    *,
    ballast_nm,
    laden_nm,
    ballast_speed,
    laden_speed,
    ballast_consumption,
    laden_consumption,
    quantity,
    freight_rate,
    port_days,
    bunker_price,
    port_cost_per_call,
):
    """Voyage estimate of one vessel for one cargo (a load and a discharge call).

    Revenue is ``quantity × freight_rate``; costs are the bunkers burnt on the ballast and laden
    legs at ``bunker_price`` per tonne and two port calls; the time-charter equivalent (TCE) is
    the result divided by the voyage's days (ballast + laden + port days).
    """
    ballast_days = sailing_days(ballast_nm, ballast_speed)
    laden_days = sailing_days(laden_nm, laden_speed)
    total_days = ballast_days + laden_days + port_days
    bunker_tons = ballast_days * ballast_consumption + laden_days * laden_consumption
    bunker_cost = bunker_tons * bunker_price
    revenue = quantity * freight_rate
    port_cost = 2 * port_cost_per_call
    result = revenue - bunker_cost - port_cost
    return VoyageEstimate(
        ballast_days=ballast_days,
        laden_days=laden_days,
        port_days=port_days,
        total_days=total_days,
        bunker_tons=bunker_tons,
        bunker_cost=bunker_cost,
        freight_revenue=revenue,
        port_cost=port_cost,
        voyage_result=result,
        tce=result / total_days if total_days > 0 else 0.0,
    )
