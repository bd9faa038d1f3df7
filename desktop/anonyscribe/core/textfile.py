"""The one reader for text a researcher gives us: term lists (vocabulary, always, never) and
plain-text transcripts for ``detect``.

Such files come from Notepad, Word's "Save as text", TextEdit and Excel: UTF-8 with or without
a byte-order mark, UTF-16 (Notepad's "Unicode"), Windows or old Mac line ends. All of these
read the same; a file that is not text at all, or text in an 8-bit code page, is refused
with a message naming the file and what to do, never read as garbage terms.
"""

from __future__ import annotations

import codecs
import unicodedata
from pathlib import Path

# Control characters other than tab, line and page breaks: text never has many of these.
_CONTROL = {chr(c) for c in range(32)} - {"\t", "\n", "\r", "\f", "\v"}
_BOMS = (  # longest first: a UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
SAVE_AS_UTF8 = ("Save it as UTF-8 text (Notepad: File > Save as, Encoding: UTF-8; TextEdit: "
                "Format > Make Plain Text, then save as UTF-8) and try again.")


class TextFileError(ValueError):
    """A text file we were given cannot be read as text; the message says what to do."""


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 saved without a mark: every other byte of Latin text is zero."""
    if len(data) < 2 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    half = len(data) // 2
    if odd > 0.4 * half and even == 0:
        return data.decode("utf-16-le")
    if even > 0.4 * half and odd == 0:
        return data.decode("utf-16-be")
    return None


def decode_text(data: bytes) -> str | None:
    """The text in ``data`` (BOM-aware UTF-8/16/32), or None when it is not such text."""
    try:
        for bom, codec in _BOMS:
            if data.startswith(bom):
                text = data[len(bom):].decode(codec)
                break
        else:
            guessed = _utf16_without_bom(data) if b"\x00" in data else None
            text = guessed if guessed is not None else data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text


def read_text(path: Path, what: str = "text file") -> str:
    """A whole text file as NFC text with ``\\n`` line ends; ``TextFileError`` if it is not
    readable text (the message names the file and says what to do)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError as exc:
        raise TextFileError(f'The {what} "{path}" is a folder. Give a plain-text file.') from exc
    except OSError as exc:
        raise TextFileError(f'Cannot read the {what} "{path}" ({exc.strerror or exc}). Check '
                            "the path and that you may open the file.") from exc
    text = decode_text(data)
    if text is not None and text.startswith("\ufeff"):
        text = text[1:]
    if text is None and not (b"\x00" in data or _looks_binary(data)):
        raise TextFileError(
            f'The {what} "{path}" is not UTF-8 text (it may be saved as "ANSI" / '
            f"Windows-1252). {SAVE_AS_UTF8}")
    if text is None or sum(1 for ch in text if ch in _CONTROL) > max(2, len(text) // 100):
        raise TextFileError(
            f'The {what} "{path}" is not a text file (it holds binary data: a Word document, '
            "a spreadsheet or an image?). Give a plain-text file (.txt) instead.")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


def _looks_binary(data: bytes) -> bool:
    sample = data[:4096]
    return sum(1 for b in sample if b < 32 and b not in b"\t\n\r\f\v") > max(2, len(sample) // 100)


def read_terms(path: Path | None, what: str = "term list") -> list[str]:
    """A term file: one term per line; blank lines and lines starting with ``#`` are skipped."""
    if path is None:
        return []
    lines = read_text(path, what).split("\n")
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")]
