"""Derive compact given-name and surname lists from the ``names-dataset`` package.

Run from the repository root with the wheel unpacked or installed (build time only)::

    pip download --no-deps names-dataset==3.3.1 && unzip names_dataset-3.3.1-*.whl -d /tmp/nd
    python scripts/build_names.py --source /tmp/nd/names_dataset/v3

names-dataset 3.3.1 (Philippe Remy; MIT in its metadata, Apache-2.0 in its LICENSE file) holds
first and last names with per-country popularity ranks for 105 countries. Its author built it
from the 2021 Facebook scrape of 533M accounts; we keep only aggregate knowledge - a name
string that is common (in the top ``--rank`` of at least one country), never a person, a
count or a country - so the derived lists identify nobody. English words are left out (they
stay ambiguous names handled by context), as are one-letter and non-Latin entries.

Writes resources/terms/first_names_world.txt.gz and resources/terms/surnames_world.txt.gz.
"""

from __future__ import annotations

import argparse
import gzip
import pickle
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "terms"
_LATIN = re.compile(r"^[A-Za-z\u00C0-\u024F][A-Za-z\u00C0-\u024F'’-]+$")


def english_words() -> set[str]:
    words: set[str] = set()
    with gzip.open(OUT / "english_words.txt.gz", "rt", encoding="utf-8") as fh:
        words.update(w.strip() for w in fh if w.strip())
    return words


def common(names: dict, rank: int, english: set[str]) -> list[str]:
    out = set()
    for name, attrs in names.items():
        ranks = attrs.get("rank") or {}
        if not ranks or min(ranks.values()) > rank:
            continue
        if not _LATIN.match(name) or len(name) < 2:
            continue
        low = name.casefold()
        if low in english:
            continue
        out.add(low)
    return sorted(out)


def write(path: Path, names: list[str], source: str) -> None:
    with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as fh:
        fh.write(f"# {source}\n")
        fh.write("\n".join(names) + "\n")
    print(f"{path.relative_to(ROOT)}: {len(names)} names")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", type=Path, required=True,
                    help="folder holding first_names.pkl.gz and last_names.pkl.gz")
    ap.add_argument("--rank", type=int, default=2000,
                    help="keep a name in the top RANK of at least one country")
    args = ap.parse_args()
    english = english_words()
    note = ("derived by scripts/build_names.py from names-dataset 3.3.1 (top {} of a "
            "country; English words left out)")
    for src, dst in (("first_names.pkl.gz", "first_names_world.txt.gz"),
                     ("last_names.pkl.gz", "surnames_world.txt.gz")):
        with gzip.open(args.source / src, "rb") as fh:
            data = pickle.load(fh)  # noqa: S301 - a pinned, known package file, build time only
        write(OUT / dst, common(data, args.rank, english), note.format(args.rank))
        del data
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
