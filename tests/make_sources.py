"""Real files for the text-source tests, made with python-docx, openpyxl and csv.

Layouts follow what the tools write: Teams' new .docx ("Name   0:03" then the text), Teams'
.vtt (cue ids, ``<v Name>`` voices), a transcription service's "Name: text" .docx, and a
Microsoft Forms .xlsx (ID, Start time, Completion time, Email, Name, then the questions).
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path

import docx
import openpyxl

FIRST = ["Amara", "Priya", "Kwame", "Grace", "Tunde", "Mei", "Farah", "Daniel", "Sunita",
         "Joseph", "Olu", "Nadia"]
LAST = ["Okafor", "Patel", "Mensah", "Adeyemi", "Chen", "Hussain", "Hughes", "Sharma",
        "Boateng", "Nwosu", "Campbell", "Osei"]
SITES = ["Leeds Teaching Hospitals", "Barts Health", "Bradford Royal Infirmary"]
FORMS_HEADER = ["ID", "Start time", "Completion time", "Email", "Name",
                "Which programme did you attend?", "How would you rate it (1-5)?",
                "What barriers to progression have you experienced?",
                "What should the Trust do next?"]

TEAMS_TURNS = [
    ("Price, Hannah (Leeds Teaching Hospitals)", "0:03",
     "Thanks for joining. Could you say a little about your role?"),
    ("Marcus Whitfield", "0:09", "Sure. I'm a charge nurse on ward 12 and I started in 2019."),
    ("Marcus Whitfield", "0:15", "Before that I was at Barts Health for six years."),
    ("Price, Hannah (Leeds Teaching Hospitals)", "0:24",
     "And did the Stepping Up programme help?"),
    ("Marcus Whitfield", "0:31", "It did. My sponsor, Angela Brookes, put me forward."),
]


def teams_docx(path: Path) -> Path:
    """Teams' new .docx layout: title, date line, then "Name   m:ss" and the text."""
    d = docx.Document()
    d.add_paragraph("Interview with Marcus Whitfield-20240312_101500-Meeting Recording")
    d.add_paragraph("March 12, 2024, 10:15AM")
    d.add_paragraph("38s")
    for name, at, text in TEAMS_TURNS:
        d.add_paragraph(f"{name}   {at}")
        d.add_paragraph(text)
    d.add_paragraph("Price, Hannah (Leeds Teaching Hospitals) stopped transcription")
    d.save(str(path))
    return path


def teams_vtt(path: Path) -> Path:
    """Teams' .vtt: WEBVTT, cue ids, <v Name> voices; the same meeting as ``teams_docx``."""
    blocks = ["WEBVTT", ""]
    for k, (name, at, text) in enumerate(TEAMS_TURNS):
        m, s = (int(x) for x in at.split(":"))
        start = m * 60 + s
        end = start + 5.5
        blocks += [f"3f0c7d2a-1b90/{k + 1}-0",
                   f"00:00:{start:02d}.000 --> 00:00:{int(end):02d}.500",
                   f"<v {name}>{text}</v>", ""]
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path


SERVICE_LINES = [
    ("Interviewer", "Thank you for agreeing to take part. Can you tell me about your team?"),
    ("Joanne Fairbairn", "I manage the district nursing team in Wakefield, about twenty staff."),
    ("Interviewer", "What has helped you most?"),
    ("Joanne Fairbairn", "Honestly my mentor, Dr Samuel Okoro, and the leadership course."),
    ("Interviewer", "Thank you."),
]


def service_docx(path: Path) -> Path:
    """A transcription service's .docx: a title, then "Name: text" paragraphs (bold name)."""
    d = docx.Document()
    d.add_heading("Interview 7 - Joanne Fairbairn - 14 May 2024", level=1)
    for name, text in SERVICE_LINES:
        p = d.add_paragraph()
        p.add_run(f"{name}:").bold = True
        p.add_run(f" {text}")
    d.save(str(path))
    return path


def forms_rows(n: int = 200, seed: int = 7) -> list[list[object]]:
    """Forms-style responses; every third barrier answer names a manager and a trust, one in
    five "next" answers is empty."""
    rnd = random.Random(seed)
    rows: list[list[object]] = []
    for i in range(n):
        first, last = rnd.choice(FIRST), rnd.choice(LAST)
        start = dt.datetime(2024, 3, 1, 9, 0) + dt.timedelta(minutes=37 * i)
        if i % 3 == 0:
            barrier = (f"My line manager {rnd.choice(FIRST)} {rnd.choice(LAST)} at "
                       f"{rnd.choice(SITES)} never put me forward for band {6 + i % 3} roles.")
        else:
            barrier = rnd.choice([
                "Lack of sponsorship from senior leaders, and no feedback after interviews.",
                "I was told I was not ready, again and again, without any reason given.",
                "Interview panels with no diversity at all, year after year.",
                "Being overlooked for acting-up opportunities on the ward.",
            ]) + f" It has happened {i % 7 + 2} times now."
        nxt = None if i % 5 == 0 else (f"Give us mentors outside our own directorate; "
                                       f"I would take part again ({i}).")
        rows.append([i + 1, start, start + dt.timedelta(minutes=12),
                     f"{first.lower()}.{last.lower()}@nhs.net", f"{first} {last}",
                     rnd.choice(["Stepping Up", "Ready Now"]), rnd.randint(1, 5), barrier, nxt])
    return rows


def forms_xlsx(path: Path, n: int = 200, write_only: bool = False) -> Path:
    wb = openpyxl.Workbook(write_only=write_only)
    ws = wb.create_sheet("Sheet1") if write_only else wb.active
    ws.append(FORMS_HEADER)
    for row in forms_rows(n):
        ws.append(row)
    wb.save(str(path))
    return path


def qualtrics_csv(path: Path, n: int = 30, encoding: str = "cp1252", delimiter: str = ";"
                  ) -> Path:
    """Qualtrics' three header rows (names, question text, ImportId), as Excel on a
    European Windows saves a CSV: cp1252 and semicolons."""
    names = ["StartDate", "EndDate", "ResponseId", "RecipientEmail", "Q1", "Q2_TEXT"]
    questions = ["Start Date", "End Date", "Response ID", "Recipient Email",
                 "Your role", "What would improve your placement? (café, rota, support…)"]
    imports = ['{"ImportId":"startDate"}', '{"ImportId":"endDate"}', '{"ImportId":"_recordId"}',
               '{"ImportId":"recipientEmail"}', '{"ImportId":"QID1"}', '{"ImportId":"QID2_TEXT"}']
    rnd = random.Random(3)
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerows([names, questions, imports])
        for i in range(n):
            who = f"{rnd.choice(FIRST)} {rnd.choice(LAST)}"
            answer = (f"More time with my supervisor {who}; the rota at {rnd.choice(SITES)} "
                      f"changes weekly and the café closes at 2pm ({i})." if i % 2 else
                      f"Clearer induction; nobody told me where the staff room was ({i}).")
            w.writerow([f"2024-05-0{1 + i % 9} 10:00", f"2024-05-0{1 + i % 9} 10:09",
                        f"R_{1000 + i}", f"user{i}@example.ac.uk",
                        rnd.choice(["Student nurse", "HCA"]), answer])
    return path
