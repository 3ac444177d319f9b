"""The typed result of `trainer.study.progress.stats()`; `to_dict()` is `trainer stats --json`."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


@dataclass(frozen=True, slots=True)
class Totals:
    attempts: int
    reviews: int
    items_attempted: int
    sheets: int
    scenario_runs: int


@dataclass(frozen=True, slots=True)
class Mastery:
    key: str  # a topic slug or a level
    items: int
    attempted: int
    mastery: float  # 0-100, unattempted items counting 0
    mean_score: float | None  # 0-100 over attempted items
    scenarios: int = 0  # how many of the items are scenarios
    scenarios_run: int = 0  # ... and how many of those were played


@dataclass(frozen=True, slots=True)
class ScenarioStat:
    """One scenario's runs (simulator or tabletop), for Progress."""

    scenario_id: str
    code: str
    title: str
    topics: tuple[str, ...]
    runs: int
    last_score: int
    best_score: int
    last_at: datetime


@dataclass(frozen=True, slots=True)
class Streak:
    current: int
    longest: int
    last_day: date | None
    study_days: int


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    attempts: int
    reviews: int


@dataclass(frozen=True, slots=True)
class MissedConcept:
    concept: str
    misses: int
    asked: int  # attempts whose rubric had this concept
    item_ids: tuple[str, ...]  # where it was missed, most often first

    @property
    def miss_rate(self) -> float:
        return self.misses / self.asked if self.asked else 0.0


@dataclass(frozen=True, slots=True)
class Leech:
    item_id: str
    title: str
    lapses: int


@dataclass(frozen=True, slots=True)
class CalibrationPoint:
    week: date  # the Monday
    n: int
    mean_self: float
    mean_measured: float
    bias: float  # mean_self - mean_measured; > 0 is over-confidence
    mean_abs_error: float


@dataclass(frozen=True, slots=True)
class Calibration:
    points: tuple[CalibrationPoint, ...]
    n: int
    bias: float | None


@dataclass(frozen=True, slots=True)
class Progress:
    generated_at: datetime
    totals: Totals
    mastery_by_topic: tuple[Mastery, ...]
    mastery_by_level: tuple[Mastery, ...]
    streak: Streak
    per_day: tuple[DayCount, ...]
    most_missed: tuple[MissedConcept, ...]
    leeches: tuple[Leech, ...]
    calibration: Calibration
    due_now: int
    scenarios: tuple[ScenarioStat, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = _plain(asdict(self))
        for row, concept in zip(data["most_missed"], self.most_missed, strict=True):
            row["miss_rate"] = round(concept.miss_rate, 3)
        return data
