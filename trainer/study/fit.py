"""Fit FSRS's parameters to the user's own review log (`trainer scheduler fit`).

The optimizer is fsrs-rs-python, FSRS's own Rust optimizer as a 0.6 MB wheel with no
dependencies; py-fsrs's optimizer (`fsrs[optimizer]`) needs torch, hundreds of MB for a
terminal app. Both produce the 21 FSRS-6 parameters py-fsrs schedules with.

What the optimizer learns from: per card, the reviews in order, each with the whole days
since the one before (0 for reviews the same day). Every review that comes a day or more
after an earlier one is a test of memory and becomes one training item. Below
MIN_TRAINING_ITEMS of them the library changes nothing worth having (under 8 it returns
its defaults, under 64 it fits only the four first-review stabilities), so the fit
reports "not enough reviews (N of 64)" and stores nothing.

The comparison shown: over the same items, the mean recall probability each parameter
set predicted against the share actually recalled, and the library's log loss and RMSE.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import TYPE_CHECKING

from .cardstore import FittedParameters
from .models import Review
from .repository import History

if TYPE_CHECKING:
    from fsrs_rs_python import FSRSItem

MIN_TRAINING_ITEMS = 64


@dataclass(frozen=True, slots=True)
class Evaluation:
    predicted: float  # mean predicted recall probability, 0-1
    log_loss: float
    rmse: float  # the library's RMSE over recall bins, 0-1


@dataclass(frozen=True, slots=True)
class FitResult:
    items: int  # training items (reviews a day or more after an earlier one)
    reviews: int  # all reviews in the log
    needed: int
    actual: float | None = None  # share of training items recalled
    old: Evaluation | None = None
    new: Evaluation | None = None
    parameters: tuple[float, ...] = ()
    old_parameters: tuple[float, ...] = ()
    set_aside: bool = False
    """Enough items, but the optimizer's outlier filter left it too few to learn from:
    it keeps, per first rating, only the delays to the next review that six or more
    cards share."""

    @property
    def enough(self) -> bool:
        return bool(self.parameters)


def review_sequences(reviews: Sequence[Review], tz: tzinfo) -> list[list[tuple[int, int]]]:
    """Per card, (rating, whole local days since the previous review) in time order."""
    by_item: dict[str, list[Review]] = defaultdict(list)
    for r in reviews:
        by_item[r.item_id].append(r)
    out = []
    for item_reviews in by_item.values():
        item_reviews.sort(key=lambda r: (r.at, r.id or 0))
        seq, last = [], None
        for r in item_reviews:
            day = r.at.astimezone(tz).date()
            seq.append((r.rating, 0 if last is None else (day - last).days))
            last = day
        out.append(seq)
    return out


Sample = list[tuple[int, int]]  # one training item: (rating, days since) up to the test


def training_samples(sequences: list[list[tuple[int, int]]]) -> list[Sample]:
    """One sample per review a day or more after an earlier review of the card."""
    return [seq[:i + 1] for seq in sequences for i in range(1, len(seq)) if seq[i][1] > 0]


def _items(samples: list[Sample]) -> list[FSRSItem]:
    from fsrs_rs_python import FSRSItem, FSRSReview

    return [FSRSItem([FSRSReview(rating, days) for rating, days in s]) for s in samples]


def evaluate(parameters: Sequence[float], samples: list[Sample]) -> Evaluation:
    from fsrs_rs_python import FSRS

    model = FSRS(list(parameters))
    decay = -parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    states = model.memory_state_batch(_items([s[:-1] for s in samples]))
    predicted = [(1 + factor * s[-1][1] / state.stability) ** decay
                 for s, state in zip(samples, states, strict=True)]
    quality = model.evaluate(_items(samples))
    return Evaluation(sum(predicted) / len(predicted), quality.log_loss, quality.rmse_bins)


def fit(history: History, *, current: Sequence[float], tz: tzinfo | None = None) -> FitResult:
    """Fit to the whole review log; nothing is stored (see `save`)."""
    from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS

    tz = tz or datetime.now().astimezone().tzinfo or UTC
    reviews = history.reviews()
    samples = training_samples(review_sequences(reviews, tz))
    base = FitResult(len(samples), len(reviews), MIN_TRAINING_ITEMS)
    if len(samples) < MIN_TRAINING_ITEMS:
        return base
    fitted = tuple(float(p) for p in FSRS(list(current)).compute_parameters(_items(samples)))
    if _same(fitted, DEFAULT_PARAMETERS):  # the library found too little to learn from
        return FitResult(len(samples), len(reviews), MIN_TRAINING_ITEMS, set_aside=True)
    actual = sum(s[-1][0] > 1 for s in samples) / len(samples)
    return FitResult(len(samples), len(reviews), MIN_TRAINING_ITEMS, actual,
                     evaluate(current, samples), evaluate(fitted, samples), fitted,
                     tuple(current))


def save(history: History, result: FitResult) -> FittedParameters:
    if not result.enough or result.old is None or result.new is None:
        raise ValueError("nothing to save: the fit did not run")
    metrics = {"actual": result.actual, "items": result.items,
               "old": {"predicted": result.old.predicted, "log_loss": result.old.log_loss,
                       "rmse": result.old.rmse},
               "new": {"predicted": result.new.predicted, "log_loss": result.new.log_loss,
                       "rmse": result.new.rmse},
               "old_parameters": list(result.old_parameters)}
    return history.save_parameters(FittedParameters(result.parameters, result.items,
                                                    history.clock(), metrics))


def _same(a: Sequence[float], b: Sequence[float]) -> bool:
    return len(a) == len(b) and all(abs(x - y) < 1e-6 for x, y in zip(a, b, strict=True))
