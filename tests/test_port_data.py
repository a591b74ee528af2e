"""The ports data file and the precomputed sea routes (no Odoo, no searoute needed).

``logistics_crm/data/logistics.port.csv`` is an Odoo CSV data file of ``logistics.port``;
``logistics_crm/data/sea_routes.json.gz`` is made from it by ``scripts/precompute_sea_routes.py``
and must be regenerated whenever the CSV changes (these tests fail otherwise).
"""

import csv
import gzip
import importlib.util
import itertools
import json
import math
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "logistics_crm" / "data"
PORTS_CSV = DATA / "logistics.port.csv"
ROUTES_GZ = DATA / "sea_routes.json.gz"
SCRIPT = REPO / "scripts" / "precompute_sea_routes.py"

HEADER = ["id", "name", "code", "country_id/id", "latitude", "longitude", "max_draft", "port_type"]
CODE_RE = re.compile(r"^[A-Z]{2}[A-Z2-9]{3}$")
PORT_TYPES = {"bulk", "container", "multi"}
REQUIRED_CODES = {"CNTAO", "CNSHA", "SGSIN", "NLRTM", "AUNTL", "BRTUB", "ZARCB", "USHOU"}
# Odoo's xml ids of res.country are the lowercase ISO code, except the United Kingdom's
XML_ID_EXCEPTIONS = {"GB": "uk"}
EARTH_RADIUS_NM = 6371.0088 / 1.852
# reference distances (nautical miles), to within 1 %
REFERENCE_DISTANCES = [("CNTAO", "NLRTM", 10837.0), ("AUNTL", "CNTAO", 4809.0)]


