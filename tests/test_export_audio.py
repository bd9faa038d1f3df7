"""The anonymised audio (``audio`` format): espeak-ng speech with planted names, transcribed by
the real tiny.en model, names accepted, the recording written with them covered, then checked
by decoding it (levels) and by listening to it again (the recogniser)."""

from __future__ import annotations

import dataclasses
import hashlib
import math
import re
import shutil
import subprocess
import wave
import zipfile
from pathlib import Path

import av
import numpy as np
import pytest

from anonyscribe import export, exporting, media
from anonyscribe.core.cancel import Cancelled, CancelToken
from anonyscribe.core.model import Decision, Finding, Transcript
from anonyscribe.core.study import Study
from anonyscribe.export import audio as audio_format
from anonyscribe.export.audio import AudioOptions, Cover, Coverage, Stretch
from anonyscribe.export.leakcheck import compile_terms, count_text
from anonyscribe.transcribe import listening
from conftest import SHARED_DIR

RATE = media.SAMPLE_RATE
# Invented people and places; each line is said by espeak-ng with a pause after it.
LINES = [
    "My name is Rachel Morgan and I am a ward manager.",
    "The weather was lovely that spring and the garden was full of roses.",
    "I worked with Doctor Hannah Price at the clinic in Bradford.",
    "We talked about the new rota and the long night shifts.",
]
NAMES = ["Rachel Morgan", "Hannah Price", "Bradford"]


# The listening tests' speech: ``LINES`` with another second name. A name whose stretch is
# shifted past it is heard only in its neighbourhood's first ``context_s`` (its last 0.8 s),
# and what the models make of that depends on the CPU kernels CTranslate2 picks
# (CT2_FORCE_CPU_ISA): of "Doctor Hannah Price" base wrote "the Hana Prycehkin" (AVX2), and
# tiny.en nothing once its first run was cut short (AVX, AVX2). Each of these names, left whole
# beside its stretch, was heard by tiny.en and base with GENERIC, AVX and AVX2 kernels.
HEARD_LINES = [LINES[0], LINES[1], "I worked with Doctor Helen Walker at the clinic in Bradford.",
               LINES[3]]
HEARD_NAMES = ["Rachel Morgan", "Helen Walker", "Bradford"]


def _has_avx512() -> bool:
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return "avx512f" in text.split()


# Session 13 checked HEARD_NAMES on GENERIC, AVX and AVX2 kernels only (no AVX-512 CPU here).
# On the AVX-512 machine the suite ran on before, base wrote "shall more than just" for a
# half-heard "Rachel Morgan" (a strict xfail then); "Helen Walker" was never tried there. Not
# strict, for base only and only there, until an AVX-512 run says which way it goes.
BASE_AVX512 = pytest.mark.xfail(strict=False, reason="base on AVX-512 kernels: not checked "
                                "with these planted names (base missed Rachel Morgan there)")
XSD = SHARED_DIR / "data" / "refi-qda" / "project.xsd"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_wav(path: Path, audio: np.ndarray) -> Path:
    """``audio`` (floats in -1..1) as a 16 kHz mono 16-bit WAV at ``path``."""
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
    return path


def espeak(lines: list[str], out: Path, pause_s: float = 0.7) -> Path:
    """Speak ``lines`` into a 16 kHz mono WAV (skips the test without espeak-ng)."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
    chunks = []
    for i, line in enumerate(lines):
        part = out.with_name(f"line{i}.wav")
        subprocess.run(["espeak-ng", "-v", "en-gb", "-s", "150", "-w", str(part), line],
                       check=True)
        chunks += [media.decode(part), np.zeros(int(pause_s * RATE), np.float32)]
        part.unlink()
    audio = np.concatenate(chunks)
    write_wav(out, audio)
    return out


def accept_names(raw: Transcript, names: list[str]) -> list[Finding]:
    """An accepted finding for every occurrence of ``names`` the recogniser wrote."""
    out = []
    for seg in raw.segments:
        for name in names:
            at = seg.text.find(name)
            if at >= 0:
                out.append(Finding(seg.id, at, at + len(name), "PERSON", name, 1.0, "manual",
                                   Decision.ACCEPTED))
    return out


def plant(lines: list[str], names: list[str], out: Path, transcriber):  # noqa: ANN001, ANN201
    """(recording, raw transcript, accepted findings) for ``lines`` spoken into ``out``."""
    path = espeak(lines, out)
    raw = transcriber.transcribe(path)
    findings = accept_names(raw, names)
    found = {f.text for f in findings}
    assert found == set(names), ("tiny.en did not write every planted name", raw.segments)
    return path, raw, findings


@pytest.fixture(scope="module")
def spoken(tmp_path_factory, tiny_transcriber):  # noqa: ANN001, ANN201
    """(recording, raw transcript, accepted findings) for the planted-names speech."""
    return plant(LINES, NAMES, tmp_path_factory.mktemp("speech") / "Interview Rachel Morgan.wav",
                 tiny_transcriber)


@pytest.fixture(scope="module")
def heard_spoken(tmp_path_factory, tiny_transcriber):  # noqa: ANN001, ANN201
    """The same for ``HEARD_LINES``: the listening tests' speech."""
    return plant(HEARD_LINES, HEARD_NAMES, tmp_path_factory.mktemp("heard") / "Interview.wav",
                 tiny_transcriber)


def heard(transcriber, path: Path) -> str:  # noqa: ANN001
    return " ".join(s.text for s in transcriber.transcribe(path).segments)


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.casefold())


def level(audio: np.ndarray, stretch: Stretch, edge: float = 0.04) -> np.ndarray:
    return audio[round((stretch.start + edge) * RATE):round((stretch.end - edge) * RATE)]


@pytest.mark.parametrize("cover", list(Cover))
def test_names_are_covered_and_nothing_else_changes(spoken, tiny_transcriber, tmp_path,  # noqa: ANN001
                                                    cover: Cover) -> None:
    source, raw, findings = spoken
    before = sha256(source)
    options = AudioOptions(cover=cover)
    coverage = audio_format.locate(raw, findings, options=options,
                             duration=media.probe(source).duration)
    assert coverage.located == len(findings) and not coverage.unlocated
    assert 2 <= len(coverage.stretches) <= len(findings)
    (path,) = export.export_audio(source, coverage, tmp_path / "out", "interview-01", NAMES,
                                  options, audio_format.recogniser_for(tiny_transcriber))
    assert path.name == "interview-01.m4a" and sha256(source) == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["interview-01.m4a"]
    with av.open(str(path)) as container:
        assert container.streams.audio[0].codec_context.name == "aac"
        assert not container.streams.video
    original, anonymised = media.decode(source), media.decode(path)
    assert abs(len(anonymised) - len(original)) < 0.1 * RATE

    covered = coverage.final()  # widened to the quiet around each name, never narrowed
    assert all(any(c.start <= s.start and s.end <= c.end for c in covered)
               for s in coverage.stretches)
    assert coverage.covered_s() < 0.5 * len(original) / RATE
    for stretch in covered:  # every covered stretch: silent, or the tone and only it
        part = level(anonymised, stretch)
        rms = float(np.sqrt(np.mean(part ** 2)))
        if cover is Cover.SILENCE:
            assert rms < 10 ** (-50 / 20), (stretch, rms)
        else:
            spectrum = np.abs(np.fft.rfft(part * np.hanning(len(part)))) ** 2
            freqs = np.fft.rfftfreq(len(part), 1 / RATE)
            share = spectrum[np.abs(freqs - options.tone_hz) < 30].sum() / spectrum.sum()
            assert share > 0.99 and abs(rms - options.tone_level / math.sqrt(2)) < 0.01, (
                stretch, share, rms)
        assert float(np.sqrt(np.mean(level(original, stretch) ** 2))) > 0.02  # speech was there

    keep = np.ones(min(len(original), len(anonymised)), bool)  # the rest: unchanged
    for stretch in covered:
        keep[max(0, round((stretch.start - 0.05) * RATE)):round((stretch.end + 0.05) * RATE)] = 0
    diff = original[: len(keep)][keep] - anonymised[: len(keep)][keep]
    assert np.sqrt(np.mean(diff ** 2)) < 0.1 * np.sqrt(np.mean(original[: len(keep)][keep] ** 2))

    terms = compile_terms(NAMES)
    text = heard(tiny_transcriber, path)
    assert not count_text(text, terms), text
    before_text = heard(tiny_transcriber, source)
    assert count_text(before_text, terms)  # the names were there
    # The rest is heard: nearly every other word the recogniser heard in the original (tiny.en
    # on espeak-ng hears a word or two differently after any change to the audio).
    names = {w.casefold() for n in NAMES for w in n.split()}
    rest = [w for w in words(before_text) if w not in names]
    assert sum(w in set(words(text)) for w in rest) >= 0.75 * len(rest), (before_text, text)
    assert "roses" in text.lower() and "shift" in text.lower()  # "shifts" or "shift": CPU


