#!/usr/bin/env python3
"""Precompute the sea route of every pair of ports of ``logistics_crm/data/logistics.port.csv``.

The addon ships its ports as an Odoo CSV data file (model ``logistics.port``). This script,
run by hand whenever that file changes, computes with the ``searoute`` package (Apache-2.0,
PyPI: ``pip install searoute``; its maritime network is a graph of shipping lanes, the shortest
path is taken, the Northwest Passage is avoided as searoute does by default) the route of every
unordered pair of ports, and writes ``logistics_crm/data/sea_routes.json.gz``::

    {"generator": "searoute 1.6.0",
     "units": "nautical miles",
     "ports": {"CNTAO": [lat, lon], ...},
     "pairs": [["AEJEA", "CNTAO", 5942.3, [[lat, lon], ...]], ...]}

- one entry per unordered pair, ``code_a < code_b``, the line drawn from ``code_a`` to ``code_b``;
- the distance is searoute's length of the full route in nautical miles, rounded to 0.1 nm: the
  route runs from the port's own coordinates to the nearest node of searoute's network (a straight
  approach leg, ``append_orig_dest=True``), along the network, then to the other port;
- the geometry is that line simplified with Douglas-Peucker (``--tolerance`` degrees, default
  0.2; first and last points always kept), as ``[lat, lon]`` rounded to ``--decimals`` (default
  2) decimals. Longitudes are unwrapped so that two consecutive points never differ by more than
  180 degrees: a line crossing the antimeridian goes on beyond +180 or -180 (e.g. 185 or -190),
  which Leaflet draws as one continuous line (it does not wrap polylines).

A pair that searoute cannot route makes the script fail, naming the pair: fix that port's
coordinates (put it on or next to its water) rather than skipping it. At the end the script
prints a summary (pairs, seconds, file size), two reference distances, the ports whose approach
leg to the network is long, and every pair whose sea distance is shorter than 0.95 times the
great-circle distance (a sign of wrong coordinates).

No Odoo is needed. Usage (from the repository root)::

    python3 scripts/precompute_sea_routes.py [--csv PATH] [--output PATH] [--processes 2]
        [--tolerance 0.2] [--decimals 2]
"""

import argparse
import csv
import gzip
import itertools
import json
import math
import multiprocessing
import os
import sys
import time
import warnings

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_CSV = os.path.join(REPO, "logistics_crm", "data", "logistics.port.csv")
DEFAULT_OUTPUT = os.path.join(REPO, "logistics_crm", "data", "sea_routes.json.gz")

EARTH_RADIUS_NM = 6371.0088 / 1.852  # mean Earth radius (IUGG), in nautical miles
GREAT_CIRCLE_RATIO = 0.95  # a sea route shorter than this times the great circle is suspicious
LONG_APPROACH_NM = 60.0  # an approach leg longer than this is reported
REFERENCE_PAIRS = (("CNTAO", "NLRTM", 10837.0), ("AUNTL", "CNTAO", 4809.0))
PROGRESS_EVERY = 2000

_PORTS = {}  # code -> (lat, lon), set in each worker process


class RouteError(RuntimeError):
    """searoute found no route (or an unusable one) for a pair of ports."""


def read_ports(path):
    """Return ``{code: (lat, lon)}`` from the ports CSV file, refusing duplicate codes."""
    ports = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["code"].strip()
            if code in ports:
                raise ValueError(f"{path}: port code {code} appears twice")
            ports[code] = (float(row["latitude"]), float(row["longitude"]))
    return ports


