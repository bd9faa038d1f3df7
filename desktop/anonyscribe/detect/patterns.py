"""Presidio's e-mail and URL recognizers plus the [[pattern]] entries of the config."""

from __future__ import annotations

import re

from ..core.model import Span
from .config import DetectionConfig
from .numbers import cue_regex, row_key
from .text import Chunk

# Any written address: Presidio's needs a known top-level domain, which an internal or made-up
# one ("kath.dodd@nhs.example", "x@trust.local") lacks; an address is personal either way.
_ANY_EMAIL = re.compile(r"(?<![\w.+'-])[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")


class PatternRecognizer:
    def __init__(self, cfg: DetectionConfig) -> None:
        # deferred: the offline tldextract must be in place before these recognizers exist
        from presidio_analyzer.predefined_recognizers import EmailRecognizer, UrlRecognizer

        from ..offline import offline_tldextract

        offline_tldextract()

        self.presidio = [(EmailRecognizer(), "EMAIL_ADDRESS", "EMAIL"),
                         (UrlRecognizer(), "URL", "URL")]
        self.patterns = cfg.patterns

    def __call__(self, chunk: Chunk) -> list[Span]:
        text = chunk.text
        out: list[Span] = []
        if "@" in text or "." in text:
            for rec, entity, typ in self.presidio:
                if typ == "EMAIL" and "@" not in text:
                    continue
                for r in rec.analyze(text, [entity]):
                    out.append(Span(r.start, r.end, typ, text[r.start:r.end],
                                    max(0.9, float(r.score)), f"presidio-{typ.lower()}"))
        if "@" in text:
            out.extend(Span(m.start(), m.end(), "EMAIL", m.group(), 0.85, "written-email")
                       for m in _ANY_EMAIL.finditer(text))
        for p in self.patterns:
            for m in p.regex.finditer(text):
                if p.context and not cue_regex(tuple(p.context)).search(
                        text, max(0, m.start() - 40), m.start()):
                    continue  # its cue, as whole words ("ref", not "referral")
                if p.type == "ID" and row_key(text, m.start()):
                    continue  # "ref 0031 | ...": a survey's row number, not a reference
                out.append(Span(m.start(), m.end(), p.type, m.group(), p.score, p.name))
        return out
