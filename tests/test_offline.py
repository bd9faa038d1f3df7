"""Detection opens no network connection: tldextract's suffix-list download is stopped."""

from __future__ import annotations

import contextlib
import socket
import sys

_ACTIVE = False
_EVENTS: list[tuple[str, tuple]] = []
_WATCHED = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname",
            "socket.gethostbyname_ex", "socket.create_connection"}


def _hook(event: str, args: tuple) -> None:
    if _ACTIVE and event in _WATCHED:
        _EVENTS.append((event, args))


sys.addaudithook(_hook)  # cannot be removed: it records only while _ACTIVE


def test_hook_sees_a_real_lookup() -> None:
    """The probe works: a name lookup is recorded (it may fail offline; that's fine)."""
    global _ACTIVE
    _EVENTS.clear()
    _ACTIVE = True
    try:
        with contextlib.suppress(OSError):
            socket.getaddrinfo("localhost", 80)
    finally:
        _ACTIVE = False
    assert any(e == "socket.getaddrinfo" for e, _ in _EVENTS)


def test_detector_opens_no_socket() -> None:
    global _ACTIVE
    _EVENTS.clear()
    _ACTIVE = True
    try:
        from anonyscribe.detect.engine import Detector

        det = Detector()
        spans = det.detect_text(
            "Write to tendai.moyo@example.co.uk or see https://www.example.org/page "
            "and www.nhs.uk for more.")
    finally:
        _ACTIVE = False
    assert _EVENTS == []
    assert {"EMAIL", "URL"} <= {s.type for s in spans}
