#!/usr/bin/env python3
"""Regenerate data/communes.tsv and data/territoires.tsv.

Source: the npm package @etalab/decoupage-administratif, pinned below to one
exact version (and to its published sha512 integrity), so that re-running
the script yields byte-identical files. Standard library only.

Usage:
    python3 tools/communes/generate.py                 # runs `npm pack`
    python3 tools/communes/generate.py --tarball X.tgz # uses a tarball already fetched
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
INTEGRITY = (
    "sha512-XavYsFlbcM/prKr8hNHPKER94IHw/dsxNM4nxjWMYk6PLFACpEedvn/"
    "7wK8Baozm0dCYhWWcf+7bcWpA5pmCaQ=="
)

# The Métropole du Grand Paris: its member communes get their EPT (or none,
# for Paris) instead of this EPCI.
MGP_SIREN = "200054781"

KEPT_TYPES = ("commune-actuelle", "arrondissement-municipal")

ROOT = Path(__file__).resolve().parents[2]
OUT_DIR = ROOT / "data"


def fetch(workdir: Path) -> Path:
    """Run `npm pack` in workdir and return the tarball path."""
    spec = f"{PACKAGE}@{VERSION}"
    result = subprocess.run(
        ["npm", "pack", spec, "--json", "--silent"],
        cwd=workdir,
        check=True,
        capture_output=True,
        text=True,
    )
    info = json.loads(result.stdout)
    return workdir / info[0]["filename"]


def check_integrity(tarball: Path) -> None:
    algo, _, expected = INTEGRITY.partition("-")
    digest = hashlib.new(algo, tarball.read_bytes()).digest()
    actual = base64.b64encode(digest).decode("ascii")
    if actual != expected:
        sys.exit(f"empreinte inattendue pour {tarball} : {algo}-{actual}")


def load(tarball: Path, workdir: Path) -> dict[str, list]:
    with tarfile.open(tarball, "r:gz") as tar:
        if hasattr(tarfile, "data_filter"):  # Python >= 3.11.4
            tar.extractall(workdir / "extract", filter="data")
        else:
            tar.extractall(workdir / "extract")
    pkg = workdir / "extract" / "package"
    meta = json.loads((pkg / "package.json").read_text(encoding="utf-8"))
    if meta.get("version") != VERSION:
        sys.exit(f"version inattendue : {meta.get('version')} au lieu de {VERSION}")
    data = {}
    for name in ("communes", "departements", "epci", "ept"):
        data[name] = json.loads((pkg / "data" / f"{name}.json").read_text(encoding="utf-8"))
    return data


def clean(text: str) -> str:
    """A field value that cannot break the TSV layout."""
    value = " ".join(str(text).split())
    if not value:
        raise ValueError("champ vide")
    return value


def build(data: dict[str, list]) -> tuple[list[str], list[str], dict[str, int]]:
    communes = [c for c in data["communes"] if c["type"] in KEPT_TYPES]
    codes = {c["code"] for c in communes}
    if len(codes) != len(communes):
        raise ValueError("codes INSEE en double")

    # Membership: commune code -> (interco code). EPT first, EPCI elsewhere.
    ept_of: dict[str, str] = {}
    for ept in data["ept"]:
        for m in ept["membres"]:
            ept_of[m["code"]] = ept["code"]
    epci_of: dict[str, str] = {}
    for epci in data["epci"]:
        for m in epci["membres"]:
            epci_of[m["code"]] = epci["code"]

    def interco(code: str) -> str:
        epci = epci_of.get(code, "")
        if epci == MGP_SIREN:
            return ept_of.get(code, "")  # Paris: no EPT, so none.
        if code in ept_of:
            raise ValueError(f"{code} membre d'un EPT hors Métropole du Grand Paris")
        return epci

    parents = {c["code"]: c["commune"] for c in communes if c["type"] == "arrondissement-municipal"}
    rows = []
    for c in sorted(communes, key=lambda c: c["code"]):
        code = c["code"]
        parent = parents.get(code, "")
        if parent and parent not in codes:
            raise ValueError(f"{code} : commune parente {parent} absente")
        # Municipal arrondissements share the intercommunality of their city.
        ic = interco(parent or code)
        cps = ",".join(sorted(set(c.get("codesPostaux") or [])))
        rows.append(
            "\t".join(
                [
                    code,
                    clean(c["nom"]),
                    c["departement"],
                    parent,
                    ic,
                    cps,
                    str(int(c.get("population") or 0)),
                ]
            )
        )

    terr = []
    for d in sorted(data["departements"], key=lambda d: d["code"]):
        terr.append(f"DEP\t{d['code']}\t{clean(d['nom'])}")
    for ept in sorted(data["ept"], key=lambda e: e["code"]):
        terr.append(f"EPT\t{ept['code']}\t{clean(ept['nom'])}")
    for epci in sorted(data["epci"], key=lambda e: e["code"]):
        terr.append(f"EPCI\t{epci['code']}\t{clean(epci['nom'])}")

    dep_codes = {d["code"] for d in data["departements"]}
    missing = {c["departement"] for c in communes} - dep_codes
    if missing:
        raise ValueError(f"départements absents : {sorted(missing)}")

    counts = {
        "communes": sum(1 for c in communes if c["type"] == "commune-actuelle"),
        "arrondissements": len(parents),
        "departements": len(data["departements"]),
        "ept": len(data["ept"]),
        "epci": len(data["epci"]),
        "avec_interco": sum(1 for r in rows if r.split("\t")[4]),
    }
    return rows, terr, counts


def write(path: Path, header: str, rows: list[str]) -> None:
    source = f"# source : {PACKAGE} {VERSION} (npm), générée par tools/communes/generate.py"
    text = "\n".join([source, header, *rows]) + "\n"
    path.write_bytes(text.encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tarball", type=Path, help="archive npm déjà téléchargée")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        tarball = args.tarball.resolve() if args.tarball else fetch(workdir)
        check_integrity(tarball)
        rows, terr, counts = build(load(tarball, workdir))

    OUT_DIR.mkdir(exist_ok=True)
    write(
        OUT_DIR / "communes.tsv",
        "#code\tnom\tdepartement\tparent\tinterco\tcodes_postaux\tpopulation",
        rows,
    )
    write(OUT_DIR / "territoires.tsv", "#type\tcode\tnom", terr)

    print(f"{PACKAGE} {VERSION}")
    for name, n in counts.items():
        print(f"  {name} : {n}")
    for name in ("communes.tsv", "territoires.tsv"):
        path = OUT_DIR / name
        print(f"  {path.relative_to(ROOT)} : {path.stat().st_size} octets")


if __name__ == "__main__":
    main()
