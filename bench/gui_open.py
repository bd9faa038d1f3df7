"""How fast the review screen opens and answers a key on a 2-hour interview.

Builds a synthetic transcript (about 20,000 words in 600 turns, 1,500 findings) in a temporary
study, then times, in one run:
  * opening the ReviewWidget until the transcript is shown and painted once  (target < 1 s)
  * one accept from the keyboard, including the atomic save and the redraw   (target < 50 ms)
and, side by side, what an accept would cost with a full re-render instead of one turn.

    python bench/gui_open.py [--turns 600] [--words 20000] [--findings 1500] [--accepts 30]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEvent, QObject, Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from anonyscribe.core.model import (  # noqa: E402
    Finding,
    RecordingInfo,
    Segment,
    Speaker,
    Transcript,
    Word,
)
from anonyscribe.core.study import RecordingEntry, Study  # noqa: E402
from anonyscribe.gui.review import ReviewWidget  # noqa: E402

FILLER = [
    "so", "we", "were", "talking", "about", "the", "ward", "and", "how", "the", "team",
    "manages", "the", "shifts", "when", "someone", "is", "off", "sick", "it", "is", "hard",
    "because", "you", "know", "the", "patients", "still", "need", "care", "and", "we", "try",
    "to", "keep", "everyone", "safe", "but", "sometimes", "it", "just", "does", "not", "work",
]
FIRST = ["Sarah", "James", "Priya", "Tom", "Aisha", "Gareth", "Mei", "Oluwaseun", "Hannah",
         "David", "Fatima", "Liam", "Grace", "Kwame", "Ruth", "Marek", "Zoe", "Imran"]
LAST = ["Thompson", "Patel", "Okafor", "Jones", "Nowak", "Ahmed", "Smith", "Chen", "Walsh"]
PLACES = ["Leeds", "Bradford", "Wakefield", "Harrogate", "Huddersfield", "Halifax", "York"]
ORGS = ["Leeds Teaching Hospitals", "St James's University Hospital", "Airedale NHS Trust",
        "Mid Yorkshire Hospitals", "Bradford Royal Infirmary"]
ROLES = ["ward manager", "staff nurse", "matron", "healthcare assistant", "consultant"]


def synthetic(turns: int, words: int, findings: int, seed: int = 7
              ) -> tuple[Transcript, list[Finding]]:
    """A long interview with identifiers sprinkled through it, like a real one."""
    rng = random.Random(seed)
    per_turn = words // turns
    per_find = findings / turns
    segments: list[Segment] = []
    flags: list[Finding] = []
    t = 0.0
    owed = 0.0
    for i in range(turns):
        owed += per_find
        n_find = int(owed)
        owed -= n_find
        pieces: list[tuple[str, str | None]] = [(w, None) for w in
                                                 rng.choices(FILLER, k=per_turn - 2 * n_find)]
        for _ in range(n_find):
            kind = rng.random()
            if kind < 0.5:
                item = (f"{rng.choice(FIRST)} {rng.choice(LAST)}", "PERSON")
            elif kind < 0.7:
                item = (rng.choice(PLACES), "LOCATION")
            elif kind < 0.85:
                item = (rng.choice(ORGS), "ORGANISATION")
            else:
                item = (rng.choice(ROLES), "ROLE")
            pieces.insert(rng.randrange(len(pieces) + 1), item)
        text_parts: list[str] = []
        word_list: list[Word] = []
        pos = 0
        for chunk, type_ in pieces:
            if text_parts:
                pos += 1
            start = pos
            text_parts.append(chunk)
            pos += len(chunk)
            if type_:
                flags.append(Finding(segment_id=i, start=start, end=pos, type=type_,
                                     text=chunk, score=0.85, source="bench"))
            for w in chunk.split():
                word_list.append(Word(" " + w, t, t + 0.3))
                t += 0.36
        segments.append(Segment(id=i, start=segments[-1].end + 0.4 if segments else 0.0,
                                end=t, text=" ".join(text_parts),
                                speaker="S1" if i % 2 else "S2", words=word_list))
        t += 0.4
    transcript = Transcript(recording=RecordingInfo(name="bench.m4a", duration=t),
                            segments=segments,
                            speakers=[Speaker("S1", "Speaker 1"), Speaker("S2", "Speaker 2")])
    return transcript, flags


class FirstPaint(QObject):
    """Notes when the transcript's viewport has been painted once."""

    def __init__(self) -> None:
        super().__init__()
        self.at: float | None = None

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint and self.at is None:
            self.at = time.perf_counter()
        return False


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--turns", type=int, default=600)
    ap.add_argument("--words", type=int, default=20000)
    ap.add_argument("--findings", type=int, default=1500)
    ap.add_argument("--accepts", type=int, default=30)
    args = ap.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)

    with tempfile.TemporaryDirectory(prefix="anonyscribe-bench-") as tmp:
        study = Study.open(Path(tmp) / "study")
        transcript, flags = synthetic(args.turns, args.words, args.findings)
        study.recordings["rec-bench"] = RecordingEntry("rec-bench", "bench.m4a", "")
        study.save_transcript("rec-bench", transcript)
        study.save_findings("rec-bench", flags)
        study.save()
        size_kb = (study.folder("rec-bench") / "findings.json").stat().st_size / 1024
        print(f"transcript: {len(transcript.segments)} turns, {transcript.word_count()} words, "
              f"{len(flags)} findings (findings.json {size_kb:.0f} KB)")

        paint = FirstPaint()
        t0 = time.perf_counter()
        w = ReviewWidget(study, "rec-bench")
        w.view.viewport().installEventFilter(paint)
        w.resize(1280, 800)
        w.show()
        while paint.at is None and time.perf_counter() - t0 < 30:
            app.processEvents()
        opened = (paint.at or time.perf_counter()) - t0

        w.activateWindow()
        w.view.setFocus()
        for _ in range(20):
            app.processEvents()
        walls, cpus = [], []
        for _ in range(args.accepts):
            t, c = time.perf_counter(), time.process_time()
            QTest.keyClick(w.view, Qt.Key.Key_A)
            app.processEvents()
            walls.append(time.perf_counter() - t)
            cpus.append(time.process_time() - c)
        decided, _ = w.session.counts()
        if decided != args.accepts:
            print(f"ERROR: {decided} decided after {args.accepts} key presses", file=sys.stderr)
            return 1

        session_op = []  # the Qt-free part of an accept: decision + atomic save
        for f in w.session.pending()[:10]:
            t = time.perf_counter()
            old = w.session.set_decision([f.id], "accepted")
            session_op.append(time.perf_counter() - t)
            w.session.restore_decisions(old)
        undos = []
        for _ in range(min(10, args.accepts)):
            t = time.perf_counter()
            w.undo_stack.undo()
            app.processEvents()
            undos.append(time.perf_counter() - t)
        t = time.perf_counter()
        w.view.load(w.session)
        app.processEvents()
        full_render = time.perf_counter() - t

        accept, med = statistics.median(walls), statistics.median
        print(f"open until first paint : {opened * 1000:7.1f} ms   target 1000 ms   "
              f"ratio {opened / 1.0:.2f}")
        print(f"one accept (median)    : {accept * 1000:7.1f} ms   target   50 ms   "
              f"ratio {accept / 0.05:.2f}   (max {max(walls) * 1000:.1f} ms, "
              f"CPU {med(cpus) * 1000:.1f} ms)")
        print(f"  session op incl save : {med(session_op) * 1000:7.1f} ms")
        print(f"  one undo (median)    : {med(undos) * 1000:7.1f} ms")
        print(f"full re-render instead : {full_render * 1000:7.1f} ms   "
              f"({full_render / accept:.1f}x one incremental accept)")
        w.close()
        study.close()
        ok = opened < 1.0 and accept < 0.05
        print("PASS" if ok else "SLOWER THAN TARGET")
        return 0 if ok else 2


if __name__ == "__main__":
    raise SystemExit(main())
