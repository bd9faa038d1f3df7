"""The bad-input corpus: recordings and files a research team really ends up feeding the tool.

The small files are committed beside this script (so the corpus is the same on every machine
and needs no espeak-ng); the big or trivial ones (10 minutes of silence, synthetic music, a
path with spaces and accents, a 6-channel file) are made by the tests in a temporary folder
with the functions below. Every sentence and name is invented.

    python tests/data/bad/make_bad.py      # rewrites the committed files
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

HERE = Path(__file__).resolve().parent
SPEECH = HERE.parent / "speech"
RATE = 16000
FRENCH = "Bonjour, je m'appelle Camille Durand, je suis infirmière à l'hôpital de Lyon."

# name -> what it is (the tests use this table, and so does the README of the corpus).
COMMITTED = {
    "empty.m4a": "0 bytes: a copy or download that never started",
    "meeting notes.mp4": "a text file renamed .mp4",
    "truncated.m4a": "the first 2/3 of an m4a: the index (written last) is missing",
    "screen recording no audio.mp4": "video only, no audio track",
    "short 0.3s.wav": "0.3 s of speech",
    "french.m4a": "French speech (espeak-ng -v fr), for an English model",
    "phone 8k.wav": "8 kHz mu-law telephone audio",
    "corrupt findings.json": "a review-state file cut off mid-write by an old editor",
}


def read_audio(path: Path, rate: int = RATE) -> np.ndarray:
    """Float32 mono at ``rate`` (PyAV's own resampler; independent of the app's decoder)."""
    chunks = []
    with av.open(str(path)) as container:
        resampler = av.AudioResampler(format="flt", layout="mono", rate=rate)
        for frame in container.decode(audio=0):
            chunks.extend(f.to_ndarray()[0] for f in resampler.resample(frame))
        chunks.extend(f.to_ndarray()[0] for f in resampler.resample(None))
    return np.concatenate(chunks).astype(np.float32)


def write_audio(path: Path, audio: np.ndarray, *, fmt: str, codec: str, rate: int = RATE,
                layout: str = "mono", bit_rate: int = 0) -> Path:
    """Encode ``audio`` (float32, shape (n,) or (channels, n) at 16 kHz) into one file."""
    planes = audio[None, :] if audio.ndim == 1 else audio
    with av.open(str(path), "w", format=fmt) as container:
        stream = container.add_stream(codec, rate=rate, layout=layout)
        if bit_rate:
            stream.bit_rate = bit_rate
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(planes, dtype=np.float32),
                                           format="fltp", layout=layout)
        frame.sample_rate = RATE
        frame.pts = 0
        frame.time_base = Fraction(1, RATE)
        resampler = av.AudioResampler(format=stream.format.name, layout=layout, rate=rate)
        for out in [*resampler.resample(frame), *resampler.resample(None)]:
            for packet in stream.encode(out):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return path


def write_silence_wav(path: Path, seconds: float) -> Path:
    """16 kHz mono 16-bit zeros, streamed (10 minutes = 19 MB: never committed)."""
    import wave

    block = bytes(2 * RATE)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        for _ in range(int(seconds)):
            w.writeframes(block)
    return path


def music(seconds: float = 20.0, seed: int = 7) -> np.ndarray:
    """Synthetic music: plucked chords over a bass line with a kick drum, no voice at all."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    out = np.zeros_like(t)
    beat = 0.5
    roots = [220.0, 174.6, 261.6, 196.0]
    for i in range(int(seconds / beat)):
        start = int(i * beat * RATE)
        n = int(beat * RATE)
        tt = t[:n]
        env = np.exp(-tt * 6)
        root = roots[(i // 4) % len(roots)]
        chord = sum(np.sin(2 * np.pi * root * r * tt) for r in (1.0, 1.26, 1.5, 2.0))
        kick = np.sin(2 * np.pi * (60 + 80 * np.exp(-tt * 30)) * tt) * np.exp(-tt * 12)
        out[start:start + n] += 0.12 * env * chord + 0.4 * kick * (i % 2 == 0)
        out[start:start + n] += 0.05 * np.sin(2 * np.pi * root / 2 * tt)
    out += 0.01 * rng.standard_normal(len(out))
    return (out / np.abs(out).max() * 0.8).astype(np.float32)


def six_channels(speech: np.ndarray) -> np.ndarray:
    """5.1 audio with the voice on the centre channel (where films and some recorders put it)
    and quiet room noise on the other five."""
    rng = np.random.default_rng(3)
    planes = 0.003 * rng.standard_normal((6, len(speech))).astype(np.float32)
    planes[2] = speech  # FL FR FC LFE BL BR: centre
    return planes


def video_only(path: Path, seconds: int = 2) -> Path:
    """A screen recording saved without sound: H.264 video, no audio stream."""
    with av.open(str(path), "w", format="mp4") as container:
        video = container.add_stream("libx264", rate=2)
        video.width, video.height, video.pix_fmt = 64, 64, "yuv420p"
        video.options = {"crf": "40"}
        grey = np.full((64, 64, 3), 90, dtype=np.uint8)
        for i in range(seconds * 2):
            frame = av.VideoFrame.from_ndarray(grey, format="rgb24")
            frame.pts = i
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode(None):
            container.mux(packet)
    return path


def espeak(text: str, voice: str, work: Path) -> np.ndarray:
    wav = work / "espeak.wav"
    subprocess.run(["espeak-ng", "-v", voice, "-s", "150", "-w", str(wav), text], check=True)
    return read_audio(wav)


def main() -> int:
    if shutil.which("espeak-ng") is None:
        print("espeak-ng is not installed: apt-get install espeak-ng", file=sys.stderr)
        return 1
    interview = read_audio(SPEECH / "interview.wav")
    (HERE / "empty.m4a").write_bytes(b"")
    (HERE / "meeting notes.mp4").write_text(
        "Interview 4 - notes\nRemember to send the consent form.\n" * 10, encoding="utf-8")
    whole = (SPEECH / "interview.m4a").read_bytes()
    (HERE / "truncated.m4a").write_bytes(whole[: len(whole) * 2 // 3])
    video_only(HERE / "screen recording no audio.mp4")
    write_audio(HERE / "short 0.3s.wav", interview[int(0.6 * RATE): int(0.9 * RATE)],
                fmt="wav", codec="pcm_s16le")
    with tempfile.TemporaryDirectory() as tmp:
        french = espeak(FRENCH, "fr", Path(tmp))
    write_audio(HERE / "french.m4a", french, fmt="ipod", codec="aac", rate=48000,
                bit_rate=32000)
    write_audio(HERE / "phone 8k.wav", interview, fmt="wav", codec="pcm_mulaw", rate=8000)
    (HERE / "corrupt findings.json").write_text(
        '{"schema_version": 1, "findings": [{"id": "f-1", "segment_id": 0, "start": 4, '
        '"end": 17, "type": "PERSON", "text": "Rachel Mo', encoding="utf-8")
    for name in COMMITTED:
        print(f"{name}: {(HERE / name).stat().st_size / 1024:.1f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
