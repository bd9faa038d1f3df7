"""Annotated interview transcripts read as text sources: are turns, speakers and identifiers
kept? (dev set and held-out set side by side; the reader was tuned on neither).

Each annotated file (one turn per line, ``{{TYPE:surface}}`` marks) is written out raw as a .txt
and read by ``sources.read_source`` as the app reads a transcript. Measured:

* turns: files whose turns come back exactly (count, label, text); turn-level share;
* labels: speaker labels that are names (files using first names) found for always-redact;
* recall: gold identifiers covered by a finding after ``Detector.detect_transcript`` on the
  source's transcript, a speaker-label name counting as covered when it is on the names list;
  beside it the same detector on the raw text, so the reader's own loss shows.

    python bench/text_sources.py [--set DIR ...]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "desktop"))

MARK = re.compile(r"\{\{([A-Z_]+):([^{}]*)\}\}")
LABEL = re.compile(r"^(?:\[\d{1,2}:\d{2}(?::\d{2})?\]\s+)?([^:\n]{1,40}):\s+")
SETS = [HERE.parent.parent / "shared" / "data" / "pii" / "dev",
        HERE.parent / "tests" / "data" / "pii_heldout"]


def strip(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Raw text and gold (start, end, type) spans in it."""
    out, gold, pos, last = [], [], 0, 0
    for m in MARK.finditer(text):
        out.append(text[last:m.start()])
        pos += m.start() - last
        gold.append((pos, pos + len(m.group(2)), m.group(1)))
        out.append(m.group(2))
        pos += len(m.group(2))
        last = m.end()
    out.append(text[last:])
    return "".join(out), gold


def measure(folder: Path, detector, work: Path) -> dict[str, float]:
    from anonyscribe.sources import read_source
    from anonyscribe.sources.common import shown_label as shown

    files = sorted(folder.glob("*.txt"))
    exact = turns_ok = turns_all = 0
    caught = caught_raw = total = 0
    label_names = label_found = 0
    for f in files:
        raw, gold = strip(f.read_text(encoding="utf-8"))
        path = work / f.name
        path.write_text(raw, encoding="utf-8")
        result = read_source(path)
        t = result.transcript
        lines = [ln.strip() for ln in raw.split("\n") if ln.strip()]
        expected = []
        for ln in lines:
            m = LABEL.match(ln)
            # labels as the app shows them: Teams' "Surname, Forename" reads "Forename Surname"
            expected.append((shown(m.group(1).strip()), ln[m.end():]) if m else ("Text", ln))
        got = [(t.speaker_label(s.speaker), s.text) for s in t.segments]
        ok = sum(1 for a, b in zip(got, expected, strict=False) if a == b)
        turns_ok += ok
        turns_all += len(expected)
        exact += int(got == expected)
        # gold identifiers: in a label (a name label) or in a turn's text
        findings = detector.detect_transcript(t)
        spans = detector.detect_text(raw)
        names = {n.casefold() for n in result.names}
        line_at = 0
        seg_of = {}
        for k, ln in enumerate(raw.split("\n")):
            seg_of[k] = line_at
            line_at += len(ln) + 1
        for start, end, _type in gold:
            total += 1
            caught_raw += any(s.start < end and start < s.end for s in spans)
            k = raw.count("\n", 0, start)
            line = raw.split("\n")[k]
            col = start - seg_of[k]
            m = LABEL.match(line)
            if m and col < m.end():
                label_names += 1
                hit = raw[start:end].casefold() in names
                label_found += hit
                caught += hit
                continue
            text_col = col - (m.end() if m else 0)
            idx = [i for i, ln in enumerate(lines) if ln == line.strip()]
            if not idx:
                continue
            seg = t.segments[idx[0]] if idx[0] < len(t.segments) else None
            if seg is None:
                continue
            caught += any(fd.segment_id == seg.id and fd.start < text_col + end - start
                          and text_col < fd.end for fd in findings)
    return {"files": len(files), "exact_files": exact, "turns": turns_ok / max(1, turns_all),
            "recall_source": caught / max(1, total), "recall_raw": caught_raw / max(1, total),
            "label_names": label_names, "label_names_found": label_found, "gold": total}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", type=Path, action="append", default=None)
    args = ap.parse_args()
    from anonyscribe.detect.engine import Detector

    detector = Detector()
    work = Path(tempfile.mkdtemp(prefix="anonyscribe-bench-text-"))
    for folder in args.set or SETS:
        if not folder.is_dir():
            print(f"{folder}: not found, skipped")
            continue
        r = measure(folder, detector, work)
        print(f"{folder.name:<12} files {r['files']:>3}  exact turns {r['exact_files']:>3}  "
              f"turns {r['turns']:.3f}  label names found {r['label_names_found']}/"
              f"{r['label_names']}  recall as source {r['recall_source']:.3f}  "
              f"raw text {r['recall_raw']:.3f}  (gold {r['gold']})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
