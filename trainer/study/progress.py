"""Progress over the whole history: `stats()` for `trainer stats` and the app's dashboard.

Definitions (also in `trainer stats --help`):
- mastery of a topic or level: the mean, over every question, follow-up and scenario in
  it, of the item's latest score, unattempted items counting 0; `mean_score` is the same
  mean over attempted items only, `attempted`/`items` the coverage. A scenario's score is
  its run's (the simulator's or the tabletop drill's), so incident drills count toward
  the topics they train; `scenarios`/`scenarios_run` say how many of the items they are;
- a study day is a local calendar day with at least one attempt or review; the streak is
  the run of study days ending today, or yesterday when today has none yet;
- most-missed concepts: rubric concepts by how often they were missed or negated, across
  all attempts and items (a concept name shared by two questions counts as one);
- calibration: per week, the mean self-rating (1-4) against the measured rating: the
  score's band (see `trainer.study.srs`) for attempts, the mean interviewer rating for
  feedback sheets; bias > 0 means over-confidence.

The heavy lifting is SQL aggregates (grouped by item, concept or UTC hour), so stats over
100,000 attempts stay well under half a second; only hours become local days in Python.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any

from trainer.bank import Bank

from .clock import Clock, from_text, to_text
from .progress_models import (
    Calibration,
    CalibrationPoint,
    DayCount,
    Leech,
    Mastery,
    MissedConcept,
    Progress,
    ScenarioStat,
    Streak,
    Totals,
)
from .repository import History
from .srs import LEECH_LAPSES, SCORE_BANDS, card_items

MISSED_STATUSES = ("missed", "negated")


def stats(history: History, bank: Bank, *, now: datetime | None = None,
          tz: tzinfo | None = None, days: int = 30, top_missed: int = 10,
          clock: Clock | None = None) -> Progress:
    """Everything `trainer stats` shows. `tz` fixes what a day is (default: local time)."""
    now = now or (clock or history.clock)()
    with history.lock:  # the app's other threads wait, and
        if history.conn.in_transaction:
            return _stats(history, bank, now, tz, days, top_missed)
        # a read transaction gives every query the same snapshot, even while another
        # process writes.
        history.conn.execute("BEGIN")
        try:
            return _stats(history, bank, now, tz, days, top_missed)
        finally:
            history.conn.execute("COMMIT")


def _stats(history: History, bank: Bank, now: datetime, tz: tzinfo | None, days: int,
           top_missed: int) -> Progress:
    tz = tz or now.astimezone().tzinfo or UTC
    items = card_items(bank)
    conn = history.conn
    # SQLite's bare-column rule: with max(), `score` comes from the row holding the max.
    latest = {r[0]: r[1] for r in conn.execute(
        "SELECT item_id, score, max(at) FROM attempts GROUP BY item_id")}

    by_topic: dict[str, list[str]] = defaultdict(list)
    by_level: dict[str, list[str]] = defaultdict(list)
    for item in items.values():
        for topic in item.topics:
            by_topic[topic].append(item.item_id)
        by_level[item.level or "unset"].append(item.item_id)
    scenario_ids = set()
    for scenario in bank.scenarios:
        scenario_ids.add(scenario.id)
        for topic in scenario.topics:
            by_topic[topic].append(scenario.id)
        by_level[scenario.level or "unset"].append(scenario.id)

    activity = _activity_days(history, tz)
    today = now.astimezone(tz).date()
    return Progress(
        generated_at=now,
        totals=_totals(history, latest),
        mastery_by_topic=tuple(_mastery(k, by_topic[k], latest, scenario_ids)
                               for k in sorted(by_topic)),
        mastery_by_level=tuple(_mastery(k, by_level[k], latest, scenario_ids)
                               for k in _level_order(by_level)),
        streak=_streak(activity, today),
        per_day=_per_day(activity, today, days),
        most_missed=_most_missed(history, top_missed),
        leeches=_leeches(history, items),
        calibration=_calibration(history, tz),
        scenarios=_scenarios(history, bank),
        due_now=sum(1 for r in conn.execute("SELECT item_id FROM cards WHERE due <= ?",
                                            (to_text(now),)) if r[0] in items),
    )


def _level_order(by_level: dict[str, list[str]]) -> list[str]:
    order = ["junior", "mid", "senior", "staff", "unset"]
    return [k for k in order if k in by_level] + sorted(k for k in by_level if k not in order)


def _totals(history: History, latest: dict[str, int]) -> Totals:
    one = history.conn.execute
    return Totals(
        attempts=one("SELECT count(*) FROM attempts").fetchone()[0],
        reviews=one("SELECT count(*) FROM reviews").fetchone()[0],
        items_attempted=len(latest),
        sheets=one("SELECT count(*) FROM sheets").fetchone()[0],
        scenario_runs=one("SELECT count(*) FROM scenario_runs").fetchone()[0],
    )


def _mastery(key: str, item_ids: list[str], latest: dict[str, int],
             scenario_ids: set[str]) -> Mastery:
    scores = [latest[i] for i in item_ids if i in latest]
    total = len(item_ids)
    scenarios = [i for i in item_ids if i in scenario_ids]
    return Mastery(
        key=key, items=total, attempted=len(scores),
        mastery=round(sum(scores) / total, 1) if total else 0.0,
        mean_score=round(sum(scores) / len(scores), 1) if scores else None,
        scenarios=len(scenarios), scenarios_run=sum(1 for i in scenarios if i in latest),
    )


def _scenarios(history: History, bank: Bank) -> tuple[ScenarioStat, ...]:
    """Every scenario played, the latest run first."""
    rows = history.conn.execute(
        "SELECT item_id, count(*), score, max(at), (SELECT max(score) FROM attempts b "
        "WHERE b.item_id = a.item_id AND b.mode = 'scenario') FROM attempts a "
        "WHERE mode = 'scenario' GROUP BY item_id ORDER BY max(at) DESC").fetchall()
    out = []
    for item_id, runs, last, at, best in rows:
        scenario = bank.scenario(item_id)
        if scenario is not None:
            out.append(ScenarioStat(item_id, scenario.code, scenario.title, scenario.topics,
                                    runs, last, best, from_text(at)))
    return tuple(out)


def _hours(history: History, table: str) -> list[tuple[datetime, int]]:
    # Grouping by UTC hour in SQL, then mapping hours to local days, is exact for every
    # whole-hour time zone and keeps the Python loop to a few thousand rows.
    rows = history.conn.execute(
        f"SELECT substr(at, 1, 13), count(*) FROM {table} GROUP BY 1").fetchall()
    return [(datetime.fromisoformat(h + ":00:00+00:00"), n) for h, n in rows]


def _activity_days(history: History, tz: tzinfo) -> dict[date, tuple[int, int]]:
    """(attempts, reviews) per local day."""
    attempts: Counter[date] = Counter()
    reviews: Counter[date] = Counter()
    for hour, n in _hours(history, "attempts"):
        attempts[hour.astimezone(tz).date()] += n
    for hour, n in _hours(history, "reviews"):
        reviews[hour.astimezone(tz).date()] += n
    return {d: (attempts[d], reviews[d]) for d in set(attempts) | set(reviews)}


def _streak(activity: dict[date, tuple[int, int]], today: date) -> Streak:
    days = sorted(activity)
    longest = run = 0
    prev: date | None = None
    for d in days:
        run = run + 1 if prev is not None and d - prev == timedelta(days=1) else 1
        longest = max(longest, run)
        prev = d
    current = 0
    day = today if today in activity else today - timedelta(days=1)
    while day in activity:
        current += 1
        day -= timedelta(days=1)
    return Streak(current=current, longest=longest, last_day=days[-1] if days else None,
                  study_days=len(days))


def _per_day(activity: dict[date, tuple[int, int]], today: date, days: int) -> tuple[DayCount,
                                                                                   ...]:
    out = []
    for back in range(days - 1, -1, -1):
        d = today - timedelta(days=back)
        attempts, reviews = activity.get(d, (0, 0))
        out.append(DayCount(day=d, attempts=attempts, reviews=reviews))
    return tuple(out)


def _most_missed(history: History, top: int) -> tuple[MissedConcept, ...]:
    marks = ",".join("?" * len(MISSED_STATUSES))
    rows = history.conn.execute(
        f"SELECT concept, sum(status IN ({marks})) AS misses, count(*) AS asked "
        "FROM attempt_concepts GROUP BY concept HAVING misses > 0 "
        "ORDER BY misses DESC, CAST(misses AS REAL) / asked DESC, concept LIMIT ?",
        (*MISSED_STATUSES, top)).fetchall()
    out = []
    for concept, misses, asked in rows:
        items = tuple(r[0] for r in history.conn.execute(
            f"SELECT a.item_id FROM attempt_concepts c JOIN attempts a ON a.id = c.attempt_id "
            f"WHERE c.concept = ? AND c.status IN ({marks}) GROUP BY a.item_id "
            "ORDER BY count(*) DESC, a.item_id", (concept, *MISSED_STATUSES)))
        out.append(MissedConcept(concept=concept, misses=misses, asked=asked, item_ids=items))
    return tuple(out)


def _leeches(history: History, items: dict[str, Any]) -> tuple[Leech, ...]:
    rows = history.conn.execute(
        "SELECT item_id, lapses FROM cards WHERE lapses >= ? ORDER BY lapses DESC, item_id",
        (LEECH_LAPSES,)).fetchall()
    return tuple(Leech(item_id=i, title=items[i].title, lapses=n) for i, n in rows
                 if i in items)


def _score_rating_sql() -> str:
    cases = " ".join(f"WHEN score < {below} THEN {int(rating)}" for below, rating in SCORE_BANDS)
    return f"CASE {cases} ELSE 4 END"


def _week(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _calibration(history: History, tz: tzinfo) -> Calibration:
    # Per week: [pairs, sum of self-ratings, sum of measured ratings, sum of |difference|].
    weeks: dict[date, list[float]] = defaultdict(lambda: [0, 0.0, 0.0, 0.0])
    rows = history.conn.execute(
        f"SELECT substr(at, 1, 13), self_rating, {_score_rating_sql()}, count(*) "
        "FROM attempts WHERE self_rating IS NOT NULL GROUP BY 1, 2, 3").fetchall()
    pairs = [(datetime.fromisoformat(h + ":00:00+00:00"), s, m, n) for h, s, m, n in rows]
    for sheet in history.sheets():
        if sheet.self_rating is not None and sheet.mean_rating is not None:
            pairs.append((sheet.created_at, sheet.self_rating, sheet.mean_rating, 1))
    for when, own, measured, n in pairs:
        w = weeks[_week(when.astimezone(tz).date())]
        w[0] += n
        w[1] += own * n
        w[2] += measured * n
        w[3] += abs(own - measured) * n
    points = tuple(
        CalibrationPoint(week=k, n=int(n), mean_self=round(s / n, 2),
                         mean_measured=round(m / n, 2), bias=round((s - m) / n, 2),
                         mean_abs_error=round(e / n, 2))
        for k, (n, s, m, e) in sorted(weeks.items()))
    total = sum(w[0] for w in weeks.values())
    diff = sum(w[1] - w[2] for w in weeks.values())
    return Calibration(points=points, n=int(total),
                       bias=round(diff / total, 2) if total else None)
