"""Counts and intervals in words, the same in every face: "1 day", "2 days", "4d".

Called by the app's screens, `trainer due`, `trainer stats` and `trainer scheduler fit`.
"""

from __future__ import annotations

from datetime import timedelta

# Irregular plurals the app prints; everything else takes an "s".
_PLURALS = {"follow-up": "follow-ups", "lapse": "lapses", "reply": "replies"}


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 day', '2 days', '0 cards'."""
    if n == 1:
        return f"{n} {word}"
    return f"{n} {many or _PLURALS.get(word) or word + 's'}"


def interval_short(delta: timedelta) -> str:
    """An interval as a rating button shows it: '1m', '10m', '3h', '4d', '2mo', '1.5y'."""
    seconds = max(0.0, delta.total_seconds())
    minutes = seconds / 60
    if minutes < 1:
        return "<1m"
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 31:
        return f"{round(days)}d"
    if days < 365:
        return f"{round(days / 30.4)}mo"
    years = days / 365
    return f"{years:.1f}y" if years < 10 else f"{round(years)}y"


def interval_long(delta: timedelta) -> str:
    """An interval in words: 'under a minute', '9 minutes', '3 hours', '4 days'."""
    seconds = max(0.0, delta.total_seconds())
    if seconds < 60:
        return "under a minute"
    minutes = round(seconds / 60)
    if minutes < 60:
        return plural(minutes, "minute")
    hours = round(seconds / 3600)
    if hours < 24:
        return plural(hours, "hour")
    return plural(round(seconds / 86400), "day")