def haversine_nm(a, b):
    """Great-circle distance in nautical miles between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_NM * math.asin(min(1.0, math.sqrt(h)))


def lon_gap(a, b):
    """Difference of two longitudes in degrees, modulo 360 (0 to 180)."""
    gap = abs(a - b) % 360
    return min(gap, 360 - gap)


@pytest.fixture(scope="module")
def rows():
    with open(PORTS_CSV, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        assert header == HEADER
        data = list(reader)
    for line, row in enumerate(data, start=2):
        assert len(row) == len(HEADER), f"line {line}: {len(row)} fields"
    return [dict(zip(HEADER, row, strict=True)) for row in data]


@pytest.fixture(scope="module")
def ports(rows):
    return {row["code"]: (float(row["latitude"]), float(row["longitude"])) for row in rows}


@pytest.fixture(scope="module")
def routes():
    with gzip.open(ROUTES_GZ, "rt", encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def distances(routes):
    return {(a, b): distance for a, b, distance, _geometry in routes["pairs"]}


def test_csv_rows_are_well_formed(rows):
    assert len(rows) >= 150
    ids = set()
    for row in rows:
        code = row["code"]
        assert CODE_RE.match(code), code
        assert row["id"] == f"port_{code.lower()}"
        assert row["id"] not in ids, f"duplicate id {row['id']}"
        ids.add(row["id"])
        assert row["name"].strip() == row["name"] and row["name"], code
        assert row["port_type"] in PORT_TYPES, code
        lat, lon = float(row["latitude"]), float(row["longitude"])
        assert -90 <= lat <= 90 and -180 <= lon <= 180, code
        assert re.fullmatch(r"-?\d+\.\d{4}", row["latitude"]) and re.fullmatch(r"-?\d+\.\d{4}", row["longitude"]), code
        assert re.fullmatch(r"\d+\.\d", row["max_draft"]), code
        assert 5.0 <= float(row["max_draft"]) <= 30.0, code


def test_codes_are_unique_and_required_ones_present(rows):
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes)), sorted(code for code in codes if codes.count(code) > 1)
    assert REQUIRED_CODES <= set(codes), REQUIRED_CODES - set(codes)


def test_country_matches_code(rows):
    for row in rows:
        iso = row["code"][:2]
        assert row["country_id/id"] == f"base.{XML_ID_EXCEPTIONS.get(iso, iso.lower())}", row["code"]


def _country_data_file():
    spec = importlib.util.find_spec("odoo")
    roots = list(spec.submodule_search_locations or []) if spec else []
    roots.append("/opt/odoo18/odoo")
    for root in roots:
        path = Path(root) / "addons" / "base" / "data" / "res_country_data.xml"
        if path.is_file():
            return path
    return None


def test_country_xml_ids_exist_in_odoo(rows):
    path = _country_data_file()
    if path is None:
        pytest.skip("Odoo's res_country_data.xml not found")
    xml_ids = set(re.findall(r'<record id="([^"]+)" model="res.country"', path.read_text(encoding="utf-8")))
    missing = {row["country_id/id"] for row in rows} - {f"base.{xml_id}" for xml_id in xml_ids}
    assert not missing


def test_routes_file_matches_csv(routes, ports):
    assert routes["units"] == "nautical miles"
    assert routes["generator"].startswith("searoute ")
    assert set(routes["ports"]) == set(ports), "sea_routes.json.gz is stale: run scripts/precompute_sea_routes.py"
    for code, (lat, lon) in ports.items():
        assert routes["ports"][code] == pytest.approx([lat, lon], abs=1e-6), code


def test_routes_cover_every_pair_once(routes, ports):
    n = len(ports)
    pairs = [(a, b) for a, b, _distance, _geometry in routes["pairs"]]
    assert len(pairs) == n * (n - 1) // 2
    assert all(a < b for a, b in pairs)
    assert set(pairs) == set(itertools.combinations(sorted(ports), 2))


@pytest.mark.parametrize(("code_a", "code_b", "expected"), REFERENCE_DISTANCES)
def test_reference_distances(distances, code_a, code_b, expected):
    distance = distances[tuple(sorted((code_a, code_b)))]
    assert distance == pytest.approx(expected, rel=0.01)


def test_no_route_shorter_than_great_circle(routes, ports):
    too_short = []
    for a, b, distance, _geometry in routes["pairs"]:
        circle = haversine_nm(ports[a], ports[b])
        if distance < 0.95 * circle:
            too_short.append((a, b, distance, round(circle, 1)))
    assert not too_short


def test_geometries_join_their_ports(routes, ports):
    bad = []
    for a, b, distance, geometry in routes["pairs"]:
        assert distance > 0, (a, b)
        assert len(geometry) >= 2, (a, b)
        for point, code in ((geometry[0], a), (geometry[-1], b)):
            lat, lon = ports[code]
            if abs(point[0] - lat) > 1.5 or lon_gap(point[1], lon) > 1.5:
                bad.append((a, b, code, point))
        # longitudes are unwrapped: no jump of more than 180 degrees between consecutive points
        assert all(abs(q[1] - p[1]) <= 180 for p, q in itertools.pairwise(geometry)), (a, b)
        assert all(-90 <= p[0] <= 90 for p in geometry), (a, b)
    assert not bad, bad[:10]


def _load_script():
    spec = importlib.util.spec_from_file_location("precompute_sea_routes", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_douglas_peucker_and_unwrap():
    script = _load_script()
    line = [(0.0, 0.0), (0.05, 1.0), (0.0, 2.0), (1.0, 3.0), (0.0, 4.0)]
    assert script.douglas_peucker(line, 0.2) == [(0.0, 0.0), (0.0, 2.0), (1.0, 3.0), (0.0, 4.0)]
    assert script.douglas_peucker(line, 5.0) == [(0.0, 0.0), (0.0, 4.0)]
    assert script.unwrap_longitudes([(0, 170.0), (0, -175.0), (0, -160.0)]) == [(0, 170.0), (0, 185.0), (0, 200.0)]
    assert script.unwrap_longitudes([(0, -170.0), (0, 175.0)]) == [(0, -170.0), (0, -185.0)]
