"""Satisfaction index, dimension scores and Net Promoter Score.

Pure functions, no Odoo import. The satisfaction index of our users' bonus reviews is built
from six dimensions of a customer's answer (expected quality, experienced quality, perceived
value, overall satisfaction, complaint handling, loyalty), each a scale question scored 0-100.
The loyalty question "how likely are you to recommend us" on a 0-10 scale also gives the
customer's NPS category.
"""

from datetime import date, timedelta

EXPECTATION = "expectation"
QUALITY = "quality"
VALUE = "value"
SATISFACTION = "satisfaction"
COMPLAINT = "complaint"
LOYALTY = "loyalty"
DIMENSIONS = (EXPECTATION, QUALITY, VALUE, SATISFACTION, COMPLAINT, LOYALTY)

PROMOTER = "promoter"
PASSIVE = "passive"
DETRACTOR = "detractor"
NPS_CATEGORIES = (PROMOTER, PASSIVE, DETRACTOR)
# per answer: +100 for a promoter, 0 for a passive, -100 for a detractor; their mean is the NPS
NPS_POINTS = {PROMOTER: 100, PASSIVE: 0, DETRACTOR: -100}


def scale_score(value, low, high):
    """A scale answer ``value`` in ``[low, high]`` as a 0-100 score, or None without an answer.

    Values outside the scale are clipped to it (a scale changed after the answer was given).
    """
    if value is None or value is False or high is None or low is None or high <= low:
        return None
    clipped = max(low, min(high, value))
    return (clipped - low) * 100.0 / (high - low)


def dimension_scores(answers):
    """Mean 0-100 score per dimension of one customer's answer.

    :param answers: iterable of ``(dimension, value, low, high)``, one per answered scale
        question mapped to a dimension; a dimension may have several questions.
    :return: ``{dimension: score}`` for the dimensions answered, rounded to 0.1.
    """
    sums = {}
    for dimension, value, low, high in answers:
        score = scale_score(value, low, high)
        if dimension not in DIMENSIONS or score is None:
            continue
        total, count = sums.get(dimension, (0.0, 0))
        sums[dimension] = (total + score, count + 1)
    return {dimension: round(total / count, 1) for dimension, (total, count) in sums.items()}


def satisfaction_index(scores):
    """The answer's satisfaction index 0-100: the mean of its answered dimensions, equally weighted.

    A dimension the customer skipped (no complaint to judge, say) is left out rather than
    counted as zero. None when no dimension was answered.
    """
    values = [scores[dimension] for dimension in DIMENSIONS if scores.get(dimension) is not None]
    if not values:
        return None
    return round(sum(values) / len(values), 1)


def recommend_value(loyalty_score):
    """The 0-10 "would you recommend us" value of a 0-100 loyalty score (exact on a 0-10 scale)."""
    if loyalty_score is None:
        return None
    return int(loyalty_score / 10.0 + 0.5 + 1e-9)


def nps_category(value):
    """Promoter (9-10), passive (7-8) or detractor (0-6) of a 0-10 recommendation, else None."""
    if value is None:
        return None
    if value >= 9:
        return PROMOTER
    if value >= 7:
        return PASSIVE
    return DETRACTOR


def nps(categories):
    """Net Promoter Score -100..100 (0.1 precision) of NPS categories; None without any.

    ``% promoters - % detractors``: answers 10, 9 and 5 give (2 - 1) / 3 = +33.3.
    """
    counted = [category for category in categories if category in NPS_POINTS]
    if not counted:
        return None
    return round(sum(NPS_POINTS[category] for category in counted) / len(counted), 1)


def churn_satisfaction(score_nps):
    """The 0-10 satisfaction signal of churn risk from a customer's NPS.

    ``tiering.churn_risk`` moves risk by ``(5 - satisfaction) * 2`` points: a customer of
    detractors only (NPS -100) gets 0 and +10 risk points, one of promoters only (+100) gets 10
    and -10, passives (NPS 0) leave the risk as it is. None without any recommendation.
    """
    if score_nps is None:
        return None
    return round(5.0 + max(-100.0, min(100.0, score_nps)) / 20.0, 2)


def window_start(today, window_days):
    """First day of the trailing window of ``window_days`` days ending ``today`` (included)."""
    return today - timedelta(days=max(1, int(window_days or 0)) - 1)


def survey_due(last_invitation, frequency_days, today):
    """May a customer be invited again, given its last invitation date and its tier's frequency?

    A frequency of 0 (or none) means the tier is never surveyed automatically. A customer
    never invited is due.
    """
    if not frequency_days or frequency_days <= 0:
        return False
    if not last_invitation:
        return True
    if not isinstance(last_invitation, date):
        raise TypeError("last_invitation must be a date")
    return (today - last_invitation).days >= frequency_days
