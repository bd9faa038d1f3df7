"""Stereo recordings with one voice per channel: turns from channel energy (real audio)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from anonyscribe.media import decode_channels
from anonyscribe.speakers import SpeakerError, label_turns
from anonyscribe.speakers.channels import activity, channel_turns, frame_levels, separated

STEREO = "faster_whisper_stereo_diarization.wav"


def test_stereo_clip_gives_two_voices_in_time_order(shared_speech_dir: Path) -> None:
    audio = decode_channels(shared_speech_dir / STEREO)
    turns, apart = channel_turns(audio)
    assert apart
    assert {t.speaker for t in turns} == {"C1", "C2"}
    # the right channel talks over the left from 0.25 s to 2.5 s; afterwards only the left
    right = [t for t in turns if t.speaker == "C2"]
    assert all(t.end <= 2.6 for t in right)
    assert any(t.speaker == "C1" and t.start <= 2.6 and t.end >= 4.2 for t in turns)


def test_same_mix_on_both_channels_is_not_separated(shared_speech_dir: Path) -> None:
    audio = decode_channels(shared_speech_dir / "jfk.flac")  # stereo, one voice on both
    assert audio.shape[0] == 2
    assert not separated(activity(frame_levels(audio)))
    # and a truly split call: one channel's speech moved to the other, no crosstalk
    mono = audio[0]
    half = len(mono) // 2
    split = np.zeros_like(audio)
    split[0, :half] = mono[:half]
    split[1, half:] = mono[half:]
    turns, apart = channel_turns(split)
    assert apart and [t.speaker for t in turns] == ["C1", "C2"]


@pytest.mark.slow
def test_label_turns_auto_uses_channels(tiny_transcriber, shared_speech_dir: Path) -> None:  # noqa: ANN001
    path = shared_speech_dir / STEREO
    transcript = tiny_transcriber.transcribe(path)
    result = label_turns(transcript, path)
    assert result.method == "channels"
    out = result.transcript
    assert len(out.speakers) == 2 and len({s.speaker for s in out.segments}) == 2
    late = {s.speaker for s in out.segments for w in s.words if w.start > 2.6}
    early = {s.speaker for s in out.segments for w in s.words if w.end < 2.3}
    assert len(late) == 1 and late != early  # the left voice alone at the end
    assert [s.id for s in out.segments] == list(range(len(out.segments)))
    assert all(" " in s.text for s in out.segments if len(s.words) > 1)
    # the channel timeline is kept for timed exports, in the transcript's speaker ids
    assert out.speaker_times and {t.speaker for t in out.speaker_times} == {
        s.speaker for s in out.segments}


def test_channels_mode_on_mono_file_says_what_to_do(shared_speech_dir: Path) -> None:
    from anonyscribe.core.model import RecordingInfo, Segment, Transcript

    path = shared_speech_dir / "cmu_arctic_awb_a0007.wav"
    t = Transcript(RecordingInfo(path.name), [Segment(0, 0.0, 1.0, "Hello.")])
    with pytest.raises(SpeakerError, match=r"cmu_arctic_awb_a0007\.wav.*one audio channel"):
        label_turns(t, path, mode="channels")
