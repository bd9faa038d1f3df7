"""Regenerate the small synthetic speech fixtures (espeak-ng voices, encoded with PyAV).

The committed files are the fixtures; this script only documents how they were made, so a
reviewer can see that no real person's voice is in the repository. Every sentence and name is
invented. Needs ``espeak-ng`` on PATH (``apt-get install espeak-ng``).

    python tests/data/make_fixtures.py          # writes tests/data/speech/ and resources/sample/
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
SPEECH = ROOT / "tests" / "data" / "speech"
SAMPLE = ROOT / "resources" / "sample"
RATE = 16000


@dataclass(frozen=True)
class Line:
    voice: str
    text: str
    pause: float = 0.5  # seconds of silence after the line


INTERVIEW = [Line("en-gb", "I'm Rachel Morgan, a ward manager at Leeds General Infirmary.", 0.0)]
BATCH_1 = [Line("en-gb", "Doctor Hannah Price runs the diabetes clinic in Bradford.", 0.0)]
BATCH_2 = [Line("en-gb", "Hannah Price now leads the stroke team in York.", 0.0)]
SAMPLE_LINES = [
    Line("en-us+f2", "Thank you for joining today. Could you tell me about your role?"),
    Line("en-gb", "Sure. I'm Daniel Hughes, a charge nurse on the stroke unit at "
                  "Bradford Royal Infirmary."),
    Line("en-gb", "I have worked there since twenty nineteen, with my manager, Priya Shah."),
    Line("en-us+f2", "And how do patients reach you?"),
    Line("en-gb", "Patients ring the ward on oh one two seven four, five four two, two zero zero.",
         0.3),
]
SAMPLE_NAME = "Interview with Daniel Hughes-20240312_101500-Meeting Recording.mp4"


def speak(lines: list[Line], workdir: Path) -> np.ndarray:
    """espeak-ng each line at 150 words a minute, resampled to 16 kHz mono float32."""
    chunks = []
    for i, line in enumerate(lines):
        wav = workdir / f"line{i}.wav"
        subprocess.run(["espeak-ng", "-v", line.voice, "-s", "150", "-w", str(wav), line.text],
                       check=True)
        with av.open(str(wav)) as container:
            resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
            for frame in container.decode(audio=0):
                chunks.extend(f.to_ndarray()[0] for f in resampler.resample(frame))
            chunks.extend(f.to_ndarray()[0] for f in resampler.resample(None))
        chunks.append(np.zeros(int(line.pause * RATE), dtype=np.float32))
    return np.concatenate(chunks)


def _add_audio(container: av.container.OutputContainer, codec: str, rate: int, layout: str,
               bit_rate: int) -> av.audio.stream.AudioStream:
    stream = container.add_stream(codec, rate=rate, layout=layout)
    if bit_rate:
        stream.bit_rate = bit_rate
    return stream


def _encode_audio(container: av.container.OutputContainer, audio: np.ndarray, codec: str,
                  rate: int, layout: str, bit_rate: int,
                  stream: av.audio.stream.AudioStream | None = None) -> None:
    stream = stream or _add_audio(container, codec, rate, layout, bit_rate)
    planes = np.tile(audio, (2, 1)) if layout == "stereo" else audio[None, :]
    frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(planes), format="fltp", layout=layout)
    frame.sample_rate = RATE
    frame.pts = 0
    frame.time_base = Fraction(1, RATE)
    for packet in stream.encode(frame):
        container.mux(packet)
    for packet in stream.encode(None):
        container.mux(packet)


def write_wav(path: Path, audio: np.ndarray) -> None:
    with av.open(str(path), "w", format="wav") as container:
        _encode_audio(container, audio, "pcm_s16le", RATE, "mono", 0)


def write_m4a(path: Path, audio: np.ndarray) -> None:
    """AAC in MP4 at 48 kHz, as Teams and phones save audio-only recordings."""
    with av.open(str(path), "w", format="ipod") as container:
        _encode_audio(container, audio, "aac", 48000, "mono", 48000)


def write_mp3(path: Path, audio: np.ndarray) -> None:
    with av.open(str(path), "w", format="mp3") as container:
        _encode_audio(container, audio, "libmp3lame", 44100, "mono", 64000)


def write_mp4(path: Path, audio: np.ndarray) -> None:
    """A Teams-like meeting recording: H.264 video (64x64 black, 2 fps) + stereo AAC 48 kHz."""
    with av.open(str(path), "w", format="mp4") as container:
        video = container.add_stream("libx264", rate=2)
        video.width, video.height, video.pix_fmt = 64, 64, "yuv420p"
        video.options = {"crf": "40", "preset": "veryslow"}
        sound = _add_audio(container, "aac", 48000, "stereo", 64000)  # all streams before muxing
        black = np.zeros((64, 64, 3), dtype=np.uint8)
        for i in range(int(np.ceil(len(audio) / RATE * 2))):
            frame = av.VideoFrame.from_ndarray(black, format="rgb24")
            frame.pts = i
            for packet in video.encode(frame):
                container.mux(packet)
        for packet in video.encode(None):
            container.mux(packet)
        _encode_audio(container, audio, "aac", 48000, "stereo", 64000, stream=sound)


def main() -> int:
    if shutil.which("espeak-ng") is None:
        print("espeak-ng is not installed: apt-get install espeak-ng", file=sys.stderr)
        return 1
    SPEECH.mkdir(parents=True, exist_ok=True)
    SAMPLE.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        interview = speak(INTERVIEW, work)
        write_wav(SPEECH / "interview.wav", interview)
        write_m4a(SPEECH / "interview.m4a", interview)
        write_mp4(SPEECH / "interview.mp4", interview)
        write_m4a(SPEECH / "batch_1.m4a", speak(BATCH_1, work))
        write_mp3(SPEECH / "batch_2.mp3", speak(BATCH_2, work))
        write_mp4(SAMPLE / SAMPLE_NAME, speak(SAMPLE_LINES, work))
    for path in sorted([*SPEECH.iterdir(), *SAMPLE.iterdir()]):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size / 1024:.0f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
