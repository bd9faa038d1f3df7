"""How often is real, fully transcribed speech wrongly marked "[no transcript …]"?

The marker (``transcribe/coverage.py``) must catch speech Whisper drops without crying wolf on
clean recordings. Over every real clip in ../shared/data/speech, the app's recogniser runs
with the app's settings and the app's voice detection; printed per clip: voiced seconds, words,
stretches marked. Target: no marker on these clips (each has a reference transcript or is
plain speech). The recall side is tested in tests/test_bad_input.py (a dropped stretch).

    python bench/unheard.py [--model tiny.en]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_SPEECH = ROOT.parent / "shared" / "data" / "speech"
AUDIO = {".wav", ".flac", ".mp3", ".m4a", ".ogg", ".opus"}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default="tiny.en")
    args = ap.parse_args()
    if not SHARED_SPEECH.is_dir():
        print(f"no shared speech at {SHARED_SPEECH}; nothing to measure")
        return 0
    sys.path.insert(0, str(ROOT / "desktop"))
    from anonyscribe.media import probe
    from anonyscribe.transcribe.coverage import heard_times, unheard, voiced_times
    from anonyscribe.transcribe.runner import Transcriber

    transcriber = Transcriber(args.model)
    total = marked = 0.0
    count = 0
    for path in sorted(p for p in SHARED_SPEECH.iterdir() if p.suffix in AUDIO):
        duration = probe(path).duration
        transcript = transcriber.transcribe(path)
        voiced = voiced_times(path)
        gaps = unheard(voiced, heard_times(transcript))
        words = sum(len(s.words) for s in transcript.segments)
        total += duration
        count += len(gaps)
        marked += sum(e - s for s, e in gaps)
        print(f"{path.name:52s} {duration:6.1f} s  voiced {sum(e - s for s, e in voiced):6.1f} s"
              f"  words {words:4d}  marked {[(round(s, 1), round(e, 1)) for s, e in gaps]}")
    print(f"TOTAL {total:.0f} s of real speech ({args.model}): {count} stretch(es), "
          f"{marked:.1f} s marked")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
