#!/usr/bin/env python3
"""Regenerate data/carte.tsv, the outlines the annual report's map draws.

Source: the contours of /work/shared/data/geo/ (see SOURCE.md beside this
script): IGN Admin Express COG 2018 converted by france-geojson, Licence
Ouverte. Kept: every commune of Île-de-France (the association works there)
and every département of metropolitan France (the background of a map, and the
place of a point for a commune without a contour). Coordinates are rounded to
1/1000 of a degree (about 100 m, half a millimetre on the printed map),
simplified (Douglas-Peucker) and written as deltas, so that the file stays a
few hundred kilobytes. Standard library only; the output is sorted, so running
the script twice yields the same bytes.

Usage:
    python3 tools/carte/generate.py                       # reads /work/shared/data/geo
    python3 tools/carte/generate.py --source DOSSIER       # a copy of the same files
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "data" / "carte.tsv"
DEFAULT_SOURCE = Path("/work/shared/data/geo")

# The eight départements of Île-de-France: their communes get a contour.
REGION = ("75", "77", "78", "91", "92", "93", "94", "95")

SCALE = 1000  # units per degree
# Douglas-Peucker tolerance, in units: communes are small, départements large.
TOLERANCE_COMMUNE = 1.2
TOLERANCE_DEPARTEMENT = 3.0

CREDIT = (
    "IGN – Admin Express COG 2018 ; INSEE – Code officiel géographique "
    "(france-geojson 5d34ee6), Licence Ouverte / Open Licence (Etalab)"
)


def quantize(ring):
    out = []
    for lon, lat in ring:
        p = (round(lon * SCALE), round(lat * SCALE))
        if not out or out[-1] != p:
            out.append(p)
    if len(out) > 1 and out[0] == out[-1]:
        out.pop()
    return out


def perpendicular(p, a, b):
    (x, y), (x1, y1), (x2, y2) = p, a, b
    dx, dy = x2 - x1, y2 - y1
    if dx == 0 and dy == 0:
        return ((x - x1) ** 2 + (y - y1) ** 2) ** 0.5
    return abs(dy * x - dx * y + x2 * y1 - y2 * x1) / (dx * dx + dy * dy) ** 0.5


def douglas_peucker(points, tolerance):
    """Iterative Douglas-Peucker on an open polyline (first and last kept)."""
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        best, index = 0.0, None
        for i in range(first + 1, last):
            d = perpendicular(points[i], points[first], points[last])
            if d > best:
                best, index = d, i
        if index is not None and best > tolerance:
            keep[index] = True
            stack.append((first, index))
            stack.append((index, last))
    return [p for p, k in zip(points, keep) if k]


def simplify(ring, tolerance):
    """A closed ring simplified, split at its farthest point from the start so
    that both halves are open polylines; tiny rings are kept as they are."""
    if len(ring) <= 4:
        return ring
    far = max(range(len(ring)), key=lambda i: (ring[i][0] - ring[0][0]) ** 2 + (ring[i][1] - ring[0][1]) ** 2)
    a = douglas_peucker(ring[: far + 1], tolerance)
    b = douglas_peucker(ring[far:] + [ring[0]], tolerance)
    out = a[:-1] + b[:-1]
    return out if len(out) >= 3 else ring


def encode(ring):
    """`x,y` of the first point, then `dx,dy` of each next one."""
    parts = [f"{ring[0][0]},{ring[0][1]}"]
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        parts.append(f"{x1 - x0},{y1 - y0}")
    return " ".join(parts)


def outer_rings(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [poly[0] for poly in geometry["coordinates"]]
    raise SystemExit(f"géométrie inattendue : {geometry['type']}")


def area(ring):
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1]))) / 2


def rings_of(feature, tolerance):
    """Outer rings only (holes are not drawn: a shaded commune covers them)."""
    rings = []
    for ring in outer_rings(feature["geometry"]):
        q = simplify(quantize(ring), tolerance)
        if len(q) >= 3 and area(q) > 0:
            rings.append(q)
    rings.sort(key=lambda r: -area(r))
    return rings


def load(path: Path):
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return json.load(f)["features"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    args = parser.parse_args()

    lines = []
    for feat in load(args.source / "departements-version-simplifiee.geojson.gz"):
        code = feat["properties"]["code"]
        rings = rings_of(feat, TOLERANCE_DEPARTEMENT)
        lines.append(("D", code, feat["properties"]["nom"], rings))
    communes = 0
    for dep in REGION:
        [path] = sorted(args.source.glob(f"communes/communes-{dep}-*.geojson.gz"))
        for feat in load(path):
            rings = rings_of(feat, TOLERANCE_COMMUNE)
            if rings:
                lines.append(("C", feat["properties"]["code"], feat["properties"]["nom"], rings))
                communes += 1
    lines.sort(key=lambda l: (l[0] != "D", l[1]))

    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write(f"# source : {CREDIT} ; générée par tools/carte/generate.py\n")
        f.write("#type\tcode\tnom\tanneaux (x,y puis dx,dy en millièmes de degré ; anneaux séparés par |)\n")
        for kind, code, nom, rings in lines:
            f.write(f"{kind}\t{code}\t{nom}\t{'|'.join(encode(r) for r in rings)}\n")
    deps = sum(1 for l in lines if l[0] == "D")
    points = sum(len(r) for l in lines for r in l[3])
    print(f"{OUT.relative_to(ROOT)} : {deps} départements, {communes} communes, {points} points, {OUT.stat().st_size} octets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