def test_a_stretch_that_misses_the_name_is_refused(spoken, tiny_transcriber, tmp_path) -> None:  # noqa: ANN001
    """Verification, not trust: covering only the end of each name (word times gone wrong)
    leaves most of it audible; the recogniser hears it, and no file is left behind."""
    source, raw, findings = spoken
    good = audio_format.locate(raw, findings)
    wrong = Coverage([Stretch(s.end - 0.15, s.end) for s in good.stretches], good.located)
    out = tmp_path / "out"
    with pytest.raises(export.AudioCheckError) as caught:
        export.export_audio(source, wrong, out, "interview-01", NAMES, AudioOptions(snap_s=0),
                            audio_format.recogniser_for(tiny_transcriber))
    assert "still heard" in str(caught.value)
    assert not any(n in str(caught.value) for n in NAMES)
    assert list(out.iterdir()) == []


@pytest.fixture(scope="module")
def default_transcriber():  # noqa: ANN201 - the app's default model (``base``), loaded once
    from anonyscribe.transcribe.runner import Transcriber

    return Transcriber()


@pytest.fixture(params=["tiny.en", "default"])
def listening_model(request, tiny_transcriber):  # noqa: ANN001, ANN201
    """The listener's model: the tests' tiny.en, and the default model the app listens with."""
    if request.param == "tiny.en":
        return tiny_transcriber
    if _has_avx512() and request.node.callspec.params.get("missed") in HEARD_NAMES[:2]:
        request.applymarker(BASE_AVX512)
    return request.getfixturevalue("default_transcriber")


def shifted_name(spoken, missed: str) -> tuple[list[Stretch], AudioOptions]:  # noqa: ANN001
    """Every name's stretch right but ``missed``'s, moved by its own length past the name."""
    source, raw, findings = spoken
    options = AudioOptions(snap_s=0)  # the stretches as given: the default listener otherwise
    duration = media.probe(source).duration
    right = audio_format.locate(raw, [f for f in findings if f.text != missed], options=options,
                                duration=duration).stretches
    (name,) = audio_format.locate(raw, [f for f in findings if f.text == missed],
                                  options=options, duration=duration).stretches
    words_end = name.end - options.pad_s  # the stretch starts where the name's words end
    shifted = Stretch(words_end, min(duration, words_end + (name.end - name.start)))
    return sorted([*right, shifted], key=lambda s: s.start), options


def heard_names(caught: pytest.ExceptionInfo[export.AudioCheckError],
                names: list[str]) -> set[str]:
    """The names the refused file's check heard."""
    return {names[leak.term] for leak in caught.value.leaks if leak.term >= 0}


@pytest.mark.parametrize("missed", HEARD_NAMES)
def test_the_listener_hears_a_name_left_whole_beside_its_stretch(heard_spoken, listening_model,  # noqa: ANN001
                                                                 tmp_path, missed: str) -> None:
    """The listening check can fail: one name's word times are shifted by its own length, so
    its stretch covers what follows and the whole name stays audible, while the other names
    are covered right; all their neighbourhoods are heard in one window. The recogniser (tiny.en
    and the default model) hears the name and the file is refused, naming no original. With
    the listener's old settings (0.4 s of context, 0.4 s gaps, 0.2 s kept) it heard neither
    "Rachel Morgan" nor "Bradford" here; with 1.0 s of context tiny.en missed "Hannah Price"
    (see ``CLIP_GAP_S``). On ``LINES`` base missed "Hannah Price" with some CPU kernels, so
    these are ``HEARD_LINES``."""
    source, raw, findings = heard_spoken
    stretches, options = shifted_name(heard_spoken, missed)
    duration = media.probe(source).duration
    hoods = audio_format.neighbourhoods(stretches, options.context_s, duration)
    assert sum(h.end - h.start for h in hoods) < audio_format.WINDOW_S  # in one window
    out = tmp_path / "out"
    with pytest.raises(export.AudioCheckError) as caught:
        export.export_audio(source, Coverage(stretches, len(findings)), out, "interview-01",
                            HEARD_NAMES, options, audio_format.recogniser_for(listening_model))
    assert "still heard" in str(caught.value) and missed in heard_names(caught, HEARD_NAMES)
    assert not any(n in str(caught.value) for n in HEARD_NAMES)
    assert list(out.iterdir()) == []


class CountingModel:
    """The CTranslate2 model with its encoder and decoder calls counted (``stop_first``: the
    decoder's first run over each window made to stop at once, a model that ends early)."""

    def __init__(self, model, stop_first: bool = False) -> None:  # noqa: ANN001
        self.model, self.stop_first = model, stop_first
        self.encodes = self.runs = self.restarts = self.written = 0

    def __getattr__(self, name: str):  # noqa: ANN204 - everything else as it is
        return getattr(self.model, name)

    def encode(self, *args, **kwargs):  # noqa: ANN002, ANN003, ANN201
        self.encodes += 1
        return self.model.encode(*args, **kwargs)

    def generate(self, encoded, prompts, **kwargs):  # noqa: ANN001, ANN003, ANN201
        restart = prompts[0][-1] >= self.timestamp_begin
        self.runs += 1
        self.restarts += restart
        if self.stop_first and not restart:
            kwargs["max_length"] = len(prompts[0]) + 1
        results = self.model.generate(encoded, prompts, **kwargs)
        self.written += len(results[0].sequences_ids[0]) - restart
        return results


def counted(transcriber, monkeypatch, stop_first: bool = False) -> CountingModel:  # noqa: ANN001
    counting = CountingModel(transcriber.whisper.model, stop_first)
    counting.timestamp_begin = listening.Tokenizer(
        transcriber.whisper.hf_tokenizer, transcriber.whisper.model.is_multilingual).timestamp_begin
    monkeypatch.setattr(transcriber.whisper, "model", counting)
    return counting


def test_each_window_is_encoded_once_and_its_decoding_bounded(spoken, tiny_transcriber,  # noqa: ANN001
                                                              tmp_path, monkeypatch) -> None:
    """One encoder pass a window heard (faster-whisper's ``transcribe`` encodes again wherever
    the model stops early), however many decoder runs; the runs together write at most
    ``TOKENS_PER_S`` tokens a second; the planted name is still heard. (On this window
    tiny.en stops early and the seek loop encoded it twice.)"""
    source, _raw, findings = spoken
    stretches, options = shifted_name(spoken, "Rachel Morgan")
    counting = counted(tiny_transcriber, monkeypatch)
    hearing = audio_format.recogniser_for(tiny_transcriber)
    heard_s: list[float] = []

    def recogniser(audio: np.ndarray, starts: list[float]) -> str:
        assert starts[0] == 0.0 and starts == sorted(starts) and starts[-1] < len(audio) / RATE
        assert heard_s or len(starts) >= 2  # the window holds several parts
        heard_s.append(len(audio) / RATE)
        return hearing(audio, starts)

    with pytest.raises(export.AudioCheckError):
        export.export_audio(source, Coverage(stretches, len(findings)), tmp_path / "out",
                            "a", NAMES, options, recogniser)
    assert heard_s and counting.encodes == len(heard_s)
    assert counting.runs >= counting.encodes
    assert counting.written <= sum(listening.TOKENS_PER_S * t + 8 for t in heard_s)