def great_circle_nm(a, b):
    """Haversine distance in nautical miles between two ``(lat, lon)`` points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_NM * math.asin(min(1.0, math.sqrt(h)))


def unwrap_longitudes(points):
    """Shift longitudes by multiples of 360 so that consecutive points differ by at most 180 degrees."""
    result = []
    previous = None
    for lat, lon in points:
        if previous is not None:
            while lon - previous > 180:
                lon -= 360
            while lon - previous < -180:
                lon += 360
        result.append((lat, lon))
        previous = lon
    return result


def _segment_distance(p, a, b):
    """Planar distance from point ``p`` to segment ``ab`` (all ``(y, x)`` tuples, in degrees)."""
    (py, px), (ay, ax), (by, bx) = p, a, b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return math.hypot(px - ax, py - ay)
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def douglas_peucker(points, tolerance):
    """Douglas-Peucker simplification of a polyline (iterative); first and last points are kept."""
    if len(points) <= 2:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        farthest, farthest_distance = None, tolerance
        for index in range(first + 1, last):
            distance = _segment_distance(points[index], points[first], points[last])
            if distance > farthest_distance:
                farthest, farthest_distance = index, distance
        if farthest is not None:
            keep[farthest] = True
            stack.append((first, farthest))
            stack.append((farthest, last))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def round_line(points, decimals):
    """Round ``(lat, lon)`` points to ``decimals``, dropping consecutive duplicates (two points at least)."""
    rounded = []
    for lat, lon in points:
        point = [round(lat, decimals), round(lon, decimals)]
        if not rounded or point != rounded[-1]:
            rounded.append(point)
    if len(rounded) == 1:
        rounded.append(list(rounded[0]))
    return rounded


def _init_worker(ports):
    global _PORTS
    _PORTS = ports


def route_pair(task):
    """Compute one pair: ``(code_a, code_b, distance_nm, geometry, approach_a_nm, approach_b_nm)``."""
    import searoute

    code_a, code_b, tolerance, decimals = task
    (lat_a, lon_a), (lat_b, lon_b) = _PORTS[code_a], _PORTS[code_b]
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            feature = searoute.searoute([lon_a, lat_a], [lon_b, lat_b], units="naut", append_orig_dest=True)
    except Exception as exc:  # networkx raises NetworkXNoPath / NodeNotFound on a broken network
        raise RouteError(f"searoute failed for {code_a}-{code_b}: {exc!r}") from exc
    no_path = [str(w.message) for w in caught if "no path" in str(w.message).lower()]
    length = feature["properties"]["length"]
    coordinates = feature["geometry"]["coordinates"]
    if no_path or not math.isfinite(length) or len(coordinates) < 3:
        detail = "; ".join(no_path) or f"length {length}, {len(coordinates)} points"
        raise RouteError(f"searoute found no route for {code_a}-{code_b}: {detail}")
    points = unwrap_longitudes([(lat, lon) for lon, lat in coordinates])
    approach_a = great_circle_nm(points[0], points[1])
    approach_b = great_circle_nm(points[-2], points[-1])
    geometry = round_line(douglas_peucker(points, tolerance), decimals)
    return code_a, code_b, round(length, 1), geometry, approach_a, approach_b


def compute(ports, tolerance, decimals, processes):
    """Route every unordered pair (sorted by codes); return ``(pairs, approach legs by port)``."""
    tasks = [(a, b, tolerance, decimals) for a, b in itertools.combinations(sorted(ports), 2)]
    total = len(tasks)
    pairs = []
    approach = {}
    started = time.monotonic()

    def collect(results):
        for code_a, code_b, distance, geometry, leg_a, leg_b in results:
            pairs.append([code_a, code_b, distance, geometry])
            approach[code_a] = leg_a
            approach[code_b] = leg_b
            if len(pairs) % PROGRESS_EVERY == 0 or len(pairs) == total:
                elapsed = time.monotonic() - started
                print(f"  {len(pairs):>6}/{total} pairs, {elapsed:6.1f} s", flush=True)

    if processes > 1:
        # build searoute's networks once, before forking, so that the workers share them
        import searoute

        searoute.get_graphs()
        with multiprocessing.Pool(processes, initializer=_init_worker, initargs=(ports,)) as pool:
            collect(pool.imap(route_pair, tasks, chunksize=64))
    else:
        _init_worker(ports)
        collect(map(route_pair, tasks))
    return pairs, approach


def report(ports, pairs, approach):
    """Print the reference distances, long approach legs and suspiciously short routes."""
    by_pair = {(a, b): distance for a, b, distance, _geometry in pairs}
    for code_a, code_b, expected in REFERENCE_PAIRS:
        key = tuple(sorted((code_a, code_b)))
        if key in by_pair:
            distance = by_pair[key]
            print(
                f"Reference: {code_a}-{code_b} {distance:,.1f} nm (expected about {expected:,.0f} nm, "
                f"{100 * (distance / expected - 1):+.2f} %)"
            )
    long_legs = sorted(((leg, code) for code, leg in approach.items() if leg > LONG_APPROACH_NM), reverse=True)
    for leg, code in long_legs:
        print(f"Note: {code} is {leg:.0f} nm from searoute's network (straight approach leg)")
    short = []
    for code_a, code_b, distance, _geometry in pairs:
        circle = great_circle_nm(ports[code_a], ports[code_b])
        if distance < GREAT_CIRCLE_RATIO * circle:
            short.append((code_a, code_b, distance, circle))
    for code_a, code_b, distance, circle in short:
        print(
            f"WARNING: {code_a}-{code_b} sea route {distance:.1f} nm < {GREAT_CIRCLE_RATIO} x great circle "
            f"{circle:.1f} nm: check these ports' coordinates"
        )
    print(f"Pairs shorter than {GREAT_CIRCLE_RATIO} x great circle: {len(short)}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", default=DEFAULT_CSV, help="ports CSV file (default: %(default)s)")
    parser.add_argument("--output", default=DEFAULT_OUTPUT, help="gzip'd JSON output (default: %(default)s)")
    parser.add_argument("--processes", type=int, default=2, help="worker processes (default: %(default)s)")
    parser.add_argument("--tolerance", type=float, default=0.2, help="Douglas-Peucker tolerance, degrees")
    parser.add_argument("--decimals", type=int, default=2, help="decimals of the geometry's coordinates")
    args = parser.parse_args(argv)

    from importlib.metadata import version

    generator = f"searoute {version('searoute')}"
    ports = read_ports(args.csv)
    total = len(ports) * (len(ports) - 1) // 2
    print(
        f"{len(ports)} ports from {args.csv}: {total} pairs with {generator}, {args.processes} process(es), "
        f"tolerance {args.tolerance} deg, {args.decimals} decimals",
        flush=True,
    )
    started = time.monotonic()
    try:
        pairs, approach = compute(ports, args.tolerance, args.decimals, args.processes)
    except RouteError as exc:
        print(f"ERROR: {exc}", file=sys.stderr)
        print("Fix the coordinates of that port in the CSV file so that searoute can route it.", file=sys.stderr)
        return 1
    seconds = time.monotonic() - started
    if len(pairs) != total:
        print(f"ERROR: {len(pairs)} pairs computed, {total} expected", file=sys.stderr)
        return 1

    data = {
        "generator": generator,
        "units": "nautical miles",
        "ports": {code: [lat, lon] for code, (lat, lon) in sorted(ports.items())},
        "pairs": pairs,
    }
    payload = json.dumps(data, separators=(",", ":")).encode("utf-8")
    tmp = args.output + ".tmp"
    with open(tmp, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=9, mtime=0) as gz:
        gz.write(payload)
    os.replace(tmp, args.output)

    report(ports, pairs, approach)
    points = sum(len(pair[3]) for pair in pairs)
    size = os.path.getsize(args.output)
    print(
        f"Wrote {args.output}: {len(pairs)} pairs, {points / len(pairs):.1f} points per route on average, "
        f"{size:,} bytes = {size / 1e6:.2f} MB ({len(payload) / 1e6:.1f} MB of JSON), routes in {seconds:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
