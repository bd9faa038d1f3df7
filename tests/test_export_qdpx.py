"""REFI-QDA .qdpx: unzipped, validated against the REFI schema, and read back."""

from __future__ import annotations

import math
import struct
import wave
import zipfile
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from anonyscribe.export import ExportError, LeakError, export_study
from anonyscribe.export.qdpx import QdpxItem, QdpxOptions, write_qdpx
from test_export_common import SHARED, assert_no_original, expected_turns, sample

NS = {"q": "urn:QDA-XML:project:1.0"}
XSD = SHARED / "data" / "refi-qda" / "project.xsd"


def _schema() -> etree.XMLSchema:
    if not XSD.is_file():
        pytest.skip(f"REFI-QDA schema not found at {XSD}")
    return etree.XMLSchema(etree.parse(str(XSD)))


def _tone(path: Path, seconds: float = 0.4, title: str = "") -> Path:
    """A short real 16 kHz WAV; ``title`` adds a RIFF INFO tag as recorders write them."""
    rate = 16000
    frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate)))
                      for i in range(int(rate * seconds)))
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)
    if title:
        value = title.encode() + b"\0"
        value += b"\0" * (len(value) % 2)
        chunk = b"INFO" + b"INAM" + struct.pack("<I", len(value)) + value
        data = path.read_bytes() + b"LIST" + struct.pack("<I", len(chunk)) + chunk
        path.write_bytes(data[:4] + struct.pack("<I", len(data) - 8) + data[8:])
    return path


def _open(path: Path) -> tuple[zipfile.ZipFile, etree._Element]:
    zf = zipfile.ZipFile(path)
    root = etree.fromstring(zf.read("project.qde"))
    _schema().assertValid(root)
    return zf, root


def _internal(zf: zipfile.ZipFile, ref: str) -> bytes:
    assert ref.startswith("internal://")
    return zf.read("Sources/" + ref[len("internal://"):])


def test_study_project_validates_and_holds_every_transcript(tmp_path):
    a, b = sample(), sample("Focus group Sarah Thompson.m4a")
    (path,) = export_study("qdpx", [("interview-001", a.anonymised), ("interview-002",
                           b.anonymised)], tmp_path, name="ward-study", originals=a.originals)
    assert path.name == "ward-study.qdpx"
    zf, root = _open(path)
    assert root.get("name") == "ward-study"
    sources = root.findall("q:Sources/q:TextSource", NS)
    assert [s.get("name") for s in sources] == ["interview-001", "interview-002"]
    assert root.find(".//q:AudioSource", NS) is None and root.find(".//q:VideoSource", NS) is None
    assert not [n for n in zf.namelist() if not n.endswith((".qde", ".txt"))]
    for source in sources:
        text = _internal(zf, source.get("plainTextPath")).decode("utf-8")
        lines = text.rstrip("\n").split("\n")
        assert lines == [f"{t[0]}: {t[3]}" for t in expected_turns(a)]
        assert_no_original(text, a.originals)
    everything = b" ".join(zf.read(n) for n in zf.namelist()).decode("utf-8")
    assert_no_original(everything, a.originals)
    assert "Sarah Thompson" not in everything and "Meeting" not in everything