def test_a_part_the_decoder_did_not_write_is_heard_from_its_start(heard_spoken,  # noqa: ANN001
                                                                  tiny_transcriber, tmp_path,
                                                                  monkeypatch) -> None:
    """Fault: the decoder's run from the window's start ends at once (a model that stops at
    the first gap of a packed window). The parts after the first are then heard from their
    own starts, over the same encoder output, and the name left audible in the second part
    is still heard: the file is refused."""
    source, _raw, findings = heard_spoken
    stretches, options = shifted_name(heard_spoken, "Helen Walker")
    counting = counted(tiny_transcriber, monkeypatch, stop_first=True)
    with pytest.raises(export.AudioCheckError) as caught:
        export.export_audio(source, Coverage(stretches, len(findings)), tmp_path / "out", "a",
                            HEARD_NAMES, options, audio_format.recogniser_for(tiny_transcriber))
    assert "still heard" in str(caught.value) and "Helen Walker" in heard_names(caught,
                                                                                 HEARD_NAMES)
    assert counting.restarts >= 1 and counting.encodes == counting.runs - counting.restarts


def test_level_check_refuses_uncovered_stretch(spoken, tmp_path) -> None:  # noqa: ANN001
    """A stretch the render did not cover (written with another plan) fails the level check."""
    source, raw, findings = spoken
    coverage = audio_format.locate(raw, findings)
    target = tmp_path / "x.m4a"
    options = AudioOptions(cover=Cover.SILENCE, snap_s=0)
    seconds, covered = audio_format.render(source, target, coverage.stretches[:1], options)
    assert covered == coverage.stretches[:1]
    problems = audio_format.verify(target, coverage.stretches, [], seconds, options)
    assert problems and all(p.part.startswith("sound where there should be silence")
                            for p in problems)
    assert len(problems) == len(coverage.stretches) - 1


def test_edited_words_are_reported_and_their_gap_covered(spoken) -> None:  # noqa: ANN001
    """A name the reviewer retyped no longer matches the recogniser's words: it cannot be
    located exactly, so the gap between its timed neighbours is covered and it is reported."""
    _source, raw, findings = spoken
    edited = Transcript.from_dict(raw.to_dict())
    target = next(f for f in findings if f.text == "Hannah Price")
    seg = edited.segment(target.segment_id)
    seg.text = seg.text.replace("Hannah Price", "Hanna Pryce")
    moved = Finding(seg.id, target.start, target.start + len("Hanna Pryce"), "PERSON",
                    "Hanna Pryce", 1.0, "manual", Decision.ACCEPTED)
    coverage = audio_format.locate(edited, [moved])
    (missing,) = coverage.unlocated
    assert missing.finding_id == moved.id and missing.estimate is not None
    words = {w.text: w for w in raw.segment(seg.id).words}
    assert missing.estimate.start <= words["Hannah"].start + 0.05
    assert missing.estimate.end >= words["Price"].end - 0.05
    assert any(s.start <= words["Hannah"].start and s.end >= words["Price"].end
               for s in coverage.stretches)
    message = coverage.unlocated_message()
    assert "could not be located in the audio" in message and "Hanna" not in message
    lines = "\n".join(coverage.report_lines(Cover.TONE))
    assert "Could not be located in the audio  1" in lines and "Pryce" not in lines


def test_a_turn_without_word_times_is_reported_not_covered() -> None:
    raw = Transcript.from_dict({"recording": {"name": "notes.txt"}, "segments": [
        {"id": 0, "start": 0.0, "end": 0.0, "text": "Rachel Morgan called."}]})
    coverage = audio_format.locate(raw, accept_names(raw, ["Rachel Morgan"]))
    assert coverage.stretches == [] and len(coverage.unlocated) == 1
    assert coverage.unlocated[0].estimate is None
    assert "NOT covered" in "\n".join(coverage.report_lines(Cover.SILENCE))


def test_speaker_names_said_aloud_are_covered(spoken) -> None:  # noqa: ANN001
    _source, raw, _findings = spoken
    coverage = audio_format.locate(raw, [], spoken_names=["Rachel Morgan"])
    words = [w for s in raw.segments for w in s.words if w.text.strip(",.") in
             ("Rachel", "Morgan")]
    assert words and coverage.located == 0  # not findings: nothing to count as located
    for w in words:
        assert any(s.start <= w.start and w.end <= s.end for s in coverage.stretches)


def test_padding_and_merging() -> None:
    options = AudioOptions(pad_s=0.1, merge_gap_s=0.3)
    got = audio_format.merge([(1.0, 1.5), (1.8, 2.0), (5.0, 5.2), (9.95, 10.5)], options, 10.0)
    assert got == [Stretch(0.9, 2.1), Stretch(4.9, 5.3), Stretch(9.85, 10.0)]


def test_cancel_leaves_nothing(spoken, tmp_path) -> None:  # noqa: ANN001
    source, raw, findings = spoken
    token = CancelToken()
    token.cancel()
    out = tmp_path / "out"
    with pytest.raises(Cancelled):
        export.export_audio(source, audio_format.locate(raw, findings), out, "a", NAMES,
                            cancel=token)
    assert list(out.iterdir()) == []


def test_streamed_blocks_match_the_whole_decode(spoken) -> None:  # noqa: ANN001
    source = spoken[0]
    blocks = list(media.stream(source, RATE, block_s=1.0))
    assert len(blocks) > 3 and all(b.dtype == np.float32 for b in blocks)
    whole = media.decode(source)
    joined = np.concatenate(blocks)
    assert len(joined) == len(whole) and np.allclose(joined, whole, atol=1e-6)


def test_progress_is_reported(spoken, tmp_path) -> None:  # noqa: ANN001
    source, raw, findings = spoken
    seen: list[tuple[str, float]] = []
    audio_format.write(source, tmp_path / "p.m4a", audio_format.locate(raw, findings), NAMES,
                       progress=lambda stage, f: seen.append((stage, f)))
    stages = [s for s, _ in seen]
    assert "audio" in stages and "audio check" in stages
    assert seen[-1][1] == pytest.approx(1.0, abs=0.02)


# -- through the study: pipeline, CLI, ethics report, .qdpx ----------------------------------

@pytest.fixture
def study(spoken, tmp_path):  # noqa: ANN001, ANN201
    """A study with the planted-names recording reviewed: names accepted."""
    source, raw, findings = spoken
    recording = tmp_path / source.name
    shutil.copy(source, recording)
    with Study.open(tmp_path / "study", lock=False) as st:
        st.settings.model = "tiny.en"  # the listener the CLI and the app load for the check
        entry = st.add_recording(recording)
        entry.duration = media.probe(recording).duration
        transcript = Transcript.from_dict(raw.to_dict())
        transcript.recording.name = recording.name
        transcript.recording.path = str(recording)
        st.save_transcript(entry.id, transcript)
        st.save_findings(entry.id, [Finding.from_dict(f.to_dict()) for f in findings])
        entry.status = "review"
        st.save()
        yield st, entry, recording


def test_pipeline_writes_audio_and_reports_it(study, tiny_transcriber, tmp_path) -> None:  # noqa: ANN001
    from anonyscribe.exporting import export_recording

    st, entry, recording = study
    before = sha256(recording)
    st.settings.audio_cover = "silence"
    written = export_recording(st, entry.id, tmp_path / "anon", ["txt", "audio"],
                               recogniser=audio_format.recogniser_for(tiny_transcriber))
    names = sorted(p.suffix for p in written)
    assert names == [".m4a", ".txt"] and sha256(recording) == before
    assert not any(n.split()[0] in p.name for p in written for n in NAMES)
    report = (st.root / "log" / entry.id / "anonymisation-report.txt").read_text("utf-8")
    assert "Anonymised audio" in report and "Identifiers covered (silence)" in report
    assert not any(n in report for n in NAMES)


