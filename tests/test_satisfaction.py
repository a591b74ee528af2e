"""Satisfaction index, dimension scores and NPS of issue #13, without Odoo."""

from datetime import date

import pytest
from domain import satisfaction as s
from domain import tiering as t


@pytest.mark.parametrize(
    ("value", "low", "high", "expected"),
    [
        (1, 1, 5, 0.0),
        (5, 1, 5, 100.0),
        (4, 1, 5, 75.0),
        (7, 0, 10, 70.0),
        (0, 0, 10, 0.0),
        (9, 1, 5, 100.0),  # clipped to a scale that shrank after the answer
        (None, 1, 5, None),
        (3, 5, 5, None),  # an empty scale scores nothing
    ],
)
def test_scale_score(value, low, high, expected):
    assert s.scale_score(value, low, high) == expected


def test_dimension_scores_average_questions_of_one_dimension():
    scores = s.dimension_scores(
        [
            ("quality", 5, 1, 5),
            ("quality", 3, 1, 5),
            ("value", 2, 1, 5),
            ("loyalty", 9, 0, 10),
            ("unknown", 5, 1, 5),
            ("complaint", None, 1, 5),
        ]
    )
    assert scores == {"quality": 75.0, "value": 25.0, "loyalty": 90.0}


def test_satisfaction_index_leaves_skipped_dimensions_out():
    assert s.satisfaction_index({"quality": 75.0, "value": 25.0, "loyalty": 90.0}) == 63.3
    assert s.satisfaction_index({dimension: 100.0 for dimension in s.DIMENSIONS}) == 100.0
    assert s.satisfaction_index({"quality": 50.0, "complaint": None}) == 50.0
    assert s.satisfaction_index({}) is None


@pytest.mark.parametrize(
    ("value", "category"),
    [(10, "promoter"), (9, "promoter"), (8, "passive"), (7, "passive"), (6, "detractor"), (0, "detractor")],
)
def test_nps_category_bands(value, category):
    assert s.nps_category(value) == category


def test_nps_category_without_answer():
    assert s.nps_category(None) is None


def test_recommend_value_of_a_loyalty_score():
    assert s.recommend_value(90.0) == 9
    assert s.recommend_value(100.0) == 10
    assert s.recommend_value(0.0) == 0
    assert s.recommend_value(75.0) == 8  # a 1-5 scale's 4 ranks like an 8 of 10
    assert s.recommend_value(None) is None


def test_nps_of_the_issue_example():
    categories = [s.nps_category(v) for v in (10, 9, 5)]
    assert s.nps(categories) == 33.3


def test_nps_bounds_and_empty():
    assert s.nps(["promoter", "promoter"]) == 100.0
    assert s.nps(["detractor"]) == -100.0
    assert s.nps(["passive", "promoter", "detractor", "passive"]) == 0.0
    assert s.nps([None, "bogus"]) is None
    assert s.nps([]) is None


def test_churn_satisfaction_maps_nps_to_the_churn_scale():
    assert s.churn_satisfaction(-100) == 0.0
    assert s.churn_satisfaction(100) == 10.0
    assert s.churn_satisfaction(0) == 5.0
    assert s.churn_satisfaction(None) is None


def test_detractors_raise_and_promoters_lower_churn_risk():
    today = date(2026, 6, 1)
    rules = t.StageRules()
    last = date(2026, 5, 1)
    base = t.churn_risk(last, 3, 3, today, rules)
    detractors = t.churn_risk(last, 3, 3, today, rules, satisfaction=s.churn_satisfaction(-100))
    promoters = t.churn_risk(last, 3, 3, today, rules, satisfaction=s.churn_satisfaction(100))
    passives = t.churn_risk(last, 3, 3, today, rules, satisfaction=s.churn_satisfaction(0))
    assert detractors == base + 10
    assert promoters == max(0, base - 10)
    assert promoters < base < detractors
    assert passives == base


def test_window_start():
    assert s.window_start(date(2026, 12, 31), 365) == date(2026, 1, 1)
    assert s.window_start(date(2026, 3, 2), 1) == date(2026, 3, 2)
    assert s.window_start(date(2026, 3, 2), 0) == date(2026, 3, 2)


def test_survey_due_respects_tier_frequency():
    today = date(2026, 6, 1)
    assert s.survey_due(None, 90, today)
    assert not s.survey_due(date(2026, 5, 1), 90, today)
    assert s.survey_due(date(2026, 3, 3), 90, today)
    assert not s.survey_due(date(2026, 3, 4), 90, today)
    assert not s.survey_due(None, 0, today)  # the tier is never surveyed automatically
    with pytest.raises(TypeError):
        s.survey_due("2026-01-01", 90, today)