def test_media_only_on_request_with_sync_points(tmp_path):
    s = sample()
    wav = _tone(tmp_path / "Interview with Jane Smith.wav")
    out = tmp_path / "out"
    (path,) = export_study("qdpx", [("interview-001", s.anonymised)], out,
                           originals=s.originals, media={"interview-001": wav})
    zf, root = _open(path)
    (audio,) = root.findall("q:Sources/q:AudioSource", NS)
    assert audio.get("name") == "interview-001"
    assert _internal(zf, audio.get("path")) == wav.read_bytes()
    assert audio.get("path").endswith(".wav") and "Jane" not in audio.get("path")
    (transcript,) = audio.findall("q:Transcript", NS)
    text = _internal(zf, transcript.get("plainTextPath")).decode("utf-8")
    points = transcript.findall("q:SyncPoint", NS)
    turns = expected_turns(s)
    assert len(points) == 2 * len(turns)
    for (start_pt, end_pt), (speaker, start, end, said) in zip(
            zip(points[::2], points[1::2], strict=True), turns, strict=True):
        pos0, pos1 = int(start_pt.get("position")), int(end_pt.get("position"))
        assert text[pos0:pos1] == f"{speaker}: {said}"
        assert int(start_pt.get("timeStamp")) == round(start * 1000)
        assert int(end_pt.get("timeStamp")) == round(end * 1000)
    stamps = [int(p.get("timeStamp")) for p in points]
    assert stamps == sorted(stamps) and stamps[-1] > 3_600_000


def test_video_file_becomes_video_source(tmp_path):
    s = sample()
    clip = tmp_path / "clip.mp4"
    clip.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(64))
    path = tmp_path / "v.qdpx"
    write_qdpx([QdpxItem("interview-001", s.anonymised, clip)], path,
               QdpxOptions(include_media=True))
    _zf, root = _open(path)
    assert root.find("q:Sources/q:VideoSource", NS) is not None


def test_variables_and_speaker_roles_become_cases(tmp_path):
    s = sample()
    (path,) = export_study(
        "qdpx", [("interview-001", s.anonymised), ("interview-002", s.anonymised)], tmp_path,
        originals=s.originals,
        variables={"interview-001": {"Recording date": date(2023, 10, 12), "Site": "A",
                                     "Age band": 40},
                   "interview-002": {"Recording date": date(2023, 11, 2), "Site": "B",
                                     "Age band": 50}},
        speaker_roles={"interview-001": {"[Person 1]": "Ward sister",
                                         "Interviewer": "Researcher"},
                       "interview-002": {"[Person 1]": "Ward sister"}})
    _zf, root = _open(path)
    variables = {v.get("name"): v.get("typeOfVariable")
                 for v in root.findall("q:Variables/q:Variable", NS)}
    assert variables == {"Recording date": "Date", "Site": "Text", "Age band": "Integer",
                         "Role": "Text"}
    cases = {c.get("name"): c for c in root.findall("q:Cases/q:Case", NS)}
    assert set(cases) == {"interview-001", "interview-002", "[Person 1]", "Interviewer"}
    assert cases["interview-001"].find(".//q:DateValue", NS).text == "2023-10-12"
    sources = {s.get("guid") for s in root.findall("q:Sources/q:TextSource", NS)}
    person_refs = {r.get("targetGUID") for r in cases["[Person 1]"].findall("q:SourceRef", NS)}
    assert person_refs == sources  # the same pseudonym across both recordings
    assert cases["Interviewer"].find(".//q:TextValue", NS).text == "Researcher"


def test_recording_whose_tags_name_the_participant_is_refused(tmp_path):
    s = sample()
    wav = _tone(tmp_path / "r.wav", title="Interview with Jane Smith")
    out = tmp_path / "out"
    with pytest.raises(LeakError) as err:
        export_study("qdpx", [("interview-001", s.anonymised)], out, originals=s.originals,
                     media={"interview-001": wav})
    assert "qdpx" in str(err.value)
    assert_no_original(str(err.value), s.originals)
    assert list(out.iterdir()) == []


def test_missing_media_and_empty_study_are_clear_errors(tmp_path):
    s = sample()
    with pytest.raises(ExportError, match="not found"):
        write_qdpx([QdpxItem("a", s.anonymised, tmp_path / "gone.wav")], tmp_path / "p.qdpx",
                   QdpxOptions(include_media=True))
    with pytest.raises(ExportError, match="at least one"):
        write_qdpx([], tmp_path / "p.qdpx")
    with pytest.raises(ValueError, match="qdpx"):
        export_study("nvivo", [("a", s.anonymised)], tmp_path)
