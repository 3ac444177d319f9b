"""How a self-rating compares with a measured one, in words every face shows alike.

Both sides are on the 1-4 review scale (Again, Hard, Good, Easy): the candidate's own
rating against the interviewer's mean on a feedback sheet, or against the rating the score
maps to over many answers. A gap under half a step is noise on a four-step scale, so it
reads as "in line"; larger gaps are given with one decimal, never rounded to zero.
"""

from __future__ import annotations

from .progress_models import Calibration

IN_LINE = 0.5  # half a step of the 1-4 scale


def gap_words(gap: float, other: str) -> str:
    """'in line with OTHER', or '0.8 above OTHER' / '1.5 below OTHER'."""
    if abs(gap) < IN_LINE:
        return f"in line with {other}"
    return f"{abs(gap):.1f} {'above' if gap > 0 else 'below'} {other}"


def sheet_calibration(self_rating: int | None, interviewer_mean: float | None) -> str | None:
    """The candidate's self-rating against the interviewer's mean, or None without both."""
    if self_rating is None or interviewer_mean is None:
        return None
    return gap_words(self_rating - interviewer_mean, "the interviewer's mean")


def answers_calibration(calibration: Calibration) -> str:
    """Self-ratings against the scores, over every self-rated answer."""
    if calibration.bias is None or not calibration.n:
        return "not enough self-ratings yet"
    n = calibration.n
    over = f"over {n} answer{'s' if n != 1 else ''}"
    words = gap_words(calibration.bias, "your scores")
    if words.startswith("in line"):
        return f"your self-ratings are {words} {over}"
    return f"your self-ratings run {words} on the 1-4 scale {over}"
