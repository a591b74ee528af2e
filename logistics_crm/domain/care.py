"""Care mailings: which rule mails a customer, and when it is due again.

Pure functions, no Odoo import. A rule applies to the tiers and lifecycle stages it lists (none
listed: all). The first rule, in the rules' order, that applies to a customer is the one that
mails it (a dormant key account gets the win-back message, not the key accounts' news), once its
interval has passed since the customer's last care mailing (by any rule): one date per customer
and company, so that two rules never mail the same customer within an interval.
"""

from datetime import timedelta


def due_before(today, interval_days):
    """The last day a care mailing may have gone for a customer to be due again ``today``.

    A customer last mailed on that day or earlier (or never) is due. ``interval_days`` must be
    at least 1: a customer mailed today is never due again today.
    """
    if interval_days < 1:
        raise ValueError("the interval of a care rule is at least one day")
    return today - timedelta(days=interval_days)


def is_due(last_care_date, interval_days, today):
    """Whether a customer last mailed on ``last_care_date`` (None: never) is due ``today``."""
    return last_care_date is None or last_care_date <= due_before(today, interval_days)


def applies(rule_tiers, rule_stages, tier, stage):
    """Whether a rule listing ``rule_tiers`` and ``rule_stages`` applies to a customer of
    ``tier`` in ``stage``: an empty list means every tier (or stage), a customer without a tier
    falls only under rules that list no tier."""
    return (not rule_tiers or tier in rule_tiers) and (not rule_stages or stage in rule_stages)


def pick_rule(rules, tier, stage, last_care_date, today):
    """The rule that mails a customer today, or None: the first of ``rules`` that applies to it,
    when its interval has passed (a later rule never mails a customer an earlier one applies to).

    :param rules: ordered ``(key, tiers, stages, interval_days)``
    """
    for key, tiers, stages, interval_days in rules:
        if applies(tiers, stages, tier, stage):
            return key if is_due(last_care_date, interval_days, today) else None
    return None


def progress(done, remaining):
    """``(done, remaining)`` as Odoo's cron progress wants them: whole numbers, never below zero."""
    return max(0, int(done)), max(0, int(remaining))
