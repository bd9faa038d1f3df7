"""Do names the study knows, passed as faster-whisper hotwords, get spelled right and found?

    python bench/hotwords.py [--model tiny.en] [--voice en-gb+m3]

Makes a short espeak-ng clip that says two rare names, saves it under a file name that holds
them ("Interview with Siobhan Kowalczyk.wav", as Teams and researchers name recordings), then
transcribes it twice with the app's settings: without hotwords, and with ``processing.hotwords``
(the names detected in the file name). Prints each transcript, whether each name is spelled as
in the file name, and whether detection flags it. Synthetic speech: a check of the mechanism,
not a word error rate.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "desktop"))

NAMES = ("Siobhan", "Kowalczyk")
SCRIPT = ("Hello Siobhan Kowalczyk, thank you for joining us today. Siobhan, could you tell "
          "me about your work on the ward? Thank you, Kowalczyk is a lovely name.")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default="tiny.en")
    ap.add_argument("--voice", default="en-gb+m3")
    args = ap.parse_args(argv)

    from anonyscribe.core.study import RecordingEntry, Study
    from anonyscribe.processing import Engines, hotwords
    from anonyscribe.transcribe.runner import Transcriber

    with tempfile.TemporaryDirectory() as tmp:
        clip = Path(tmp) / f"Interview with {' '.join(NAMES)}.wav"
        subprocess.run(["espeak-ng", "-v", args.voice, "-s", "150", "-w", str(clip), SCRIPT],
                       check=True, capture_output=True)
        study = Study(Path(tmp) / "study")  # an empty study: only the file name is known
        engines = Engines(model=args.model, speakers="none")
        entry = RecordingEntry(id="r1", name=clip.name, path=str(clip))
        words = hotwords(study, entry, engines)
        tr = Transcriber(args.model)
        for label, vocab in (("without hotwords", []), ("with hotwords", words)):
            tr.vocabulary = list(vocab)
            text = " ".join(s.text for s in tr.transcribe(clip).segments)
            found = {s.text for s in engines.detector.detect_text(text) if s.type == "PERSON"}
            print(f"\n{label} {vocab}:\n  {text}\n  flagged as PERSON: {sorted(found)}")
            for name in NAMES:
                spelled = name.casefold() in text.casefold()
                flagged = any(name.casefold() in f.casefold() for f in found)
                print(f"  {name}: spelled right {spelled}, flagged {flagged}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
