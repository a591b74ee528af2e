"""IMO check digits, size classes, great-circle distances and voyage estimates, without Odoo."""

import pytest
from domain import shipping as s


@pytest.mark.parametrize("imo", ["9074729", "IMO 9074729", "imo9074729", " 9374129 ", "9257319"])
def test_valid_imo_numbers(imo):
    assert s.imo_is_valid(imo)


@pytest.mark.parametrize("imo", ["9074728", "907472", "90747290", "IMO 907472X", "", None, "ABCDEFG", "9074 729"])
def test_invalid_imo_numbers(imo):
    assert not s.imo_is_valid(imo)


def test_check_digit_is_weighted_sum():
    # 9 0 7 4 7 2 weighted 7..2: 63 + 0 + 35 + 16 + 21 + 4 = 139 -> 9
    assert s.normalize_imo("IMO 9074729") == "9074729"
    for last in "012345678":
        assert not s.imo_is_valid("907472" + last)


@pytest.mark.parametrize(
    ("dwt", "expected"),
    [
        (5000, "small"),
        (9999, "small"),
        (10000, "handysize"),
        (37200, "handysize"),
        (45000, "handymax"),
        (57000, "supramax"),
        (76000, "panamax"),
        (81600, "kamsarmax"),
        (180200, "capesize"),
        (206000, "vloc"),
        (0, None),
        (-5, None),
        (None, None),
    ],
)
def test_size_class_from_dwt(dwt, expected):
    assert s.size_class(dwt) == expected


@pytest.mark.parametrize(
    ("code", "ok"),
    [
        ("CNTAO", True),
        ("USHOU", True),
        ("NL2RT", True),
        ("cntao", False),
        ("CNTA", False),
        ("CN1AO", False),
        ("", False),
        (None, False),
    ],
)
def test_locode_format(code, ok):
    assert s.is_locode(code) is ok


def test_great_circle_one_degree_of_latitude_is_sixty_miles():
    assert s.great_circle_nm(0, 0, 1, 0) == pytest.approx(60.04, abs=0.05)
    assert s.great_circle_nm(36.0, 120.2, 36.0, 120.2) == 0


def test_voyage_estimate_figures():
    est = s.voyage_estimate(
        ballast_nm=1500,
        laden_nm=4800,
        ballast_speed=12.5,
        laden_speed=12.0,
        ballast_consumption=24,
        laden_consumption=27,
        quantity=50000,
        freight_rate=16.5,
        port_days=4,
        bunker_price=600,
        port_cost_per_call=30000,
    )
    assert est.ballast_days == pytest.approx(5.0)
    assert est.laden_days == pytest.approx(16.6667, rel=1e-4)
    assert est.total_days == pytest.approx(25.6667, rel=1e-4)
    assert est.bunker_tons == pytest.approx(5 * 24 + 16.6667 * 27, rel=1e-4)
    assert est.freight_revenue == 825000
    assert est.port_cost == 60000
    assert est.voyage_result == pytest.approx(825000 - est.bunker_cost - 60000)
    assert est.tce == pytest.approx(est.voyage_result / est.total_days)


def test_voyage_estimate_at_the_load_port_and_bad_speed():
    est = s.voyage_estimate(
        ballast_nm=0,
        laden_nm=0,
        ballast_speed=0,
        laden_speed=0,
        ballast_consumption=20,
        laden_consumption=20,
        quantity=1000,
        freight_rate=10,
        port_days=0,
        bunker_price=500,
        port_cost_per_call=0,
    )
    assert est.total_days == 0 and est.tce == 0 and est.voyage_result == 10000
    with pytest.raises(ValueError):
        s.sailing_days(100, 0)
