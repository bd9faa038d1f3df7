"""Write the Teams transcript fixtures in this folder (run once; the outputs are committed).

All six describe the same real conversation, shared/data/speech/pyannote_sample.wav (its
reference .stm: who says what, when), in each layout Microsoft Teams has used, with Teams'
clock shifted from the recording's as happens when transcription starts before or after the
recording. The names are made up for the fixture ("Diane Kowalski", "Sheila Brennan").

    python tests/data/teams/make_fixtures.py
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent

# (speaker, start, end, text) from pyannote_sample.stm (recording clock).
DIALOGUE = [
    ("D", 6.68, 7.16, "Hello?"),
    ("S", 7.634, 8.155, "Hello?"),
    ("D", 8.436, 8.876, "Oh, hello."),
    ("D", 8.916, 9.798, "I didn't know you were there."),
    ("S", 9.838, 10.78, "Neither did I."),
    ("D", 10.78, 12.54, "Okay, then I thought you know, I heard a beep."),
    ("D", 12.542, 14.184, "This is Diane in New Jersey."),
    ("S", 14.444, 17.769, "And I'm Sheila in Texas, originally from Chicago."),
    ("D", 17.789, 20.113, "Oh, I'm originally from Chicago also."),
    ("D", 20.173, 21.475, "I'm in New Jersey now though."),
    ("S", 21.935, 23.978, "Well, there isn't that much difference."),
    ("S", 24.058, 28.425,
     "At least you know, they all call me a Yankee down here, so what can I say?"),
    ("D", 28.445, 29.987, "Oh, I don't hear that in New Jersey now."),
]
FULL = {"D": "Diane Kowalski", "S": "Sheila Brennan"}
SURNAME_FIRST = {"D": "Kowalski, Diane", "S": "BRENNAN, Sheila (Northfield NHS Trust)"}
GUID = "8b1c6a3e-2f4d-4c8a-9e51-3f0c7d2a1b90"

# Seconds to add to the recording's clock to get Teams' clock, per fixture.
SHIFTS = {"new": -4.0, "classic": 2.5, "plain": 0.0, "negative": -8.0,
          "docx_new": -4.0, "docx_classic": 3.0}


def stamp(t: float, padded: bool = True, comma: bool = False) -> str:
    sign = "-" if t < 0 else ""
    t = abs(t)
    h, rem = divmod(t, 3600)
    m, s = divmod(rem, 60)
    if padded:
        text = f"{sign}{int(h):02d}:{int(m):02d}:{s:06.3f}"
    else:
        text = f"{sign}{int(h)}:{int(m)}:{s:.3f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if comma else text


def new_vtt() -> str:
    """New Teams: GUID cue ids, <v Full Name> tags, one merged two-voice cue."""
    shift = SHIFTS["new"]
    out = ["WEBVTT", ""]
    k = 0
    rows = list(DIALOGUE)
    while rows:
        who, a, b, text = rows.pop(0)
        k += 1
        out.append(f"{GUID}/{k}-0")
        if k == 2 and rows:  # Teams sometimes packs a quick exchange into one cue
            who2, a2, b2, text2 = rows.pop(0)
            out.append(f"{stamp(a + shift)} --> {stamp(b2 + shift)}")
            out.append(f"<v {FULL[who]}>{text}</v> <v {FULL[who2]}>{text2}</v>")
        else:
            out.append(f"{stamp(a + shift)} --> {stamp(b + shift)}")
            out.append(f"<v {FULL[who]}>{text}</v>")
        out.append("")
    return "\n".join(out)


def classic_vtt() -> str:
    """Classic Teams / Stream: NOTE blocks, un-padded times, "Surname, Forename" voices."""
    shift = SHIFTS["classic"]
    out = ["WEBVTT", "", 'NOTE duration:"00:00:30.0000000"', "", "NOTE language:en-gb", ""]
    for k, (who, a, b, text) in enumerate(DIALOGUE):
        out += [f"NOTE Confidence: 0.{90 - k}", "", f"{GUID}-{k}",
                f"{stamp(a + shift, padded=False)} --> {stamp(b + shift, padded=False)}",
                f"<v {SURNAME_FIRST[who]}>{text}</v>", ""]
    return "\n".join(out)


def plain_vtt() -> str:
    """No voice tags: "Name: text" lines, comma decimals, CRLF and a byte-order mark."""
    out = ["WEBVTT", ""]
    for k, (who, a, b, text) in enumerate(DIALOGUE, start=1):
        out += [str(k), f"{stamp(a, comma=True)} --> {stamp(b, comma=True)} align:start",
                f"{FULL[who]}: {text}", ""]
    return "\ufeff" + "\r\n".join(out)


def negative_vtt() -> str:
    """Teams' clock started after the recording: the first cues have negative times."""
    shift = SHIFTS["negative"]
    out = ["WEBVTT", ""]
    for who, a, b, text in DIALOGUE:
        out += [f"{stamp(a + shift)} --> {stamp(b + shift)}", f"<v.loud {FULL[who]}>{text}", ""]
    return "\n".join(out)


def docx_new(path: Path) -> None:
    """New Teams .docx: title, date, "Name   0:03" headers each followed by the text."""
    import docx

    shift = SHIFTS["docx_new"]
    d = docx.Document()
    d.add_paragraph("Interview with Diane Kowalski-20231012_140512-Meeting Recording")
    d.add_paragraph("October 12, 2023, 2:05PM")
    d.add_paragraph("30s")
    d.add_paragraph("Diane Kowalski started transcription")
    for who, a, _b, text in DIALOGUE:
        t = max(0, int(a + shift))
        d.add_paragraph(f"{FULL[who]}   {t // 60}:{t % 60:02d}")
        d.add_paragraph(text)
    d.add_paragraph("Diane Kowalski stopped transcription")
    d.core_properties.author = "fixture"
    d.save(str(path))


def docx_classic(path: Path) -> None:
    """Classic Teams .docx: one paragraph per cue, "start --> end", name, text on lines."""
    import docx

    shift = SHIFTS["docx_classic"]
    d = docx.Document()
    for who, a, b, text in DIALOGUE:
        span = f"{stamp(a + shift, padded=False)} --> {stamp(b + shift, padded=False)}"
        p = d.add_paragraph(span)
        run = p.runs[0]
        run.add_break()
        run.add_text(SURNAME_FIRST[who])
        run.add_break()
        run.add_text(text)
    d.core_properties.author = "fixture"
    d.save(str(path))


def main() -> None:
    (HERE / "teams_new.vtt").write_text(new_vtt(), encoding="utf-8", newline="")
    (HERE / "teams_classic.vtt").write_text(classic_vtt(), encoding="utf-8", newline="")
    (HERE / "teams_plain.vtt").write_text(plain_vtt(), encoding="utf-8", newline="")
    (HERE / "teams_negative.vtt").write_text(negative_vtt(), encoding="utf-8", newline="")
    docx_new(HERE / "teams_new.docx")
    docx_classic(HERE / "teams_classic.docx")


if __name__ == "__main__":
    main()
