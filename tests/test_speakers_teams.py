"""Teams transcripts: every layout parses, labels our turns with the right names (real audio,
real tiny.en words, Teams' clock shifted), and every name reaches the always-redact list."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from anonyscribe.speakers import SpeakerError, label_turns
from anonyscribe.speakers.teams import (
    TeamsFormatError,
    display_name,
    estimate_offset,
    find_teams_transcript,
    meeting_title,
    names_for_always_list,
    names_in_title,
    parse_time,
    parse_vtt,
    read_teams_transcript,
)

TEAMS = Path(__file__).resolve().parent / "data" / "teams"
FIXTURES = ["teams_new.vtt", "teams_classic.vtt", "teams_plain.vtt", "teams_negative.vtt",
            "teams_new.docx", "teams_classic.docx"]
# Teams' clock minus the recording's, as written by tests/data/teams/make_fixtures.py
SHIFTS = {"teams_new.vtt": -4.0, "teams_classic.vtt": 2.5, "teams_plain.vtt": 0.0,
          "teams_negative.vtt": -8.0, "teams_new.docx": -4.0, "teams_classic.docx": 3.0}
RECORDING = "Interview with Diane Kowalski-20231012_140512-Meeting Recording"


def stm_words(stm: Path) -> list[tuple[float, float, str]]:
    rows = []
    for line in stm.read_text(encoding="utf-8").splitlines():
        _uri, _ch, who, a, b, *_ = line.split()
        rows.append((float(a), float(b), who))
    return rows


def true_speaker(rows: list[tuple[float, float, str]], t: float) -> str | None:
    hits = [who for a, b, who in rows if a - 0.2 <= t <= b + 0.2]
    return hits[0] if len(set(hits)) == 1 else None


@pytest.fixture(scope="module")
def sample_transcript(tiny_transcriber, shared_speech_dir):  # noqa: ANN001, ANN201
    """The real two-speaker clip through real tiny.en (words with times)."""
    return tiny_transcriber.transcribe(shared_speech_dir / "pyannote_sample.wav")


# -- parsing -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", FIXTURES)
def test_every_layout_gives_cues_names_and_times(name: str) -> None:
    t = read_teams_transcript(TEAMS / name)
    assert len(t.cues) == 13
    assert [display_name(s) for s in t.speakers] == ["Diane Kowalski", "Sheila Brennan"]
    first = t.cues[0]
    assert first.text == "Hello?"
    # docx headers round to whole seconds
    assert first.start == pytest.approx(6.68 + SHIFTS[name], abs=1.0 if "new.docx" in name
                                        else 0.01)
    assert all(c.end >= c.start for c in t.cues)


def test_times_in_every_spelling() -> None:
    assert parse_time("01:02:03.450") == pytest.approx(3723.45)
    assert parse_time("1:2:3,45") == pytest.approx(3723.45)
    assert parse_time("02:03.4") == pytest.approx(123.4)
    assert parse_time("-00:00:01.200") == pytest.approx(-1.2)
    assert parse_time("7.5") == pytest.approx(7.5)
    with pytest.raises(ValueError):
        parse_time("ab:cd")


def test_vtt_details_notes_tags_entities_and_voices() -> None:
    text = ("WEBVTT\nNOTE made by hand\n\nNOTE\nmulti-line\ncomment\n\n"
            "abc-1\n00:00:01.000 --> 00:00:03.000 position:10%\n"
            "<v Smith, Jane><i>Fish</i> &amp; chips</v>\n\n"
            "00:00:03.000 --> 00:00:05.000\n<v Jo>Yes.</v> <v Al>No!</v>\n\n"
            "00:00:05.000 --> 00:00:06.000\n\n")
    cues = parse_vtt(text)
    assert [(c.speaker, c.text) for c in cues] == [
        ("Smith, Jane", "Fish & chips"), ("Jo", "Yes."), ("Al", "No!")]
    assert cues[1].end == pytest.approx(cues[2].start)  # two voices share one cue's time
    assert display_name("Smith, Jane") == "Jane Smith"


def test_bad_files_say_which_file_and_what_to_do(tmp_path: Path) -> None:
    empty = tmp_path / "x.vtt"
    empty.write_text("WEBVTT\n\n", encoding="utf-8")
    with pytest.raises(TeamsFormatError, match=r"x\.vtt.*no captions"):
        read_teams_transcript(empty)
    broken = tmp_path / "y.vtt"
    broken.write_text("WEBVTT\n\n00:00:xx --> 00:00:02.000\nHi\n", encoding="utf-8")
    with pytest.raises(TeamsFormatError, match=r"y\.vtt.*time line"):
        read_teams_transcript(broken)
    fake = tmp_path / "z.docx"
    fake.write_bytes(b"not a zip")
    with pytest.raises(TeamsFormatError, match=r"z\.docx.*not a Word transcript"):
        read_teams_transcript(fake)


# -- finding and names -------------------------------------------------------------------------

def test_find_transcript_beside_recording(tmp_path: Path) -> None:
    rec = tmp_path / f"{RECORDING}.mp4"
    rec.write_bytes(b"x")
    assert find_teams_transcript(rec) is None
    teams = tmp_path / "Interview with Diane Kowalski - Transcript.docx"
    teams.write_bytes(b"x")
    assert find_teams_transcript(rec) == teams
    same = tmp_path / f"{RECORDING}.vtt"
    same.write_bytes(b"x")
    assert find_teams_transcript(rec) == same  # the exact name wins, .vtt before .docx
    (tmp_path / "Other meeting - Transcript.vtt").write_bytes(b"x")
    other = tmp_path / "Another-20231012_140512-Meeting Recording.mp4"
    other.write_bytes(b"x")
    assert find_teams_transcript(other) is None  # never another meeting's transcript


def test_names_from_teams_and_titles_go_to_always_list() -> None:
    teams = read_teams_transcript(TEAMS / "teams_classic.vtt")
    names = names_for_always_list(teams, f"{RECORDING}.mp4")
    for expected in ("Kowalski, Diane", "Diane Kowalski", "BRENNAN, Sheila", "Sheila Brennan",
                     "Diane", "Kowalski", "Sheila"):
        assert any(n.casefold() == expected.casefold() for n in names), (expected, names)
    assert not any("Trust" in n or n.casefold() == "interview" for n in names)
    assert len({n.casefold() for n in names}) == len(names)


def test_names_in_meeting_titles() -> None:
    assert meeting_title(f"{RECORDING}.mp4") == "Interview with Diane Kowalski"
    assert names_in_title(f"{RECORDING}.mp4") == ["Diane Kowalski"]
    assert names_in_title("Focus group 3 - Ward 7 nurses") == []
    assert names_in_title("P07 interview with Dr Amira O'Neill-Smith") == ["Amira O'Neill-Smith"]
    assert names_for_always_list(None, "Weekly sync-20240101_090000-Meeting Recording.mp4") == []
    # a first name that is also a common word is kept whole, never alone
    assert names_for_always_list(None, "Catch up with Will Turner.m4a") == ["Will Turner",
                                                                            "Turner"]


# -- aligning and labelling on real audio ------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("name", FIXTURES)
def test_teams_labels_real_turns_with_shifted_clock(name: str, sample_transcript,  # noqa: ANN001
                                                    shared_speech_dir: Path,
                                                    tmp_path: Path) -> None:
    teams = read_teams_transcript(TEAMS / name)
    offset = estimate_offset(sample_transcript, teams.cues)
    if name == "teams_new.docx":  # headers are whole seconds, cut down: +0.5 s on average
        assert offset == pytest.approx(-SHIFTS[name] + 0.5, abs=0.5)
    else:
        assert offset == pytest.approx(-SHIFTS[name], abs=0.3)

    rec = tmp_path / f"{RECORDING}.wav"
    shutil.copy(shared_speech_dir / "pyannote_sample.wav", rec)
    shutil.copy(TEAMS / name, tmp_path / f"{RECORDING}{Path(name).suffix}")
    result = label_turns(sample_transcript, rec)
    assert result.method == "teams"
    out = result.transcript
    assert {sp.label for sp in out.speakers} == {"Diane Kowalski", "Sheila Brennan"}
    assert [s.id for s in out.segments] == list(range(len(out.segments)))
    assert len(out.segments) >= 6  # the conversation alternates: many turns, not one
    # our words, Teams' names: nearly every word carries its true speaker
    truth = stm_words(shared_speech_dir / "pyannote_sample.stm")
    label = {sp.id: sp.label.split()[0] for sp in out.speakers}
    checked = right = 0
    for seg in out.segments:
        for w in seg.words:
            who = true_speaker(truth, (w.start + w.end) / 2)
            if who is not None:
                checked += 1
                right += label[seg.speaker] == who
    assert checked > 40 and right / checked >= 0.9, (right, checked)
    # our text is kept, not Teams'
    assert "".join(s.text for s in out.segments).replace(" ", "") == \
        "".join(s.text for s in sample_transcript.segments).replace(" ", "")
    assert "Diane Kowalski" in result.names and "Sheila" in result.names


@pytest.mark.slow
def test_teams_text_only_when_chosen(sample_transcript, shared_speech_dir: Path,  # noqa: ANN001
                                     tmp_path: Path) -> None:
    rec = tmp_path / "call.wav"
    shutil.copy(shared_speech_dir / "pyannote_sample.wav", rec)
    shutil.copy(TEAMS / "teams_new.vtt", tmp_path / "call.vtt")
    theirs = label_turns(sample_transcript, rec, mode="teams", use_teams_text=True).transcript
    assert "I'm Sheila in Texas, originally from Chicago." in " ".join(
        s.text for s in theirs.segments)
    first = theirs.segments[0]
    assert first.start == pytest.approx(6.68, abs=0.3) and first.words == []


def test_teams_mode_without_transcript_says_what_to_do(tmp_path: Path) -> None:
    from anonyscribe.core.model import RecordingInfo, Segment, Transcript

    rec = tmp_path / "interview 4.m4a"
    rec.write_bytes(b"x")
    t = Transcript(RecordingInfo("interview 4.m4a"), [Segment(0, 0.0, 1.0, "Hello.")])
    with pytest.raises(SpeakerError, match=r'interview 4\.vtt'):
        label_turns(t, rec, mode="teams")