def test_qdpx_media_is_the_anonymised_audio(study, tiny_transcriber, tmp_path) -> None:  # noqa: ANN001
    from lxml import etree

    from anonyscribe import labels
    from anonyscribe.export.qdpx import plain_text
    from anonyscribe.exporting import (
        audio_coverage,
        export_recording,
        export_study_project,
        plan_export,
    )

    st, entry, recording = study
    before = sha256(recording)
    recogniser = audio_format.recogniser_for(tiny_transcriber)
    export_recording(st, entry.id, tmp_path / "anon", ["txt"], recogniser=recogniser)
    (qdpx,) = export_study_project(st, tmp_path / "anon", include_media=True,
                                   recogniser=recogniser)
    assert sha256(recording) == before
    with zipfile.ZipFile(qdpx) as zf:
        members = [n for n in zf.namelist() if n.startswith("Sources/") and
                   not n.endswith(".txt")]
        assert len(members) == 1 and members[0].endswith(".m4a")
        inner = tmp_path / "inner.m4a"
        inner.write_bytes(zf.read(members[0]))
        root = etree.fromstring(zf.read("project.qde"))
    ns = {"q": "urn:QDA-XML:project:1.0"}
    assert root.find(".//q:AudioSource", ns) is not None
    # SyncPoints as for the original recording: the anonymised audio keeps its timeline.
    rendered = plan_export(st, entry.id, labels.study_plan(st)).rendered.transcript
    _text, spans = plain_text(rendered)
    expected = [(str(round(t * 1000)), str(pos)) for a, b, t0, t1 in spans
                for pos, t in ((a, t0), (b, t1))]
    got = [(p.get("timeStamp"), p.get("position")) for p in root.iterfind(".//q:SyncPoint", ns)]
    assert got == expected and got
    audio = media.decode(inner)
    assert abs(len(audio) / RATE - entry.duration) < 0.1
    for stretch in audio_coverage(st, entry.id).stretches:
        part = level(audio, stretch)
        assert abs(float(np.sqrt(np.mean(part ** 2))) - 0.1 / math.sqrt(2)) < 0.01  # the tone
    assert not count_text(heard(tiny_transcriber, inner), compile_terms(NAMES))
    assert list(st.root.glob(".audio-*")) == []
    if not XSD.is_file():
        pytest.skip(f"REFI-QDA schema not found at {XSD}")
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(root), schema.error_log


def test_cli_export_audio_with_last_check(study, tmp_path, capsys) -> None:  # noqa: ANN001
    """``anonyscribe export --format audio``: a retyped name is reported before the audio is
    written (and in the ethics report), its gap covered; the names are not heard."""
    from anonyscribe.cli import main

    st, entry, recording = study
    raw = st.load_transcript(entry.id)
    findings = st.load_findings(entry.id)
    target = next(f for f in findings if f.text == "Hannah Price")
    seg = raw.segment(target.segment_id)
    seg.text = seg.text.replace("Hannah Price", "Hanna Pryce")
    target.text, target.end = "Hanna Pryce", target.start + len("Hanna Pryce")
    st.save_transcript(entry.id, raw)
    st.save_findings(entry.id, findings)
    before = sha256(recording)
    out = tmp_path / "shared"
    code = main(["export", "--private", str(st.root), "--out", str(out), "--format",
                 "txt,audio", "--audio-cover", "silence"])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "1 identifier(s) (1 Person) could not be located in the audio" in err
    (m4a,) = out.glob("*.m4a")
    assert sha256(recording) == before
    assert Study.open(st.root, lock=False).settings.audio_cover == "silence"
    report = (st.root / "log" / entry.id / "anonymisation-report.txt").read_text("utf-8")
    assert "Could not be located in the audio  1" in report and "Pryce" not in report
    words = {w.text: w for w in raw.segment(seg.id).words}
    audio = media.decode(m4a)
    hannah = audio[round(words["Hannah"].start * RATE):round(words["Price"].end * RATE)]
    assert float(np.sqrt(np.mean(hannah ** 2))) < 10 ** (-50 / 20)


