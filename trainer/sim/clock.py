"""Simulated time: parsing "T" of action strings and printing ticks for people."""

from __future__ import annotations

import re

_ELAPSED = re.compile(r"\+?(?:(\d+):)?(\d+):(\d\d)|\+?(\d+)s?")


def parse_elapsed(text: str) -> int:
    """Seconds from "390", "390s", "6:30", "+6:30" or "1:02:30"; ValueError otherwise."""
    m = _ELAPSED.fullmatch(text.strip())
    if m is None:
        raise ValueError(f"bad time '{text}': use seconds (390), M:SS (6:30) or H:MM:SS")
    if m.group(4) is not None:
        return int(m.group(4))
    hours = int(m.group(1) or 0)
    minutes, seconds = int(m.group(2)), int(m.group(3))
    if seconds >= 60 or (m.group(1) is not None and minutes >= 60):
        raise ValueError(f"bad time '{text}': seconds and minutes run 00-59")
    return hours * 3600 + minutes * 60 + seconds


def parse_clock(text: str) -> int:
    """Seconds after midnight of "HH:MM" or "HH:MM:SS"."""
    parts = [int(p) for p in text.split(":")]
    while len(parts) < 3:
        parts.append(0)
    return parts[0] * 3600 + parts[1] * 60 + parts[2]


def elapsed(t: int) -> str:
    """Tick as MM:SS (H:MM:SS past an hour), the prefix of event log lines."""
    h, rest = divmod(t, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def wall(start_of_day: int, t: int, seconds: bool = False) -> str:
    """Wall-clock time of tick t, "23:49" (or "23:49:30")."""
    total = (start_of_day + t) % 86400
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h:02d}:{m:02d}:{s:02d}" if seconds else f"{h:02d}:{m:02d}"
