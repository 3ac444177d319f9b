"""The verdict bands: one wording for every face (CLI, app, exports)."""

from __future__ import annotations

LEVEL_BARS = {"junior": 50, "mid": 60, "senior": 70, "staff": 75}
STRONG_LABEL = {"junior": "strong", "mid": "strong", "senior": "senior signal",
                "staff": "staff signal"}


def verdict(score: int, level: str | None) -> str:
    """Band for a score, judged against the bar of the item's level.

    below 40: misses the fundamentals; below the level's bar: partial; up to 84: solid;
    85 and over: strong for junior/mid items, senior signal for senior items, and staff
    signal for staff items (a staff item needs 90 for that, else senior signal).
    """
    level = level or "mid"
    if score < 40:
        return "misses the fundamentals"
    if score < LEVEL_BARS.get(level, 60):
        return "partial"
    if score < 85:
        return "solid"
    if level == "staff" and score < 90:
        return "senior signal"
    return STRONG_LABEL.get(level, "strong")