def test_memory_does_not_grow_with_length(spoken, tmp_path) -> None:  # noqa: ANN001
    """Rendering and checking ten times the audio needs about the same memory (blocks)."""
    import tracemalloc

    source = spoken[0]
    speech = media.decode(source)
    peaks = []
    for copies in (2, 20):
        path = tmp_path / f"long{copies}.wav"
        with wave.open(str(path), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(RATE)
            for _ in range(copies):
                w.writeframes((np.clip(speech, -1, 1) * 32767).astype("<i2").tobytes())
        seconds = len(speech) * copies / RATE
        stretches = [Stretch(t, t + 0.8) for t in np.arange(1.0, seconds - 2, 7.0)]
        tracemalloc.start()
        written, covered = audio_format.render(path, tmp_path / f"o{copies}.m4a", stretches)
        assert not audio_format.verify(tmp_path / f"o{copies}.m4a", covered, [], written)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    assert peaks[1] < 1.5 * peaks[0], peaks


def test_video_is_dropped_and_the_original_untouched(speech_dir: Path, tmp_path) -> None:  # noqa: ANN001
    source = speech_dir / "interview.mp4"
    with av.open(str(source)) as container:
        assert container.streams.video  # the fixture has a picture
    before = sha256(source)
    (path,) = export.export_audio(source, Coverage([Stretch(0.5, 1.5)], 1), tmp_path, "a",
                                  ["Rachel Morgan"], AudioOptions(cover=Cover.SILENCE))
    with av.open(str(path)) as container:
        assert not container.streams.video and len(container.streams.audio) == 1
        assert not {k for k in container.metadata if k not in (
            "major_brand", "minor_version", "compatible_brands", "encoder")}
    assert sha256(source) == before
    assert abs(media.probe(path).duration - media.probe(source).duration) < 0.1


def test_listener_hears_the_edges_of_long_stretches_only() -> None:
    """The listener hears each neighbourhood less what the level check proved covered: the
    middle of every stretch longer than ``2 * KEEP_S`` (``KEEP_S``: the unchecked edge)."""
    keep = audio_format.KEEP_S
    short = 1.5 * keep  # no longer than its two edges: heard whole
    stretches = [Stretch(1.0, 3.0), Stretch(3.3, 3.3 + short)]
    (clip,) = audio_format._clips(stretches, 0.4, 10.0, RATE)
    end = 3.3 + short + 0.4
    assert (clip.first, clip.last) == (round(0.6 * RATE), round(end * RATE))
    assert clip.skip == [(round((1.0 + keep) * RATE), round((3.0 - keep) * RATE))]
    for n0 in range(0, 5 * RATE, RATE // 2):  # fed in blocks, as verify does
        clip.add(np.arange(n0, n0 + RATE // 2, dtype=np.float32), n0)
    heard = np.concatenate(clip.parts)
    assert len(heard) == clip.n == round(end * RATE) - round(0.6 * RATE) - (
        round((3.0 - keep) * RATE) - round((1.0 + keep) * RATE))
    assert heard[0] == round(0.6 * RATE) and heard[-1] == round(end * RATE) - 1
    assert not np.any((heard >= round((1.0 + keep) * RATE)) & (heard < round((3.0 - keep) * RATE)))


def test_a_stretch_marked_by_hand_is_covered_kept_and_reported(study, tiny_transcriber,  # noqa: ANN001
                                                               tmp_path) -> None:
    """A name the recogniser never wrote has no finding to time: the researcher marks its
    stretch by hand; the mark is kept with the recording, covered, and counted (no text)."""
    from anonyscribe.core.model import AudioMark
    from anonyscribe.exporting import audio_coverage, export_recording

    st, entry, _recording = study
    raw = st.load_transcript(entry.id)
    words = {w.text.strip(" .,").lower(): w for s in raw.segments for w in s.words}
    lovely = words["lovely"]  # no finding there: only the mark can cover it
    st.save_audio_marks(entry.id, [AudioMark(lovely.start, lovely.end)])
    marks = st.load_audio_marks(entry.id)
    assert [(m.start, m.end) for m in marks] == [(lovely.start, lovely.end)]
    coverage = audio_coverage(st, entry.id)
    assert coverage.marked == 1
    assert any(s.start <= lovely.start and lovely.end <= s.end for s in coverage.stretches)

    st.settings.audio_cover = "silence"
    written = export_recording(st, entry.id, tmp_path / "anon", ["audio"],
                               recogniser=audio_format.recogniser_for(tiny_transcriber))
    (m4a,) = written
    anonymised = media.decode(m4a)
    inside = level(anonymised, Stretch(lovely.start, lovely.end))
    assert float(np.sqrt(np.mean(inside ** 2))) < 10 ** (-50 / 20)
    assert "lovely" not in heard(tiny_transcriber, m4a).lower()
    report = (st.root / "log" / entry.id / "anonymisation-report.txt").read_text("utf-8")
    assert "Marked by hand  1" in report


def test_a_damaged_marks_file_names_itself(study) -> None:  # noqa: ANN001
    from anonyscribe.core.files import CorruptFileError

    st, entry, _recording = study
    (st.folder(entry.id) / "audio-marks.json").write_text(
        '{"schema_version": 1, "marks": [{"start": 5, "end": 2, "id": "x"}]}', "utf-8")
    with pytest.raises(CorruptFileError) as info:
        st.load_audio_marks(entry.id)
    assert "audio-marks.json" in str(info.value)


# -- decoding for speed: blocks resampled at once, the check seeking --------------------------

def long_speech(spoken, path: Path, copies: int = 6, rate: int = 48000,  # noqa: ANN001
                pns: bool = True) -> Path:
    """The planted-names speech ``copies`` times over (about a minute), as AAC like Teams
    (``pns``: with FFmpeg's noise substitution, whose noise is drawn anew at each decoding)."""
    speech = np.tile(media.decode(spoken[0], rate), copies)
    with av.open(str(path), "w", format="ipod") as out:
        stream = out.add_stream("aac", rate=rate, layout="mono")
        if not pns:
            stream.codec_context.options = {"aac_pns": "0"}
        frame = av.AudioFrame.from_ndarray(speech[None, :], format="fltp", layout="mono")
        frame.sample_rate = rate
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    return path


def write_channels(path: Path, audio: np.ndarray, rate: int, codec: str, fmt: str,
                   layout: str) -> Path:
    """``audio`` (channels, n) written with ``codec`` in sample format ``fmt``."""
    with av.open(str(path), "w") as out:
        stream = out.add_stream(codec, rate=rate, layout=layout)
        stream.format = fmt
        data = audio if fmt.endswith("p") else audio.T.reshape(1, -1)
        if fmt.startswith("s16"):
            data = (np.clip(data, -1, 1) * 32767).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(data), format=fmt,
                                           layout=layout)
        frame.sample_rate = rate
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    return path


@pytest.mark.parametrize(("name", "codec", "fmt", "layout"), [
    ("stereo.wav", "pcm_s16le", "s16", "stereo"),  # interleaved: one plane read in place
    ("stereo.m4a", "aac", "fltp", "stereo"),  # two planes
    ("surround.flac", "flac", "s16", "5.1"),
    ("mono.wav", "pcm_s16le", "s16", "mono"),
])
def test_blocks_resampled_at_once_match_the_whole_decode(spoken, tmp_path, name: str,  # noqa: ANN001
                                                         codec: str, fmt: str,
                                                         layout: str) -> None:
    """``media.stream`` gathers a block of frames before resampling it: the samples are the
    very ones ``decode`` (a frame at a time) gives, whatever the channels and format."""
    speech = media.decode(spoken[0], 44100)[: 44100 * 6]
    channels = len(av.AudioLayout(layout).channels)
    audio = np.stack([np.roll(speech, 441 * c) * (1 - 0.1 * c) for c in range(channels)])
    path = write_channels(tmp_path / name, audio.astype(np.float32), 44100, codec, fmt, layout)
    whole = media.decode(path)
    joined = np.concatenate(list(media.stream(path, RATE, block_s=1.0)))
    assert np.array_equal(joined, whole)


def frame_at_a_time(path: Path, keep_channels: bool) -> np.ndarray:
    """What ``media.decode`` gave before it gathered frames: each frame resampled alone."""
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        layout = media._layout_name(stream.codec_context) if keep_channels else "mono"
        resampler = av.AudioResampler(format="s16p", layout=layout, rate=RATE)
        parts = []
        for frame in container.decode(stream):
            frame.pts = None
            parts += [out.to_ndarray() for out in resampler.resample(frame)]
        parts += [out.to_ndarray() for out in resampler.resample(None)]
    return np.concatenate(parts, axis=1).astype(np.float32) / 32768.0


@pytest.mark.parametrize(("name", "codec", "fmt", "layout"), [
    ("stereo.wav", "pcm_s16le", "s16", "stereo"),
    ("stereo.m4a", "aac", "fltp", "stereo"),
    ("surround.flac", "flac", "s16", "5.1"),
    ("mono.wav", "pcm_s16le", "s16", "mono"),
])
@pytest.mark.parametrize("block_s", [0.7, media.DECODE_BLOCK_S])
def test_decode_in_blocks_is_sample_identical(spoken, tmp_path, monkeypatch, name: str,  # noqa: ANN001
                                              codec: str, fmt: str, layout: str,
                                              block_s: float) -> None:
    """``media.decode`` (transcription's input) resamples gathered blocks, not frame by frame:
    the very same samples, mixed down or channels kept, with block ends anywhere."""
    speech = np.tile(media.decode(spoken[0], 44100), 2)[: 44100 * 25]  # over two 10 s blocks
    channels = len(av.AudioLayout(layout).channels)
    audio = np.stack([np.roll(speech, 441 * c) * (1 - 0.1 * c) for c in range(channels)])
    path = write_channels(tmp_path / name, audio.astype(np.float32), 44100, codec, fmt, layout)
    monkeypatch.setattr(media, "DECODE_BLOCK_S", block_s)
    assert np.array_equal(media.decode(path), frame_at_a_time(path, False)[0])
    assert np.array_equal(media.decode_channels(path), frame_at_a_time(path, True))


@pytest.mark.parametrize("keep_aac", [False, True])
def test_the_check_seeks_to_the_same_samples(spoken, tmp_path, monkeypatch,  # noqa: ANN001
                                             keep_aac: bool) -> None:
    """What the check decodes by seeking to each neighbourhood is sample for sample what a
    player going through the whole file hears, and only a small part of the file: the 16 kHz
    copy, and the original's own 48 kHz packets kept (resampled from a little before each
    range). (Kept packets with noise substitution decode to other noise after a seek, as in
    any player; the original here has none.)"""
    source = long_speech(spoken, tmp_path / "long.m4a", pns=False)
    seconds, _ = audio_format.render(source, tmp_path / "a.m4a", [Stretch(2.0, 3.0)],
                                     AudioOptions(keep_aac=keep_aac))
    assert media.probe(tmp_path / "a.m4a").sample_rate == (48000 if keep_aac else RATE)
    whole = np.concatenate(list(media.stream(tmp_path / "a.m4a", RATE)))
    assert 0 <= len(whole) - round(seconds * RATE) < 1024  # the last frame's padding
    ranges = [(0, 800), (round(9.3 * RATE), round(11.1 * RATE)), (round(30 * RATE), 30 * RATE + 1),
              (round(45.7 * RATE), round(47.0 * RATE)), (len(whole) - RATE, 1 << 62)]

    def whole_file(*_args, **_kwargs):  # noqa: ANN202 - the fault: reading it all
        raise AssertionError("the written file was decoded whole, not sought")

    with monkeypatch.context() as patched:
        patched.setattr(media, "stream", whole_file)
        pieces = list(media.stream_ranges(tmp_path / "a.m4a", ranges, RATE))
    got = np.zeros(len(whole), bool)
    for n0, block in pieces:
        assert np.array_equal(block, whole[n0:n0 + len(block)]), n0
        got[n0:n0 + len(block)] = True
    assert all(got[a:min(b, len(whole))].all() for a, b in ranges)
    assert got.sum() < 0.15 * len(whole)
    # A file that cannot be sought to its samples (another rate) is read whole: same samples.
    wav = tmp_path / "speech.wav"
    shutil.copy(spoken[0], wav)
    full = media.decode(wav)
    for n0, block in media.stream_ranges(wav, [(100, 5000), (RATE * 9, RATE * 10)], 8000):
        assert np.array_equal(block, media.decode(wav, 8000)[n0:n0 + len(block)])
    assert len(full)


@pytest.mark.parametrize("cover", list(Cover))
def test_level_check_seeking_still_catches_what_is_heard(spoken, tmp_path,  # noqa: ANN001
                                                          cover: Cover) -> None:
    """A fault injected by writing a bad file: stretches far apart (each reached by a seek)
    that the render left uncovered are each refused; the covered ones pass."""
    source = long_speech(spoken, tmp_path / "long.m4a")
    raw = [Stretch(t, t + 0.8) for t in (1.2, 9.0, 20.5, 33.0, 47.2)]
    options = AudioOptions(cover=cover, snap_s=0)
    target = tmp_path / "bad.m4a"
    seconds, covered = audio_format.render(source, target, raw[::2], options)
    problems = audio_format.verify(target, raw, [], seconds, options)
    where = sorted(p.part for p in problems)
    assert len(problems) == 2, where
    assert all(audio_format.hms(s.start) in " ".join(where) for s in raw[1::2])
    assert not audio_format.verify(target, covered, [], seconds, options)


def test_a_file_shorter_than_the_recording_is_refused(spoken, tmp_path) -> None:  # noqa: ANN001
    source = long_speech(spoken, tmp_path / "long.m4a", copies=2)
    seconds, covered = audio_format.render(source, tmp_path / "a.m4a", [Stretch(2.0, 3.0)])
    problems = audio_format.verify(tmp_path / "a.m4a", covered, [], seconds + 5.0)
    assert [p.part for p in problems] == [
        f"audio that ends before {seconds + 4.0:.1f} s where the recording lasts "
        f"{seconds + 5.0:.1f} s"]
    assert not audio_format.verify(tmp_path / "a.m4a", covered, [], seconds)


def test_anonymised_audio_keeps_the_timeline(spoken, tmp_path) -> None:  # noqa: ANN001
    """Coding apps sync the transcript by time: the anonymised audio (16 kHz) lasts what the
    original (48 kHz Teams-like AAC) lasts, to the sample of the app's 16 kHz timeline, and a
    covered stretch sits where it was."""
    source = long_speech(spoken, tmp_path / "long.m4a", copies=2)
    stretch = Stretch(4.0, 5.0)
    seconds, _ = audio_format.render(source, tmp_path / "a.m4a", [stretch],
                                     AudioOptions(cover=Cover.SILENCE, snap_s=0))
    original, anonymised = media.decode(source), media.decode(tmp_path / "a.m4a")
    # The container states the length to the millisecond, and players end there; FFmpeg's
    # decoder hands out the last AAC frame whole (original: 48 kHz padding; copy: 16 kHz).
    assert seconds == pytest.approx(media.probe(source).duration, abs=1 / RATE)
    assert abs(media.probe(tmp_path / "a.m4a").duration - seconds) < 0.002
    n = round(seconds * RATE)
    assert 0 <= len(original) - n < 0.05 * RATE and 0 <= len(anonymised) - n < 1024
    assert not np.any(anonymised[n + 200:])
    a, b = round(stretch.start * RATE), round(stretch.end * RATE)
    assert np.sqrt(np.mean(anonymised[a + 800:b - 800] ** 2)) < 10 ** (-50 / 20)

    def loudest(lo: int, hi: int) -> int:
        return lo + 2400 * int(np.argmax([np.sum(original[k:k + 2400] ** 2)
                                          for k in range(lo, hi - 2400, 2400)]))

    # Elsewhere (the loudest speech before, after, and at the end): the same, not shifted.
    for at in (loudest(a - 2 * RATE, a - 800), loudest(b + 800, b + 2 * RATE),
               loudest(n - 10 * RATE, n)):
        x, y = original[at:at + 2400], anonymised[at - 40:at + 2440]
        lags = [float(np.dot(x, y[k:k + 2400])) for k in range(81)]
        assert int(np.argmax(lags)) == 40, at
        assert np.sqrt(np.mean((y[40:2440] - x) ** 2)) < 0.1 * np.sqrt(np.mean(x ** 2))


def test_stop_during_the_check_leaves_nothing(spoken, tmp_path) -> None:  # noqa: ANN001
    """Stop pressed while the written file is being checked (seeking from stretch to
    stretch): ``Cancelled`` within a stretch, and no file under any name is left."""
    source = long_speech(spoken, tmp_path / "long.m4a")
    token = CancelToken()
    seen: list[float] = []

    def progress(stage: str, share: float) -> None:
        if stage == "audio check":
            seen.append(share)
            token.cancel()

    coverage = Coverage([Stretch(t, t + 0.8) for t in (5.0, 20.0, 40.0)], 3)
    out = tmp_path / "out"
    with pytest.raises(Cancelled):
        export.export_audio(source, coverage, out, "a", NAMES, progress=progress, cancel=token)
    assert len(seen) == 1 and seen[0] < 0.5
    assert list(out.iterdir()) == []


# -- the original's AAC packets kept (mono AAC-LC originals, like Teams) --------------------

def aac_packets(path: Path) -> dict[int, bytes]:
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        return {p.pts: bytes(p) for p in container.demux(stream) if p.dts is not None}


def test_a_teams_like_original_keeps_its_own_packets(spoken, tmp_path) -> None:  # noqa: ANN001
    """A mono AAC-LC original keeps its packets, rate and timeline; only the packets around
    each covered stretch are new, the stretches covered are those of the whole encode, and
    the written file passes its level check."""
    source = long_speech(spoken, tmp_path / "long.m4a")
    stretches = [Stretch(2.0, 3.0), Stretch(20.4, 21.0), Stretch(21.3, 22.0), Stretch(40.2, 41.0)]
    options = AudioOptions(cover=Cover.SILENCE)
    seconds, covered = audio_format.render(source, tmp_path / "kept.m4a", stretches, options)
    whole_s, whole_covered = audio_format.render(
        source, tmp_path / "whole.m4a", stretches, AudioOptions(cover=Cover.SILENCE,
                                                                keep_aac=False))
    assert covered == whole_covered and seconds == pytest.approx(whole_s, abs=1 / RATE)
    assert media.probe(tmp_path / "kept.m4a").sample_rate == 48000
    assert not audio_format.verify(tmp_path / "kept.m4a", covered, [], seconds, options)
    before, after = aac_packets(source), aac_packets(tmp_path / "kept.m4a")
    assert after.keys() == before.keys()
    frame = audio_format.AAC_FRAME
    near = [(s.start * 48000 - (audio_format.KEEP_PAD + 1) * frame,
             s.end * 48000 + audio_format.KEEP_PAD * frame) for s in covered]
    changed = [t for t in before if before[t] != after[t]]
    assert changed and all(any(a <= t < b for a, b in near) for t in changed)
    assert len(changed) < 0.06 * len(before)


def test_kept_packets_meet_the_new_ones_cleanly(spoken, tmp_path) -> None:  # noqa: ANN001
    """At the seams (speech either side, encoded again on one), the copy differs from the
    original far less than the whole 16 kHz encode does there (measured: -46 against -33 dB
    on the bench's speech); elsewhere it is the original, sample for sample."""
    source = long_speech(spoken, tmp_path / "long.m4a", pns=False)
    options = AudioOptions(cover=Cover.SILENCE, snap_s=0)
    stretches = [Stretch(t, t + 0.5) for t in (3.1, 11.7, 25.2, 40.9)]
    audio_format.render(source, tmp_path / "kept.m4a", stretches, options)
    audio_format.render(source, tmp_path / "whole.m4a", stretches,
                        AudioOptions(cover=Cover.SILENCE, snap_s=0, keep_aac=False))
    original = media.decode(source)
    kept, whole = media.decode(tmp_path / "kept.m4a"), media.decode(tmp_path / "whole.m4a")
    step = audio_format.AAC_FRAME / 48000
    seams = []
    for s in stretches:
        first = (math.floor(s.start / step) - audio_format.KEEP_PAD - 1) * step
        last = (math.ceil(s.end / step) + audio_format.KEEP_PAD + 1) * step
        seams += [(round(first * RATE), round((s.start - 0.01) * RATE)),
                  (round((s.end + 0.01) * RATE), round(last * RATE))]

    def error_db(copy: np.ndarray, spans: list[tuple[int, int]]) -> float:
        err = sum(float(np.sum((copy[a:b] - original[a:b]) ** 2)) for a, b in spans)
        return 10 * math.log10(err / sum(float(np.sum(original[a:b] ** 2)) for a, b in spans))

    assert error_db(kept, seams) < error_db(whole, seams) - 6.0
    assert error_db(kept, seams) < -35.0
    away = [(round((s.end + 0.3) * RATE), round((t.start - 0.3) * RATE))
            for s, t in zip(stretches, stretches[1:], strict=False)]
    assert all(np.array_equal(kept[a:b], original[a:b]) for a, b in away)


@pytest.mark.parametrize("name", ["interview.mp4", "interview.wav", "batch_2.mp3"])
def test_other_originals_are_encoded_whole(speech_dir: Path, tmp_path, name: str) -> None:  # noqa: ANN001
    """Stereo AAC (mixed down), PCM, MP3: nothing to keep, the whole is encoded at 16 kHz."""
    seconds, covered = audio_format.render(speech_dir / name, tmp_path / "a.m4a",
                                           [Stretch(0.5, 1.2)])
    assert media.probe(tmp_path / "a.m4a").sample_rate == RATE
    assert not audio_format.verify(tmp_path / "a.m4a", covered, [], seconds)


def test_packets_that_cannot_be_followed_are_encoded_whole(spoken, tmp_path,  # noqa: ANN001
                                                            monkeypatch) -> None:
    """The fault: the original's timestamps turn out unusable half-way through the copy; the
    file is then written again, encoded whole, under the same name, and checks out."""
    source = long_speech(spoken, tmp_path / "long.m4a", copies=2)
    regions = audio_format._kept_regions

    def failing(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        yield next(regions(*args, **kwargs))
        raise audio_format._NotKept

    monkeypatch.setattr(audio_format, "_kept_regions", failing)
    stretches = [Stretch(2.0, 3.0), Stretch(9.0, 9.5)]
    seconds, covered = audio_format.render(source, tmp_path / "a.m4a", stretches)
    assert media.probe(tmp_path / "a.m4a").sample_rate == RATE
    assert not audio_format.verify(tmp_path / "a.m4a", covered, [], seconds)


# On the AAC copy of the planted speech tiny.en writes "My name is" twice for the packed
# window with "Hannah Price" left audible, whether the original's packets are kept or the
# whole is encoded at 16 kHz (measured both ways): the listener's miss, not the packets'.
AAC_MISS = pytest.mark.xfail(strict=True, reason="tiny.en mishears the AAC copy's window "
                             "(the whole 16 kHz encode too)")


@pytest.mark.parametrize("missed", [NAMES[0], pytest.param(NAMES[1], marks=AAC_MISS),
                                    NAMES[2]])
def test_the_listener_hears_a_name_left_whole_in_kept_packets(spoken, tiny_transcriber,  # noqa: ANN001
                                                              tmp_path, missed: str) -> None:
    """The listening check on a Teams-like original (48 kHz AAC, its packets kept): one name's
    stretch shifted past it, the name is heard in the kept original and the file refused."""
    source = long_speech(spoken, tmp_path / "teams.m4a", copies=1)
    stretches, options = shifted_name(spoken, missed)
    out = tmp_path / "out"
    with pytest.raises(export.AudioCheckError) as caught:
        export.export_audio(source, Coverage(stretches, 3), out, "interview-01", NAMES,
                            options, audio_format.recogniser_for(tiny_transcriber))
    assert "still heard" in str(caught.value)
    assert list(out.iterdir()) == []


def test_kept_packets_carry_no_metadata_of_the_original(spoken, tmp_path) -> None:  # noqa: ANN001
    """The original's packets are copied, its tags are not: a title and a track name naming
    the participant stay out of the anonymised file."""
    speech = media.decode(spoken[0], 48000)
    path = tmp_path / "tagged.m4a"
    with av.open(str(path), "w", format="ipod") as out:
        out.metadata["title"] = "Interview Rachel Morgan"
        stream = out.add_stream("aac", rate=48000, layout="mono")
        stream.metadata["handler_name"] = "Rachel Morgan"
        frame = av.AudioFrame.from_ndarray(speech[None, :], format="fltp", layout="mono")
        frame.sample_rate = 48000
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    audio_format.render(path, tmp_path / "a.m4a", [Stretch(1.0, 2.0)])
    assert media.probe(tmp_path / "a.m4a").sample_rate == 48000  # the packets were kept
    assert b"Rachel" not in (tmp_path / "a.m4a").read_bytes()


def test_quiet_is_left_out_of_what_the_listener_hears() -> None:
    """Of a neighbourhood the recogniser is given its sound whole, ``QUIET_KEEP_S`` of quiet
    beside it at the ends, and of a long pause inside only ``QUIET_PAUSE_S``; a neighbourhood
    with no sound at all is not given to it."""
    def tone(seconds: float) -> np.ndarray:
        t = np.arange(round(seconds * RATE)) / RATE
        return (0.1 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)

    def quiet(seconds: float) -> np.ndarray:  # -80 dBFS: below ``QUIET``, not digital zero
        return np.full(round(seconds * RATE), 1e-4, np.float32)

    parts = [quiet(0.5), tone(0.4), quiet(0.8), tone(0.3), quiet(0.2)]
    clip = audio_format._Clip(0, 0, parts=list(parts), n=sum(len(p) for p in parts))
    assert clip.audible(RATE)
    (heard,) = clip.parts
    keep, pause = audio_format.QUIET_KEEP_S, audio_format.QUIET_PAUSE_S
    assert len(heard) == clip.n == round((keep + 0.4 + pause + 0.3 + keep) * RATE)
    whole = np.concatenate(parts)
    assert np.count_nonzero(np.abs(heard) > 0.01) == np.count_nonzero(np.abs(whole) > 0.01)
    silent = audio_format._Clip(0, 0, parts=[quiet(2.0)], n=round(2.0 * RATE))
    assert not silent.audible(RATE) and silent.n == 0


def test_a_neighbourhood_of_silence_is_not_listened_to(spoken, tmp_path) -> None:  # noqa: ANN001
    """Silence covered with silence in silence: checked by level, nothing for the recogniser;
    a stretch in speech beside it is still heard."""
    speech = media.decode(spoken[0])[:round(3.0 * RATE)]
    source = tmp_path / "pause.wav"
    audio = np.concatenate([speech, np.zeros(6 * RATE, np.float32), speech])
    write_wav(source, audio)
    options = AudioOptions(cover=Cover.SILENCE, snap_s=0)
    stretches = [Stretch(5.5, 6.5), Stretch(10.0, 10.6)]  # in the pause; in the speech after
    target = tmp_path / "a.m4a"
    written, covered = audio_format.render(source, target, stretches, options)
    heard: list[float] = []

    def recogniser(window: np.ndarray, starts: list[float]) -> str:
        heard.extend(starts)
        return ""

    assert audio_format.verify(target, covered, NAMES, written, options, recogniser) == []
    assert heard == [0.0]  # one neighbourhood: the one in speech


def test_a_name_heard_only_in_the_whole_window_is_still_reported(tmp_path) -> None:
    """The check halves a window that holds a name to find where; a name heard in the whole
    window but in neither half is still reported (with the whole group), even when another
    name is found in a half. (base, GENERIC kernels: "clinic in Bradford" in the window, only
    "Doctor Helen" in its half, and Bradford went unreported.)"""
    t = np.arange(round(2.0 * RATE)) / RATE
    sound = (0.1 * np.sin(2 * np.pi * 300 * t)).astype(np.float32)
    audio = np.concatenate([sound, np.zeros(6 * RATE, np.float32), sound])
    source = tmp_path / "two.wav"
    write_wav(source, audio)
    options = AudioOptions(cover=Cover.SILENCE, snap_s=0)
    stretches = [Stretch(0.8, 1.2), Stretch(8.8, 9.2)]  # two neighbourhoods, one window
    target = tmp_path / "a.m4a"
    written, covered = audio_format.render(source, target, stretches, options)
    said = iter(["Morgan, at the clinic in Bradford.", "Morgan.", "at the clinic in black."])

    def recogniser(window: np.ndarray, starts: list[float]) -> str:
        return next(said)  # the window; its first half; its second half

    leaks = audio_format.verify(target, covered, NAMES, written, options, recogniser)
    assert sorted(NAMES[leak.term] for leak in leaks) == ["Bradford", "Rachel Morgan"]
    assert next(said, None) is None


def dense_against_whole(planted, model, tmp_path: Path, missed: str,  # noqa: ANN001
                        originals: list[str] = NAMES) -> set[str]:
    """With ``missed`` left audible in ``planted``: every name the recogniser hears in the
    whole neighbourhoods (the packing before) it also hears in the dense windows, and the
    dense window is shorter by more than half a second (its pauses were left out). Returns
    the names heard in the whole neighbourhoods."""
    source = planted[0]
    stretches, options = shifted_name(planted, missed)
    target = tmp_path / "a.m4a"
    written, covered = audio_format.render(source, target, stretches, options)

    def names(dense: bool) -> tuple[set[str], float]:
        listener = audio_format.recogniser_for(model)
        seconds: list[float] = []

        def recogniser(window: np.ndarray, starts: list[float]) -> str:
            seconds.append(len(window) / RATE)
            return listener(window, starts)

        leaks = audio_format.verify(target, covered, originals, written,
                                    dataclasses.replace(options, dense_listening=dense),
                                    recogniser)
        return {originals[leak.term] for leak in leaks if leak.term >= 0}, seconds[0]

    (whole, whole_s), (dense, dense_s) = names(False), names(True)
    assert whole <= dense, (missed, whole, dense)
    tail = audio_format.TAIL_GAP_S - audio_format.DENSE_GAP_S
    assert dense_s - tail < whole_s - 0.5, (dense_s, whole_s)
    return whole


@pytest.mark.parametrize("missed", HEARD_NAMES)
def test_dense_windows_hear_every_name_whole_neighbourhoods_do(heard_spoken, listening_model,  # noqa: ANN001
                                                               tmp_path, missed: str) -> None:
    """Leaving the quiet out (fewer windows) must not make the check hear less: on the planted
    speech with one name left audible, every name the recogniser hears in the whole
    neighbourhoods (the packing before) it also hears in the dense windows, which are
    shorter. (On the bench hour: 8 windows became 6, and the share of the words each part
    heard alone gives that the windows hold went from 0.47 to 0.52.)"""
    whole = dense_against_whole(heard_spoken, listening_model, tmp_path, missed, HEARD_NAMES)
    assert missed in whole  # heard: else "whole <= dense" could hold with nothing heard


def test_the_listener_is_the_model_already_in_memory(tiny_transcriber) -> None:  # noqa: ANN001
    """The export's listener uses the model that transcribed (a batch, the app's session)
    instead of loading a second copy of it."""
    exporting.default_recogniser.cache_clear()
    try:
        assert exporting.default_recogniser("tiny.en").whisper is tiny_transcriber.whisper
    finally:
        exporting.default_recogniser.cache_clear()


def noise(seconds: float, dbfs: float, seed: int = 5) -> np.ndarray:
    """White noise of RMS ``dbfs``: a room's or a call's floor."""
    rng = np.random.default_rng(seed)
    return rng.normal(0.0, 10 ** (dbfs / 20), round(seconds * RATE)).astype(np.float32)


def test_quiet_is_relative_to_the_recordings_own_floor() -> None:
    """Over a -45 dBFS floor (no digital silence anywhere) the pauses are still quiet and
    shortened as over silence, while a soft sound 17 dB under the loud one is kept whole."""
    def tone(seconds: float, amplitude: float = 0.1) -> np.ndarray:
        t = np.arange(round(seconds * RATE)) / RATE
        return (amplitude * np.sin(2 * np.pi * 300 * t)).astype(np.float32)

    soft = 0.1 * 10 ** (-17 / 20)
    parts = [tone(0.4), tone(0.5, soft), tone(0.3)]
    floor = [noise(0.5, -45, 1), noise(0.8, -45, 2), noise(0.8, -45, 3), noise(0.2, -45, 4)]
    mixed = [floor[0], parts[0] + noise(0.4, -45, 6), floor[1],
             parts[1] + noise(0.5, -45, 7), floor[2], parts[2] + noise(0.3, -45, 8), floor[3]]
    clip = audio_format._Clip(0, 0, parts=list(mixed), n=sum(len(p) for p in mixed))
    assert clip.audible(RATE)
    keep, pause = audio_format.QUIET_KEEP_S, audio_format.QUIET_PAUSE_S
    assert len(clip.parts[0]) == round((keep + 0.4 + pause + 0.5 + pause + 0.3 + keep) * RATE)
    only_floor = audio_format._Clip(0, 0, parts=[noise(2.0, -45)], n=round(2.0 * RATE))
    assert only_floor.audible(RATE) and only_floor.n == round(2.0 * RATE)  # nothing to go by
    loud_floor = np.concatenate([noise(1.0, -30), tone(0.5) + noise(0.5, -30), noise(1.0, -30)])
    capped = audio_format._Clip(0, 0, parts=[loud_floor], n=len(loud_floor))
    assert capped.audible(RATE) and capped.n == len(loud_floor)  # -30 dBFS is never quiet


@pytest.fixture(scope="module")
def noisy(spoken, tmp_path_factory):  # noqa: ANN001, ANN201
    """The planted-names speech with a -45 dBFS floor over it, pauses included (a real
    recording's pauses are not digital silence), with the same transcript and findings."""
    source, raw, findings = spoken
    audio = media.decode(source)
    audio = audio + noise(len(audio) / RATE, -45)
    path = tmp_path_factory.mktemp("noisy") / "Interview noisy.wav"
    write_wav(path, audio)
    return path, raw, findings


@pytest.mark.parametrize("missed", NAMES)
def test_dense_windows_leave_out_a_noisy_pause_and_hear_every_name(noisy, listening_model,  # noqa: ANN001
                                                                    tmp_path,
                                                                    missed: str) -> None:
    """As ``test_dense_windows_hear_every_name_whole_neighbourhoods_do`` over a -45 dBFS
    floor: the pauses are left out all the same (a fixed -60 dBFS quiet kept them all), and
    every name heard in the whole neighbourhoods is heard in the dense windows."""
    dense_against_whole(noisy, listening_model, tmp_path, missed)
