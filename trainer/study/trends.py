"""Series to plot: score over time per topic, reviews per day with the forecast of
reviews to come, and retention. Drawn by the app's Progress screen (plotext) and the
HTML export (inline SVG); both get the same numbers from here.

Definitions:
- score over time: per topic and local day, the mean score of that day's answers to the
  topic's questions, follow-ups and scenarios;
- reviews per day: card reviews written each local day; the forecast counts the cards
  that come due on each of the next days (cards already overdue count on today);
- retention: per week, the share of reviews recalled (rated Hard, Good or Easy) among
  reviews that came a day or more after the card's previous review, the reviews that
  test memory rather than the learning steps.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, tzinfo

from trainer.bank import Bank

from .clock import from_text
from .repository import History
from .srs import card_items

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class TopicSeries:
    topic: str
    points: tuple[tuple[date, float], ...]  # (day, mean score 0-100)
    answers: int


@dataclass(frozen=True, slots=True)
class ReviewLoad:
    past: tuple[tuple[date, int], ...]  # reviews written each of the last days
    ahead: tuple[tuple[date, int], ...]  # cards coming due each of the next days, today first


@dataclass(frozen=True, slots=True)
class RetentionPoint:
    week: date  # the Monday
    reviews: int
    recalled: int

    @property
    def rate(self) -> float:
        return self.recalled / self.reviews if self.reviews else 0.0


@dataclass(frozen=True, slots=True)
class Trends:
    scores: tuple[TopicSeries, ...]  # the most answered topics first
    load: ReviewLoad
    retention: tuple[RetentionPoint, ...]

    @property
    def empty(self) -> bool:
        return not self.scores and not any(n for _, n in self.load.past + self.load.ahead)


def trends(history: History, bank: Bank, *, now: datetime | None = None,
           tz: tzinfo | None = None, days: int = 30, ahead: int = 14,
           topics: int = 4) -> Trends:
    now = now or history.clock()
    tz = tz or now.astimezone().tzinfo or UTC
    with history.lock:
        return Trends(score_series(history, bank, tz, topics),
                      review_load(history, bank, now, tz, days, ahead),
                      retention(history, tz))


def score_series(history: History, bank: Bank, tz: tzinfo, top: int) -> tuple[TopicSeries,
                                                                                ...]:
    topic_of: dict[str, tuple[str, ...]] = {i: c.topics for i, c in card_items(bank).items()}
    topic_of.update({s.id: s.topics for s in bank.scenarios})
    sums: dict[str, dict[date, list[float]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    answers: dict[str, int] = defaultdict(int)
    for item_id, at, score in history.conn.execute(
            "SELECT item_id, at, score FROM attempts ORDER BY at"):
        day = from_text(at).astimezone(tz).date()
        for topic in topic_of.get(item_id, ()):
            cell = sums[topic][day]
            cell[0] += score
            cell[1] += 1
            answers[topic] += 1
    chosen = sorted(answers, key=lambda t: (-answers[t], t))[:top]
    return tuple(TopicSeries(t, tuple((d, round(s / n, 1)) for d, (s, n) in
                                      sorted(sums[t].items())), answers[t]) for t in chosen)


def review_load(history: History, bank: Bank, now: datetime, tz: tzinfo, days: int,
                ahead: int) -> ReviewLoad:
    today = now.astimezone(tz).date()
    start = today - timedelta(days=days - 1)
    past: dict[date, int] = defaultdict(int)
    for (at,) in history.conn.execute("SELECT at FROM reviews"):
        day = from_text(at).astimezone(tz).date()
        if day >= start:
            past[day] += 1
    items = card_items(bank)
    coming: dict[date, int] = defaultdict(int)
    for item_id, due in history.conn.execute("SELECT item_id, due FROM cards"):
        if item_id in items:
            day = max(from_text(due).astimezone(tz).date(), today)
            coming[day] += 1
    return ReviewLoad(tuple((start + n * ONE_DAY, past[start + n * ONE_DAY])
                            for n in range(days)),
                      tuple((today + n * ONE_DAY, coming[today + n * ONE_DAY])
                            for n in range(ahead)))


def retention(history: History, tz: tzinfo) -> tuple[RetentionPoint, ...]:
    weeks: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    previous: dict[str, datetime] = {}
    for item_id, at_text, rating in history.conn.execute(
            "SELECT item_id, at, rating FROM reviews ORDER BY at, id"):
        at = from_text(at_text)
        before = previous.get(item_id)
        previous[item_id] = at
        if before is None or at - before < ONE_DAY:
            continue
        day = at.astimezone(tz).date()
        week = weeks[day - timedelta(days=day.weekday())]
        week[0] += 1
        week[1] += rating > 1
    return tuple(RetentionPoint(w, n, r) for w, (n, r) in sorted(weeks.items()))
